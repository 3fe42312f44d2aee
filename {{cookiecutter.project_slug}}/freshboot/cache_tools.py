"""The cache buttons of the /health page, and who may press them.

Clearing a cache makes every session compute it again, so the buttons are on
without a token only for a request that is local to the server.
"""

from __future__ import annotations

import hmac
import ipaddress

import streamlit as st

TOKEN_SECRET = "freshboot_admin_token"
LOCAL_COMMAND = "streamlit run app.py --server.address 127.0.0.1"
# Headers a reverse proxy adds. The Host header proves nothing: the client sets it.
PROXY_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip", "Forwarded")


def configured_token() -> str | None:
    try:
        token = st.secrets.get(TOKEN_SECRET)
    except Exception:  # no or unreadable secrets.toml: treat as not configured
        return None
    return str(token) if token else None


def is_loopback(address: object) -> bool:
    """True for localhost, 127.0.0.1 (any 127.x) and ::1; False when unset."""
    text = str(address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def why_not_local() -> str | None:
    """Why this request does not count as local to the server, or None when it does."""
    if not is_loopback(st.get_option("server.address")):
        return "`server.address` is not a loopback address, so other machines may reach the app"
    headers = st.context.headers
    for name in PROXY_HEADERS:
        if name in headers:
            return f"this request came through a proxy (it carries `{name}`)"
    return None


def cache_buttons_unlocked() -> bool:
    reason = why_not_local()
    if reason is None:
        st.caption(
            "On without a token: `server.address` is a loopback address and this request"
            " came through no proxy."
        )
        return True
    st.caption(f"They need the admin token: {reason}.")
    token = configured_token()
    if token is None:
        st.info(
            f"Off. To turn them on, set `{TOKEN_SECRET}` in the app's secrets and enter it"
            f" here, or run `{LOCAL_COMMAND}` and open the app on this machine, not through"
            " a proxy."
        )
        return False
    entered = st.text_input("Admin token", type="password", key="freshboot_admin_token_input")
    if not entered:
        st.caption(f"Enter the `{TOKEN_SECRET}` from the app's secrets to turn them on.")
        return False
    if not hmac.compare_digest(entered.encode(), token.encode()):
        st.error("That token is not the configured one.")
        return False
    return True


def show_cache_utilities() -> None:
    st.subheader("Caches", anchor=False)
    st.caption("Clearing a cache makes every session compute it again.")
    if not cache_buttons_unlocked():
        return
    data_column, resource_column = st.columns(2)
    if data_column.button("Clear st.cache_data"):
        st.cache_data.clear()
        st.success("st.cache_data cleared.")
    if resource_column.button("Clear st.cache_resource"):
        st.cache_resource.clear()
        st.success("st.cache_resource cleared.")
