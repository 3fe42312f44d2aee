# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Serve the app plus GET /api/health (JSON) for monitors and container probes.

    streamlit run serve.py            # the app, /health page and /api/health
    streamlit run app.py              # the app alone (what Community Cloud runs)
    FRESHBOOT_SCRIPT_CHECK_SECONDS=300 streamlit run serve.py   # run app.py less often

Both take the usual options (--server.port, --server.address, ...). Streamlit
serves the ``app`` below because it is an ``st.App``; app.py stays a plain script.
/api/health runs app.py at most every FRESHBOOT_SCRIPT_CHECK_SECONDS (default 30,
0 turns that off): see freshboot/api.py. The boot line is printed at start.
"""

from pathlib import Path

import streamlit as st

from freshboot import boot
from freshboot.api import health_route
from freshboot.stamps import read_stamps

PROJECT_ROOT = Path(__file__).resolve().parent

boot.announce(read_stamps(PROJECT_ROOT).version, PROJECT_ROOT)
app = st.App(PROJECT_ROOT / "app.py", routes=[health_route(PROJECT_ROOT)])
