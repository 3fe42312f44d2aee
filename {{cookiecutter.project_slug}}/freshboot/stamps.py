"""Read the three deployment stamps. Standard library only: scripts/bump.py uses it too.

The stamps are ``DEPLOYMENT_VERSION = "X.Y.Z"`` in app.py and a
``# freshboot: X.Y.Z YYYY-MM-DDTHH:MM:SSZ`` line in requirements.txt and in
.streamlit/config.toml. A push that changes them changes the files Community
Cloud watches, which makes it reinstall and reboot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

VERSION_FILE = "app.py"
STAMP_FILES = ("requirements.txt", ".streamlit/config.toml")
STAMP_PREFIX = "# freshboot:"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

VERSION_LINE = re.compile(r"""^DEPLOYMENT_VERSION\s*=\s*(["'])(?P<version>[^"']*)\1\s*(#.*)?$""")
STAMP_LINE = re.compile(r"^# freshboot: (?P<version>\S+) (?P<time>\S+)\s*$")


@dataclass(frozen=True)
class Stamp:
    version: str
    time: datetime

    def text(self) -> str:
        return f"{STAMP_PREFIX} {self.version} {self.time.strftime(TIME_FORMAT)}"


@dataclass
class Stamps:
    """What the project's files say; ``problems`` lists each file that is off."""

    version: str | None
    stamps: dict[str, Stamp | None]
    problems: list[str] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return not self.problems

    @property
    def newest_time(self) -> datetime | None:
        times = [stamp.time for stamp in self.stamps.values() if stamp]
        return max(times) if times else None


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=timezone.utc)


def parse_stamp_line(line: str) -> Stamp | None:
    match = STAMP_LINE.match(line.strip("\ufeff"))
    if not match:
        return None
    try:
        return Stamp(match["version"], parse_time(match["time"]))
    except ValueError:
        return None


def find_version(text: str) -> str | None:
    for line in text.lstrip("\ufeff").splitlines():
        match = VERSION_LINE.match(line)
        if match:
            return match["version"]
    return None


def find_stamps(text: str) -> list[Stamp | None]:
    """Every stamp line in ``text``; an unreadable one is ``None``."""
    return [
        parse_stamp_line(line)
        for line in text.splitlines()
        if line.lstrip("\ufeff").startswith(STAMP_PREFIX)
    ]


def read_stamps(root: Path) -> Stamps:
    root = Path(root)
    problems = []
    try:
        version = find_version((root / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        version = None
        problems.append(f"{VERSION_FILE}: cannot be read ({error.__class__.__name__})")
    else:
        if version is None:
            problems.append(f'{VERSION_FILE}: no DEPLOYMENT_VERSION = "X.Y.Z" line')
    stamps: dict[str, Stamp | None] = {}
    for name in STAMP_FILES:
        stamps[name] = None
        try:
            found = find_stamps((root / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{name}: cannot be read ({error.__class__.__name__})")
            continue
        if not found:
            problems.append(f"{name}: no '{STAMP_PREFIX} VERSION TIME' line")
        elif len(found) > 1:
            problems.append(f"{name}: {len(found)} stamp lines; keep exactly one")
        elif found[0] is None:
            expected = f"{STAMP_PREFIX} X.Y.Z YYYY-MM-DDTHH:MM:SSZ"
            problems.append(f"{name}: stamp line is not '{expected}'")
        else:
            stamps[name] = found[0]
            if version is not None and found[0].version != version:
                problems.append(
                    f"{name}: stamp says {found[0].version}, {VERSION_FILE} says {version}"
                )
    readable = [stamp for stamp in stamps.values() if stamp]
    if len(readable) == len(STAMP_FILES) and len({stamp.text() for stamp in readable}) > 1:
        problems.append("the stamp lines of " + " and ".join(STAMP_FILES) + " differ")
    return Stamps(version=version, stamps=stamps, problems=problems)
