# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The /health page script, run by st.Page (see freshboot/pages.py); laid out by health_page."""

from pathlib import Path

from freshboot.health_page import render

render(Path(__file__).resolve().parent.parent)
