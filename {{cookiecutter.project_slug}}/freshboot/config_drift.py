# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Options in .streamlit/config.toml changed on disk but not applied by the running server.

Streamlit re-reads config.toml when it changes and logs "please restart streamlit"
for any ``[server]`` change, but many ``[server]`` options are read again for each
request or session and do apply (``maxUploadSize``, ``allowedHosts``, ...). Only the
options Streamlit 1.67 reads while the server starts (``START_ONLY``, from where its
code reads them; ``enableStaticServing`` is checked against a real server in the
template's tests) stay at their old values. For those, the file as the process
booted is compared with the file now.
Not drift: options given on the command line or in ``STREAMLIT_*`` variables (the
file does not set them), options Community Cloud forces whatever the file says,
and comments such as the stamp line. Only option names are reported, never values.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from freshboot.files import read_regular_text

CONFIG_FILE = ".streamlit/config.toml"
START_ONLY = frozenset(
    {
        "server.address",
        "server.baseUrlPath",
        "server.cookieSecret",
        "server.disconnectedSessionTTL",
        "server.enableAgentApi",
        "server.enableStaticServing",
        "server.enableWebsocketCompression",
        "server.headless",
        "server.port",
        "server.scriptHealthCheckEnabled",
        "server.sslCertFile",
        "server.sslKeyFile",
        "server.websocketPingInterval",
    }
)
CLOUD_FORCED = frozenset(
    {
        "server.runOnSave",
        "server.enableXsrfProtection",
        "client.showErrorDetails",
        "runner.fastReruns",
        "browser.gatherUsageStats",
    }
)
_MISSING = object()


def _flatten(table: dict, prefix: str = "") -> dict[str, object]:
    options = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not prefix:  # a section: [server]
            options.update(_flatten(value, f"{name}."))
        else:
            options[name] = value
    return options


def read_config(root: Path) -> dict[str, object] | None:
    """``{"server.port": 8501, ...}`` from config.toml: {} without one, None when unreadable."""
    try:
        text = read_regular_text(Path(root) / CONFIG_FILE)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return None
    try:
        return _flatten(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        return None


def _set_outside_the_file(option: str) -> bool:
    """Whether the server took ``option`` from the command line or a variable, not the file."""
    try:
        from streamlit import config
    except ImportError:
        return False
    try:
        where = config.get_where_defined(option)
    except Exception:  # an option this Streamlit does not know: the file decides nothing
        return True
    return "command-line" in where or "environment variable" in where


def config_drift(booted: dict[str, object] | None, now: dict[str, object] | None) -> list[str]:
    """Names of start-only options whose value in the file changed since the process booted."""
    if booted is None or now is None:
        return []
    changed = []
    for option in sorted(booted.keys() | now.keys()):
        if option not in START_ONLY or option in CLOUD_FORCED:
            continue
        if booted.get(option, _MISSING) == now.get(option, _MISSING):
            continue
        if not _set_outside_the_file(option):
            changed.append(option)
    return changed
