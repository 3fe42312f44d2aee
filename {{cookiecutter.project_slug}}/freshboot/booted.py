# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""What this process booted with, recorded once, to compare with what is on disk now.

Under ``streamlit run serve.py`` the record is made when the server starts; under
``streamlit run app.py`` (Community Cloud) when app.py first runs, at the first
page view. Standard library only, and cheap: three small files and .git/HEAD.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from freshboot.code_drift import CodeWatch
from freshboot.config_drift import read_config
from freshboot.gitinfo import git_commit
from freshboot.python_pin import running_python
from freshboot.stamps import TIME_FORMAT, read_stamps


@dataclass(frozen=True)
class Booted:
    version: str | None
    stamp: str | None  # the newest stamp time on disk at boot
    commit: str | None
    python: str
    recorded_at: str
    config: dict | None  # .streamlit/config.toml as the process read it at boot
    code: CodeWatch

    def public(self) -> dict:
        """The part the public report shows."""
        return {
            "version": self.version,
            "stamp": self.stamp,
            "commit": self.commit,
            "python": self.python,
            "recorded_at": self.recorded_at,
        }


_lock = threading.Lock()
# One record per project folder: a server serves one, a test process may load several.
_records: dict[Path, Booted] = {}


def record(root: Path, version: str | None = None) -> Booted:
    """The record for ``root``, made on the first call; ``version`` as app.py states it."""
    root = Path(root).resolve()
    with _lock:
        if root not in _records:
            state = read_stamps(root)
            newest = state.newest_time
            code = CodeWatch(root)
            code.changed()  # fingerprint what is imported now
            _records[root] = Booted(
                version=version if version is not None else state.version,
                stamp=newest.strftime(TIME_FORMAT) if newest else None,
                commit=(git_commit(root) or {}).get("commit"),
                python=running_python(),
                recorded_at=datetime.now(UTC).strftime(TIME_FORMAT),
                config=read_config(root),
                code=code,
            )
        return _records[root]


def recorded(root: Path) -> Booted | None:
    """The record for ``root``, or None when no app of that folder ran in this process."""
    return _records.get(Path(root).resolve())
