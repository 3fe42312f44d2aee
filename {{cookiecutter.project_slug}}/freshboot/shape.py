# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The shape of the health report: what /api/health answers and every view reads.

Plain JSON data, typed: ``build_report`` returns a ``Report`` and the page, the
terminal text, the boot line and ``bump.py status`` read these keys and no others.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Verdict = Literal["broken", "stale", "unknown", "fresh"]
# Worst first: a report's verdict is the worst of its findings; fresh when it has none.
SEVERITY: tuple[Verdict, ...] = ("broken", "stale", "unknown", "fresh")


class Finding(TypedDict):
    cause: str  # e.g. "booted-before-push"; the README's verdict table lists them
    verdict: Verdict
    reason: str
    next_step: str


class StampShown(TypedDict):
    version: str
    time: str


class GitShown(TypedDict):
    commit: str | None
    branch: str | None


class Running(TypedDict):
    """What the process booted with; ``Report.running`` is None outside a server."""

    version: str | None
    stamp: str | None
    commit: str | None
    python: str
    recorded_at: str


class DriftRow(TypedDict):
    file: str
    line: int
    requirement: str  # credentials redacted
    name: str | None
    specifier: str
    installed: str | None
    satisfied: bool | None
    status: str  # ok, mismatch, missing, skipped, unchecked, invalid
    detail: str
    direct: NotRequired[bool]  # uv.lock rows: a dependency of the project itself


class LoadedMismatch(TypedDict):
    name: str
    loaded: str
    installed: str


class SecretsShown(TypedDict):
    required: int
    missing: list[str]  # names only, never values


class PythonShown(TypedDict):
    running: str
    pinned: str | None


class ProcessShown(TypedDict):
    pid: int
    boot_time: str
    uptime_seconds: int


class ScriptResult(TypedDict):
    ok: bool | None  # None: the check is off
    detail: str


class Report(TypedDict, total=False):
    verdict: Verdict
    reason: str
    next_step: str
    findings: list[Finding]
    version: str | None  # DEPLOYMENT_VERSION on disk
    running: Running | None
    stamps: dict[str, StampShown | None]
    stamps_agree: bool
    stamp_problems: list[str]
    newest_stamp: str | None
    git: GitShown | None
    dependency_file: str | None
    drift_file: str  # what the drift rows check: requirements.txt, or uv.lock in a uv project
    drift: list[DriftRow]
    loaded_version_mismatches: list[LoadedMismatch]
    config_drift: list[str]
    code_drift: list[str]
    secrets: SecretsShown
    python: PythonShown
    process: ProcessShown
    checked_at: str
    script: ScriptResult | None  # /api/health only
    report_age_seconds: float  # /api/health only


def severity(verdict: str) -> int:
    return SEVERITY.index(verdict)
