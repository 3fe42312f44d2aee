# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Read and rewrite the three deployment stamps. Standard library only: scripts/bump.py uses it.

The stamps are ``DEPLOYMENT_VERSION = "X.Y.Z"`` in app.py and a
``# freshboot: X.Y.Z YYYY-MM-DDTHH:MM:SSZ`` line in requirements.txt and in
.streamlit/config.toml. A push that changes them changes the files Community
Cloud watches, which makes it reinstall and reboot.

A project managed with uv (uv.lock next to a pyproject.toml with [project]) has the
stamp line in pyproject.toml instead of requirements.txt, and two more places follow
DEPLOYMENT_VERSION: ``[project].version`` and the project's own entry in uv.lock, the
file Cloud installs from (freshboot/uv_project.py says how).

A stamp more than a minute ahead of the clock reading it is a problem, not a
time: it would keep every boot stale until that moment (``bump.py stamp`` fixes it).

Rewriting changes only the stamp text: line endings (LF or CRLF), a UTF-8 BOM,
the last line's newline (or its absence) and each file's mode stay as they were.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from freshboot import uv_project
from freshboot.files import read_regular_bytes, read_regular_text, why_unreadable

VERSION_FILE = "app.py"
STAMP_FILES = ("requirements.txt", ".streamlit/config.toml")
UV_STAMP_FILES = (uv_project.PYPROJECT, ".streamlit/config.toml")
STAMP_PREFIX = "# freshboot:"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
BOM = "\ufeff"
# How far a stamp may be ahead of the clock reading it: clocks of two machines differ a little.
CLOCK_SKEW = timedelta(seconds=60)
FUTURE_FIX = "fix the clock, then run python scripts/bump.py stamp"

VERSION_LINE = re.compile(r"""^DEPLOYMENT_VERSION\s*=\s*(["'])(?P<version>[^"']*)\1\s*(#.*)?$""")
STAMP_LINE = re.compile(r"^# freshboot: (?P<version>\S+) (?P<time>\S+)\s*$")


class StampError(ValueError):
    """A stamp cannot be rewritten safely; the message names the file."""


@dataclass(frozen=True)
class Stamp:
    version: str
    time: datetime

    def text(self) -> str:
        return f"{STAMP_PREFIX} {self.version} {self.time.strftime(TIME_FORMAT)}"


@dataclass
class Stamps:
    """What the project's files say; ``problems`` lists each file that is off.

    ``ahead`` maps each file whose stamp is in the future to its problem, and
    ``repairable`` lists the problems ``bump.py set`` repairs (all also in ``problems``).
    """

    version: str | None
    stamps: dict[str, Stamp | None]
    problems: list[str] = field(default_factory=list)
    ahead: dict[str, str] = field(default_factory=dict)
    repairable: list[str] = field(default_factory=list)
    uv: bool = False  # managed with uv: the stamps include pyproject.toml and uv.lock

    @property
    def agree(self) -> bool:
        return not self.problems

    @property
    def newest_time(self) -> datetime | None:
        """The newest stamp time, leaving out stamps from the future: no boot can pass them."""
        times = [
            stamp.time for name, stamp in self.stamps.items() if stamp and name not in self.ahead
        ]
        return max(times) if times else None


# --- reading -----------------------------------------------------------------


def lines_of(text: str) -> list[str]:
    """Lines split on LF only, each keeping a CR it ends with; reading and writing share this."""
    return text.removeprefix(BOM).split("\n")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def parse_stamp_line(line: str) -> Stamp | None:
    match = STAMP_LINE.match(line.removeprefix(BOM))
    if not match:
        return None
    try:
        return Stamp(match["version"], parse_time(match["time"]))
    except ValueError:
        return None


def parse_python(source: str) -> ast.Module | None:
    """``source`` parsed, or None when it is not valid Python."""
    try:
        return ast.parse(source.removeprefix(BOM))
    except (SyntaxError, ValueError):  # ValueError: a null byte, on Python 3.11
        return None


def assigns_version(node: ast.stmt) -> bool:
    return isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == "DEPLOYMENT_VERSION"
        for target in node.targets
    )


def version_literals(module: ast.Module) -> list[ast.Constant]:
    """The string of every top-level ``DEPLOYMENT_VERSION = "..."`` statement.

    Found by the parser, so the same text inside a string or a comment is no definition.
    """
    return [
        node.value
        for node in module.body
        if assigns_version(node)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


def find_versions(text: str) -> list[str]:
    """The value of every top-level ``DEPLOYMENT_VERSION = "..."`` assignment in ``text``.

    Text that is not valid Python is read line by line, the best reading there is;
    ``first_statement_problem`` says what is wrong with it.
    """
    module = parse_python(text)
    if module is None:
        return [match["version"] for line in lines_of(text) if (match := VERSION_LINE.match(line))]
    return [literal.value for literal in version_literals(module)]


def find_version(text: str) -> str | None:
    versions = find_versions(text)
    return versions[0] if versions else None


def find_stamps(text: str) -> list[Stamp | None]:
    """Every stamp line in ``text``; an unreadable one is ``None``."""
    return [parse_stamp_line(line) for line in lines_of(text) if line.startswith(STAMP_PREFIX)]


def first_statement_problem(source: str) -> str | None:
    """Why DEPLOYMENT_VERSION is not the first statement of app.py's ``source``, or None.

    A docstring, comments and ``from __future__`` imports (Python wants those first) may
    come before it.
    """
    try:
        module = ast.parse(source.removeprefix(BOM))
    except SyntaxError as error:
        return f"{VERSION_FILE}: is not valid Python (line {error.lineno}: {error.msg})"
    except ValueError as error:  # a null byte, on Python 3.11
        return f"{VERSION_FILE}: is not valid Python ({error})"
    body = module.body[1:] if ast.get_docstring(module, clean=False) is not None else module.body
    statements = (
        node
        for node in body
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
    )
    first = next(statements, None)
    if (
        isinstance(first, ast.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0], ast.Name)
        and first.targets[0].id == "DEPLOYMENT_VERSION"
    ):
        return None
    return (
        f"{VERSION_FILE}: DEPLOYMENT_VERSION is not the first statement; move it above the"
        " imports (only a docstring, comments and from __future__ imports may come first)"
    )


def stamp_files(root: Path) -> tuple[str, ...]:
    """The files with a stamp line: requirements.txt's place is pyproject.toml's under uv."""
    return UV_STAMP_FILES if uv_project.is_uv_project(root) else STAMP_FILES


def stamped_files(root: Path) -> tuple[str, ...]:
    """Every file a bump rewrites: app.py, the stamp files, and uv.lock under uv."""
    files = (VERSION_FILE, *stamp_files(root))
    return (*files, uv_project.LOCK) if uv_project.is_uv_project(root) else files


def _read_text(root: Path, name: str) -> tuple[str | None, str | None]:
    """(text, None), or (None, why it cannot be read)."""
    try:
        return read_regular_text(root / name), None
    except (OSError, UnicodeDecodeError) as error:
        return None, f"{name}: cannot be read ({why_unreadable(error)})"


def uv_problems(root: Path, version: str | None) -> tuple[list[str], list[str]]:
    """(problems, the ones bump.py set repairs) of [project].version and uv.lock's root entry."""
    pyproject, problem = _read_text(root, uv_project.PYPROJECT)
    if problem:
        return [problem], []
    lock, problem = _read_text(root, uv_project.LOCK)
    if problem:
        return [problem], []
    declared = uv_project.project_version(pyproject)
    if declared is None:
        return [f'{uv_project.PYPROJECT}: no version = "X.Y.Z" in [project]'], []
    if problem := uv_project.lock_problem(lock):
        return [f"{uv_project.LOCK}: {problem}"], []
    problems = []
    if version is not None:
        try:
            expected = uv_project.package_version(version)
        except uv_project.VersionError as error:
            return [f"{VERSION_FILE}: DEPLOYMENT_VERSION {error}"], []
        if not uv_project.same_version(uv_project.without_stamp(declared), expected):
            problems.append(
                f"{uv_project.PYPROJECT}: [project].version is {declared},"
                f" {VERSION_FILE} says {version}"
            )
    locked = uv_project.lock_version(lock)
    if not uv_project.same_version(locked, declared):
        problems.append(
            f"{uv_project.LOCK}: the project's own version is {locked},"
            f" {uv_project.PYPROJECT} says {declared}"
        )
    return problems, list(problems)


def read_stamps(root: Path, now: datetime | None = None) -> Stamps:
    """The stamps of the project at ``root``; ``now`` (default: the clock) finds future ones."""
    root = Path(root)
    latest_allowed = (now or datetime.now(UTC)) + CLOCK_SKEW
    problems = []
    ahead = {}
    repairable = []

    def set_repairs(problem: str) -> None:
        problems.append(problem)
        repairable.append(problem)

    try:
        versions = find_versions(read_regular_text(root / VERSION_FILE))
    except (OSError, UnicodeDecodeError) as error:
        versions = []
        problems.append(f"{VERSION_FILE}: cannot be read ({why_unreadable(error)})")
    else:
        if not versions:
            problems.append(f'{VERSION_FILE}: no DEPLOYMENT_VERSION = "X.Y.Z" line')
        elif len(versions) > 1:
            problems.append(
                f"{VERSION_FILE}: {len(versions)} DEPLOYMENT_VERSION lines; keep exactly one"
            )
    version = versions[0] if versions else None
    stamps: dict[str, Stamp | None] = {}
    files = stamp_files(root)
    for name in files:
        stamps[name] = None
        try:
            found = find_stamps(read_regular_text(root / name))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{name}: cannot be read ({why_unreadable(error)})")
            continue
        if not found:
            set_repairs(f"{name}: no '{STAMP_PREFIX} VERSION TIME' line")
        elif len(found) > 1:
            problems.append(f"{name}: {len(found)} stamp lines; keep exactly one")
        elif found[0] is None:
            expected = f"{STAMP_PREFIX} X.Y.Z YYYY-MM-DDTHH:MM:SSZ"
            set_repairs(f"{name}: stamp line is not '{expected}'")
        else:
            stamps[name] = found[0]
            if version is not None and found[0].version != version:
                set_repairs(f"{name}: stamp says {found[0].version}, {VERSION_FILE} says {version}")
            if found[0].time > latest_allowed:
                time = found[0].time.strftime(TIME_FORMAT)
                ahead[name] = f"{name}: stamp time {time} is in the future: {FUTURE_FIX}"
                problems.append(ahead[name])
    # Only stamps in the present are compared: a future one is reported already.
    readable = [stamp for name, stamp in stamps.items() if stamp and name not in ahead]
    if len(readable) == len(files) and len({stamp.text() for stamp in readable}) > 1:
        set_repairs("the stamp lines of " + " and ".join(files) + " differ")
    uv = files == UV_STAMP_FILES
    if uv:
        found, repairs = uv_problems(root, version)
        problems += found
        repairable += repairs
    return Stamps(version, stamps, problems, ahead, repairable, uv)


def is_stamp_line(name: str, line: str) -> bool:
    """Whether a bump may have written ``line`` of ``name``; a diff line has no context, so in
    pyproject.toml and uv.lock any ``version = "..."`` line counts."""
    line = line.removeprefix(BOM)
    if name == VERSION_FILE:
        return VERSION_LINE.match(line) is not None
    if name in (uv_project.PYPROJECT, uv_project.LOCK) and uv_project.VERSION_KEY.match(line):
        return True
    return line.startswith(STAMP_PREFIX)


# --- new file contents (pure: old bytes in, new bytes out) ---------------------


def _decode(data: bytes) -> tuple[str, list[str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise StampError("is not UTF-8 text") from None
    return (BOM if text.startswith(BOM) else ""), lines_of(text)


def _encode(bom: str, lines: list[str]) -> bytes:
    return (bom + "\n".join(lines)).encode("utf-8")


def _replace(line: str, match: re.Match, **groups: str) -> str:
    """``line`` with the named groups of ``match`` replaced, every other character kept."""
    for name in sorted(groups, key=match.start, reverse=True):
        line = line[: match.start(name)] + groups[name] + line[match.end(name) :]
    return line


def with_version(data: bytes, version: str) -> bytes:
    """app.py's bytes with the string of its one DEPLOYMENT_VERSION assignment set to ``version``.

    Only the characters between the quotes change; the parser says where they are.
    """
    bom, lines = _decode(data)
    module = parse_python("\n".join(lines))
    if module is None:
        raise StampError("is not valid Python; fix it (python -m py_compile app.py shows where)")
    found = version_literals(module)
    if not found:
        raise StampError('has no DEPLOYMENT_VERSION = "X.Y.Z" line')
    if len(found) > 1:
        raise StampError(f"has {len(found)} DEPLOYMENT_VERSION lines; keep exactly one")
    literal = found[0]
    index = literal.lineno - 1
    line = lines[index].encode("utf-8") if literal.end_lineno == literal.lineno else b""
    text = line[literal.col_offset : literal.end_col_offset].decode("utf-8", "replace")
    quote = text[:1]
    if quote not in ("'", '"') or text != f"{quote}{literal.value}{quote}":
        raise StampError(
            "has DEPLOYMENT_VERSION in a form bump.py does not rewrite; write it as"
            ' DEPLOYMENT_VERSION = "X.Y.Z"'
        )
    new = f"{quote}{version}{quote}".encode()
    lines[index] = (line[: literal.col_offset] + new + line[literal.end_col_offset :]).decode()
    return _encode(bom, lines)


def with_stamp(data: bytes, stamp: Stamp) -> bytes:
    """A stamp file's bytes with its one stamp line set to ``stamp``.

    A well-formed line keeps everything but its version and time; a malformed
    one is replaced whole; a file without one gets it as its first line.
    """
    bom, lines = _decode(data)
    found = [index for index, line in enumerate(lines) if line.startswith(STAMP_PREFIX)]
    if len(found) > 1:
        raise StampError(f"has {len(found)} stamp lines; delete all but one")
    if not found:
        newline = "\r\n" if any(line.endswith("\r") for line in lines[:-1]) else "\n"
        lines[0] = stamp.text() + newline + lines[0]
        return _encode(bom, lines)
    index = found[0]
    line = lines[index]
    match = STAMP_LINE.match(line)
    if match:
        time = stamp.time.strftime(TIME_FORMAT)
        lines[index] = _replace(line, match, version=stamp.version, time=time)
    else:
        lines[index] = stamp.text() + ("\r" if line.endswith("\r") else "")
    return _encode(bom, lines)


@dataclass(frozen=True)
class FileChange:
    name: str  # relative to the project root, e.g. ".streamlit/config.toml"
    old: bytes
    new: bytes


def _read_bytes(root: Path, name: str) -> bytes:
    try:
        return read_regular_bytes(root / name)
    except OSError as error:
        raise StampError(f"{name}: cannot be read ({error.strerror or error})") from None


def package_version_for(root: Path, stamp: Stamp) -> str:
    """The version pyproject.toml and uv.lock get: DEPLOYMENT_VERSION as uv writes it, plus
    the stamp time (``+stamp.TIME``) when DEPLOYMENT_VERSION stays, so uv.lock still changes."""
    try:
        current = find_version(read_regular_text(root / VERSION_FILE))
    except (OSError, UnicodeDecodeError):
        current = None
    keeps = current == stamp.version
    try:
        return uv_project.package_version(stamp.version, stamp.time if keeps else None)
    except uv_project.VersionError as error:
        raise StampError(f"{uv_project.PYPROJECT}: {error}") from None


def with_package_version(name: str, data: bytes, version: str) -> bytes:
    """pyproject.toml's or uv.lock's bytes with the project's own version set to ``version``."""
    bom, lines = _decode(data)
    text = "\n".join(lines)
    try:
        if name == uv_project.LOCK:
            text = uv_project.with_lock_version(text, version)
        else:
            text = uv_project.with_project_version(text, version)
    except uv_project.VersionError as error:
        raise StampError(str(error)) from None
    return (bom + text).encode("utf-8")


def plan_changes(root: Path, stamp: Stamp) -> list[FileChange]:
    """What writing ``stamp`` would change, file by file; files it leaves alone are left out."""
    root = Path(root)
    files = stamped_files(root)
    package = package_version_for(root, stamp) if uv_project.LOCK in files else None
    changes = []
    for name in files:
        old = _read_bytes(root, name)
        try:
            if name == VERSION_FILE:
                new = with_version(old, stamp.version)
            elif name == uv_project.LOCK:
                new = with_package_version(name, old, package)
            else:
                new = with_stamp(old, stamp)
                if package is not None and name == uv_project.PYPROJECT:
                    new = with_package_version(name, new, package)
        except StampError as error:
            raise StampError(f"{name} {error}") from None
        if new != old:
            changes.append(FileChange(name, old, new))
    return changes


# --- writing: every file or none ------------------------------------------------


@dataclass(frozen=True)
class PreparedWrite:
    change: FileChange
    path: Path  # the file to replace (a symlink's target)
    temp: Path  # the new content, already on disk beside it
    mode: int


def _write_temp(path: Path, data: bytes, mode: int) -> Path:
    """``data`` in a new file beside ``path``, flushed to disk, with ``mode``."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    return temp


def _discard(prepared: list[PreparedWrite]) -> list[str]:
    """Delete the temporary files; return the ones that could not be deleted. Never raises."""
    left = []
    for write in prepared:
        try:
            write.temp.unlink(missing_ok=True)
        except OSError:
            left.append(str(Path(write.change.name).parent / write.temp.name))
    return left


# Flags that forbid replacing a file: on the file itself, or on its folder, where they
# let new files in (a temporary file) but let none be removed or replaced.
LINUX_GET_FLAGS = 0x80086601  # FS_IOC_GETFLAGS
LINUX_FLAGS = {0x10: "immutable (chattr +i)", 0x20: "append-only (chattr +a)"}
BSD_FLAGS = {
    stat.UF_IMMUTABLE | stat.SF_IMMUTABLE: "immutable (chflags uchg)",
    stat.UF_APPEND | stat.SF_APPEND: "append-only (chflags uappnd)",
}


def _forbidding_flag(path: Path) -> str | None:
    """How ``path`` is flagged so that no entry may be replaced, or None (or when unknown)."""
    try:
        flags = getattr(os.stat(path), "st_flags", None)  # macOS and the BSDs
        if flags is not None:
            return next((what for bits, what in BSD_FLAGS.items() if flags & bits), None)
        if not sys.platform.startswith("linux"):
            return None
        import fcntl

        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            buffer = bytearray(8)  # the kernel writes an int into it
            fcntl.ioctl(handle, LINUX_GET_FLAGS, buffer, True)
        finally:
            os.close(handle)
    except OSError:  # a file system without flags
        return None
    flags = int.from_bytes(buffer[:4], sys.byteorder)
    return next((what for bits, what in LINUX_FLAGS.items() if flags & bits), None)


def _check_replaceable(root: Path, change: FileChange) -> tuple[Path, int]:
    """The file to replace and its mode; refuse, naming the fix, what could not be replaced."""
    path = (root / change.name).resolve()
    if _read_bytes(root, change.name) != change.old:
        raise StampError(f"{change.name}: changed on disk while bumping; run again")
    if flag := _forbidding_flag(path):
        raise StampError(f"{change.name}: is {flag}, so it cannot be replaced; clear the flag")
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise StampError(
            f"{change.name}: is read-only; make it writable (chmod u+w {change.name}) and run again"
        )
    if flag := _forbidding_flag(path.parent):
        folder = Path(change.name).parent
        where = f"its folder {folder}" if str(folder) != "." else "the project folder"
        raise StampError(
            f"{change.name}: {where} is {flag}, so no file in it can be replaced; clear the flag"
        )
    return path, mode


def prepare_writes(root: Path, changes: list[FileChange]) -> list[PreparedWrite]:
    """Check every file, then put each new content in a temporary file; touch no original.

    Refuses a file that changed since it was read, that is read-only (checked by its
    mode bits too, because an administrator may write any file) or that a flag keeps
    from being replaced, before any temporary file is made.
    """
    root = Path(root)
    checked = [(change, *_check_replaceable(root, change)) for change in changes]
    prepared: list[PreparedWrite] = []
    for change, path, mode in checked:
        try:
            temp = _write_temp(path, change.new, mode)
        except OSError as error:
            _discard(prepared)
            reason = error.strerror or error
            raise StampError(f"{change.name}: cannot be written ({reason})") from None
        except BaseException:
            _discard(prepared)
            raise
        prepared.append(PreparedWrite(change, path, temp, mode))
    return prepared


def replace_all(prepared: list[PreparedWrite]) -> None:
    """Move every prepared file into place; on a failure, put back the ones already moved.

    The originals come first: the files are restored before the temporary files are
    cleaned up, and a temporary file that cannot be deleted is named, never raised.
    """
    for position, write in enumerate(prepared):
        try:
            os.replace(write.temp, write.path)
        except OSError as error:
            not_restored = _restore(prepared[:position])
            left = _discard(prepared[position:])
            reason = f"{write.change.name}: cannot be replaced ({error.strerror or error})"
            if not_restored:
                reason += f"; restore by hand with: git checkout -- {' '.join(not_restored)}"
            else:
                reason += "; every file was left as it was"
            if left:
                reason += f"; delete {' '.join(left)} by hand"
            raise StampError(reason) from None


def _restore(done: list[PreparedWrite]) -> list[str]:
    """Write the old content back; return the names that could not be restored. Never raises."""
    failed = []
    for write in reversed(done):
        try:
            temp = _write_temp(write.path, write.change.old, write.mode)
        except OSError:
            failed.append(write.change.name)
            continue
        try:
            os.replace(temp, write.path)
        except OSError:
            failed.append(write.change.name)
            with contextlib.suppress(OSError):
                temp.unlink()
    return failed


def write_changes(root: Path, changes: list[FileChange]) -> None:
    """Write ``changes`` atomically per file, all of them or none as far as the OS allows."""
    replace_all(prepare_writes(root, changes))
