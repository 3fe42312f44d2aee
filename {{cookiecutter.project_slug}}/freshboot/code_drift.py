# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""Project modules whose source changed on disk after this process imported them.

Streamlit runs app.py and the page scripts again from disk, but a module they
import (``app_info``, a helper package, ``freshboot`` itself after a template
update) keeps the code it was imported with until the process restarts.

Each imported module inside the project is fingerprinted by its content the first
time it is seen (at boot for what app.py imports). Later checks only ``stat`` the
files, and hash one again only when its size or modification time moved, so a
check costs a few system calls, not a read of the tree; a file touched but not
changed is not drift.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from pathlib import Path

# Folders inside a project that hold installed packages or tools, not project code.
NOT_PROJECT_CODE = frozenset({"site-packages", "dist-packages", "node_modules"})


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as source:
            return hashlib.sha256(source.read()).hexdigest()
    except OSError:
        return None


def _signature(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


class CodeWatch:
    """Fingerprints of the project's imported modules, taken once per module per process."""

    def __init__(self, root: Path):
        self.root = str(Path(root).resolve()) + os.sep
        self._seen: dict[str, tuple[str, tuple[int, int] | None, str | None]] = {}
        self._lock = threading.Lock()

    def _project_modules(self) -> dict[str, str]:
        """``{file: module name}`` of imported modules whose source is in the project."""
        found = {}
        for name, module in list(sys.modules.items()):
            if name == "__main__":  # the script Streamlit runs (app.py, a page): run from disk
                continue
            path = getattr(module, "__file__", None)
            if not isinstance(path, str) or not path.endswith(".py"):
                continue
            if not path.startswith(self.root):
                continue
            parts = path[len(self.root) :].split(os.sep)
            if any(part in NOT_PROJECT_CODE or part.startswith(".") for part in parts[:-1]):
                continue
            found[path] = name
        return found

    def changed(self) -> list[str]:
        """Names of project modules whose source now differs from what was imported."""
        changed = []
        with self._lock:
            for path, name in self._project_modules().items():
                seen = self._seen.get(path)
                signature = _signature(path)
                if seen is None:
                    self._seen[path] = (name, signature, _digest(path))
                    continue
                _, old_signature, old_digest = seen
                if signature == old_signature:
                    continue
                if _digest(path) == old_digest:  # touched, not changed
                    self._seen[path] = (name, signature, old_digest)
                else:
                    changed.append(name)
        return sorted(changed)
