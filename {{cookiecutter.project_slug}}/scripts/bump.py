# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Move the three deployment stamps together, so the next push boots fresh.

The stamps are DEPLOYMENT_VERSION in app.py and the "# freshboot:" line in
requirements.txt and .streamlit/config.toml. In a project managed with uv the line is in
pyproject.toml instead, and [project].version and uv.lock's entry for the project follow
DEPLOYMENT_VERSION (no uv needed). Run `python scripts/bump.py --help`.

Standard library only, so it runs before anything is installed (CI, pre-commit);
only ``status`` without ``--url`` needs the app's packages. It works on the project it
belongs to, from whatever folder you run it, and one run at a time: a second run
waits a few seconds for the first, then refuses.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import NamedTuple

try:
    from datetime import UTC, datetime, timedelta
except ImportError:  # UTC is new in Python 3.11, as this project's Streamlit needs
    sys.stderr.write(f"bump.py: needs Python 3.11 or newer; this is {sys.version.split()[0]}\n")
    raise SystemExit(2) from None

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from freshboot.dependency_files import cloud_dependency  # noqa: E402
from freshboot.files import read_regular_text  # noqa: E402
from freshboot.literal import visible, visible_line  # noqa: E402
from freshboot.semver import next_version, precedence, version_problem  # noqa: E402
from freshboot.shape import SEVERITY  # noqa: E402
from freshboot.stamps import (  # noqa: E402
    TIME_FORMAT,
    VERSION_FILE,
    FileChange,
    Stamp,
    StampError,
    find_version,
    first_statement_problem,
    is_stamp_line,
    plan_changes,
    read_stamps,
    stamped_files,
    write_changes,
)
from freshboot.uv_project import LOCK, is_uv_project  # noqa: E402

OK, CHECK_FAILED, REFUSED = 0, 1, 2
REPAIR = "repair with: python scripts/bump.py set X.Y.Z"
# How long a run waits for another run on the same project to finish before refusing.
LOCK_WAIT_SECONDS = 5.0


class Refused(Exception):
    """Nothing was changed (or, when the message says so, what was); exit 2."""


# --- versions and stamps ---------------------------------------------------------


def parse_version(text: str) -> str:
    problem = version_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def next_stamp_time(newest: datetime | None, now: datetime | None = None) -> datetime:
    """Now, to the second; or a second after ``newest`` when that is later.

    ``newest`` leaves out stamps more than a minute ahead (read_stamps), so a clock
    that was wrong once cannot push every later stamp into the future.
    """
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    return now if newest is None or now > newest else newest + timedelta(seconds=1)


def check_problems(state) -> list[str]:
    """Every reason check fails, one line each naming the file, with the fix where set is it."""
    problems = [
        f"{problem}; {REPAIR}" if problem in state.repairable else problem
        for problem in state.problems
    ]
    if state.version is None:
        return problems
    if problem := version_problem(state.version):
        problems.append(f"{VERSION_FILE}: DEPLOYMENT_VERSION {problem}; {REPAIR}")
    placement = placement_problem()
    return [*problems, placement] if placement else problems


def placement_problem() -> str | None:
    """Why DEPLOYMENT_VERSION is not where every command wants it: app.py's first statement."""
    try:
        source = read_regular_text(ROOT / VERSION_FILE)
    except (OSError, UnicodeDecodeError):
        return None  # read a moment ago by read_stamps, which reports what happened
    return first_statement_problem(source)


# --- one run at a time -------------------------------------------------------------


def _try_lock(handle: int) -> bool:
    """Take the lock on open ``handle`` without waiting; False when another process holds it."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as error:  # msvcrt says "held by another process" with EDEADLOCK
        if error.errno == errno.EDEADLK:
            return False
        raise
    return True


def _open_lock_handle() -> int:
    """What the lock is taken on: the project folder itself where the OS can lock a folder.

    A lock on the folder leaves no file behind (nothing to ignore or commit), and the
    OS drops it when the process ends, however it ends, so no stale lock can remain.
    Windows cannot lock a folder: there it is a file in the temporary folder named
    after the project's path.
    """
    if os.name != "nt":
        return os.open(ROOT, os.O_RDONLY)
    digest = hashlib.sha256(str(ROOT).lower().encode()).hexdigest()[:16]
    name = Path(tempfile.gettempdir()) / f"freshboot-bump-{digest}.lock"
    return os.open(name, os.O_RDWR | os.O_CREAT, 0o600)


@contextlib.contextmanager
def one_run_at_a_time(wait: float = LOCK_WAIT_SECONDS):
    """Hold this project's bump lock; refuse when another run holds it for ``wait`` seconds.

    Held from reading the stamps to the end of the commit, so two runs never read the
    same version (a lost increment), never mix two versions, and never undo each other.
    Only writing commands take it: check runs inside a bump's commit (a pre-commit hook).
    """
    try:
        handle = _open_lock_handle()
    except OSError as error:
        raise Refused(f"cannot lock the project against a second bump.py run ({error})") from None
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                raise Refused(
                    f"another bump.py run has been changing this project for {wait:.0f} s;"
                    " let it finish, then run again (nothing changed)"
                )
            time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing releases the lock


# --- git ----------------------------------------------------------------------


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def git_file(spec: str) -> bytes | None:
    """A file's bytes in git (``HEAD:./name`` committed, ``:./name`` staged); None if not there."""
    done = subprocess.run(
        ["git", "cat-file", "blob", spec], cwd=ROOT, capture_output=True, stdin=subprocess.DEVNULL
    )
    return done.stdout if done.returncode == 0 else None


def content_path(name: str) -> str:
    """The path git keeps ``name``'s content under: the target of a symbolic link, else ``name``."""
    path = ROOT / name
    if not path.is_symlink():
        return name
    return Path(os.path.relpath(path.resolve(), ROOT)).as_posix()


def diff_lines(*args: str) -> list[str] | None:
    """The removed and added lines of ``git diff -U0 ARGS``, seen through git's conversions
    (core.autocrlf, eol in .gitattributes); None when more than lines changed (a mode, a
    file type, binary content)."""
    done = subprocess.run(
        ["git", "diff", "--no-ext-diff", "--no-textconv", "--no-color", "--no-renames", "-U0"]
        + list(args),
        cwd=ROOT,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        return None
    lines, in_hunk = [], False
    for line in done.stdout.decode("utf-8", "surrogateescape").split("\n"):
        if line.startswith("diff --git "):
            in_hunk = False
        elif line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line[:1] in ("+", "-"):
            lines.append(line[1:])
        elif in_hunk and line.startswith("\\"):  # "\ No newline at end of file"
            continue
        elif line and (in_hunk or not line.startswith(("index ", "--- ", "+++ "))):
            return None
    return lines


def only_stamp_line_changed(name: str) -> bool:
    """Whether the staged and the working ``name`` differ from HEAD's at most on the stamp line.

    So ``stamp`` followed by ``stamp --commit`` commits the stamps instead of refusing.
    git compares, so a file git stores with LF and checks out with CRLF is unchanged.
    """
    path = content_path(name)
    for where in (["HEAD"], ["--cached", "HEAD"]):
        changed = diff_lines(*where, "--", path)
        if changed is None or not all(is_stamp_line(name, line) for line in changed):
            return False
    return True


def commit_message(version: str) -> str:
    """What the commit does to HEAD: a new version, or the same version stamped again."""
    committed = git_file(f"HEAD:./{VERSION_FILE}")
    if committed is not None and find_version(committed.decode("utf-8", "replace")) == version:
        return f"Stamp deployment {version}"
    return f"Bump deployment version to {version}"


def git_error(done: subprocess.CompletedProcess) -> str:
    """The line of git's output that says what went wrong.

    git ends with its "error:" or "fatal:" lines, then "hint:" lines; a failing
    commit hook prints its report before that. So: the last error line, else the
    last line that is not a hint.
    """
    lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("error:", "fatal:"))]
    useful = errors or [line for line in lines if not line.startswith("hint:")]
    return useful[-1] if useful else f"exit code {done.returncode}"


def push_remote() -> str:
    """The current branch's remote, else origin; refuse when there is neither."""
    branch = git("symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    if not branch:
        raise Refused("HEAD is detached; check out a branch before --push")
    remote = git("config", "--get", f"branch.{branch}.remote").stdout.strip()
    if remote:
        return remote
    if "origin" in git("remote").stdout.split():
        return "origin"
    raise Refused("no git remote to push to; add one with: git remote add origin URL")


def check_git(tag: str | None, push: bool) -> str | None:
    """Refuse before anything is written when the commit could not hold only the stamps."""
    if shutil.which("git") is None:
        raise Refused("git was not found on PATH; install it or bump without --commit")
    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        raise Refused("this project is not in a git repository; run git init or drop --commit")
    if git("rev-parse", "--quiet", "--verify", "HEAD^{commit}").returncode != 0:
        raise Refused(
            "this repository has no commits yet; commit the project first"
            ' (git add --all && git commit -m "Initial commit"), then bump with --commit'
        )
    files = stamped_files(ROOT)
    for name in files:
        check_committable(name)
    paths = [content_path(name) for name in files]
    staged = git("diff", "--cached", "--name-only", "--relative").stdout.splitlines()
    staged = [name for name in staged if name not in paths and name not in files]
    if staged:
        raise Refused(
            f"other changes are staged ({', '.join(staged[:3])}); commit or unstage them first"
            " so the bump commit holds only the stamps"
        )
    if tag and git("rev-parse", "--quiet", "--verify", f"refs/tags/{tag}").returncode == 0:
        raise Refused(f"tag {tag} already exists; choose another version")
    return push_remote() if push else None


def check_committable(name: str) -> None:
    """Refuse unless git tracks ``name`` (and a link's target) and only its stamp changed."""
    path = content_path(name)
    shown = name if path == name else f"{name} (a link to {path})"
    for tracked in dict.fromkeys([name, path]):
        if git("ls-files", "--error-unmatch", "--", tracked).returncode != 0:
            raise Refused(
                f"{shown} is not tracked by git; commit it first (git add {tracked})"
                " so the bump commit holds only the stamps"
            )
    link_changed = path != name and git("diff", "--quiet", "HEAD", "--", name).returncode != 0
    if link_changed or not only_stamp_line_changed(name):
        raise Refused(
            f"{shown} has changes that are not committed; commit or stash them first"
            " so the bump commit holds only the stamps"
        )


def commit(changes, message: str, tag: str | None, remote, said: list[str], written: str) -> None:
    """Commit (then tag, push); ``written`` and each step done are added to ``said``.

    On a failed commit the files are put back, so ``written`` is never said.
    """
    # Every stamped file that differs from HEAD: an earlier bump without --commit counts too.
    paths = [content_path(name) for name in stamped_files(ROOT)]
    names = [path for path in paths if git("diff", "--quiet", "HEAD", "--", path).returncode]
    done = git("commit", "--quiet", "--only", "-m", message, "--", *names)
    if done.returncode != 0:
        # Put the files back so the user can fix git and run the same command again.
        undo = [FileChange(change.name, change.new, change.old) for change in changes]
        try:
            write_changes(ROOT, undo)
        except StampError as error:
            raise Refused(f"git commit failed ({git_error(done)}), then {error}") from None
        raise Refused(f"git commit failed ({git_error(done)}); the files were put back")
    said += [written, f"committed {', '.join(names)}: {message}"]
    if tag:
        done = git("tag", "--annotate", tag, "-m", message)
        if done.returncode != 0:
            raise Refused(f"committed, but git tag failed: {git_error(done)}")
        said.append(f"tagged {tag}")
    if remote:
        refs = ["HEAD", f"refs/tags/{tag}"] if tag else ["HEAD"]
        done = git("push", "--quiet", "--atomic", remote, *refs)
        if done.returncode != 0:
            raise Refused(
                f"committed, but git push failed ({git_error(done)}); push by hand with:"
                f" git push --atomic {remote} {' '.join(refs)}"
            )
        said.append(f"pushed to {remote}")


# --- commands -------------------------------------------------------------------


def diff_lines_of(changes) -> list[str]:
    lines = []
    for change in changes:
        old = change.old.decode("utf-8").splitlines()
        new = change.new.decode("utf-8").splitlines()
        lines += difflib.unified_diff(
            old, new, f"a/{change.name}", f"b/{change.name}", n=0, lineterm=""
        )
    return lines


def write(args) -> int:
    """patch, minor, major, set and stamp: choose the version, plan the change, apply it."""
    if args.command == "stamp" and args.tag:
        raise Refused(
            "stamp takes no --tag: a stamp is not a release; tag a new version made with"
            " patch, minor, major or set"
        )
    if (args.tag or args.push) and not args.commit:
        raise Refused("--tag and --push need --commit")
    with one_run_at_a_time():
        state = read_stamps(ROOT)  # read only once the lock is held
        version = VERSION_CHOICES[args.command](args, state)
        if version is None:
            return OK
        return apply_bump(args, plan_bump(args, state, version))


# --- choose the version: one function per writing command ------------------------


def refuse_unless_bumpable(state, ignoring: tuple[str, ...] = ()) -> None:
    """Refuse when check fails, except for the problems in ``ignoring``."""
    problems = [problem for problem in check_problems(state) if problem not in ignoring]
    if problems:
        more = f" (and {len(problems) - 1} more: run check)" if len(problems) > 1 else ""
        raise Refused(f"{problems[0]}{more}; nothing changed")


def next_part(part: str):
    """The chooser of patch, minor or major: the next such version of sound stamps."""

    def choose(args, state) -> str:
        refuse_unless_bumpable(state)
        return next_version(state.version, part)

    return choose


def choose_stamp(args, state) -> str:
    """The same version; stamp is also the repair for a stamp from the future."""
    refuse_unless_bumpable(state, ignoring=tuple(state.ahead.values()))
    return state.version


def choose_set(args, state) -> str | None:
    """The version given; None (after saying so) when the project is there already."""
    # The rule of every other command (with no DEPLOYMENT_VERSION, planning says so).
    if state.version is not None and (placement := placement_problem()):
        raise Refused(f"{placement}; nothing changed")
    version, current = args.version, state.version
    if state.agree and current == version:
        print(
            f"already {version}; to force a fresh boot without a new version run:"
            " python scripts/bump.py stamp"
        )
        return None
    if current and not version_problem(current) and precedence(version) < precedence(current):
        print(f"bump.py: warning: {version} is lower than {current} (a downgrade)", file=sys.stderr)
    return version


VERSION_CHOICES = {
    "patch": next_part("patch"),
    "minor": next_part("minor"),
    "major": next_part("major"),
    "set": choose_set,
    "stamp": choose_stamp,
}


# --- plan the change, then apply it -------------------------------------------------


class BumpPlan(NamedTuple):
    changes: list  # of FileChange
    summary: str  # "0.1.0 -> 0.1.1, stamped ..." or "stamped 0.1.0 at ..."
    notes: list[str]
    tag: str | None
    remote: str | None
    message: str  # the commit message, with --commit


def plan_bump(args, state, version: str) -> BumpPlan:
    """Everything the bump will do, worked out and checked before anything is written."""
    stamp = Stamp(version, next_stamp_time(state.newest_time))
    changes = plan_changes(ROOT, stamp)
    tag = f"v{version}" if args.tag else None
    remote = check_git(tag, args.push) if args.commit else None
    when = stamp.time.strftime(TIME_FORMAT)
    if version == state.version:
        summary = f"stamped {version} at {when}"
    else:
        summary = f"{state.version} -> {version}, stamped {when}"
    notes = []
    if state.ahead:
        future = max(state.stamps[name].time for name in state.ahead).strftime(TIME_FORMAT)
        notes.append(
            f"the newest stamp ({future}) was in the future; the new one takes the current time"
        )
    message = commit_message(version) if args.commit else ""
    return BumpPlan(changes, summary, notes, tag, remote, message)


def apply_bump(args, plan: BumpPlan) -> int:
    """Write the plan (or show it, with --dry-run), then commit it with --commit."""
    said = list(plan.notes)  # printed once the outcome is known: nothing claims what did not happen
    if args.dry_run:
        say([*said, *diff_lines_of(plan.changes), f"dry run, nothing written: {plan.summary}"])
        if args.commit:
            tag = f", tag {plan.tag}" if plan.tag else ""
            push = f", push to {plan.remote}" if plan.remote else ""
            print(f"would commit: {plan.message}{tag}{push}")
        return OK
    try:
        write_changes(ROOT, plan.changes)
        written = f"{plan.summary} in {', '.join(change.name for change in plan.changes)}"
        if args.commit:
            commit(plan.changes, plan.message, plan.tag, plan.remote, said, written)
        else:
            said += [
                written,
                "next: commit and push these files (or run again with --commit --push)",
            ]
    finally:
        say(said)
    return OK


def check(args) -> int:
    state = read_stamps(ROOT)
    problems = check_problems(state)
    dependency = cloud_dependency(ROOT)
    if dependency.problem:  # the stamp would not reach Cloud
        problems.append(f"{dependency.problem}; {dependency.fix}")
    for problem in problems:
        print(f"bump.py: {visible_line(problem, limit=1000)}", file=sys.stderr)
    if problems:
        return CHECK_FAILED
    stamp = next(iter(state.stamps.values()))
    files = ", ".join(stamped_files(ROOT)) if state.uv else "all three files"
    print(f"ok: {state.version} stamped {stamp.time.strftime(TIME_FORMAT)} in {files}")
    return OK


def show(args) -> int:
    state = read_stamps(ROOT)
    rows = [(f"DEPLOYMENT_VERSION ({VERSION_FILE})", state.version or "not found")]
    for name, stamp in state.stamps.items():
        value = f"{stamp.version} {stamp.time.strftime(TIME_FORMAT)}" if stamp else "-"
        rows.append((name, value + (" (in the future)" if name in state.ahead else "")))
    if state.uv:
        rows += package_version_rows()
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {visible_line(value)}")
    problems = check_problems(state)
    print("the stamps agree" if not problems else f"check fails: {visible_line(problems[0])}")
    return OK


def package_version_rows() -> list[tuple[str, str]]:
    """[project].version and uv.lock's version of the project, as show prints them."""
    from freshboot.uv_project import PYPROJECT, lock_version, project_version

    rows = []
    for label, name, read in (
        ("[project].version (pyproject.toml)", PYPROJECT, project_version),
        (f"the project in {LOCK}", LOCK, lock_version),
    ):
        try:
            value = read(read_regular_text(ROOT / name))
        except (OSError, UnicodeDecodeError):
            value = None
        rows.append((label, value or "not found"))
    return rows


def status(args) -> int:
    if args.url is None:
        for option in ("wait", "interval", "consecutive"):
            if getattr(args, option) is not None:
                raise Refused(f"--{option} needs --url: it polls a running server")
        return local_status(args)
    if (args.consecutive or 1) > 1 and args.wait is None:
        raise Refused("--consecutive needs --wait SECONDS: the time to get that many answers")
    return server_status(args)


def local_status(args) -> int:
    try:  # needs the app's packages, so it is imported only here
        from freshboot.report import build_report, format_report
    except ImportError as error:
        raise Refused(
            f"status needs the app's packages ({error.name or error} is missing):"
            + (
                " uv sync, then uv run"
                if is_uv_project(ROOT)
                else " pip install -r requirements.txt"
            )
        ) from None
    report = build_report(ROOT)
    text = json.dumps(report, indent=2) + "\n" if args.json else visible(format_report(report))
    sys.stdout.write(text)
    return OK if report["verdict"] == "fresh" else CHECK_FAILED


# --- a running server ------------------------------------------------------------

VERDICTS = SEVERITY
HEALTH_PATH = "/api/health"
MAX_ANSWER_BYTES = 5_000_000
REQUEST_SECONDS = 10.0


class Unanswered(Exception):
    """The server could not be asked, or its answer is not a freshboot report."""


def health_url(url: str) -> str:
    """``url`` itself when it names /api/health, else its /api/health; http(s) only."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Refused(
            f"{visible_line(url)} is not an http(s) URL; give the app's address,"
            " e.g. --url https://your-app.streamlit.app"
        )
    path = parts.path.rstrip("/")
    if not path.endswith(HEALTH_PATH):
        path += HEALTH_PATH
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def shown_as_text(value):
    """``value`` with every string in it made ``visible`` (uncut): a server's report is
    text from elsewhere, and a terminal would obey escape codes in it."""
    if isinstance(value, str):
        return visible_line(value, limit=len(value))
    if isinstance(value, dict):
        return {key: shown_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shown_as_text(item) for item in value]
    return value


def ask_server(url: str, timeout: float) -> dict:
    """The report the server at ``url`` answers with: 200 when fresh, 503 (still a report) else."""
    import http.client  # only here: they take longer to import than the rest of bump.py
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "freshboot-bump"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body = response.status, response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:  # 503 is how a stale server answers
        status, body = error.code, error.read(MAX_ANSWER_BYTES)
    except urllib.error.URLError as error:
        reason = getattr(error.reason, "strerror", None) or error.reason
        raise Unanswered(f"cannot reach {url}: {visible_line(reason)}") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise Unanswered(
            f"cannot reach {url}: {visible_line(error) or type(error).__name__}"
        ) from None
    try:
        report = json.loads(body)
    except ValueError:
        report = None
    if not (
        isinstance(report, dict)
        and report.get("verdict") in VERDICTS
        and isinstance(report.get("reason"), str)
    ):
        raise Unanswered(
            f"{url} answered HTTP {status} without a health report; is the app served with"
            " streamlit run serve.py (which adds /api/health)?"
        )
    return report


def running_version(report: dict) -> object:
    """The version the server process booted with; older servers tell only what is on disk."""
    running = report.get("running")
    if isinstance(running, dict) and "version" in running:
        return running["version"]
    return report.get("version")


def judge(report: dict, local: str) -> tuple[int, str]:
    """The exit code for one answer and one line saying why."""
    verdict, version = report["verdict"], running_version(report)
    if version != local:
        runs = (
            f"runs {visible_line(version)}" if isinstance(version, str) else "runs no known version"
        )
        line = f"the server {runs}, this checkout has {local}"
        return CHECK_FAILED, line + (f" (and it is {verdict})" if verdict != "fresh" else "")
    if verdict != "fresh":
        return CHECK_FAILED, f"the server is {verdict}: {visible_line(report['reason'])}"
    return OK, f"the server is fresh and runs {local}, as this checkout"


def server_status(args) -> int:
    url = health_url(args.url)
    state = read_stamps(ROOT)
    if state.version is None:
        raise Refused(f"{state.problems[0]}; nothing to compare the server with")
    wait, interval, needed = args.wait or 0.0, args.interval or 2.0, args.consecutive or 1
    log = sys.stderr if args.json else sys.stdout
    started = time.monotonic()
    in_a_row, report, code, line = 0, None, REFUSED, ""
    while True:
        remaining = started + wait - time.monotonic()
        try:
            report = ask_server(url, timeout=max(1.0, min(REQUEST_SECONDS, remaining)))
            code, line = judge(report, state.version)
        except Unanswered as error:
            report, code, line = None, REFUSED, str(error)
        in_a_row = in_a_row + 1 if code == OK else 0
        if args.wait is not None:
            count = f" ({in_a_row} of {needed} in a row)" if needed > 1 and code == OK else ""
            print(f"{time.monotonic() - started:4.0f} s  {line}{count}", file=log, flush=True)
        remaining = started + wait - time.monotonic()
        if in_a_row >= needed or remaining <= 0:
            break
        time.sleep(min(interval, remaining))  # the last poll comes when the time is up
    if report is None:
        raise Refused(line)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(server_report_text(report, url), end="")
    if code != OK and args.wait is not None:
        line += f"; still so after {wait:g} s"
    print(f"{'ok' if code == OK else 'not yet'}: {line}", file=log)
    return code


def server_report_text(report: dict, url: str) -> str:
    """The server's report as the terminal report of this project reads it; without the
    app's packages (or for a report of another shape), its verdict, reason and next step."""
    try:
        from freshboot.report import format_report

        return format_report(shown_as_text(report), source=f"the server at {url}") + "\n"
    except (ImportError, KeyError, TypeError, AttributeError, ValueError):
        return (
            f"Verdict: {visible_line(report['verdict']).upper()}:"
            f" {visible_line(report['reason'])}.\n"
            f"Next step: {visible_line(report.get('next_step', '-'))}.\n"
            f"Reported by the server at {url}.\n\n"
        )


# --- command line -----------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.exit(REFUSED, f"{self.prog}: {message} (see --help)\n")


DESCRIPTION = """\
Move the three deployment stamps together, so the next push boots fresh: DEPLOYMENT_VERSION
in app.py and the "# freshboot: VERSION TIME" line in requirements.txt and .streamlit/config.toml.
Changing them makes Streamlit Community Cloud reinstall and reboot the app.

Managed with uv (uv.lock next to a pyproject.toml with [project]): the line is in pyproject.toml
instead, and [project].version and the project's entry in uv.lock (the file Cloud installs
from) follow DEPLOYMENT_VERSION; stamp, which keeps the version, writes it with the stamp time
as a local version (0.1.0+stamp.20261130061500). uv lock --check still passes; uv is not needed."""

HELP = """\
examples:
  python scripts/bump.py patch                   0.1.0 -> 0.1.1, new stamp time in all three files
  python scripts/bump.py stamp --commit --push   force a fresh boot without a new version
  python scripts/bump.py check                   in CI or pre-commit: exit 1 if the stamps disagree

exit codes: 0 ok, 1 check or status failed, 2 bad usage or refused (nothing changed)
status --help tells how to ask a running server (--url) and wait for a deploy (--wait)
"""

COMMANDS = {
    # name: (function, what it does, example)
    "patch": (write, "next patch version: 1.2.3 -> 1.2.4", "patch --commit --push"),
    "minor": (write, "next minor version: 1.2.3 -> 1.3.0", "minor --dry-run"),
    "major": (write, "next major version: 1.2.3 -> 2.0.0", "major --commit --tag"),
    "set": (
        write,
        "set a version; also repairs stamp lines that disagree, are malformed or missing",
        "set 1.4.0",
    ),
    "stamp": (
        write,
        "new stamp time, same version: a fresh boot without a release (no --tag);"
        " also clears a stamp from the future",
        "stamp",
    ),
    "check": (
        check,
        "exit 0 if the three stamps agree, none is in the future, DEPLOYMENT_VERSION"
        " is app.py's first statement and Community Cloud installs from the stamped"
        " requirements.txt (under uv: uv.lock, whose version follows); else 1 naming each"
        " bad file",
        "check",
    ),
    "show": (show, "print the version and each stamp", "show"),
    "status": (
        status,
        "print the health report of this environment, or with --url of a running server",
        "status",
    ),
}

STATUS_HELP = """\
Without --url: the report of this environment (this checkout and this Python), built here.
With --url: asks the server's /api/health (added to the URL unless it ends so) and compares
the version the server runs with this checkout's DEPLOYMENT_VERSION. Run it after a push.

examples:
  python scripts/bump.py status
  python scripts/bump.py status --url https://your-app.streamlit.app
  python scripts/bump.py status --url http://127.0.0.1:8501 --json
  python scripts/bump.py status --url https://your-app.example.com --wait 600
      poll every 2 s until the server is fresh with this version, at most 600 s
  python scripts/bump.py status --url https://lb.example.com --wait 900 --consecutive 5
      a rolling update behind a load balancer: 5 such answers in a row

exit codes:
  0  fresh (with --url: fresh and running this checkout's DEPLOYMENT_VERSION)
  1  stale, broken or unknown, or the server runs another version (the last line says which)
  2  the server cannot be reached or did not answer with a health report; bad usage
"""


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 to 86400")
    return value


def how_many(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 4 and 1 <= int(text) <= 1000):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 1000")
    return int(text)


def poll_interval(text: str) -> float:
    value = seconds(text)
    if value < 0.5:
        raise argparse.ArgumentTypeError(f"{text!r} is too short; poll at most twice a second")
    return value


def add_status_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--json", action="store_true", help="print the report as JSON")
    command.add_argument("--url", help="ask the server at URL (its /api/health)")
    command.add_argument(
        "--wait", type=seconds, metavar="SECONDS", help="poll until fresh or SECONDS have passed"
    )
    command.add_argument(
        "--interval",
        type=poll_interval,
        metavar="SECONDS",
        help="seconds between polls (default 2)",
    )
    command.add_argument(
        "--consecutive",
        type=how_many,
        metavar="N",
        help="with --wait: N good answers in a row (default 1; replicas behind a load balancer)",
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="bump.py",
        description=DESCRIPTION,
        epilog=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options = Parser(add_help=False)
    options.add_argument("--dry-run", action="store_true", help="print the diff; write nothing")
    options.add_argument(
        "--commit", action="store_true", help="git commit exactly the stamped files"
    )
    options.add_argument("--tag", action="store_true", help="also tag the commit v<version>")
    options.add_argument("--push", action="store_true", help="also push the commit (and tag)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (run, summary, example) in COMMANDS.items():
        epilog = (
            STATUS_HELP if name == "status" else f"example:\n  python scripts/bump.py {example}"
        )
        command = commands.add_parser(
            name,
            help=summary,
            description=summary,
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[options] if run is write else [],
        )
        if name == "set":
            command.add_argument("version", type=parse_version, help="e.g. 1.4.0 or 2.0.0-rc.1")
        if name == "status":
            add_status_options(command)
        command.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    code = CHECK_FAILED
    try:
        args = build_parser().parse_args(argv)
        code = run_command(args)
        sys.stdout.flush()  # here, so a closed pipe is met where it can be handled
    except BrokenPipeError:  # the reader stopped reading (show | head -1)
        discard_output()
    return code


def discard_output() -> None:
    """The recipe of Python's documentation for a closed stdout: point it at devnull, so
    exiting does not fail a second time flushing what is left."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def say(lines: list[str]) -> None:
    """Print what a writing command did; a reader that left early changes nothing it did."""
    try:
        if lines:  # the old version may hold anything a file held
            print("\n".join(visible_line(line, limit=1000) for line in lines), flush=True)
    except BrokenPipeError:
        discard_output()


def run_command(args) -> int:
    try:
        return args.run(args)
    except (Refused, StampError) as error:  # text from the files is shown escaped
        print(f"bump.py: {visible_line(error, limit=1000)}", file=sys.stderr)
        return REFUSED
    except OSError as error:  # what no check foresaw: still one line, never a traceback
        if isinstance(error, BrokenPipeError):
            raise
        print(f"bump.py: stopped: {error}", file=sys.stderr)
        return REFUSED


if __name__ == "__main__":
    sys.exit(main())
