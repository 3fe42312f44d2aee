# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Show user text literally in widgets that render Markdown (st.markdown, st.write, st.metric).

Backslash escapes stop Markdown syntax, but not the autolinks GitHub-flavoured
Markdown makes of bare ``https://…``, ``www.…`` and ``name@host`` text: Streamlit's
frontend finds those in the text after the escapes are gone. An invisible word
joiner inside each of them leaves nothing to find.
"""

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
WORD_JOINER = "\u2060"  # invisible, and no place to break a line
# "http:", "https:" and "www." start a URL autolink, "@" joins an email autolink.
_AUTOLINK_START = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")


def escape(text: str) -> str:
    """``text`` shown as is: no markup, link, image, emoji code, colour or math applies.

    Backslash-escapes ASCII punctuation and puts a word joiner (U+2060) inside
    whatever would become an autolink. For st.markdown, st.write, st.caption, the
    alert boxes, and the label and value of st.metric.
    """
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK_START.sub(WORD_JOINER, str(text)))
