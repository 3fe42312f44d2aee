"""Whether this render is a bake or a cruft re-render, read from the call stack.

cruft renders the template from its own modules and sets no variable or context
key that marks an update (``_commit`` is in the context of ``cruft create`` too,
and an update's output folder is a temporary folder like many a bake's), so the
stack is the one reliable witness. The module names it reads are those of cruft
2.15 and 2.16, the range projects pin in requirements-dev.txt; the template's
tests run a create and an update with each. Only
``cruft create`` makes a project; every other cruft caller (``update`` and
``diff``, through ``cruft._commands.utils.generate``) renders into a throw-away
directory to compute a diff. Unknown cruft modules count as re-renders: skipping
git work in a real project costs one command, git work in a re-render breaks
updates.
"""

from __future__ import annotations

import sys

CRUFT_PACKAGE = "cruft"
CRUFT_CREATE_MODULE = "cruft._commands.create"


def render_mode() -> str:
    """``cruft-rerender``, ``cruft-create`` or ``create``; the innermost cruft frame decides.

    No cruft frame means plain cookiecutter (the CLI, ``cookiecutter()`` or pytest-cookies).
    """
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__") or ""
        if module == CRUFT_PACKAGE or module.startswith(CRUFT_PACKAGE + "."):
            return "cruft-create" if module == CRUFT_CREATE_MODULE else "cruft-rerender"
        frame = frame.f_back
    return "create"
