"""Answers stay the text that was typed, never a Jinja template.

cookiecutter renders every value through Jinja, the answers given with
``--no-input``, extra context or a user config included, so ``{{ 7*7 }}`` would
become ``49`` and a crafted answer could run code. The extension's
``preprocess`` hands each source to ``keep_answer_literal`` before Jinja reads it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
# Templates that render as the character itself: "{" starts every Jinja tag, and
# Jinja turns a carriage return in plain text into a newline.
LITERAL_CHARACTERS = str.maketrans({"{": '{{ "{" }}', "\r": '{{ "\\r" }}'})


def keep_answer_literal(source: str, name: str | None) -> str:
    """``source`` as Jinja should read it: unchanged, or, for an answer, as literal text."""
    if ("{" in source or "\r" in source) and name is None and answer_being_rendered(source):
        return source.translate(LITERAL_CHARACTERS)
    return source


def answer_being_rendered(source: str) -> bool:
    """Whether cookiecutter is rendering ``source`` as an answer, not as a template default.

    An answer is a value that differs from the default cookiecutter.json gives its
    key; the key and that file's path are locals of cookiecutter's (or cruft's)
    functions on the stack, the same witness ``render_mode`` uses.
    """
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_name != "render_variable":
        frame = frame.f_back
    if frame is None or frame.f_globals.get("__name__") != "cookiecutter.prompt":
        return False  # a file, a path or a hook: the template's own text
    key, context_file = None, TEMPLATE_ROOT / "cookiecutter.json"
    while frame is not None:
        if key is None and frame.f_code.co_name == "prompt_for_config":
            key = frame.f_locals.get("key")
        if "context_file" in frame.f_locals:
            context_file = Path(frame.f_locals["context_file"])
            break
        frame = frame.f_back
    try:
        defaults = json.loads(context_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return source != defaults.get(key)
