"""Home page. Yours to edit: replace this with your app."""

import streamlit as st

from app_info import APP_DESCRIPTION, APP_TITLE
from freshboot.markdown import escape

st.title(escape(APP_TITLE), anchor=False)
st.write(escape(APP_DESCRIPTION))
st.caption("Open the Health page to see whether this deploy booted fresh.")
