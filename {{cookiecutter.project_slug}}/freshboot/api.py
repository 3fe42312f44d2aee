# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""GET /api/health: the health report as JSON, for uptime monitors and container probes.

serve.py mounts this route next to the app (``streamlit run serve.py``). The
status is 200 when the verdict is ``fresh`` and 503 otherwise, so a monitor
needs no JSON parsing.

Streamlit's own ``/_stcore/health`` says ``ok`` even when app.py cannot run,
because scripts only run per session. So this endpoint also runs app.py (and so
the default page) the way Streamlit's script health check does, at most once
every ``FRESHBOOT_SCRIPT_CHECK_SECONDS`` (default 30; 0 turns it off), and
answers ``broken`` when it fails.

The report itself is built at most once every ``MEMO_SECONDS``, so a busy monitor
costs little; ``report_age_seconds`` in the JSON says how old the answer is.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from freshboot.report import build_report, with_verdict
from freshboot.shape import Report, ScriptResult

HEALTH_PATH = "/api/health"
INTERVAL_VARIABLE = "FRESHBOOT_SCRIPT_CHECK_SECONDS"
DEFAULT_INTERVAL = 30.0
MEMO_SECONDS = 1.0
HEADERS = {"Cache-Control": "no-store"}


def script_check_interval(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between runs of app.py, from ``FRESHBOOT_SCRIPT_CHECK_SECONDS``; 0 is off.

    A value that is not a number of seconds gets one line in the server log and
    the default, so a typo never takes the endpoint down.
    """
    text = environ.get(INTERVAL_VARIABLE, "").strip()
    if not text:
        return DEFAULT_INTERVAL
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if math.isfinite(seconds) and seconds >= 0:
        return seconds
    print(
        f"freshboot: {INTERVAL_VARIABLE}={text!r} is not a number of seconds (0 turns the"
        f" script check off); checking every {DEFAULT_INTERVAL:g} s",
        file=sys.stderr,
    )
    return DEFAULT_INTERVAL


def _forget_compiled_scripts(runtime) -> None:
    """Make the next run compile app.py and its pages from disk.

    Streamlit keeps compiled scripts in one cache per server and clears it only when
    a session's file watcher sees a change. With no browser session open nothing
    clears it, and the check would run the code of an earlier push for ever.
    """
    cache = getattr(runtime, "_script_cache", None)
    if cache is not None:
        cache.clear()


async def _run_script_check() -> ScriptResult | None:
    """``{"ok", "detail"}`` from running app.py once, or None outside a Streamlit server."""
    from streamlit import runtime

    if not runtime.exists():
        return None
    instance = runtime.get_instance()
    _forget_compiled_scripts(instance)
    ok, detail = await instance.does_script_run_without_error()
    return {"ok": bool(ok), "detail": str(detail)}


class Memo:
    """The result of ``compute`` (a coroutine function), made again once it is ``seconds``
    old, by one caller at a time while the others wait for it."""

    def __init__(self, seconds: float, compute):
        self.seconds = seconds
        self.compute = compute
        self._value = None
        self._made_at = -math.inf
        self._lock: asyncio.Lock | None = None  # made in the server's event loop

    @property
    def age(self) -> float:
        return time.monotonic() - self._made_at

    async def get(self):
        if self._lock is None:
            self._lock = asyncio.Lock()
        if self.age >= self.seconds:
            async with self._lock:
                if self.age >= self.seconds:  # another caller may have made it meanwhile
                    self._value = await self.compute()
                    self._made_at = time.monotonic()
        return self._value


class ScriptCheck:
    """The latest run of app.py, repeated once it is older than ``interval`` seconds."""

    def __init__(self, interval: float):
        self.interval = interval
        self._runs = Memo(interval, _run_script_check)

    async def latest(self) -> ScriptResult | None:
        if self.interval == 0:
            return {"ok": None, "detail": f"off ({INTERVAL_VARIABLE}=0)"}
        return await self._runs.get()


def with_script_check(report: Report, script: ScriptResult | None) -> Report:
    """Add the script check to ``report``; a script that fails makes the verdict ``broken``."""
    report["script"] = script
    if script is not None and script["ok"] is False:
        report["findings"].append(
            {
                "cause": "script-fails",
                "verdict": "broken",
                "reason": f"app.py or its default page fails when Streamlit runs it"
                f" ({script['detail']})",
                "next_step": "open the app to see the error (or read the server log), fix it"
                " and push",
            }
        )
        with_verdict(report)
    return report


def status_code(report: Report) -> int:
    return 200 if report["verdict"] == "fresh" else 503


class MemoizedReport:
    """The JSON answer, built at most once every ``MEMO_SECONDS``."""

    def __init__(self, root: Path, script_check: ScriptCheck):
        self.root = root
        self.script_check = script_check
        self._answers = Memo(MEMO_SECONDS, self._build)

    async def _build(self) -> tuple[bytes, int]:
        report = await run_in_threadpool(build_report, self.root)
        report = with_script_check(report, await self.script_check.latest())
        # Serialised once; each answer appends only its age before the closing brace.
        return json.dumps(report, ensure_ascii=False).encode()[:-1], status_code(report)

    async def answer(self) -> Response:
        body, status = await self._answers.get()
        body += b', "report_age_seconds": %.3f}' % self._answers.age
        return Response(body, status, headers=HEADERS, media_type="application/json")


def health_route(root: Path) -> Route:
    """The ``/api/health`` route for the project at ``root``; reads the interval once, now."""
    memo = MemoizedReport(Path(root), ScriptCheck(script_check_interval()))

    async def health(request: Request) -> Response:
        return await memo.answer()

    return Route(HEALTH_PATH, health, methods=["GET"])
