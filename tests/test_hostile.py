"""Hostile answers: each is refused in one line with nothing on disk, or bakes a sound project.

Sound means: every Python file compiles, every TOML, JSON and YAML file parses,
no template syntax is left unrendered, app_info.py holds the answers exactly as
given, ruff passes, and (for one entry per class) the project's own tests pass.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    RERUN_HINT,
    TEMPLATE_DIR,
    assert_lint_clean,
    bake,
    bake_cli,
    generated_files,
    parse_file,
    refusal_reasons,
    run,
)

from freshboot_template.escaping import LINE_LENGTH, display_width, markdown_text, python_string

UNRENDERED = re.compile(r"{{\s*(cookiecutter|freshboot)|{%|{#|cookiecutter\.")
APP_INFO_NAMES = {
    "project_name": "APP_TITLE",
    "description": "APP_DESCRIPTION",
    "author_name": "AUTHOR",
}
TEXT_ANSWERS = tuple(APP_INFO_NAMES)
LONG = ("Long name " * 30)[:299] + "!"  # 300 characters, spaces included
ALL_RENDERED_BY_PYASSIGN = (
    "pyassign" in (TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "app_info.py").read_text()
)


def sound(id_, representative=False, **answers):
    """A corpus entry that must bake; ``representative`` ones also run the project's tests."""
    return pytest.param(answers, representative, id=id_)


# One class per block; the first entry of each block runs the generated tests.
SOUND = [
    sound("double-quotes", True, project_name='Say "Hi"', author_name='"The" Team'),
    sound("triple-quotes", project_name='"""Docstring""" App', description='ends with """'),
    sound("quote-at-end", project_name='Ends with a quote"', author_name='"'),
    sound("apostrophes", True, project_name="Bob's App", author_name="O'Brien"),
    sound("apostrophes-and-quotes", project_name="It's \"a\" test's 'app'"),
    sound("triple-apostrophes", project_name="'''Board'''", description="'''quoted''' text"),
    sound("backslashes", True, project_name="C:\\new\\table", author_name="\\"),
    sound("backslash-at-end", project_name="Ends with \\", description="a \\\\ double"),
    sound("backslash-escapes-as-text", project_name="\\x00 \\n \\u0041 \\N{BULLET} \\t"),
    sound("unicode-latin", True, project_name="Café Ünïcødé Straße", author_name="Zoë Łukasz"),
    sound("unicode-cjk", project_name="日本語のアプリ", description="中文描述。"),
    sound("unicode-greek-cyrillic", project_name="Ελληνικά и русский"),
    sound("unicode-combining-accent", project_name="Cafe\u0301 Noe\u0308l"),
    sound("emoji", True, project_name="🚀 Launch Board", author_name="🙂"),
    sound("emoji-zwj-sequence", project_name="👩‍💻 Dev Corner", description="👨‍👩‍👧 family"),
    sound("emoji-variation-selector", project_name="I ❤️ Charts"),
    sound("emoji-flags", project_name="Sales 🇺🇸🇯🇵"),
    sound("rtl-arabic", True, project_name="مرحبا Dashboard", author_name="فريق"),
    sound("rtl-hebrew", project_name="Board שלום", description="תיאור קצר"),
    sound("rtl-override", project_name="Report \u202etxt.exe\u202c App"),
    sound("rtl-marks", project_name="\u200fMark\u200e App", author_name="\u2067iso\u2069"),
    sound("zero-width-space", True, project_name="Zero\u200bWidth App", author_name="a\u200bb"),
    sound("zero-width-joiner", project_name="Join\u200dMe App"),
    sound("byte-order-mark", project_name="\ufeffBOM App", description="\ufeff"),
    sound("word-joiner", project_name="Word\u2060Joiner App"),
    sound("description-newlines", True, description="Line one\nLine two\n"),
    sound("description-crlf", description="Windows\r\nlines\r\n"),
    sound("description-tabs", description="Col\tCol\tCol"),
    sound("jinja-expression", True, project_name="My {{ app }}", description="{{ 7*7 }}"),
    sound("jinja-undefined", project_name="Board {{ nope }}", author_name="{{ cookiecutter }}"),
    sound("jinja-statement", project_name="Clock {% now 'utc' %}", description="{% if %}"),
    sound("jinja-raw-block", project_name="{% raw %}Raw{% endraw %} App"),
    sound("jinja-comment", project_name="{# note #} Notes", author_name="{#"),
    sound("jinja-code", project_name="Os {{ cycler.__init__.__globals__.os.getcwd() }}"),
    sound("jinja-unbalanced", project_name="Half {{ open", description="close }} %} #}"),
    sound("shell-substitution", True, project_name="App $(echo hi)", author_name="$(id)"),
    sound("shell-backticks", project_name="App `echo hi`", description="`uname -a`"),
    sound("shell-separators", project_name="App; rm -rf ~ && echo | cat", author_name="a & b"),
    sound("shell-variables", project_name="App $HOME ${PATH}", description="%PATH% !x!"),
    sound("leading-dash", True, project_name="-rf App", author_name="-n"),
    sound("spaces-around", True, project_name="  Sales Dashboard ", author_name=" Ann "),
    sound("leading-double-dash", project_name="--help App", description="--version"),
    sound("leading-dash-only-name", project_name="- App", project_slug="dash_app"),
    sound("300-characters", True, project_name=LONG, description=LONG, author_name=LONG),
    sound("300-characters-no-spaces", project_name="x" * 300, description="é" * 300),
    sound("300-characters-wide", project_name="日本" * 150, author_name="🚀" * 300),
    sound(
        "description-90-characters",
        description="Daily sales, returns and stock levels"
        " for every store, refreshed each morning at six.",
    ),
    sound("windows-device-name-as-name", True, project_name="CON", project_slug="con_app"),
    sound(
        "windows-device-names-as-text",
        project_name="NUL",
        project_slug="nul_app",
        description="COM1 LPT9 AUX PRN",
        author_name="con.txt",
    ),
    sound("shadowing-name-with-own-slug", True, project_name="streamlit", project_slug="my_stream"),
    sound("shadowing-name-app", project_name="app", project_slug="my_app"),
]


def refused(id_, message, representative=False, **answers):
    """A corpus entry that must be refused with ``message`` in its one line."""
    return pytest.param(answers, message, representative, id=id_)


SLUG_RULE = "use 1-64 lowercase letters, digits or _, starting with a letter"
VERSION_RULE = "is not MAJOR.MINOR.PATCH; use three numbers without a v prefix or leading zeros"
# "{outside}" stands for a folder next to the output folder, which must stay absent.
REFUSED = [
    refused("slug-parent", SLUG_RULE, True, project_slug="../outside"),
    refused("slug-nested", SLUG_RULE, project_slug="a/b"),
    refused("slug-absolute", SLUG_RULE, project_slug="{outside}"),
    refused("slug-dot", SLUG_RULE, project_slug="."),
    refused("slug-dot-dot", SLUG_RULE, project_slug=".."),
    refused("slug-home", SLUG_RULE, project_slug="~"),
    refused("slug-backslash", SLUG_RULE, project_slug="a\\b"),
    refused("slug-drive", SLUG_RULE, project_slug="C:\\app"),
    refused("slug-uppercase", SLUG_RULE, project_slug="MyApp"),
    refused("slug-leading-digit", SLUG_RULE, project_slug="2048_game"),
    refused("slug-leading-dash", SLUG_RULE, project_slug="-rf"),
    refused("slug-space", SLUG_RULE, project_slug="my app"),
    refused("slug-unicode", SLUG_RULE, project_slug="ñandú"),
    refused("slug-65-characters", SLUG_RULE, project_slug="a" * 65),
    refused("slug-shell", SLUG_RULE, project_slug="$(touch x)"),
    refused("slug-jinja", SLUG_RULE, project_slug="{{ cookiecutter.project_name }}"),
    refused("name-gives-no-slug", "project_slug is empty", True, project_name="🚀🚀"),
    refused("name-gives-digit-slug", SLUG_RULE, project_name="{{ 7*7 }}"),
    refused(
        "shadow-streamlit", "would shadow a module the app imports", True, project_name="streamlit"
    ),
    refused("shadow-app", "would shadow a module the app imports", project_name="App"),
    refused("shadow-tests", "would shadow a module the app imports", project_slug="tests"),
    refused("shadow-freshboot", "would shadow a module the app imports", project_slug="freshboot"),
    refused("keyword", "is a Python keyword", project_name="import"),
    refused("windows-con", "device name Windows cannot use", True, project_name="CON"),
    refused("windows-nul", "device name Windows cannot use", project_slug="nul"),
    refused("windows-com1", "device name Windows cannot use", project_name="COM1"),
    refused("windows-lpt9", "device name Windows cannot use", project_slug="lpt9"),
    refused("windows-aux", "device name Windows cannot use", project_name="Aux"),
    refused("version-two-parts", VERSION_RULE, True, initial_version="1.0"),
    refused("version-v-prefix", VERSION_RULE, initial_version="v1.0.0"),
    refused("version-leading-zero", VERSION_RULE, initial_version="01.2.3"),
    refused("version-leading-zero-minor", VERSION_RULE, initial_version="1.02.3"),
    refused("version-empty", VERSION_RULE, initial_version=""),
    refused("version-trailing-newline", VERSION_RULE, initial_version="1.0.0\n"),
    refused("version-spaces", VERSION_RULE, initial_version=" 1.0.0 "),
    refused("version-pre-release", VERSION_RULE, initial_version="1.0.0-rc1"),
    refused("version-build", VERSION_RULE, initial_version="1.0.0+build"),
    refused("version-four-parts", VERSION_RULE, initial_version="1.0.0.0"),
    refused("version-arabic-digits", VERSION_RULE, initial_version="١.٢.٣"),
    refused("version-shell", VERSION_RULE, initial_version="$(touch x)"),
    refused("name-empty", "project_name is empty", True, project_name="", project_slug="app1"),
    refused("name-spaces", "project_name is empty", project_name="   ", project_slug="app1"),
    refused(
        "name-301-characters", "project_name is 301 characters long", True, project_name=LONG + "!"
    ),
    refused(
        "description-301-characters", "description is 301 characters long", description=LONG + "!"
    ),
    refused("author-301-characters", "author_name is 301 characters long", author_name=LONG + "!"),
    refused("name-newline", "project_name contains '\\n'", True, project_name="Two\nLines"),
    refused("name-carriage-return", "project_name contains '\\r'", project_name="A\rB"),
    refused("name-tab", "project_name contains '\\t'", project_name="Tab\tApp"),
    refused("name-escape", "project_name contains '\\x1b'", project_name="Red\x1b[31m"),
    refused("name-nul", "project_name contains '\\x00'", project_name="Nul\x00App"),
    refused("author-newline", "author_name contains '\\n'", author_name="Ann\nBob"),
    refused("description-bell", "description contains '\\x07'", description="Ding\x07"),
    refused("bake-time-loose", "is not a UTC time like", True, bake_time="2026-1-2T3:4:5Z"),
    refused("bake-time-word", "is not a UTC time like", bake_time="yesterday"),
    refused("bake-time-month-13", "is not a UTC time like", bake_time="2026-13-01T00:00:00Z"),
    refused("bake-time-jinja", "is not a UTC time like", bake_time="{% now 'utc' %}"),
]
DEFAULTS = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8"))
REPRESENTATIVE_SOUND = [entry for entry in SOUND if entry.values[1]]
REPRESENTATIVE_REFUSED = [entry for entry in REFUSED if entry.values[2]]


# --- helpers ----------------------------------------------------------------------


def text_answers(answers: dict) -> dict[str, str]:
    return {key: answers.get(key, DEFAULTS[key]) for key in TEXT_ANSWERS}


def app_info_values(project: Path) -> dict[str, object]:
    """The constants app_info.py assigns, read as Python reads them."""
    tree = ast.parse((project / "app_info.py").read_text(encoding="utf-8"))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            (target,) = node.targets
            values[target.id] = ast.literal_eval(node.value)
    return values


def without_answers(text: str, answers: dict[str, str]) -> str:
    """``text`` minus the answers, as they appear in Python and Markdown files."""
    for value in answers.values():
        for shown in (python_string(value), markdown_text(value), value):
            if shown:
                text = text.replace(shown, "")
    return text


def needs_long_string_layout(answers: dict[str, str]) -> bool:
    return any(
        display_width(f"{APP_INFO_NAMES[key]} = {python_string(value)}") > LINE_LENGTH
        for key, value in answers.items()
    )


def tree_snapshot(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def freshboot_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def baked(tmp_path_factory):
    """Bake each corpus entry once (no git), shared by the checks below."""
    projects = {}

    def bake_once(answers: dict) -> Path:
        key = json.dumps(answers, sort_keys=True)
        if key not in projects:
            output = tmp_path_factory.mktemp("hostile")
            projects[key] = bake(output, init_git=False, **answers)
        return projects[key]

    return bake_once


# --- answers that bake ------------------------------------------------------------


@pytest.mark.parametrize(("answers", "representative"), SOUND)
def test_hostile_answer_bakes_a_sound_project(baked, answers, representative):
    project = baked(answers)
    expected = text_answers(answers)
    assert app_info_values(project) == {
        APP_INFO_NAMES[key]: value for key, value in expected.items()
    }
    for path in generated_files(project):
        text = path.read_text(encoding="utf-8")
        parse_file(path, text)
        leftover = UNRENDERED.search(without_answers(text, expected))
        assert leftover is None, f"unrendered {leftover.group()!r} in {path.name}"


@pytest.mark.parametrize(("answers", "representative"), SOUND)
def test_hostile_answer_bakes_a_lint_clean_project(baked, answers, representative, request):
    if needs_long_string_layout(text_answers(answers)) and not ALL_RENDERED_BY_PYASSIGN:
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="app_info.py must render its constants with the pyassign filter",
            )
        )
    project = baked(answers)
    assert_lint_clean(project)


@pytest.mark.parametrize(("answers", "representative"), REPRESENTATIVE_SOUND)
def test_hostile_answer_project_passes_its_own_tests(baked, answers, representative):
    project = baked(answers)
    done = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project)
    assert re.search(r"\d+ passed", done.stdout)
    assert "failed" not in done.stdout and "error" not in done.stdout


# --- answers that are refused -----------------------------------------------------


def with_outside(answers: dict, outside: Path) -> dict:
    return {key: value.replace("{outside}", str(outside)) for key, value in answers.items()}


@pytest.mark.parametrize(("answers", "message", "representative"), REFUSED)
def test_unsound_answer_is_refused_before_anything_is_written(
    tmp_path, capsys, answers, message, representative
):
    output, outside = tmp_path / "out", tmp_path / "outside"
    output.mkdir()
    before = tree_snapshot(tmp_path)
    with pytest.raises(SystemExit) as refusal:
        bake(output, **with_outside(answers, outside))
    assert refusal.value.code == 1
    lines = refusal_reasons(capsys.readouterr().err)
    assert len(lines) == 1 and lines[0].startswith("freshboot: "), lines
    assert message in lines[0]
    assert tree_snapshot(tmp_path) == before
    assert not outside.exists()


@pytest.mark.parametrize(("answers", "message", "representative"), REPRESENTATIVE_REFUSED)
def test_refusal_on_the_command_line_is_one_line_and_leaves_nothing(
    tmp_path, answers, message, representative
):
    output, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))
    args = [f"{key}={value}" for key, value in with_outside(answers, tmp_path / "x").items()]
    done = bake_cli(output, *args, env=env)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = refusal_reasons(done.stderr)
    assert len(lines) == 1 and lines[0].startswith("freshboot: "), done.stderr
    assert message in lines[0]
    assert list(output.iterdir()) == [] and list(scratch.iterdir()) == []
    assert tree_snapshot(tmp_path) == ["out", "tmp"]


# --- nothing in an answer runs ----------------------------------------------------


def test_shell_commands_in_answers_run_nothing(tmp_path):
    marker = tmp_path / "touched"
    answers = {
        "project_name": f"App $(touch {marker})",
        "description": f"`touch {marker}`; touch {marker} && touch {marker}",
        "author_name": f"$(touch {marker}) `touch {marker}`",
    }
    done = bake_cli(
        tmp_path / "out", "include_docker=yes", *(f"{k}={v}" for k, v in answers.items())
    )
    assert done.returncode == 0, done.stderr
    (project,) = (tmp_path / "out").iterdir()
    assert (project / ".git").is_dir()
    assert app_info_values(project)["APP_TITLE"] == answers["project_name"]
    assert not marker.exists()


def test_template_code_in_answers_is_not_evaluated(tmp_path):
    marker = tmp_path / "evaluated"
    code = f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}"
    done = bake_cli(tmp_path / "baked", f"project_name=Board {code}", f"description={code}")
    assert done.returncode == 0, done.stderr
    (project,) = (tmp_path / "baked").iterdir()
    assert app_info_values(project)["APP_DESCRIPTION"] == code
    refused = [f"project_slug={code}", f"initial_version={code}", f"bake_time={code}"]
    done = bake_cli(tmp_path / "refused", *refused)
    assert done.returncode == 1 and len(refusal_reasons(done.stderr)) == 3, done.stderr
    assert not marker.exists()


def test_typed_answers_stay_literal_too(tmp_path):
    typed = "{{ 7*7 }} Board\nboard\n{% now 'utc' %}\n\n\n\n\n\n\n\n"
    command = [sys.executable, "-m", "cookiecutter", "--default-config", "-o", "out", TEMPLATE_DIR]
    done = subprocess.run(command, cwd=tmp_path, input=typed, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert app_info_values(tmp_path / "out" / "board") == {
        "APP_TITLE": "{{ 7*7 }} Board",
        "APP_DESCRIPTION": "{% now 'utc' %}",
        "AUTHOR": DEFAULTS["author_name"],
    }, done.stdout


def test_answers_that_are_not_utf8_are_refused(tmp_path):
    # Bytes the terminal could not decode reach Python as lone surrogates.
    done = bake_cli(tmp_path / "out", "project_name=Caf\udce9 Board")
    assert done.returncode == 1
    assert refusal_reasons(done.stderr) == [
        "freshboot: project_name is not valid UTF-8 text;"
        " check the terminal's encoding and answer again."
    ]
    assert list((tmp_path / "out").iterdir()) == []


def test_a_refused_bake_gives_the_answers_back_to_run_again(tmp_path):
    name = 'Café "Ops" Board $(x)'
    given = [f"project_name={name}", "initial_version=v1", "include_docker=yes", "init_git=no"]
    done = bake_cli(tmp_path / "refused", *given)
    assert done.returncode == 1
    (reason,) = refusal_reasons(done.stderr)
    assert reason.startswith("freshboot: initial_version 'v1' is not MAJOR.MINOR.PATCH")
    hint = done.stderr.strip().splitlines()[-1].removeprefix(RERUN_HINT)
    arguments = shlex.split(hint)
    assert f"project_name={name}" in arguments and "include_docker=yes" in arguments
    assert not [argument for argument in arguments if argument.startswith("bake_time=")]
    fixed = [argument.replace("=v1", "=0.2.0") for argument in arguments]
    done = bake_cli(tmp_path / "again", *fixed)
    assert done.returncode == 0, done.stderr
    (project,) = (tmp_path / "again").iterdir()
    assert app_info_values(project)["APP_TITLE"] == name
    assert 'DEPLOYMENT_VERSION = "0.2.0"' in (project / "app.py").read_text(encoding="utf-8")
    assert (project / "Dockerfile").is_file() and not (project / ".git").exists()


# --- faults -----------------------------------------------------------------------


def test_existing_project_folder_is_refused_and_kept(tmp_path):
    assert bake_cli(tmp_path, "init_git=no").returncode == 0
    notes = tmp_path / "streamlit_app" / "notes.txt"
    notes.write_text("mine")
    done = bake_cli(tmp_path, "init_git=no")
    assert done.returncode == 1
    assert "streamlit_app" in done.stdout and "already exists" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert notes.read_text() == "mine"


@pytest.mark.parametrize(
    ("no", "yes"), [("off", "YES"), ("NO", " 1 "), ("false", "on"), ("0", "y")]
)
def test_boolean_spellings_cookiecutter_accepts(tmp_path, no, yes):
    project = bake(tmp_path, init_git=no, include_docker=yes)
    assert not (project / ".git").exists()
    assert (project / "Dockerfile").is_file()


def test_boolean_as_an_odd_string_is_refused_by_cookiecutter(tmp_path):
    # cookiecutter converts yes/no answers before the template's code runs, and
    # ends with its own traceback; its last line names the answer.
    done = bake_cli(tmp_path / "out", "init_git=maybe")
    assert done.returncode == 1
    assert freshboot_lines(done.stderr)[-1] == (
        "ValueError: maybe provided for variable init_git could not be converted to a boolean."
    )
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("value", [None, 2, 0.5], ids=repr)
def test_boolean_of_another_type_is_refused(tmp_path, capsys, value):
    with pytest.raises(SystemExit):
        bake(tmp_path / "out", include_docker=value)
    (line,) = refusal_reasons(capsys.readouterr().err)
    assert line.startswith("freshboot: include_docker must be yes or no")
    assert "include_docker=yes or include_docker=no" in line
    assert list((tmp_path / "out").iterdir()) == []
