"""Answers written into generated files: as Python string literals and as Markdown text.

A name with quotes, backslashes, unicode or markup still gives files that parse,
pass ``ruff`` and show the answer as it was typed.
"""

from __future__ import annotations

import re
import unicodedata

LINE_LENGTH = 100  # the generated pyproject.toml's ruff line-length
INDENT = "    "


def python_string(value: object) -> str:
    """A Python string literal for ``value``, quoted the way ``ruff format`` keeps it."""
    text = str(value)
    quote = "'" if text.count('"') > text.count("'") else '"'
    parts = []
    for char in text:
        if char == "\\" or char == quote:
            parts.append("\\" + char)
        elif char.isprintable():
            parts.append(char)
        else:
            parts.append(repr(char)[1:-1])
    return quote + "".join(parts) + quote


def display_width(text: str) -> int:
    """Columns ``text`` takes, counted the way ruff counts them for line length."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def python_assignment(value: object, name: str) -> str:
    """``name = <value as a str literal>``, laid out exactly as ``ruff format`` lays it out.

    A literal too long for one line goes in parentheses; one too long for that is
    split into implicitly concatenated parts, broken after spaces where possible.
    """
    literal = python_string(value)
    if display_width(f"{name} = {literal}") <= LINE_LENGTH:
        return f"{name} = {literal}"
    room = LINE_LENGTH - len(INDENT)
    if display_width(literal) <= room:
        return f"{name} = (\n{INDENT}{literal}\n)"
    parts = [INDENT + python_string(part) for part in split_for_width(str(value), room)]
    return f"{name} = (\n" + "\n".join(parts) + "\n)"


def split_for_width(text: str, room: int) -> list[str]:
    """Cut ``text`` into pieces whose literals fit in ``room`` columns, after a space if any."""
    pieces = []
    while text:
        end = 1
        while end < len(text) and display_width(python_string(text[: end + 1])) <= room:
            end += 1
        if end < len(text):
            space = text.rfind(" ", 0, end)
            end = space + 1 if space >= end // 2 else end
        pieces.append(text[:end])
        text = text[end:]
    return pieces


# Anywhere in a line: code, emphasis, links and images, HTML and entities, table
# cells, strikethrough, and the braces of renderers with attribute syntax.
INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>|{}~&]|!(?=\[)")
# At the start of a line: a heading, a list item, a setext underline.
LINE_START_MARKUP = re.compile(r"^[#+\-=]")
NUMBERED_LIST_MARKER = re.compile(r"^([0-9]{1,9})([.)])(?=\s|$)")
# After a space at the end of a heading line: a closing sequence, which is dropped.
HEADING_CLOSING_HASHES = re.compile(r"(?<= )#(?=#*$)")


def markdown_text(value: object) -> str:
    """``value`` as inline Markdown on one line that renders as exactly that text.

    Only characters that could start markup are escaped, so plain sentences stay
    readable in the raw file.
    """
    text = " ".join(str(value).split())
    text = INLINE_MARKUP.sub(r"\\\g<0>", text)
    text = LINE_START_MARKUP.sub(r"\\\g<0>", text)
    text = NUMBERED_LIST_MARKER.sub(r"\1\\\2", text)
    return HEADING_CLOSING_HASHES.sub(r"\\\g<0>", text)
