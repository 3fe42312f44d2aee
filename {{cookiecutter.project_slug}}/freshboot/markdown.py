"""Show user text literally in widgets that render Markdown (st.title, st.write)."""

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape(text: str) -> str:
    """Backslash-escape ASCII punctuation, so no markup, emoji code or math applies."""
    return _PUNCTUATION.sub(r"\\\1", text)
