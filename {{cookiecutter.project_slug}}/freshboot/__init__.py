# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Fresh-boot support maintained by the streamlit-freshboot template.

Files in this package are updated by ``cruft update``; keep your own code in
``app.py``, ``app_info.py`` and ``app_pages/`` so updates apply cleanly.
"""
