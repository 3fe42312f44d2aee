"""Living with cruft: create, diff, check and update with real cruft and real git.

Each lifecycle commits a copy of this template to a temporary git repository
(release 0.1.0), makes a project with ``cruft create``, bumps it and edits it
as an app author would, releases a template 0.2.0 and runs ``cruft update -y``.
Every cruft command runs with its own empty TMPDIR (inspected afterwards) and
with git's trace2 log, which names every git command run underneath it.

Lifecycles run once per module and record what tests assert on, so tests never
depend on one another's order.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import TEMPLATE_DIR, run, tomllib
from packaging.version import Version

from freshboot_template.render_mode import render_mode

pytestmark = pytest.mark.slow

CRUFT = [sys.executable, "-m", "cruft"]
OLDEST_CRUFT = "2.15.0"  # the lower end of the range projects pin
BAKE_TIME = "2026-01-02T03:04:05Z"
PROJECT_NAME = 'Café "Ops" Board'
SLUG = "cafe_ops_board"
NOT_TEMPLATE = {".git", "__pycache__", ".ruff_cache", ".pytest_cache"}
# Git commands the hook runs to make a repository; cruft itself runs none of them.
GIT_WRITES = {"init", "add", "commit", "tag", "push"}
CONFLICT_MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)
STAMPED = ("app.py", "requirements.txt", ".streamlit/config.toml")
# cookiecutter leaves each rendered hook in TMPDIR (cookiecutter issue 886); both
# hooks remove their own copy, so every TMPDIR must end up empty.

REPORTS_PAGE = '''"""Reports: a page the app author added."""

import streamlit as st

st.title("Reports", anchor=False)
st.write("Numbers go here.")
'''
REPORTS_ENTRY = '    st.Page("app_pages/reports.py", title="Reports", icon=":material/table:"),\n'
NEW_TEMPLATE_FILE = "template_release.py"
NEW_TEMPLATE_FILE_TEXT = '''"""Which template release made this project. Template-owned."""

TEMPLATE_RELEASE = "0.2.0"
PROJECT_NAME = {{ cookiecutter.project_name | pystr }}
'''
HELPER_ADDITION = '\n\ndef template_release() -> str:\n    return "0.2.0"\n'
# An author's own formatting: it must never reach the template's code.
OWNER_RUFF_STYLE = "line-length = 60\nindent-width = 2\n"
TEMPLATE_CODE = ("freshboot/", "scripts/", "tests/freshboot/", "serve.py")


# --- running commands -------------------------------------------------------------


@dataclass
class Ran:
    """One command: its result, the git commands it ran and what it left in its TMPDIR."""

    returncode: int
    stdout: str
    stderr: str
    git_commands: list[str]
    tmp_leftovers: list[str]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_traced(args, cwd: Path, scratch: Path) -> Ran:
    """Run ``args`` with an empty TMPDIR and git's trace2 event log, both under ``scratch``."""
    scratch.mkdir(parents=True)
    tmp, trace = scratch / "tmp", scratch / "git-trace.json"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), GIT_TRACE2_EVENT=str(trace))
    done = run(args, cwd=cwd, env=env, check=False)
    events = [json.loads(line) for line in trace.read_text().splitlines()] if trace.exists() else []
    return Ran(
        returncode=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        git_commands=[event["name"] for event in events if event["event"] == "cmd_name"],
        tmp_leftovers=sorted(str(path.relative_to(tmp)) for path in tmp.rglob("*")),
    )


def git(repo: Path, *args: str) -> str:
    return run(["git", *args], cwd=repo).stdout.strip()


def snapshot(project: Path) -> dict[str, tuple[bytes, bool]]:
    """Every file outside .git: its bytes and whether it is executable."""
    files = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if path.is_file() and ".git" not in relative.parts:
            files[relative.as_posix()] = (path.read_bytes(), os.access(path, os.X_OK))
    return files


def nested_git_folders(project: Path) -> list[str]:
    return sorted(path.relative_to(project).as_posix() for path in project.rglob(".git"))


def leftovers_of_merges(project: Path) -> list[str]:
    """``.rej``/``.orig`` files and files holding conflict markers."""
    found = []
    for name, (data, _) in snapshot(project).items():
        if name.endswith((".rej", ".orig")):
            found.append(name)
        elif CONFLICT_MARKER.search(data.decode("utf-8", errors="replace")):
            found.append(f"{name} (conflict markers)")
    return found


def stamp_lines(project: Path) -> dict[str, str]:
    """The stamp line of each stamped file."""
    lines = {}
    for name in STAMPED:
        text = (project / name).read_text(encoding="utf-8")
        prefix = "DEPLOYMENT_VERSION" if name == "app.py" else "# freshboot:"
        lines[name] = next(line for line in text.splitlines() if line.startswith(prefix))
    return lines


def changed_files(diff: str) -> set[str]:
    return set(re.findall(r"^\+\+\+ upstream-template-new/(\S+)$", diff, re.MULTILINE))


# --- the template's releases -------------------------------------------------------


def template_paths() -> list[str]:
    """The template's files as a clone would have them, plus files not committed yet."""
    listed = git(TEMPLATE_DIR, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    paths = []
    for name in listed.split("\0"):
        if name and (TEMPLATE_DIR / name).is_file() and not NOT_TEMPLATE & set(Path(name).parts):
            paths.append(name)
    return paths


def release_template_v1(repo: Path) -> str:
    """Commit this template, as it is on disk, to a new repository; tag it v0.1.0."""
    for name in template_paths():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE_DIR / name, target)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "Template 0.1.0")
    git(repo, "tag", "v0.1.0")
    return git(repo, "rev-parse", "HEAD")


def release_template_v2(repo: Path) -> str:
    """A template release of each kind: requirement floor, template modules, CI, a new file."""
    project = repo / "{{cookiecutter.project_slug}}"
    requirements = project / "requirements.txt"
    text = requirements.read_text(encoding="utf-8")
    floor = re.search(r"^streamlit>=(\S+)$", text, re.MULTILINE)
    assert floor, "requirements.txt of the template has no streamlit>= line"
    old = Version(floor[1])
    raised = f"streamlit>={old.major}.{old.minor + 1}"
    requirements.write_text(text.replace(floor[0], raised), encoding="utf-8")

    for module in ("freshboot/health_page.py", "freshboot/markdown.py"):
        path = project / module
        path.write_text(
            "# Maintained by the template: changes arrive with cruft update.\n"
            + path.read_text(encoding="utf-8")
            + HELPER_ADDITION,
            encoding="utf-8",
        )
    for workflow in sorted((project / ".github" / "workflows").glob("*.yml")):
        with workflow.open("a", encoding="utf-8") as file:
            file.write("# template 0.2.0\n")
    (project / NEW_TEMPLATE_FILE).write_text(NEW_TEMPLATE_FILE_TEXT, encoding="utf-8")

    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "Template 0.2.0")
    git(repo, "tag", "v0.2.0")
    return raised


# --- the app author's work ----------------------------------------------------------


def author_edits(project: Path) -> None:
    """A new page, and a line for it in app.py's navigation."""
    (project / "app_pages" / "reports.py").write_text(REPORTS_PAGE, encoding="utf-8")
    app = project / "app.py"
    lines = app.read_text(encoding="utf-8").splitlines(keepends=True)
    home = next(i for i, line in enumerate(lines) if '"app_pages/home.py"' in line)
    lines.insert(home + 1, REPORTS_ENTRY)
    app.write_text("".join(lines), encoding="utf-8")


def owner_reformats(project: Path) -> list[str]:
    """The author's own style in pyproject.toml, then ``ruff format .``; the files it changed."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert "line-length = 100\n" in text
    pyproject.write_text(text.replace("line-length = 100\n", OWNER_RUFF_STYLE, 1), encoding="utf-8")
    before = snapshot(project)
    run([sys.executable, "-m", "ruff", "format", "--no-cache", "."], cwd=project)
    after = snapshot(project)
    return sorted(name for name in after if after[name] != before.get(name))


def cli_value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def bump(project: Path, part: str, with_git: bool) -> None:
    commit = ["--commit"] if with_git else []
    run([sys.executable, "scripts/bump.py", part, *commit], cwd=project)


# --- lifecycles ---------------------------------------------------------------------


@dataclass
class Created:
    """A project right after ``cruft create``, and a cookiecutter bake of the same release."""

    options: dict
    with_git: bool
    template: Path
    v1_commit: str
    project: Path
    create: Ran
    files: dict = field(default_factory=dict)
    baked_files: dict = field(default_factory=dict)
    tracked: list[str] = field(default_factory=list)
    baked_tracked: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)
    git_folders: list[str] = field(default_factory=list)
    diff: Ran | None = None
    check: Ran | None = None


@dataclass
class Updated:
    """The same project after bumps, author edits, template 0.2.0 and ``cruft update -y``."""

    created: Created
    raised_floor: str
    stamps_before: dict
    app_before: str
    head_before: str | None
    check_before: Ran
    update: Ran
    stamps_after: dict
    app_after: str
    head_after: str | None
    status_after: str
    leftovers: list[str]
    nested_git: list[str]
    cruft_state: dict
    stamps_check: subprocess.CompletedProcess
    reformatted: list[str]
    diff_after: Ran | None = None
    check_after: Ran | None = None


SCENARIOS = {"defaults": {}, "init_git-off": {"init_git": False}}


@pytest.fixture(scope="module", params=list(SCENARIOS), ids=list(SCENARIOS))
def created(request, tmp_path_factory) -> Created:
    options = SCENARIOS[request.param]
    with_git = options.get("init_git", True)
    work = tmp_path_factory.mktemp(f"cruft-{request.param}")
    template = work / "template"
    template.mkdir()
    v1_commit = release_template_v1(template)
    answers = {"project_name": PROJECT_NAME, "bake_time": BAKE_TIME, **options}

    create = run_traced(
        [
            *CRUFT,
            "create",
            "--no-input",
            "--default-config",
            "--checkout",
            "v0.1.0",
            "--output-dir",
            work / "created",
            "--extra-context",
            json.dumps(answers),
            template,
        ],
        cwd=work,
        scratch=work / "run-create",
    )
    assert create.returncode == 0, create.output
    project = work / "created" / SLUG
    result = Created(options, with_git, template, v1_commit, project, create)
    result.files = snapshot(project)
    result.git_folders = nested_git_folders(project)

    baked = work / "baked"
    cli_answers = [f"{key}={cli_value(value)}" for key, value in answers.items()]
    cookiecutter = [sys.executable, "-m", "cookiecutter", "--no-input", "--default-config"]
    run([*cookiecutter, "-o", baked, template, *cli_answers], cwd=work)
    result.baked_files = snapshot(baked / SLUG)
    if with_git:
        result.tracked = git(project, "ls-files").splitlines()
        result.baked_tracked = git(baked / SLUG, "ls-files").splitlines()
        result.untracked = git(project, "ls-files", "--others", "--exclude-standard").splitlines()

    result.diff = run_traced(
        [*CRUFT, "diff", "--exit-code"], cwd=project, scratch=work / "run-diff-fresh"
    )
    result.check = run_traced([*CRUFT, "check"], cwd=project, scratch=work / "run-check-fresh")
    return result


@pytest.fixture(scope="module")
def updated(created: Created) -> Updated:
    project, with_git, work = created.project, created.with_git, created.project.parent.parent
    if with_git:
        git(project, "add", ".cruft.json")
        git(project, "commit", "--quiet", "-m", "Record cruft state")
    for part in ("patch", "patch", "minor", "patch"):
        bump(project, part, with_git)
    author_edits(project)
    reformatted = owner_reformats(project)
    if with_git:
        git(project, "add", "--all")
        git(project, "commit", "--quiet", "-m", "Reports page, in the author's style")
    bump(project, "patch", with_git)

    raised = release_template_v2(created.template)
    stamps_before = stamp_lines(project)
    app_before = (project / "app.py").read_text(encoding="utf-8")
    head_before = git(project, "rev-parse", "HEAD") if with_git else None
    check_before = run_traced([*CRUFT, "check"], cwd=project, scratch=work / "run-check-before")
    update = run_traced([*CRUFT, "update", "-y"], cwd=project, scratch=work / "run-update")

    head_after = git(project, "rev-parse", "HEAD") if with_git else None
    status_after = git(project, "status", "--porcelain") if with_git else ""
    result = Updated(
        created=created,
        raised_floor=raised,
        stamps_before=stamps_before,
        app_before=app_before,
        head_before=head_before,
        check_before=check_before,
        update=update,
        stamps_after=stamp_lines(project),
        app_after=(project / "app.py").read_text(encoding="utf-8"),
        head_after=head_after,
        status_after=status_after,
        leftovers=leftovers_of_merges(project),
        nested_git=nested_git_folders(project),
        cruft_state=json.loads((project / ".cruft.json").read_text(encoding="utf-8")),
        stamps_check=run([sys.executable, "scripts/bump.py", "check"], cwd=project, check=False),
        reformatted=reformatted,
    )
    if with_git:
        git(project, "add", "--all")
        git(project, "commit", "--quiet", "-m", "Template 0.2.0 via cruft update")
    result.diff_after = run_traced([*CRUFT, "diff"], cwd=project, scratch=work / "run-diff-after")
    result.check_after = run_traced(
        [*CRUFT, "check"], cwd=project, scratch=work / "run-check-after"
    )
    return result


# --- after cruft create ---------------------------------------------------------------


def test_cruft_create_gives_the_project_cookiecutter_bakes(created):
    files = dict(created.files)
    cruft_state = files.pop(".cruft.json")
    assert files == created.baked_files
    state = json.loads(cruft_state[0])
    assert state["commit"] == created.v1_commit
    assert state["checkout"] == "v0.1.0"
    assert state["context"]["cookiecutter"]["bake_time"] == BAKE_TIME


def test_cruft_create_leaves_nothing_in_the_temporary_folder(created):
    assert created.create.tmp_leftovers == []


def test_cruft_create_makes_the_repository_and_says_to_commit_cruft_json(created):
    hook_lines = [line for line in created.create.stdout.splitlines() if "freshboot:" in line]
    if not created.with_git:
        assert created.git_folders == []
        assert hook_lines == []
        return
    assert created.git_folders == [".git"]
    assert {"init", "commit"} <= set(created.create.git_commands)
    assert created.tracked == created.baked_tracked
    assert created.untracked == [".cruft.json"]
    assert len(hook_lines) == 1
    assert "git add .cruft.json && git commit" in hook_lines[0]


def test_pyproject_tells_cruft_to_skip_git_folders(created):
    pyproject = tomllib.loads(created.files["pyproject.toml"][0].decode("utf-8"))
    assert ".git" in pyproject["tool"]["cruft"]["skip"]


def test_cruft_diff_shows_nothing_for_a_fresh_project(created):
    assert created.diff.returncode == 0, created.diff.output
    assert created.diff.stdout == ""
    assert not GIT_WRITES & set(created.diff.git_commands)
    assert created.diff.tmp_leftovers == []


def test_cruft_check_passes_for_a_fresh_project(created):
    assert created.check.returncode == 0, created.check.output
    assert "SUCCESS" in created.check.stdout


# --- after a template release and cruft update -y ------------------------------------


def test_cruft_check_fails_once_the_template_has_a_new_release(updated):
    assert updated.check_before.returncode == 1
    assert "out of date" in updated.check_before.stdout


def test_update_succeeds_without_rejected_hunks_or_conflict_markers(updated):
    assert updated.update.returncode == 0, updated.update.output
    assert "Good work" in updated.update.stdout
    assert "Failed to apply" not in updated.update.output
    assert updated.leftovers == []


def test_update_brings_every_kind_of_template_change(updated):
    project = updated.created.project
    requirements = (project / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert updated.raised_floor in requirements
    for module in ("freshboot/health_page.py", "freshboot/markdown.py"):
        text = (project / module).read_text(encoding="utf-8")
        assert text.startswith("# Maintained by the template")
        assert text.endswith(HELPER_ADDITION)
    new_file = (project / NEW_TEMPLATE_FILE).read_text(encoding="utf-8")
    name_line = new_file.splitlines()[-1]
    assert ast.literal_eval(name_line.removeprefix("PROJECT_NAME = ")) == PROJECT_NAME
    for workflow in sorted((project / ".github" / "workflows").glob("*.yml")):
        assert workflow.read_text(encoding="utf-8").endswith("# template 0.2.0\n")


def test_update_keeps_the_stamps_the_bake_time_and_the_authors_edits(updated):
    assert updated.stamps_after == updated.stamps_before
    assert updated.stamps_after["app.py"] == 'DEPLOYMENT_VERSION = "0.2.2"'
    assert updated.stamps_check.returncode == 0, updated.stamps_check.stdout
    assert updated.app_after == updated.app_before
    assert '"app_pages/reports.py"' in updated.app_after  # in the author's own style
    reports = updated.created.project / "app_pages" / "reports.py"
    assert reports.read_text(encoding="utf-8") == REPORTS_PAGE
    assert updated.cruft_state["context"]["cookiecutter"]["bake_time"] == BAKE_TIME


def test_update_makes_no_repository_and_no_commit(updated):
    assert updated.nested_git == ([".git"] if updated.created.with_git else [])
    assert not GIT_WRITES & set(updated.update.git_commands)
    assert updated.update.tmp_leftovers == []
    if updated.created.with_git:
        assert updated.head_after == updated.head_before
        assert updated.status_after != ""


def test_the_authors_formatting_never_touches_the_templates_code(updated):
    assert "app.py" in updated.reformatted
    assert not [name for name in updated.reformatted if name.startswith(TEMPLATE_CODE)]
    # ... so the release's changes to freshboot/ modules applied: see the tests above.
    project = updated.created.project
    assert "indent-width = 2" in (project / "pyproject.toml").read_text(encoding="utf-8")
    assert (project / "app.py").read_text(encoding="utf-8") == updated.app_before


def test_update_records_the_new_release(updated):
    template_head = git(updated.created.template, "rev-parse", "HEAD")
    assert updated.cruft_state["commit"] == template_head


def test_after_the_update_only_project_owned_files_differ_from_the_template(updated):
    assert updated.diff_after.returncode == 0, updated.diff_after.output
    changed = changed_files(updated.diff_after.stdout)
    assert set(STAMPED) <= changed, changed
    # The author's style reaches only their own files (and the settings that hold it).
    assert changed - set(STAMPED) <= {*updated.reformatted, "pyproject.toml"}
    assert not [name for name in changed if name.startswith(TEMPLATE_CODE)]
    assert not GIT_WRITES & set(updated.diff_after.git_commands)
    assert updated.diff_after.tmp_leftovers == []


def test_cruft_check_passes_once_the_update_is_committed(updated):
    assert updated.check_after.returncode == 0, updated.check_after.output
    if updated.created.with_git:
        assert git(updated.created.project, "status", "--porcelain") == ""


# --- how the hook knows it runs inside cruft ------------------------------------------


def render_mode_called_from(module_name: str) -> str:
    """Call ``render_mode`` from code whose module is ``module_name``, as cruft's code would."""
    namespace = {"__name__": module_name, "render_mode": render_mode}
    exec("def caller():\n    return render_mode()\n", namespace)
    return namespace["caller"]()


@pytest.mark.parametrize(
    ("module_name", "mode"),
    [
        ("cookiecutter.generate", "create"),
        ("cruft._commands.create", "cruft-create"),
        ("cruft._commands.utils.generate", "cruft-rerender"),
        ("cruft._commands.diff", "cruft-rerender"),
        ("cruft._commands.some_future_command", "cruft-rerender"),
        ("cruftier", "create"),
    ],
)
def test_render_mode_is_read_from_the_innermost_cruft_frame(module_name, mode):
    assert render_mode_called_from(module_name) == mode


# --- the cruft releases projects pin -------------------------------------------------


def pinned_cruft_range() -> str:
    requirements = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "requirements-dev.txt"
    lines = requirements.read_text(encoding="utf-8").splitlines()
    return next(line.split("#")[0].strip() for line in lines if line.startswith("cruft"))


def test_the_template_tests_the_newest_cruft_projects_pin():
    from importlib import metadata

    from packaging.requirements import Requirement

    pinned = Requirement(pinned_cruft_range()).specifier
    installed = metadata.version("cruft")
    assert installed in pinned, (installed, pinned)
    assert f"{Version(installed).major}.{Version(installed).minor + 1}.0" not in pinned
    assert OLDEST_CRUFT in pinned and "2.14.0" not in pinned


def test_the_oldest_cruft_projects_pin_updates_without_git_work(tmp_path):
    """cruft 2.15 (the other end of the pinned range): create, a release, update."""
    cruft_home = tmp_path / "cruft-oldest"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--target",
            cruft_home,
            f"cruft=={OLDEST_CRUFT}",
        ],
        cwd=tmp_path,
    )
    env = dict(os.environ, PYTHONPATH=str(cruft_home))
    version = run([sys.executable, "-c", "import cruft; print(cruft.__version__)"], tmp_path, env)
    assert version.stdout.strip() == OLDEST_CRUFT
    template = tmp_path / "template"
    template.mkdir()
    release_template_v1(template)
    answers = json.dumps({"bake_time": BAKE_TIME})
    create = [*CRUFT, "create", "--no-input", "--default-config", "--output-dir", tmp_path]
    created = run([*create, "--extra-context", answers, template], cwd=tmp_path, env=env)
    assert "git add .cruft.json" in created.stdout  # the hook knew it ran under cruft create
    project = tmp_path / "streamlit_app"
    git(project, "add", ".cruft.json")
    git(project, "commit", "--quiet", "-m", "Record cruft state")
    release_template_v2(template)
    update = run([*CRUFT, "update", "-y"], cwd=project, env=env)
    assert "Good work" in update.stdout
    assert leftovers_of_merges(project) == []
    assert nested_git_folders(project) == [".git"]
    text = (project / "freshboot" / "markdown.py").read_text(encoding="utf-8")
    assert text.endswith(HELPER_ADDITION)


# --- what the generated README warns about ----------------------------------------------


@pytest.mark.parametrize("with_git", [True, False], ids=["conflict-markers", "rej-files"])
def test_cruft_reports_success_even_when_an_edit_clashes_with_the_template(tmp_path, with_git):
    """Why the README says to look for .rej files and conflict markers after every update."""
    template = tmp_path / "template"
    template.mkdir()
    release_template_v1(template)
    answers = {"bake_time": BAKE_TIME, "init_git": with_git}
    create = [*CRUFT, "create", "--no-input", "--default-config", "--output-dir", tmp_path]
    run([*create, "--extra-context", json.dumps(answers), template], cwd=tmp_path)
    project = tmp_path / "streamlit_app"
    helper = project / "freshboot" / "markdown.py"
    helper.write_text("# The author's note on line 1.\n" + helper.read_text(encoding="utf-8"))
    if with_git:
        git(project, "add", "--all")
        git(project, "commit", "--quiet", "-m", "Note")
    release_template_v2(template)

    update = run([*CRUFT, "update", "-y"], cwd=project)

    assert "Good work" in update.stdout
    expected = "freshboot/markdown.py" + ("" if with_git else ".rej")
    found = leftovers_of_merges(project)
    assert found == [expected + (" (conflict markers)" if with_git else "")]
    assert run([*CRUFT, "check"], cwd=project).returncode == 0
