"""Serve the app plus GET /api/health (JSON) for monitors and container probes.

    streamlit run serve.py            # the app, /health page and /api/health
    streamlit run app.py              # the app alone (what Community Cloud runs)

Both take the usual options (--server.port, --server.address, ...). Streamlit
serves the ``app`` below because it is an ``st.App``; app.py stays a plain script.
"""

from pathlib import Path

import streamlit as st

from freshboot import boot
from freshboot.api import health_route
from freshboot.stamps import read_stamps

PROJECT_ROOT = Path(__file__).resolve().parent

boot.announce(read_stamps(PROJECT_ROOT).version, PROJECT_ROOT)
app = st.App(PROJECT_ROOT / "app.py", routes=[health_route(PROJECT_ROOT)])
