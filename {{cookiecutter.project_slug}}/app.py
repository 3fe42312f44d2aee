# Entry point for `streamlit run app.py`. The line below is the deployment stamp:
# scripts/bump.py rewrites it together with requirements.txt and .streamlit/config.toml.
DEPLOYMENT_VERSION = "{{ cookiecutter.initial_version }}"

import streamlit as st

from app_info import APP_TITLE
from freshboot import boot
from freshboot.pages import health_page

boot.announce(DEPLOYMENT_VERSION)
st.set_page_config(page_title=APP_TITLE, layout="wide")

pages = [
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
    health_page(),
]
st.navigation(pages).run()
