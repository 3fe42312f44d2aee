# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Text from files, made safe to print to a terminal. Standard library only: bump.py uses it."""

from __future__ import annotations

import re

# C0 controls but newline, DEL, C1 controls (a terminal acts on ESC, CSI, OSC, BEL,
# CR, backspace...), and the bidirectional overrides that reorder what a line shows.
_INVISIBLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every control character but newline shown as its escape, e.g. ``\\x1b``.

    For the text report printed by ``bump.py status``: an escape sequence from a
    requirements file cannot recolour, clear or retitle the terminal, or hide
    part of a line.
    """
    return _INVISIBLE.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def visible_line(text: object, limit: int = 300) -> str:
    """``text`` as one printable line: every character that does not print (line breaks
    and escape codes too) shown as its escape, cut at ``limit`` characters.

    For single lines such as bump.py's messages, which quote text from files and servers.
    """
    text = str(text)
    shown = "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text[:limit]
    )
    return shown + ("…" if len(text) > limit else "")
