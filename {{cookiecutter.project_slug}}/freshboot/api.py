"""GET /api/health: the health report as JSON, for uptime monitors and container probes.

serve.py mounts this route next to the app (``streamlit run serve.py``). The
status is 200 when the verdict is ``fresh`` and 503 otherwise, so a monitor
needs no JSON parsing.

Streamlit's own ``/_stcore/health`` says ``ok`` even when app.py cannot run,
because scripts only run per session. So this endpoint also runs app.py the
way Streamlit's script health check does, at most once per
``SCRIPT_CHECK_SECONDS``, and answers ``broken`` when it fails.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from freshboot.report import build_report

HEALTH_PATH = "/api/health"
SCRIPT_CHECK_SECONDS = 30.0
NO_STORE = {"Cache-Control": "no-store"}

_script_check: dict | None = None
_script_checked_at = float("-inf")
_script_lock: asyncio.Lock | None = None


async def _run_script_check() -> dict | None:
    """``{"ok", "detail"}`` from running app.py once, or None outside a Streamlit server."""
    from streamlit import runtime

    if not runtime.exists():
        return None
    ok, detail = await runtime.get_instance().does_script_run_without_error()
    return {"ok": bool(ok), "detail": str(detail)}


async def script_check() -> dict | None:
    """The latest script check, run again once it is older than ``SCRIPT_CHECK_SECONDS``."""
    global _script_check, _script_checked_at, _script_lock
    if _script_lock is None:
        _script_lock = asyncio.Lock()
    async with _script_lock:
        if time.monotonic() - _script_checked_at >= SCRIPT_CHECK_SECONDS:
            _script_check = await _run_script_check()
            _script_checked_at = time.monotonic()
        return _script_check


def with_script_check(report: dict, script: dict | None) -> dict:
    """Add the script check to ``report``; a script that fails makes the verdict ``broken``."""
    report["script"] = script
    if script is not None and not script["ok"]:
        finding = {
            "verdict": "broken",
            "reason": f"app.py fails when Streamlit runs it ({script['detail']})",
            "next_step": "open the app to see the error (or read the server log), fix it and push",
        }
        report["findings"].insert(0, finding)
        report.update(verdict="broken", reason=finding["reason"], next_step=finding["next_step"])
    return report


def status_code(report: dict) -> int:
    return 200 if report["verdict"] == "fresh" else 503


def health_route(root: Path) -> Route:
    """The ``/api/health`` route for the project at ``root``."""
    root = Path(root)

    async def health(request: Request) -> JSONResponse:
        report = await run_in_threadpool(build_report, root)
        report = with_script_check(report, await script_check())
        return JSONResponse(report, status_code=status_code(report), headers=NO_STORE)

    return Route(HEALTH_PATH, health, methods=["GET"])
