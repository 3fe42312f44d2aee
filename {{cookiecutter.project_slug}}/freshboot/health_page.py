"""The /health page (minimal for now): shows what this deploy is."""

from pathlib import Path

import streamlit as st

from freshboot.stamps import read_stamps

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def render() -> None:
    state = read_stamps(PROJECT_ROOT)
    st.title("Health", anchor=False)
    st.metric("Deployment version", state.version or "unknown")
