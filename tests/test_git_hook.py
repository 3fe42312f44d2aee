"""The post-gen hook's git step, with real git: made, skipped, or explained."""

from __future__ import annotations

import os

import pytest
from helpers import bake, bake_cli, git_output, run


def env_without_identity(home):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_AUTHOR", "GIT_COMMITTER", "EMAIL"))
    }
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return env


def test_default_bake_is_one_clean_commit_on_main(default_project):
    assert git_output(default_project, "branch", "--show-current") == "main"
    assert git_output(default_project, "rev-list", "--count", "HEAD") == "1"
    assert git_output(default_project, "status", "--porcelain") == ""
    tracked = git_output(default_project, "ls-files").splitlines()
    assert "app.py" in tracked and ".streamlit/config.toml" in tracked
    assert git_output(default_project, "remote") == ""


def test_init_git_off_makes_no_repository(tmp_path):
    project = bake(tmp_path, init_git=False)
    assert not (project / ".git").exists()


def test_skip_git_environment_variable_is_honoured(tmp_path):
    env = dict(os.environ, FRESHBOOT_SKIP_GIT="1")
    done = bake_cli(tmp_path, env=env, check=True)
    assert not (tmp_path / "streamlit_app" / ".git").exists()
    assert "FRESHBOOT_SKIP_GIT=1" in done.stdout


def test_missing_git_is_explained_and_the_bake_succeeds(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = dict(os.environ, PATH=str(empty_bin))
    done = bake_cli(tmp_path / "out", env=env)
    assert done.returncode == 0, done.stderr
    assert "git was not found" in done.stdout
    assert "git init -b main" in done.stdout
    assert (tmp_path / "out" / "streamlit_app" / "app.py").is_file()
    assert not (tmp_path / "out" / "streamlit_app" / ".git").exists()


def test_missing_identity_leaves_a_repository_and_says_how_to_commit(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    done = bake_cli(tmp_path / "out", env=env_without_identity(home))
    assert done.returncode == 0, done.stderr
    project = tmp_path / "out" / "streamlit_app"
    assert "git config --global user.name" in done.stdout
    assert (project / ".git").is_dir()
    assert run(["git", "rev-parse", "HEAD"], cwd=project, check=False).returncode != 0


def test_bake_inside_an_existing_repository_makes_no_nested_repository(tmp_path):
    outer = tmp_path / "monorepo"
    outer.mkdir()
    run(["git", "init", "-q"], cwd=outer)
    done = bake_cli(outer / "apps")
    assert done.returncode == 0, done.stderr
    assert "inside an existing git work tree" in done.stdout
    assert not (outer / "apps" / "streamlit_app" / ".git").exists()
    assert git_output(outer, "status", "--porcelain", "--untracked-files=all") != ""


def test_hook_output_is_one_line_per_skipped_step(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    done = bake_cli(tmp_path / "out", env=dict(os.environ, PATH=str(empty_bin)))
    hook_lines = [line for line in done.stdout.splitlines() if line.startswith("freshboot:")]
    assert len(hook_lines) == 1
    assert "Traceback" not in done.stdout + done.stderr


def hook_lines(done) -> list[str]:
    return [line for line in done.stdout.splitlines() if line.startswith("freshboot:")]


@pytest.mark.parametrize("flags", [["-f"], ["-f", "-s"]], ids=["overwrite", "skip-existing"])
def test_rebake_over_a_project_with_history_does_no_git_work(tmp_path, flags):
    bake_cli(tmp_path, check=True)
    project = tmp_path / "streamlit_app"
    home = project / "app_pages/home.py"
    home.write_text(home.read_text() + "\n# the user's own work\n")
    run(["git", "commit", "-q", "-am", "The user's work"], cwd=project)
    (project / "notes.txt").write_text("not for git\n")
    head = git_output(project, "rev-parse", "HEAD")
    done = bake_cli(tmp_path, *flags)
    assert done.returncode == 0, done.stderr
    [line] = hook_lines(done)
    assert "already has a git repository, so no git work was done" in line
    assert git_output(project, "rev-parse", "HEAD") == head
    assert "?? notes.txt" in git_output(project, "status", "--porcelain").splitlines()


def test_nothing_to_commit_is_named_as_such(tmp_path):
    ignore_all = tmp_path / "ignore-all"
    ignore_all.write_text("*\n")
    env = dict(
        os.environ,
        GIT_CONFIG_COUNT="1",
        GIT_CONFIG_KEY_0="core.excludesFile",
        GIT_CONFIG_VALUE_0=str(ignore_all),
    )
    done = bake_cli(tmp_path / "out", env=env)
    assert done.returncode == 0, done.stderr
    [line] = hook_lines(done)
    assert "found nothing to commit" in line and "identity" not in line
