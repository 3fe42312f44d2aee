# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The cache buttons of the /health page, and who may press them.

Clearing a cache makes every session compute it again, so the buttons are on
without a token only for a request that is local to the server.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Mapping

import streamlit as st

TOKEN_SECRET = "freshboot_admin_token"
LOCAL_COMMAND = "streamlit run app.py --server.address 127.0.0.1"
# Headers reverse proxies, load balancers, CDNs and tunnels add; browsers send none of them.
PROXY_HEADERS = (
    "Forwarded",
    "Via",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Forwarded-Port",
    "X-Forwarded-Server",
    "X-Forwarded",
    "Forwarded-For",
    "X-Real-Ip",
    "X-Client-Ip",
    "Client-Ip",
    "X-Cluster-Client-Ip",
    "True-Client-Ip",
    "Cf-Connecting-Ip",
    "Fastly-Client-Ip",
    "X-Original-Forwarded-For",
    "X-ProxyUser-Ip",
    "Cdn-Loop",
)
# Whole families: any header starting so comes from a proxy too.
PROXY_HEADER_PREFIXES = (
    "x-forwarded-",
    "x-original-",
    "x-real-",
    "cf-",
    "fastly-",
    "akamai-",
    "x-akamai-",
    "x-envoy-",
    "x-amzn-",
    "x-azure-",
    "x-appengine-",
    "x-arr-",
    "x-vercel-",
    "fly-",
    "ngrok-",
    "tailscale-",
)
PLAIN_HEADER_NAME = re.compile(r"[A-Za-z0-9-]{1,64}")
RESIDUAL_RISK = (
    "A plain TCP forwarder on this machine (socat, an SSH tunnel, a port forward) can make"
    " other machines' requests look local, and nothing here can tell: run none to this port"
    " unless everyone it lets in may clear the caches."
)


def configured_token() -> str | None:
    try:
        token = st.secrets.get(TOKEN_SECRET)
    except Exception:  # no or unreadable secrets.toml: treat as not configured
        return None
    return str(token) if token else None


def is_loopback(address: object) -> bool:
    """True for localhost, 127.0.0.1 (any 127.x), ::1 and ::ffff:127.x; False when unset."""
    text = str(address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def host_of(value: str) -> str:
    """The host part of a Host header (``127.0.0.1:8501``, ``[::1]:8501``) or an Origin URL."""
    value = value.strip()
    if "://" in value:
        value = value.split("://", 1)[1].split("/", 1)[0]
    if value.startswith("["):
        return value[1:].partition("]")[0]
    return value.rpartition(":")[0] if value.count(":") == 1 else value


def proxy_header(headers: Mapping[str, str]) -> str | None:
    """The first header of ``headers`` a proxy adds, as it is to be named on the page."""
    present = {name.lower(): name for name in headers}
    for name in PROXY_HEADERS:
        if name.lower() in present:
            return name
    for lower, name in present.items():
        if lower.startswith(PROXY_HEADER_PREFIXES):
            return name if PLAIN_HEADER_NAME.fullmatch(name) else "a proxy's header"
    return None


def locality_problem(
    server_address: object, client_address: str | None, headers: Mapping[str, str]
) -> str | None:
    """Why a request does not count as local to the server, or None when it does.

    ``client_address`` is the address Streamlit sees the client at (None: loopback
    or unknown, as ``st.context.ip_address`` says). The request is local only when
    the server listens on loopback only, no proxy header is present, the client is
    on loopback and the browser named the server by a loopback address. A TCP
    forwarder on this machine passes all of these; nothing here can see it.
    """
    if not is_loopback(server_address):
        return "`server.address` is not a loopback address, so other machines may reach the app"
    name = proxy_header(headers)
    if name is not None:
        return f"this request came through a proxy (it carries `{name}`)"
    if client_address is not None and not is_loopback(client_address):
        return "Streamlit sees this request come from another machine"
    lower = {key.lower(): value for key, value in headers.items()}
    for header in ("host", "origin"):
        value = lower.get(header)
        if value and not is_loopback(host_of(value)):
            return (
                f"this request names the app by an address that is not a loopback one"
                f" (its {header.capitalize()} header), as a request from another machine would"
            )
    return None


def why_not_local() -> str | None:
    """Why this request does not count as local to the server, or None when it does."""
    client = st.context.ip_address
    # Streamlit's AppTest hands a placeholder object instead of an address.
    client = client if isinstance(client, str) else None
    return locality_problem(st.get_option("server.address"), client, st.context.headers)


def cache_buttons_unlocked() -> bool:
    reason = why_not_local()
    if reason is None:
        st.caption(
            "On without a token: `server.address` is a loopback address and this request"
            f" came from this machine through no proxy. {RESIDUAL_RISK}"
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
