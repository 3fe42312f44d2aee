"""Fresh-boot support maintained by the streamlit-freshboot template.

Files in this package are updated by ``cruft update``; keep your own code in
``app.py``, ``app_info.py`` and ``app_pages/`` so updates apply cleanly.
"""
