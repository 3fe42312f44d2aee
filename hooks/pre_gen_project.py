"""Refuse answers that would give a broken project, with one line saying why.

Answers arrive as JSON data (``tojson``), never as code, so nothing a user types
is executed here. On refusal cookiecutter deletes the folder it just created.
"""

import json
import keyword
import re
import sys
from datetime import datetime

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
VERSION_PATTERN = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
STAMP_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Names the generated project imports itself; a folder with one of these names
# would shadow it whenever the parent folder is on sys.path.
RESERVED_SLUGS = {"app", "app_info", "app_pages", "freshboot", "scripts", "streamlit", "tests"}
MAX_TEXT_LENGTH = 300


def slug_problem(slug):
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        return (
            f"project_slug {slug!r} must be 1-64 lowercase letters, digits or _,"
            " starting with a letter (e.g. my_app)"
        )
    if keyword.iskeyword(slug) or slug in RESERVED_SLUGS:
        return f"project_slug {slug!r} would shadow an import of the app; choose another name"
    return None


def version_problem(version):
    if not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        return (
            f"initial_version {version!r} must be MAJOR.MINOR.PATCH without a v prefix"
            " or leading zeros (e.g. 0.1.0)"
        )
    return None


def bake_time_problem(value):
    try:
        datetime.strptime(value, STAMP_TIME_FORMAT)
    except (TypeError, ValueError):
        return f"bake_time {value!r} must be UTC like 2026-01-31T12:00:00Z; keep the default"
    return None


def text_problem(key, value, *, single_line):
    if not isinstance(value, str):
        return f"{key} must be text"
    if key == "project_name" and not value.strip():
        return "project_name must not be empty"
    if len(value) > MAX_TEXT_LENGTH:
        return f"{key} is {len(value)} characters long; use at most {MAX_TEXT_LENGTH}"
    if single_line and any(char in value for char in "\r\n\t\x00"):
        return f"{key} must be a single line without tabs or control characters"
    return None


def boolean_problem(key, value):
    if not isinstance(value, bool):
        return f"{key} must be yes or no, not {value!r}"
    return None


def problems(answers):
    found = [
        slug_problem(answers.get("project_slug")),
        version_problem(answers.get("initial_version")),
        bake_time_problem(answers.get("bake_time")),
        text_problem("project_name", answers.get("project_name"), single_line=True),
        text_problem("author_name", answers.get("author_name"), single_line=True),
        text_problem("description", answers.get("description"), single_line=False),
        boolean_problem("init_git", answers.get("init_git")),
        boolean_problem("include_docker", answers.get("include_docker")),
    ]
    return [problem for problem in found if problem]


def main():
    found = problems(ANSWERS)
    for problem in found:
        print(f"freshboot: {problem}.", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
