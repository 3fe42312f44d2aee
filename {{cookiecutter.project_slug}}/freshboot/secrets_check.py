# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Secrets the app needs, from .streamlit/secrets.example.toml, against what it has.

The example file is committed and lists names with placeholder values; the real
values live in the app's secrets (Community Cloud: app settings; locally:
.streamlit/secrets.toml, never committed). Only names are compared: no secret
value is read into the report, shown or logged.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from freshboot.files import read_regular_text

EXAMPLE_FILE = ".streamlit/secrets.example.toml"
LOCAL_FILE = ".streamlit/secrets.toml"


def _names(table: Mapping, prefix: str = "") -> list[str]:
    names = []
    for key, value in table.items():
        if isinstance(value, Mapping) and value:
            names += _names(value, f"{prefix}{key}.")
        else:
            names.append(f"{prefix}{key}")
    return names


def required_secrets(root: Path) -> tuple[list[str], str | None]:
    """The secret names the example file lists, and a problem reading it (or None)."""
    try:
        text = read_regular_text(Path(root) / EXAMPLE_FILE)
    except FileNotFoundError:
        return [], None
    except (OSError, UnicodeDecodeError) as error:
        return [], f"{EXAMPLE_FILE} cannot be read ({error.__class__.__name__})"
    try:
        return _names(tomllib.loads(text)), None
    except tomllib.TOMLDecodeError as error:
        return [], f"{EXAMPLE_FILE} is not valid TOML ({error})"


def _server_secrets() -> Mapping:
    """What ``st.secrets`` holds in a running server; re-read when a secrets file appears."""
    import streamlit as st

    try:
        return (
            st.secrets.to_dict()
        )  # no secrets.toml yet: raises, and is looked for again next time
    except FileNotFoundError:
        return {}


def _file_secrets(root: Path) -> Mapping:
    """Outside a server (``bump.py status``): the project's and the user's secrets.toml."""
    found: dict = {}
    for path in (Path.home() / ".streamlit" / "secrets.toml", Path(root) / LOCAL_FILE):
        try:
            found.update(tomllib.loads(read_regular_text(path)))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
    return found


def _has(secrets: Mapping, name: str) -> bool:
    table: object = secrets
    for part in name.split("."):
        if not isinstance(table, Mapping) or part not in table:
            return False
        table = table[part]
    return True


def missing_secrets(root: Path, names: list[str], in_server: bool) -> list[str]:
    """The names in ``names`` the app's secrets lack."""
    if not names:
        return []
    secrets = _server_secrets() if in_server else _file_secrets(root)
    return [name for name in names if not _has(secrets, name)]
