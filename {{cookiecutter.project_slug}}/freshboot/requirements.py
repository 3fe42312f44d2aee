# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Requirements drift: what requirements.txt asks for against what is installed.

Read with pip's rules (continuations, comments, ``-r`` includes inside the project);
every URL is redacted, because the rows are shown on the public report.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from freshboot.files import UnreadableFile, read_regular_text, why_unreadable

REQUIREMENTS_FILE = "requirements.txt"
# Lines a requirements file may hold that name no package by itself.
URL_PREFIXES = ("http://", "https://", "file:", "git+", "hg+", "svn+", "bzr+", ".", "/")
# A URL inside a line, e.g. "pkg @ https://host/p.whl?token=..." or "git+https:/...": it
# runs to the next whitespace, as the URL of a PEP 508 requirement does.
URL = re.compile(r"[a-z][a-z0-9+.-]*:/\S*", re.IGNORECASE)
# "user:password@" or "token@" outside a URL with a scheme.
USERINFO = re.compile(r"""[^\s@/"']+@(?=[^\s@])""")
HIDDEN = "***"
# pip's own rule (pip/_internal/req/req_file.py): "#" at the start or after whitespace.
COMMENT = re.compile(r"(^|\s+)#.*$")
# "-r base.txt", "-rbase.txt", "--requirement base.txt", "--requirement=base.txt"
INCLUDE = re.compile(r"(?:-r|--requirement(?=[\s=]))\s*=?\s*(?P<path>\S+)")
EDITABLE = re.compile(r"-e|--editable(?=[\s=])")
# pip fetches a file included by URL; the report reads only files in the project.
INCLUDED_URL = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)

_installed: dict[str, str] | None = None
_installed_key: tuple | None = None


# --- installed packages -----------------------------------------------------


def _environment_key() -> tuple:
    """Changes whenever a package is installed, upgraded or removed on sys.path.

    pip adds and removes ``*.dist-info`` folders, which changes the modification
    time of the folder holding them; importlib's own finder caches on the same signal.
    """
    key = []
    for entry in sys.path:
        try:
            key.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            key.append((entry, None))
    return tuple(key)


def installed_versions() -> dict[str, str]:
    """``{canonical name: version}`` of installed distributions, rebuilt only when they change."""
    global _installed, _installed_key
    key = _environment_key()
    if _installed is None or key != _installed_key:
        table: dict[str, str] = {}
        for distribution in metadata.distributions():
            # One parse per package: .name and .version would each parse METADATA again.
            fields = distribution.metadata
            name = fields["Name"]
            if name:
                # The first one found on sys.path is the one imports use.
                table.setdefault(canonicalize_name(name), fields["Version"])
        _installed, _installed_key = table, key
    return _installed


# --- requirements drift ------------------------------------------------------


def _joined_lines(lines: Iterable[str]) -> Iterable[tuple[int, str]]:
    """pip's ``join_lines``: a line ending in ``\\`` joins the next with nothing between.

    Every backslash at either end of a continued line goes; a comment line ends a
    continuation. A joined line takes the number of its first line.
    """
    first, parts = 0, []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.removeprefix("\ufeff")
        if line.endswith("\\") and not COMMENT.match(line):
            first = first if parts else number
            parts.append(line.strip("\\"))
            continue
        if COMMENT.match(line):
            line = " " + line  # so it is still a comment once joined
        if parts:
            yield first, "".join([*parts, line])
            parts = []
        else:
            yield number, line
    if parts:
        yield first, "".join(parts)


def _logical_lines(lines: Iterable[str]) -> Iterable[tuple[int, str]]:
    """(first line number, text) as pip reads them: lines joined first, then comments removed.

    Environment variables (``${TOKEN}``) are left as written: pip would expand
    them, the public report must not.
    """
    for number, line in _joined_lines(lines):
        text = COMMENT.sub("", line).strip()
        if text:
            yield number, text


def _hide_query_and_fragment(text: str) -> str:
    query, fragment = text.find("?"), text.find("#")
    if query >= 0 and (fragment < 0 or query < fragment):
        return text[:query] + "?" + HIDDEN + ("#" + HIDDEN if fragment > query else "")
    if fragment >= 0:
        return text[:fragment] + "#" + HIDDEN
    return text


def redact_url(url: str) -> str:
    """``url`` without what may hold a token: user and password, query and fragment.

    The host ends at the first ``/``, not at ``?`` or ``#``, so a password holding
    either is hidden whole; a URL without ``//`` (PEP 508 takes any text after
    ``@``) is read the same way.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = f"{HIDDEN}@{authority.rpartition('@')[2]}"
    shown = _hide_query_and_fragment(authority + slash + path)
    return f"{scheme}://{shown}" if separator else shown


def redact(text: str) -> str:
    """``text`` with every URL in it redacted, and any ``user:password@`` outside them."""
    shown, position = [], 0
    for match in URL.finditer(text):
        shown.append(USERINFO.sub(HIDDEN + "@", text[position : match.start()]))
        shown.append(redact_url(match[0]))
        position = match.end()
    shown.append(USERINFO.sub(HIDDEN + "@", text[position:]))
    return "".join(shown)


def shown_line(text: str) -> str:
    """A line that is not a valid requirement, as the report shows it.

    Whatever follows its first URL is hidden: a URL broken by whitespace (an
    indented continuation, a non-breaking space) would show its tail otherwise.
    Without a URL, everything from the word holding the first ``@`` on is hidden
    (``user:password@host``) for the same reason.
    """
    match = URL.search(text)
    if match is not None:
        rest = text[match.end() :]
        return (
            redact(text[: match.start()])
            + redact_url(match[0])
            + (f" {HIDDEN}" if rest.strip() else "")
        )
    at_word = re.search(r"\S*@", text)
    if at_word is not None:
        return text[: at_word.start()] + HIDDEN
    return text


def shown_requirement(requirement: Requirement, written: str) -> str:
    """A valid requirement as the report shows it: its URL redacted, its pip options left out."""
    if requirement.url is None:
        return redact(written)  # a URL could only hide in a marker's quoted string
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    shown = f"{requirement.name}{extras} @ {redact_url(requirement.url)}"
    return shown if requirement.marker is None else f"{shown} ; {redact(str(requirement.marker))}"


def split_options(text: str) -> tuple[str, str]:
    """pip's ``break_args_options``: the requirement, then options from the first ``-`` word."""
    words = text.split(" ")
    for index, word in enumerate(words):
        if word.startswith("-"):
            return " ".join(words[:index]), " ".join(words[index:])
    return text, ""


def _row(number: int, shown: str, **fields) -> dict:
    """One drift row; ``shown`` is the line as the report may show it (see ``shown_line``)."""
    row = {
        "file": REQUIREMENTS_FILE,
        "line": number,
        "requirement": shown,
        "name": None,
        "specifier": "",
        "installed": None,
        "satisfied": None,
        "status": "",
        "detail": "",
    }
    row.update(fields)
    row["detail"] = redact(row["detail"])
    return row


def _invalid_detail(error: InvalidRequirement) -> str:
    """What packaging found wrong, without the copy of the line its message may carry."""
    message = getattr(error, "message", None) or (str(error).splitlines() or ["invalid"])[0]
    # "Invalid specifier: '<the text>'": keep the words, not the text.
    return message.split(": '", 1)[0].split(': "', 1)[0]


def check_requirement(number: int, text: str, installed: dict[str, str]) -> dict:
    """One row of the drift table for one requirement line."""
    if text.lower().startswith(URL_PREFIXES):
        detail = "a URL or path, not a named requirement"
        return _row(number, shown_line(text), status="unchecked", detail=detail)
    # Per-requirement pip options (--hash, --config-settings) follow the requirement.
    requirement_text = split_options(text)[0].strip()
    try:
        requirement = Requirement(requirement_text)
    except InvalidRequirement as error:
        detail = _invalid_detail(error)
        return _row(number, shown_line(text), status="invalid", satisfied=False, detail=detail)
    shown = shown_requirement(requirement, requirement_text)
    name = canonicalize_name(requirement.name)
    specifier = str(requirement.specifier)
    version = installed.get(name)
    fields = {"name": requirement.name, "specifier": specifier, "installed": version}
    if requirement.marker is not None:
        try:
            applies = requirement.marker.evaluate({"extra": ""})
        except Exception as error:  # packaging raises several types for odd markers
            detail = f"marker cannot be evaluated ({error.__class__.__name__})"
            return _row(number, shown, **fields, status="invalid", satisfied=False, detail=detail)
        if not applies:
            detail = "its marker excludes this system"
            return _row(number, shown, **fields, status="skipped", detail=detail)
    if version is None:
        return _row(
            number, shown, **fields, satisfied=False, status="missing", detail="not installed"
        )
    try:
        satisfied = requirement.specifier.contains(Version(version), prereleases=True)
    except InvalidVersion:
        detail = f"installed version {version} is not a valid version"
        return _row(number, shown, **fields, status="invalid", satisfied=False, detail=detail)
    if satisfied:
        return _row(number, shown, **fields, satisfied=True, status="ok")
    detail = f"{version} is installed"
    return _row(number, shown, **fields, satisfied=False, status="mismatch", detail=detail)


def check_requirements(source: Path | str | Iterable[str]) -> list[dict]:
    """Check each requirement line against the installed packages; never raises on bad input.

    ``source`` is a requirements file path, its text, or its lines. Each requirement
    gives one row: ``file``, ``line``, ``requirement``, ``name``, ``specifier``,
    ``installed``, ``satisfied`` (True, False, or None when it cannot apply),
    ``status`` (ok, mismatch, missing, skipped, unchecked, invalid) and ``detail``.
    Files included with ``-r`` are checked too when they are inside the folder of
    ``source``; ``-e`` lines are unchecked; comments and other options (``-c``,
    ``--index-url``, ...) give no row.
    """
    installed = installed_versions()
    if not isinstance(source, Path):
        lines = source.splitlines() if isinstance(source, str) else source
        return list(_check_lines(lines, REQUIREMENTS_FILE, None, installed, set()))
    # pip reads includes relative to the folder that names the file, not to where a
    # link to it leads; a link leading out of that folder is not followed at all.
    folder, resolved = source.parent.resolve(), source.resolve()
    try:
        if not resolved.is_relative_to(folder):
            raise UnreadableFile("a link to a file outside the project folder")
        lines = read_regular_text(source).splitlines()
    except (OSError, UnicodeDecodeError) as error:
        detail = f"{source.name} cannot be read ({why_unreadable(error)})"
        return [_row(0, source.name, status="invalid", satisfied=False, detail=detail)]
    return list(_check_lines(lines, source.name, folder, installed, {resolved}))


def _check_lines(
    lines: Iterable[str], file: str, root: Path | None, installed: dict, seen: set
) -> Iterable[dict]:
    """Rows for the lines of ``file``, a path relative to ``root`` (None: lines not from disk)."""
    for number, text in _logical_lines(lines):
        include = INCLUDE.fullmatch(text)
        if include:
            yield from _check_included(number, text, file, root, include["path"], installed, seen)
            continue
        if EDITABLE.match(text):
            detail = "an editable install, not checked"
            row = _row(number, shown_line(text), status="unchecked", detail=detail)
        elif text.startswith("-"):
            continue
        else:
            row = check_requirement(number, text, installed)
        row["file"] = file
        yield row


def _check_included(
    number: int, text: str, file: str, root: Path | None, target: str, installed, seen: set
) -> Iterable[dict]:
    """The rows of the file a ``-r`` line includes, or one row saying why it is not read."""
    shown = shown_line(text)
    if INCLUDED_URL.match(target):
        detail = "an included file named by a URL, not read"
        yield _row(number, shown, file=file, status="unchecked", detail=detail)
        return
    # pip reads the path relative to the file that names it.
    path = (root / file).parent.joinpath(target).resolve() if root else None
    if path is None or not path.is_relative_to(root):
        where = "outside the project folder" if path else "named in text, not in a file"
        yield _row(number, shown, file=file, status="unchecked", detail=f"an included file {where}")
        return
    if path in seen:  # included before: its rows are in the table already
        return
    seen.add(path)
    try:
        lines = read_regular_text(path).splitlines()
    except (OSError, UnicodeDecodeError) as error:
        detail = f"{target} cannot be read ({why_unreadable(error)})"
        yield _row(number, shown, file=file, status="invalid", satisfied=False, detail=detail)
        return
    yield from _check_lines(lines, path.relative_to(root).as_posix(), root, installed, seen)


def line_label(row: dict) -> str:
    """Where a drift row comes from: ``3`` in requirements.txt, ``base.txt:3`` elsewhere."""
    if row["file"] == REQUIREMENTS_FILE:
        return str(row["line"])
    return f"{row['file']}:{row['line']}"


@cache
def top_level_modules(name: str) -> tuple[str, ...]:
    """Top-level modules of the installed distribution ``name``, read once per process.

    Its ``top_level.txt`` where present, else the first part of each file it
    installed. Only the distributions a report asks about are read, not all of them.
    """
    try:
        distribution = metadata.distribution(name)
        declared = distribution.read_text("top_level.txt")
        files = distribution.files if declared is None else None
    except Exception:  # unreadable metadata must not take the report down
        return ()
    if declared is not None:
        return tuple(sorted({line.strip() for line in declared.splitlines() if line.strip()}))
    modules = set()
    for path in files or ():
        top = path.parts[0] if path.parts else ""
        if top.endswith((".dist-info", ".egg-info", ".data")) or top in ("..", "__pycache__"):
            continue
        if len(path.parts) > 1 or top.endswith(".py"):
            modules.add(top.removesuffix(".py"))
    return tuple(sorted(module for module in modules if module.isidentifier()))


def _loaded_version(module_name: str) -> str | None:
    """``__version__`` of an already imported module; nothing is imported here."""
    module = sys.modules.get(module_name)
    try:
        loaded = getattr(module, "__version__", None)
    except Exception:  # a module-level __getattr__ may raise anything
        return None
    return loaded if isinstance(loaded, str) else None


def _runs_another(loaded: Version, installed: str) -> bool:
    """Whether a module's ``__version__`` names another release than the installed one.

    A module often leaves out the post-release or local part of its distribution's
    version (certifi 2026.10.19 installed as 2026.10.19.post1): that is the same release.
    """
    version = Version(installed)
    epoch = f"{version.epoch}!" if version.epoch else ""
    pre = "".join(map(str, version.pre)) if version.pre else ""
    dev = f".dev{version.dev}" if version.dev is not None else ""
    without_post = Version(f"{epoch}{'.'.join(map(str, version.release))}{pre}{dev}")
    return loaded not in (version, without_post)


def loaded_version_mismatches(drift: list[dict]) -> list[dict]:
    """Packages whose imported module reports another version than the installed one.

    A requirement names a distribution (scikit-learn, Pillow, PyYAML); its modules
    (sklearn, PIL, yaml) come from the installed metadata. A package upgraded under
    a running server shows up here until the server restarts.
    """
    mismatches = []
    for row in drift:
        if not row["name"] or not row["installed"]:
            continue
        for module_name in top_level_modules(canonicalize_name(row["name"])):
            loaded = _loaded_version(module_name)
            try:
                differs = loaded is not None and _runs_another(Version(loaded), row["installed"])
            except InvalidVersion:
                continue
            if differs:
                mismatches.append(
                    {"name": row["name"], "loaded": loaded, "installed": row["installed"]}
                )
                break
    return mismatches
