"""Jinja extension loaded by cookiecutter (and cruft) while this template renders.

It runs inside the cookiecutter process, so it can do three things the hooks
cannot:

* escape answers for the file they land in (``pystr``, ``tomlstr``, ``mdtext``),
  so a name with quotes, backslashes or unicode still gives files that parse;
* refuse a ``project_slug`` that is not a plain folder name *before* cookiecutter
  creates any directory (the pre-gen hook only runs after the folder exists);
* tell the post-gen hook whether this render is a cruft re-render
  (``cruft update`` / ``cruft diff``), in which the hook must do no git work.
"""

from __future__ import annotations

import re
import sys

from jinja2.ext import Extension

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")

# cruft renders the template from its own modules. Only ``cruft create`` makes a
# project; every other cruft caller (``update`` and ``diff``, through
# ``cruft._commands.utils.generate``) renders into a throw-away directory to
# compute a diff. Unknown cruft modules count as re-renders: skipping git work
# in a real project costs one command, git work in a re-render breaks updates.
CRUFT_PACKAGE = "cruft"
CRUFT_CREATE_MODULE = "cruft._commands.create"


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


def toml_string(value: object) -> str:
    """A TOML basic string for ``value`` (control characters escaped)."""
    parts = []
    for char in str(value):
        if char in '"\\':
            parts.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            parts.append(f"\\u{ord(char):04x}")
        else:
            parts.append(char)
    return '"' + "".join(parts) + '"'


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def markdown_text(value: object) -> str:
    """``value`` as inline Markdown text: one line, no markup, no HTML."""
    one_line = " ".join(str(value).split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


def safe_slug(value: object) -> str:
    """Stop the bake before anything is written when the slug is not a plain name."""
    slug = str(value)
    if not SLUG_PATTERN.fullmatch(slug):
        sys.stderr.write(
            f"freshboot: project_slug {slug!r} is not a plain folder name: use 1-64"
            " lowercase letters, digits or _, starting with a letter"
            " (e.g. --extra-context project_slug=my_app).\n"
        )
        raise SystemExit(1)
    return ""


def render_mode() -> str:
    """``cruft-rerender``, ``cruft-create`` or ``create``, read from the call stack.

    The innermost frame from a cruft module decides; no cruft frame means plain
    cookiecutter (or pytest-cookies). cruft sets no variable or context key that
    marks an update, so the stack is the one reliable witness.
    """
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__") or ""
        if module == CRUFT_PACKAGE or module.startswith(CRUFT_PACKAGE + "."):
            return "cruft-create" if module == CRUFT_CREATE_MODULE else "cruft-rerender"
        frame = frame.f_back
    return "create"


class FreshbootExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["pystr"] = python_string
        environment.filters["tomlstr"] = toml_string
        environment.filters["mdtext"] = markdown_text
        environment.filters["freshboot_safe_slug"] = safe_slug
        environment.globals["freshboot_render_mode"] = render_mode
