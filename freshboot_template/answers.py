"""Checks of the answers, made before cookiecutter writes anything.

cookiecutter renders ``__answers_checked`` in cookiecutter.json while it asks
for the answers, before it creates any directory, and that render calls
``refuse_unsound_answers``: each unsound answer gets one line and the bake stops
with no traceback. A failing pre-gen hook would leave cookiecutter's traceback
on screen, and runs only once the project folder exists; the hook repeats the
check for bakes that skip this one (``problems_to_report``).
"""

from __future__ import annotations

import keyword
import re
import shlex
import sys
import unicodedata
from datetime import UTC, datetime, timedelta

from freshboot_template.render_mode import render_mode

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
VERSION_PATTERN = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
STAMP_TIME_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
STAMP_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# How far a stamp may be ahead of the clock: the allowance of the project's freshboot/stamps.py.
CLOCK_SKEW = timedelta(seconds=60)
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
BOOLEAN_ANSWERS = ("init_git", "include_docker", "include_kubernetes")
# Answers that are one of a few words, and those words.
CHOICE_ANSWERS = {"dependency_manager": ("pip", "uv")}


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


def bake_time_problem(value: object, now: datetime | None = None) -> str | None:
    """Why ``value`` cannot be the first stamp time; a time ahead of ``now`` (the clock)
    by more than the skew the project allows would fail its own ``bump.py check``."""
    leave_it_out = "leave bake_time out to get the current time"
    if isinstance(value, str) and STAMP_TIME_PATTERN.fullmatch(value):
        try:
            when = datetime.strptime(value, STAMP_TIME_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            pass
        else:
            if when <= (now or datetime.now(UTC)) + CLOCK_SKEW:
                return None
            return (
                f"bake_time {value} is in the future (the project's bump.py check would fail"
                f" until then); {leave_it_out}"
            )
    return f"bake_time {shown(value)} is not a UTC time like 2026-01-31T12:00:00Z; {leave_it_out}"


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


def choice_problem(key: str, value: object, choices: tuple[str, ...]) -> str | None:
    if value in choices:
        return None
    options = " or ".join(f"{key}={choice}" for choice in choices)
    return f"{key} must be one of {', '.join(choices)}, not {shown(value)}; answer {options}"


def answer_problems(answers: dict) -> list[str]:
    """One sentence per answer that would give a broken project (none when all are sound)."""
    found = [
        text_problem(key, answers.get(key), multiline) for key, multiline in TEXT_ANSWERS.items()
    ]
    found.append(slug_problem(answers.get("project_slug")))
    found.append(version_problem(answers.get("initial_version")))
    found += [boolean_problem(key, answers.get(key)) for key in BOOLEAN_ANSWERS]
    found += [
        choice_problem(key, answers.get(key, choices[0]), choices)
        for key, choices in CHOICE_ANSWERS.items()
    ]
    found.append(bake_time_problem(answers.get("bake_time")))
    return [problem for problem in found if problem]


def problems_to_report(answers: dict) -> list[str]:
    """``answer_problems``, except in a cruft re-render: the project exists already."""
    return [] if render_mode() == "cruft-rerender" else answer_problems(answers)


def answers_as_arguments(answers: dict) -> str:
    """The answers as ``key=value`` command-line arguments, quoted for a POSIX shell.

    One line: an answer holding a line break or other control character cannot be
    given back on it, so it is named as left out. ``bake_time`` is left out too (its
    default is the time of the bake), and so are cookiecutter's own keys.
    """
    arguments, left_out = [], []
    for key, value in answers.items():
        if key.startswith("_") or key == "bake_time":
            continue
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        if any(unicodedata.category(char) == "Cc" for char in text):
            left_out.append(key)
        else:
            arguments.append(shlex.quote(f"{key}={text}"))
    if left_out:
        arguments.append(f"(left out, as they hold line breaks or tabs: {', '.join(left_out)})")
    return " ".join(arguments)


def refuse_unsound_answers(answers: dict) -> str:
    """Stop the bake before anything is written, one line per unsound answer.

    The last line gives every answer back as arguments, so the user fixes the
    refused one instead of typing them all again.
    """
    problems = problems_to_report(answers)
    for problem in problems:
        sys.stderr.write(f"freshboot: {problem}.\n")
    if problems:
        sys.stderr.write(
            "freshboot: nothing was written. To keep your answers, run the same cookiecutter"
            " command again with --no-input and these, the refused ones fixed: "
            f"{answers_as_arguments(answers)}\n"
        )
        raise SystemExit(1)
    return ""
