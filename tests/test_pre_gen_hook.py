"""Answer rules (freshboot_template.answers), pyassign layout, the pre-gen hook as backstop.

The rules run in-process here; test_hostile.py bakes with them end to end.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime, timedelta

import pytest
from helpers import TEMPLATE_DIR, bake_cli, refusal_reasons, run

from freshboot_template.answers import answer_problems
from freshboot_template.escaping import python_assignment

FORMAT = "%Y-%m-%dT%H:%M:%SZ"
SOUND_ANSWERS = {
    "project_name": "Streamlit App",
    "project_slug": "streamlit_app",
    "description": "A Streamlit app.",
    "author_name": "",
    "initial_version": "0.1.0",
    "init_git": True,
    "include_docker": False,
    "include_kubernetes": False,
    "dependency_manager": "pip",
    "bake_time": "2026-01-31T12:00:00Z",
}


def problems_with(**changes):
    return answer_problems({**SOUND_ANSWERS, **changes})


def test_sound_answers_have_no_problems():
    assert answer_problems(SOUND_ANSWERS) == []


@pytest.mark.parametrize("version", ["0.0.0", "0.1.0", "1.2.3", "10.20.30", "2026.1.0"])
def test_accepted_versions(version):
    assert problems_with(initial_version=version) == []


@pytest.mark.parametrize(
    "version",
    ["1.0", "v1.0.0", "01.2.3", "1.2.03", "", "1.0.0\n", "1.0.0-rc1", "1.0.0+b1", "1.0.0.0",
     "١.٢.٣", "1.0.x", None, 1],
)  # fmt: skip
def test_refused_versions_name_the_accepted_form(version):
    (problem,) = problems_with(initial_version=version)
    assert "is not MAJOR.MINOR.PATCH" in problem and "e.g. initial_version=0.1.0" in problem


@pytest.mark.parametrize("slug", ["a", "app1", "my_app", "con_app", "x" * 64, "none", "match"])
def test_accepted_slugs(slug):
    assert problems_with(project_slug=slug) == []


@pytest.mark.parametrize(
    ("slug", "why"),
    [
        ("../x", "is not a plain folder name"),
        ("/tmp/x", "is not a plain folder name"),
        ("x" * 65, "is not a plain folder name"),
        ("", "project_slug is empty"),
        ("class", "is a Python keyword"),
        ("app_pages", "would shadow a module the app imports"),
        ("com9", "is a device name Windows cannot use for a folder"),
        ("prn", "is a device name Windows cannot use for a folder"),
    ],
)
def test_refused_slugs_say_why(slug, why):
    (problem,) = problems_with(project_slug=slug)
    assert why in problem


def test_a_long_value_is_shown_cut_short():
    (problem,) = problems_with(project_slug="../" * 200)
    assert len(problem) < 200 and "…" in problem


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("project_name", "x" * 300),
        ("description", "Line one\nLine two\r\n\tindented"),
        ("author_name", ""),
        ("author_name", "Zoë \u200b\u202e 🚀"),
    ],
)
def test_accepted_text(key, value):
    assert problems_with(**{key: value}) == []


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("project_name", "x" * 301, "project_name is 301 characters long; shorten it to 300"),
        ("project_name", " \t", "project_name is empty"),
        ("project_name", "a\nb", "project_name contains '\\n'; give it without line breaks"),
        ("author_name", "a\x85b", "author_name contains '\\x85'"),
        ("description", "a\x00b", "description contains '\\x00'; give it without control"),
        ("description", "caf\udce9", "description is not valid UTF-8 text"),
        ("author_name", 7, "author_name must be text, not 7"),
        ("init_git", "yes", "init_git must be yes or no, not 'yes'"),
        ("bake_time", "2026-02-30T00:00:00Z", "bake_time '2026-02-30T00:00:00Z' is not a UTC"),
    ],
)
def test_refused_text_says_what_and_what_to_do(key, value, problem):
    (found,) = problems_with(**{key: value})
    assert found.startswith(problem)


def test_a_bake_time_in_the_future_is_refused_beyond_the_minute_of_clock_skew():
    now = datetime.now(UTC).replace(microsecond=0)
    for seconds in (-86400, 0, 50):
        assert problems_with(bake_time=(now + timedelta(seconds=seconds)).strftime(FORMAT)) == []
    future = (now + timedelta(seconds=120)).strftime(FORMAT)
    (problem,) = problems_with(bake_time=future)
    assert problem.startswith(f"bake_time {future} is in the future")
    assert "leave bake_time out" in problem


def test_a_bake_with_a_future_bake_time_stops_with_one_line(tmp_path):
    done = bake_cli(tmp_path, "bake_time=2999-01-01T00:00:00Z")
    assert done.returncode != 0
    assert refusal_reasons(done.stderr) == [
        "freshboot: bake_time 2999-01-01T00:00:00Z is in the future (the project's bump.py"
        " check would fail until then); leave bake_time out to get the current time."
    ]
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


# --- pyassign: long answers stay ruff-clean ------------------------------------------------

LAYOUT_VALUES = [
    "Short",
    "x" * 85,  # fits after a short name only
    "y " * 47,  # fits inside parentheses only
    ("Long name " * 30)[:300],
    "z" * 300,  # no space to break after
    "mixed \"double\" and 'single' quotes " * 6,
    "backslash \\ and tab\t and newline\n " * 6,
    "日本語" * 40,
    "🚀 launch " * 30,
    "e\u0301" * 120,
    "\u200b\u202e" * 60,
]


def test_pyassign_keeps_the_value_and_matches_ruff_format(tmp_path, default_project):
    names = ["X", "APP_TITLE", "APP_DESCRIPTION"]
    assignments = [
        (f"{name}_{index}", value) for index, value in enumerate(LAYOUT_VALUES) for name in names
    ]
    source = "\n".join(python_assignment(value, name) for name, value in assignments) + "\n"
    namespace = {}
    exec(source, namespace)
    assert [namespace[name] for name, _ in assignments] == [value for _, value in assignments]
    shutil.copy(default_project / "pyproject.toml", tmp_path)
    (tmp_path / "constants.py").write_text(source, encoding="utf-8")
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "constants.py"], cwd=tmp_path)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], cwd=tmp_path)


def test_pyassign_uses_one_line_parentheses_or_parts_as_length_requires():
    assert python_assignment("Short", "A") == 'A = "Short"'
    assert python_assignment("y " * 47, "APP_DESCRIPTION").splitlines()[1:] == [
        '    "' + "y " * 47 + '"',
        ")",
    ]
    parts = python_assignment(("Long name " * 30)[:300], "A").splitlines()[1:-1]
    assert len(parts) == 4 and all(part.endswith(' "') for part in parts[:-1])


# --- the pre-gen hook: a backstop for bakes that skip the prompt step -------------


def replay_file(tmp_path, **changes):
    answers = {**SOUND_ANSWERS, **changes}
    answers.update(__answers_checked="", _extensions=["local_extensions.FreshbootExtension"])
    path = tmp_path / "replay.json"
    path.write_text(json.dumps({"cookiecutter": answers}), encoding="utf-8")
    return path


def test_hook_refuses_replayed_answers_and_removes_what_was_made(tmp_path):
    replay = replay_file(tmp_path, project_slug="../escaped", initial_version="v1")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))
    command = [sys.executable, "-m", "cookiecutter", "--default-config", "--replay-file", replay]
    done = run([*command, "-o", tmp_path / "out", TEMPLATE_DIR], cwd=tmp_path, env=env, check=False)
    assert done.returncode == 1
    ours = [line for line in done.stderr.splitlines() if line.startswith("freshboot: ")]
    assert len(ours) == 2
    assert "project_slug '../escaped' is not a plain folder name" in ours[0]
    assert "initial_version 'v1' is not MAJOR.MINOR.PATCH" in ours[1]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "replay.json", "tmp"]
    assert list((tmp_path / "out").iterdir()) == [] and list(scratch.iterdir()) == []


def test_hooks_leave_no_rendered_copy_with_the_answers_behind(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))
    done = bake_cli(tmp_path / "out", "author_name=Secret Agent", env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "streamlit_app" / "app.py").is_file()
    assert list(scratch.iterdir()) == []
