# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Pages the template provides, ready for ``st.navigation``."""

import streamlit as st


def health_page() -> st.Page:
    return st.Page(
        "freshboot/health_script.py",
        title="Health",
        icon=":material/monitor_heart:",
        url_path="health",
    )
