# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Hostile files read by the public report: nothing leaks, nothing hangs, nothing renders.

/api/health answers anyone, so whatever requirements.txt, the files it includes
and .git hold must reach the report redacted, bounded and as literal text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from freshboot.gitinfo import git_commit
from freshboot.markdown import escape
from freshboot.report import build_report, format_report
from freshboot.requirements import check_requirements
from test_health import health_page

WORD_JOINER = "\u2060"  # invisible; escape() puts it inside would-be autolinks
needs_symlinks = pytest.mark.skipif(os.name == "nt", reason="symlinks need extra rights on Windows")


def shown_on_page(at: AppTest) -> str:
    elements = (*at.markdown, *at.caption, *at.success, *at.info, *at.error, *at.warning)
    return "\n".join(str(element.value) for element in (*elements, *at.metric, *at.json))


def add_lines(root: Path, text: str) -> None:
    with (root / "requirements.txt").open("a", encoding="utf-8", newline="") as requirements:
        requirements.write(text)


def everything_shown(root: Path) -> str:
    """The report as /api/health, `bump.py status` and the /health page show it."""
    report = build_report(root)
    return json.dumps(report) + format_report(report) + shown_on_page(health_page(root))


# --- credentials ---------------------------------------------------------------

# Each a line split by a backslash continuation, as pip joins it: with nothing between.
CONTINUED = {
    "pkg-a @ https://host.invalid/a-1.0-py3-none-any.whl\\\n?sig=SECRET1\n": (
        "pkg-a @ https://host.invalid/a-1.0-py3-none-any.whl?***"
    ),
    "pkg-b @ git+https://user:\\\nSECRET2@git.invalid/org/b.git\n": (
        "pkg-b @ git+https://***@git.invalid/org/b.git"
    ),
    "pkg-c @ https://user:SEC\\\nRET3@host.invalid/c.whl ; python_version >= '3'\n": (
        'pkg-c @ https://***@host.invalid/c.whl ; python_version >= "3"'
    ),
    "pkg-d @ https://host.invalid/d.whl?token=SE\\\\\\\nCRET4\n": (
        "pkg-d @ https://host.invalid/d.whl?***"
    ),
}


def test_a_url_split_by_a_continuation_is_joined_as_pip_joins_it_then_redacted():
    rows = check_requirements("".join(CONTINUED))
    assert [row["requirement"] for row in rows] == list(CONTINUED.values())
    # One requirement per continued line, numbered by its first line; each is
    # a valid requirement (pip reads it so), not installed here.
    assert [row["line"] for row in rows] == [1, 3, 5, 7]
    assert {row["status"] for row in rows} == {"missing"}
    assert "SECRET" not in json.dumps(rows)


def test_a_comment_ends_a_continuation_and_is_dropped_as_pip_drops_it():
    rows = check_requirements(
        "pkg-e @ https://host.invalid/e.whl?a=SECRET5 \\\n# a comment ends it\npackaging>=1\n"
    )
    assert [(row["line"], row["requirement"]) for row in rows] == [
        (1, "pkg-e @ https://host.invalid/e.whl?***"),
        (3, "packaging>=1"),
    ]


@pytest.mark.requirements_txt
def test_credentials_split_by_a_continuation_never_reach_the_report(project_copy):
    add_lines(project_copy, "".join(CONTINUED))
    # Indented continuations: pip keeps the spaces, so these lines are not
    # valid requirements; what follows the URL is still never shown.
    add_lines(project_copy, "pkg-f @ https://user:\\\n    SECRET6@host.invalid/f.whl\n")
    add_lines(project_copy, "pkg-g @ https://host.invalid/g.whl?sig=\\\n    SECRET7\n")
    add_lines(project_copy, "pkg-h @ https://host.invalid/h.whl\u00a0?sig=SECRET8\n")
    add_lines(project_copy, "-e git+https://user:\\\n    SECRET9@git.invalid/org/e.git\n")
    shown = everything_shown(project_copy)
    assert "host.invalid" in shown and "pkg-f" in shown and "pkg-h" in shown
    assert "SECRET" not in shown


@pytest.mark.requirements_txt
def test_index_and_find_links_lines_never_show_their_credentials(project_copy):
    add_lines(
        project_copy,
        "--index-url https://user:SECRET1@pypi.invalid/simple\n"
        "-i https://SECRET2@pypi.invalid/simple\n"
        "--extra-index-url=https://user:SECRET3@pypi.invalid/simple\n"
        "--find-links https://host.invalid/wheels?token=SECRET4\n"
        "-f https://user:SECRET5@host.invalid/wheels\n"
        "-r https://user:SECRET6@host.invalid/more-requirements.txt\n"
        "pkg-i==1.0 --index-url https://user:SECRET7@pypi.invalid/simple\n"
        "pkg-j==1.0 -i https://user:SECRET8@pypi.invalid/simple\n"
        "pkg-k @ user:SECRET9@host.invalid/k.whl\n"
        "pkg-l @ host.invalid/l.whl?sig=SECRET10\n"
        "-e user:SECRET11@host.invalid/e\n"
        "pkg-n ; python_version == 'https://user:SECRET12@host.invalid'\n"
        "pkg-o @ https://host.invalid/o.whl ; python_version == 'user:SECRET13@host'\n",
    )
    shown = everything_shown(project_copy)
    assert "pkg-i" in shown and "pkg-k" in shown and "pkg-l" in shown and "pkg-o" in shown
    assert "SECRET" not in shown


@pytest.mark.requirements_txt
def test_an_invalid_line_shows_nothing_after_its_url_and_its_detail_no_copy(project_copy):
    add_lines(
        project_copy,
        "pkg-m @ https://host.invalid/m.whl SECRET1\n"
        "pkg-n @ https://host.invalid/n.whl ; os_name == 'x' SECRET2\n"
        "pkg-o (>=1 https://host.invalid/o.whl?sig=SECRET3\n",
    )
    report = build_report(project_copy)
    invalid = [row for row in report["drift"] if row["status"] == "invalid"]
    assert [row["requirement"] for row in invalid] == [
        "pkg-m @ https://host.invalid/m.whl ***",
        "pkg-n @ https://host.invalid/n.whl ***",
        "pkg-o (>=1 https://host.invalid/o.whl?***",
    ]
    assert all(row["detail"].startswith("Expected ") for row in invalid)
    assert "SECRET" not in json.dumps(report)


@needs_symlinks
@pytest.mark.requirements_txt
def test_requirements_txt_linking_out_of_the_project_is_not_read(project_copy):
    outside = project_copy.parent / "outside.txt"
    outside.write_text("outside-only-package==1.0\n", encoding="utf-8")
    (project_copy / "requirements.txt").unlink()
    (project_copy / "requirements.txt").symlink_to(outside)
    rows = check_requirements(project_copy / "requirements.txt")
    assert [row["detail"] for row in rows] == [
        "requirements.txt cannot be read (a link to a file outside the project folder)"
    ]
    assert "outside-only-package" not in json.dumps(rows)


@needs_symlinks
@pytest.mark.requirements_txt
def test_a_linked_requirements_txt_includes_files_relative_to_the_project_as_pip_does(
    project_copy,
):
    (project_copy / "requirements").mkdir()
    (project_copy / "requirements" / "prod.txt").write_text("-r base.txt\n", encoding="utf-8")
    (project_copy / "base.txt").write_text("packaging>=1\n", encoding="utf-8")
    (project_copy / "requirements.txt").unlink()
    (project_copy / "requirements.txt").symlink_to(Path("requirements") / "prod.txt")
    rows = check_requirements(project_copy / "requirements.txt")
    assert [(row["file"], row["requirement"], row["status"]) for row in rows] == [
        ("base.txt", "packaging>=1", "ok")
    ]


# --- .git ----------------------------------------------------------------------

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OUTSIDE_TEXT = "OUTSIDE-FILE-CONTENT"


def make_git_dir(folder: Path, head: str = "ref: refs/heads/main\n") -> Path:
    """A .git folder as git lays it out, with ``head`` as its HEAD and one branch, main."""
    (folder / "objects").mkdir(parents=True)
    (folder / "refs" / "heads").mkdir(parents=True)
    (folder / "HEAD").write_text(head, encoding="utf-8")
    (folder / "refs" / "heads" / "main").write_text(COMMIT + "\n", encoding="utf-8")
    return folder


def test_a_well_formed_repository_gives_its_commit_and_branch(tmp_path):
    make_git_dir(tmp_path / ".git")
    assert git_commit(tmp_path) == {"commit": COMMIT, "branch": "main"}
    (tmp_path / ".git" / "HEAD").write_text("a" * 64 + "\n", encoding="utf-8")
    assert git_commit(tmp_path) == {"commit": "a" * 64, "branch": None}


def test_head_pointing_outside_the_git_folder_gives_no_commit(project_copy):
    (project_copy.parent / "hostname").write_text(OUTSIDE_TEXT + "\n", encoding="utf-8")
    git_dir = project_copy / ".git"
    if git_dir.exists():
        shutil.rmtree(git_dir)
    make_git_dir(git_dir, head="ref: ../../hostname\n")
    assert build_report(project_copy)["git"] is None
    assert OUTSIDE_TEXT not in everything_shown(project_copy)
    for head in (
        "ref: refs/heads/../../../hostname\n",
        "ref: refs/heads/main/../../../../hostname\n",
        f"ref: {project_copy.parent / 'hostname'}\n",
        "ref: refs/heads/\x1b[31mred\n",
        f"{OUTSIDE_TEXT}\n",
    ):
        (git_dir / "HEAD").write_text(head, encoding="utf-8")
        assert git_commit(project_copy) is None, head


@needs_symlinks
def test_a_ref_that_is_not_a_commit_id_or_leaves_the_git_folder_gives_no_commit(tmp_path):
    git_dir = make_git_dir(tmp_path / ".git")
    main = git_dir / "refs" / "heads" / "main"
    main.write_text(OUTSIDE_TEXT + "\n", encoding="utf-8")
    assert git_commit(tmp_path) == {"commit": None, "branch": "main"}
    outside = tmp_path.parent / "outside-ref"
    outside.write_text(COMMIT + "\n", encoding="utf-8")
    main.unlink()
    main.symlink_to(outside)
    assert git_commit(tmp_path) == {"commit": None, "branch": "main"}
    main.unlink()
    (git_dir / "packed-refs").write_text(
        f"# pack-refs with: peeled fully-peeled sorted\n{OUTSIDE_TEXT} refs/heads/main\n",
        encoding="utf-8",
    )
    assert git_commit(tmp_path) == {"commit": None, "branch": "main"}


def test_a_gitdir_or_commondir_naming_a_folder_that_is_no_repository_gives_no_commit(tmp_path):
    odd = tmp_path / "odd"
    (odd / "refs" / "heads").mkdir(parents=True)
    (odd / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (odd / "refs" / "heads" / "main").write_text(COMMIT + "\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    for target in (odd, tmp_path / "missing", Path("/")):
        (project / ".git").write_text(f"gitdir: {target}\n", encoding="utf-8")
        assert git_commit(project) is None, target
    # A worktree's git folder names the shared one in commondir.
    worktree = tmp_path / "main" / "worktrees" / "wt"
    worktree.mkdir(parents=True)
    (worktree / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (project / ".git").write_text(f"gitdir: {worktree}\n", encoding="utf-8")
    for commondir in ("../../../odd", "/", "../../../missing"):
        (worktree / "commondir").write_text(commondir + "\n", encoding="utf-8")
        assert git_commit(project) is None, commondir
    make_git_dir(tmp_path / "main", head="ref: refs/heads/main\n")
    (worktree / "commondir").write_text("../..\n", encoding="utf-8")
    assert git_commit(project) == {"commit": COMMIT, "branch": "main"}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_real_repositories_worktrees_and_packed_refs_give_their_commit(tmp_path):
    def git(*args: str, cwd: Path = tmp_path / "repo") -> str:
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Tests",
            "GIT_AUTHOR_EMAIL": "tests@example.invalid",
            "GIT_COMMITTER_NAME": "Tests",
            "GIT_COMMITTER_EMAIL": "tests@example.invalid",
        }
        done = subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main")
    git("commit", "-q", "--allow-empty", "-m", "first")
    head = git("rev-parse", "HEAD")
    assert git_commit(repo) == {"commit": head, "branch": "main"}
    git("pack-refs", "--all")
    assert git_commit(repo) == {"commit": head, "branch": "main"}
    git("worktree", "add", "-q", "-b", "feature/x", str(tmp_path / "wt"))
    assert git_commit(tmp_path / "wt") == {"commit": head, "branch": "feature/x"}
    git("checkout", "-q", "--detach")
    assert git_commit(repo) == {"commit": head, "branch": None}


# --- files that are no regular files ---------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")


def within_seconds(seconds: float, function, fifo: Path | None = None):
    """``function()``, failing when it is not done in ``seconds`` (a read blocked on ``fifo``)."""
    results = []
    worker = threading.Thread(target=lambda: results.append(function()), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        if fifo is not None:  # let the blocked read see an end, so the thread ends
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"still reading after {seconds} s")
    return results[0]


@needs_fifo
@pytest.mark.requirements_txt
def test_a_fifo_named_by_dash_r_is_not_read_and_nothing_hangs(project_copy):
    os.mkfifo(project_copy / "pipe.txt")
    add_lines(project_copy, "-r pipe.txt\n")
    requirements = project_copy / "requirements.txt"
    rows = within_seconds(10, lambda: check_requirements(requirements), project_copy / "pipe.txt")
    (row,) = [row for row in rows if row["requirement"] == "-r pipe.txt"]
    assert row["status"] == "invalid"
    assert row["detail"] == "pipe.txt cannot be read (not a regular file)"


@needs_fifo
def test_a_fifo_as_requirements_txt_is_not_read_and_nothing_hangs(tmp_path):
    os.mkfifo(tmp_path / "requirements.txt")
    rows = within_seconds(
        10, lambda: check_requirements(tmp_path / "requirements.txt"), tmp_path / "requirements.txt"
    )
    assert [row["detail"] for row in rows] == [
        "requirements.txt cannot be read (not a regular file)"
    ]


@needs_fifo
def test_a_fifo_as_a_git_file_is_not_read_and_nothing_hangs(tmp_path):
    git_dir = make_git_dir(tmp_path / ".git")
    main, packed, head = git_dir / "refs/heads/main", git_dir / "packed-refs", git_dir / "HEAD"

    def replace_by_a_fifo(path: Path) -> None:
        if path.exists():
            path.unlink()
        os.mkfifo(path)

    # The branch as a loose ref, then in packed-refs (the loose one gone), then HEAD.
    for fifo in (main, packed, head):
        replace_by_a_fifo(fifo)
        assert within_seconds(10, lambda: git_commit(tmp_path), fifo) is None
        fifo.unlink()
    shutil.rmtree(git_dir)
    os.mkfifo(tmp_path / ".git")
    assert within_seconds(10, lambda: git_commit(tmp_path), tmp_path / ".git") is None


@pytest.mark.requirements_txt
def test_a_folder_or_a_huge_file_named_by_dash_r_is_not_read(project_copy):
    (project_copy / "folder.txt").mkdir()
    (project_copy / "huge.txt").write_text("# a comment line\n" * 400_000, encoding="utf-8")
    add_lines(project_copy, "-r folder.txt\n-r huge.txt\n")
    rows = within_seconds(10, lambda: check_requirements(project_copy / "requirements.txt"))
    details = {row["requirement"]: row["detail"] for row in rows}
    assert details["-r folder.txt"] == "folder.txt cannot be read (not a regular file)"
    assert details["-r huge.txt"] == "huge.txt cannot be read (larger than 4096 KiB)"


# --- literal text on the page ------------------------------------------------------

MARKUP = [
    "pkg @ https://host.invalid/p.whl",
    "HTTP://host.invalid www.host.invalid WWW.host.invalid ops@host.invalid mailto:a@b.invalid",
    "![image](http://127.0.0.1:1/pixel.png) [link](https://host.invalid) <img src=x>",
    ":material/warning: :red[red] $x^2$ **bold** `code` ~~gone~~ | cell | &amp; # heading",
]


@pytest.mark.parametrize("text", MARKUP)
def test_escaped_text_holds_no_markup_and_nothing_an_autolink_could_start(text):
    # What Streamlit's frontend looks for autolinks in: the text after escapes.
    rendered = re.sub(r"\\(.)", r"\1", escape(text))
    assert not re.search(r"(?i)https?:|www\.|[\w.+-]@", rendered)
    assert rendered.replace(WORD_JOINER, "") == text
    assert re.fullmatch(r"(\\[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~])*", escape(text))


# --- literal text in a terminal ------------------------------------------------------


def test_visible_shows_control_characters_as_escapes_and_keeps_newlines():
    from freshboot.literal import visible

    text = "a\x1b[2Jb\x1b]0;title\x07c\rd\te\x00f\x7fg\x9bh\u202ei\n"
    assert visible(text) == "a\\x1b[2Jb\\x1b]0;title\\x07c\\rd\\te\\x00f\\x7fg\\x9bh\\u202ei\n"
    assert visible("plain: café, 日本, ok\nline two") == "plain: café, 日本, ok\nline two"


# --- cache buttons -------------------------------------------------------------------

LOCAL_HEADERS = {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}
PROXY_HEADER_NAMES = [
    "Forwarded",
    "Via",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Forwarded-Port",
    "X-Forwarded-Server",
    "X-Forwarded-Prefix",
    "X-Real-Ip",
    "X-Client-Ip",
    "X-Cluster-Client-Ip",
    "True-Client-Ip",
    "Cf-Connecting-Ip",
    "Cf-Ray",
    "Cdn-Loop",
    "Fastly-Client-Ip",
    "X-Original-Forwarded-For",
    "X-Envoy-External-Address",
    "x-amzn-trace-id",
]


@pytest.mark.parametrize("header", PROXY_HEADER_NAMES)
def test_any_proxy_header_means_the_request_is_not_local(header):
    from freshboot.cache_tools import locality_problem

    problem = locality_problem("127.0.0.1", None, {**LOCAL_HEADERS, header: "203.0.113.7"})
    assert problem is not None and "came through a proxy" in problem


@pytest.mark.parametrize(
    ("client", "headers"),
    [
        ("203.0.113.7", LOCAL_HEADERS),
        ("10.0.0.2", LOCAL_HEADERS),
        (None, {"Host": "app.example.invalid", "Origin": "http://127.0.0.1:8501"}),
        (None, {"Host": "192.0.2.1:8501"}),
        (None, {"Host": "127.0.0.1:8501", "Origin": "https://evil.example.invalid"}),
        (None, {"Host": "127.0.0.1:8501", "Origin": "null"}),
    ],
)
def test_a_client_or_a_name_beyond_loopback_means_the_request_is_not_local(client, headers):
    from freshboot.cache_tools import locality_problem

    assert locality_problem("127.0.0.1", client, headers) is not None


@pytest.mark.parametrize(
    ("address", "client", "headers"),
    [
        ("127.0.0.1", None, LOCAL_HEADERS),
        ("localhost", "127.0.0.2", {"Host": "localhost:8501"}),
        ("::1", "::1", {"Host": "[::1]:8501", "Origin": "http://[::1]:8501"}),
        ("127.0.0.1", "::ffff:127.0.0.1", {}),
    ],
)
def test_a_loopback_request_to_a_loopback_server_is_local(address, client, headers):
    from freshboot.cache_tools import locality_problem

    assert locality_problem(address, client, headers) is None


@needs_fifo
@pytest.mark.parametrize("name", ["app.py", ".streamlit/config.toml", ".python-version"])
def test_a_fifo_as_a_stamped_or_pinned_file_is_not_read_and_nothing_hangs(project_copy, name):
    path = project_copy / name
    path.unlink()
    os.mkfifo(path)
    report = within_seconds(10, lambda: build_report(project_copy), path)
    check = within_seconds(
        30,
        lambda: subprocess.run(
            [sys.executable, "scripts/bump.py", "check"],
            cwd=project_copy,
            capture_output=True,
            text=True,
        ),
        path,
    )
    if name == ".python-version":  # an unreadable pin is no pin: nothing to compare
        assert report["python"]["pinned"] is None and check.returncode == 0, check.stderr
        return
    assert f"{name}: cannot be read (not a regular file)" in report["stamp_problems"]
    assert report["verdict"] == "unknown"
    assert check.returncode == 1 and "not a regular file" in check.stderr
