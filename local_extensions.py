"""Jinja extension loaded by cookiecutter (and cruft) while this template renders.

It runs inside the cookiecutter process, so it can do four things the hooks
cannot:

* keep answers literal: cookiecutter renders an answer given with ``--no-input``
  or extra context as a Jinja template, so ``{{ 7*7 }}`` would become ``49``
  and a crafted answer could run code; here it stays the text that was typed;
* escape answers for the file they land in (``pystr``, ``pyassign``,
  ``tomlstr``, ``mdtext``), so a name with quotes, backslashes or unicode still
  gives files that parse and pass ``ruff``;
* refuse unsound answers *before* cookiecutter creates any directory, with one
  line each and no traceback (a failing pre-gen hook leaves cookiecutter's
  traceback on screen, and runs only after the project folder exists);
* tell the post-gen hook whether this render is a cruft re-render
  (``cruft update`` / ``cruft diff``), in which the hook must do no git work.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

from jinja2.ext import Extension

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


LINE_LENGTH = 100  # the generated pyproject.toml's ruff line-length
INDENT = "    "


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


# --- answers ------------------------------------------------------------------

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
VERSION_PATTERN = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
STAMP_TIME_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
STAMP_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Modules the generated project imports itself: a folder of the same name
# shadows them whenever its parent folder is on sys.path.
SHADOWING_SLUGS = frozenset(
    {"app", "app_info", "app_pages", "freshboot", "scripts", "streamlit", "tests"}
)
# Windows refuses these as file or folder names.
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{number}" for number in range(1, 10)}
    | {f"lpt{number}" for number in range(1, 10)}
)
MAX_TEXT_LENGTH = 300
# Text answers, and whether line breaks and tabs may appear in them.
TEXT_ANSWERS = {"project_name": False, "description": True, "author_name": False}
BOOLEAN_ANSWERS = ("init_git", "include_docker")


def shown(value: object) -> str:
    """``value`` quoted for a message, cut short when long."""
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:40])[:-1] + "…" + repr(value)[-1]
    return repr(value)


def slug_problem(slug: object) -> str | None:
    rule = "use 1-64 lowercase letters, digits or _, starting with a letter, e.g. project_slug=app1"
    if slug == "":
        return f"project_slug is empty: project_name has no letters to make it from; {rule}"
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        return f"project_slug {shown(slug)} is not a plain folder name; {rule}"
    if keyword.iskeyword(slug):
        why = "is a Python keyword"
    elif slug in SHADOWING_SLUGS:
        why = "would shadow a module the app imports"
    elif slug in WINDOWS_DEVICE_NAMES:
        why = "is a device name Windows cannot use for a folder"
    else:
        return None
    return f"project_slug {slug!r} {why}; choose another, e.g. project_slug=my_{slug}"


def version_problem(version: object) -> str | None:
    if isinstance(version, str) and VERSION_PATTERN.fullmatch(version):
        return None
    return (
        f"initial_version {shown(version)} is not MAJOR.MINOR.PATCH; use three numbers"
        " without a v prefix or leading zeros, e.g. initial_version=0.1.0"
    )


def bake_time_problem(value: object) -> str | None:
    if isinstance(value, str) and STAMP_TIME_PATTERN.fullmatch(value):
        try:
            datetime.strptime(value, STAMP_TIME_FORMAT)
        except ValueError:
            pass
        else:
            return None
    return (
        f"bake_time {shown(value)} is not a UTC time like 2026-01-31T12:00:00Z;"
        " leave bake_time out to get the current time"
    )


def text_problem(key: str, value: object, multiline: bool) -> str | None:
    if not isinstance(value, str):
        return f"{key} must be text, not {shown(value)}; give it as a string"
    if key == "project_name" and not value.strip():
        return 'project_name is empty; give the app a name, e.g. project_name="Sales Dashboard"'
    if len(value) > MAX_TEXT_LENGTH:
        return f"{key} is {len(value)} characters long; shorten it to {MAX_TEXT_LENGTH} or fewer"
    allowed = "\n\r\t" if multiline else ""
    for char in value:
        if unicodedata.category(char) == "Cs":
            return f"{key} is not valid UTF-8 text; check the terminal's encoding and answer again"
        if unicodedata.category(char) == "Cc" and char not in allowed:
            what = "control characters" if multiline else "line breaks, tabs or control characters"
            return f"{key} contains {char!r}; give it without {what}"
    return None


def boolean_problem(key: str, value: object) -> str | None:
    if isinstance(value, bool):
        return None
    return f"{key} must be yes or no, not {shown(value)}; answer {key}=yes or {key}=no"


def answer_problems(answers: dict) -> list[str]:
    """One sentence per answer that would give a broken project (none when all are sound)."""
    found = [
        text_problem(key, answers.get(key), multiline) for key, multiline in TEXT_ANSWERS.items()
    ]
    found.append(slug_problem(answers.get("project_slug")))
    found.append(version_problem(answers.get("initial_version")))
    found += [boolean_problem(key, answers.get(key)) for key in BOOLEAN_ANSWERS]
    found.append(bake_time_problem(answers.get("bake_time")))
    return [problem for problem in found if problem]


def problems_to_report(answers: dict) -> list[str]:
    """``answer_problems``, except in a cruft re-render: the project exists already."""
    return [] if render_mode() == "cruft-rerender" else answer_problems(answers)


def refuse_unsound_answers(answers: dict) -> str:
    """Stop the bake before anything is written, one line per unsound answer."""
    problems = problems_to_report(answers)
    for problem in problems:
        sys.stderr.write(f"freshboot: {problem}.\n")
    if problems:
        raise SystemExit(1)
    return ""


# --- answers stay literal -----------------------------------------------------

# Templates that render as the character itself: "{" starts every Jinja tag, and
# Jinja turns a carriage return in plain text into a newline.
LITERAL_CHARACTERS = str.maketrans({"{": '{{ "{" }}', "\r": '{{ "\\r" }}'})


def answer_being_rendered(source: str) -> bool:
    """Whether cookiecutter is rendering ``source`` as an answer, not as a template default.

    cookiecutter renders every value through Jinja, the answers given with
    ``--no-input``, extra context or a user config included. An answer is a value
    that differs from the default cookiecutter.json gives its key; the key and
    that file's path are locals of cookiecutter's (or cruft's) functions on the
    stack, the same witness ``render_mode`` uses.
    """
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_name != "render_variable":
        frame = frame.f_back
    if frame is None or frame.f_globals.get("__name__") != "cookiecutter.prompt":
        return False  # a file, a path or a hook: the template's own text
    key, context_file = None, Path(__file__).with_name("cookiecutter.json")
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
        environment.filters["pyassign"] = python_assignment
        environment.filters["tomlstr"] = toml_string
        environment.filters["mdtext"] = markdown_text
        environment.filters["freshboot_refuse_unsound_answers"] = refuse_unsound_answers
        environment.filters["freshboot_answer_problems"] = problems_to_report
        environment.globals["freshboot_render_mode"] = render_mode

    def preprocess(self, source, name, filename=None):
        if ("{" in source or "\r" in source) and name is None and answer_being_rendered(source):
            return source.translate(LITERAL_CHARACTERS)
        return source
