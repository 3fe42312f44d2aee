"""Pages the template provides, ready for ``st.navigation``."""

import streamlit as st


def health_page() -> st.Page:
    return st.Page(
        "freshboot/health_script.py",
        title="Health",
        icon=":material/monitor_heart:",
        url_path="health",
    )
