# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The health report: is what runs now what was pushed, in the environment it asks for?

One implementation serves the /health page, the /api/health endpoint, the boot
log line and ``python scripts/bump.py status``. ``build_report`` returns plain
JSON-ready data; ``format_report`` turns it into text for a terminal.

The report is public (``/api/health`` answers anyone): it never holds environment
values, secrets, tokens in requirement URLs, paths outside the project, or details
of the operating system.
"""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from freshboot import process, uv_lock
from freshboot.booted import Booted, recorded
from freshboot.config_drift import CONFIG_FILE, config_drift, read_config
from freshboot.dependency_files import cloud_dependency
from freshboot.gitinfo import git_commit
from freshboot.python_pin import PIN_FILE, pinned_python, running_python
from freshboot.requirements import (
    REQUIREMENTS_FILE,
    check_requirements,
    installed_versions,
    loaded_version_mismatches,
)
from freshboot.rows import deployment_rows, drift_rows, process_rows
from freshboot.secrets_check import EXAMPLE_FILE, missing_secrets, required_secrets
from freshboot.shape import (
    DriftRow,
    Finding,
    LoadedMismatch,
    ProcessShown,
    Report,
    Verdict,
    severity,
)
from freshboot.stamps import TIME_FORMAT, read_stamps

REBOOT = (
    "reboot the app (Community Cloud dashboard → app menu (⋮) → Reboot app; locally: stop"
    " streamlit and start it again)"
)
REINSTALL = (
    "reboot the app so Community Cloud installs requirements.txt again (Community Cloud"
    " dashboard → app menu (⋮) → Reboot app; locally: pip install -r requirements.txt, then"
    " restart streamlit)"
)
UV_REINSTALL = (
    "reboot the app so Community Cloud installs uv.lock again (Community Cloud dashboard → app"
    " menu (⋮) → Reboot app; locally: uv sync --locked, then restart streamlit)"
)


def process_info() -> ProcessShown:
    """The server process, as the public report shows it: no Python or system versions."""
    return {
        "pid": process.BOOT_PID,
        "boot_time": process.BOOT_TIME.strftime(TIME_FORMAT),
        "uptime_seconds": round(process.uptime_seconds()),
    }


def runtime_versions() -> dict:
    """Python and Streamlit versions of this process, for the /health page and the terminal."""
    streamlit = sys.modules.get("streamlit")
    return {
        "python": platform.python_version(),
        "streamlit": getattr(streamlit, "__version__", None)
        or installed_versions().get("streamlit"),
    }


# --- verdict -------------------------------------------------------------------

SECRETS_FIX = (
    "add them to the app's secrets (Community Cloud: app menu (⋮) → Settings → Secrets;"
    " locally: .streamlit/secrets.toml); the app reads them again without a restart"
)


def _finding(cause: str, verdict: Verdict, reason: str, next_step: str) -> Finding:
    return {"cause": cause, "verdict": verdict, "reason": reason, "next_step": next_step}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _names(names: list[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _deployed(version: str | None, stamp: str | None) -> str:
    return f"{version or 'no version'} (stamped {stamp or 'never'})"


def _boot_finding(state, booted: Booted | None) -> Finding | None:
    """The process runs an older deploy than the one on disk."""
    newest = state.newest_time
    on_disk_stamp = newest.strftime(TIME_FORMAT) if newest else None
    if booted is not None and (booted.version, booted.stamp) != (state.version, on_disk_stamp):
        reason = (
            f"this process runs {_deployed(booted.version, booted.stamp)} but"
            f" {_deployed(state.version, on_disk_stamp)} is on disk"
        )
        return _finding("booted-before-push", "stale", reason, REBOOT)
    if newest is not None and newest > process.BOOT_TIME:
        reason = (
            f"this process started at {process.BOOT_TIME.strftime(TIME_FORMAT)}, before the"
            f" newest stamp on disk ({on_disk_stamp})"
        )
        return _finding("booted-before-push", "stale", reason, REBOOT)
    return None


def _requirements_findings(
    drift: list[DriftRow], mismatches: list[LoadedMismatch]
) -> list[Finding]:
    found = []
    unmet = [row for row in drift if row["status"] in ("missing", "mismatch")]
    if unmet:
        first = unmet[0]
        have = f"{first['installed']} is installed" if first["installed"] else "it is not installed"
        more = f" ({_plural(len(unmet), 'requirement')} not met)" if len(unmet) > 1 else ""
        reason = f"{first['file']} asks for {first['requirement']} but {have}{more}"
        fix = UV_REINSTALL if first["file"] == uv_lock.LOCK else REINSTALL
        found.append(_finding("requirements-unmet", "stale", reason, fix))
    if mismatches:
        first = mismatches[0]
        reason = (
            f"{first['name']} {first['installed']} is installed but this process still runs"
            f" {first['loaded']}"
        )
        found.append(_finding("loaded-version", "stale", reason, REBOOT))
    invalid = [row for row in drift if row["status"] == "invalid"]
    if invalid:
        found.append(_invalid_requirements_finding(invalid[0]))
    return found


def _invalid_requirements_finding(first: DriftRow) -> Finding:
    if first["line"] == 0:  # the file itself cannot be read
        fix = f"restore {first['file']} as UTF-8 text, then bump and push"
        return _finding("requirements-invalid", "unknown", first["detail"], fix)
    return _finding(
        "requirements-invalid",
        "unknown",
        f"{first['file']} line {first['line']} cannot be checked ({first['detail']})",
        f"fix line {first['line']} of {first['file']} (pip cannot install it either), then"
        " bump and push",
    )


def _python_finding(pinned: str | None, running: str) -> Finding | None:
    if pinned is None or pinned == running:
        return None
    reason = f"this process runs Python {running} but {PIN_FILE} asks for {pinned}"
    fix = (
        f"on Community Cloud, delete the app and deploy it again choosing Python {pinned} under"
        f" Advanced settings (it cannot be changed in place); locally, run Python {pinned}"
    )
    return _finding("python-version", "stale", reason, fix)


def findings(state, drift: list[DriftRow], facts: dict) -> list[Finding]:
    """Everything that keeps the verdict from being fresh, worst first."""
    found = []
    if facts["secrets_missing"]:
        reason = (
            f"the app's secrets lack {_names(facts['secrets_missing'])}, which {EXAMPLE_FILE} lists"
        )
        found.append(_finding("secrets-missing", "broken", reason, SECRETS_FIX))
    boot_finding = _boot_finding(state, facts["booted"])
    if boot_finding:
        found.append(boot_finding)
    dependency = facts["dependency"]
    if dependency.problem:
        found.append(_finding("dependency-file", "stale", dependency.problem, dependency.fix))
    found += _requirements_findings(drift, facts["loaded_version_mismatches"])
    if facts["config_drift"]:
        reason = (
            f"{CONFIG_FILE} changed {_names(facts['config_drift'])} after this process started;"
            " Streamlit reads that only when the server starts"
        )
        found.append(_finding("config-drift", "stale", reason, REBOOT))
    if facts["code_drift"]:
        reason = (
            f"{_names(facts['code_drift'])} changed on disk after this process imported it;"
            " Streamlit re-runs pages but keeps imported modules"
        )
        found.append(_finding("code-drift", "stale", reason, REBOOT))
    python_finding = _python_finding(facts["python_pinned"], running_python())
    if python_finding:
        found.append(python_finding)
    if state.problems:
        found.append(
            _finding(
                "stamps-untrusted",
                "unknown",
                f"the stamps cannot be trusted: {state.problems[0]}",
                "run python scripts/bump.py check, repair the stamps as it says and push",
            )
        )
    if facts["secrets_problem"]:
        fix = f"fix {EXAMPLE_FILE} (names with placeholder values), then push"
        found.append(_finding("secrets-example", "unknown", facts["secrets_problem"], fix))
    return found


def with_verdict(report: Report, fresh_reason: str = "") -> Report:
    """Set ``verdict``, ``reason`` and ``next_step`` from the worst of ``report["findings"]``."""
    found = sorted(report["findings"], key=lambda finding: severity(finding["verdict"]))
    report["findings"] = found
    if not found:
        report.update(verdict="fresh", reason=fresh_reason, next_step="nothing to do")
        return report
    first = found[0]
    report.update(verdict=first["verdict"], reason=first["reason"], next_step=first["next_step"])
    return report


def _fresh_reason(in_server: bool, dependency_file: str = REQUIREMENTS_FILE) -> str:
    if in_server:
        return (
            "this process started after the newest stamp and runs what is on disk: its"
            f" packages satisfy {dependency_file}, and its config, modules, secrets and Python"
            " match the project"
        )
    return (
        f"the stamps agree and this environment's packages satisfy {dependency_file} (this"
        " is not a running server: ask one with python scripts/bump.py status --url URL)"
    )


def checked_dependencies(root: Path) -> tuple[str, list[dict]]:
    """The file the drift rows come from, and the rows: uv.lock's pins under uv."""
    if uv_lock.applies(root):
        return uv_lock.LOCK, uv_lock.check_lock(root)
    return REQUIREMENTS_FILE, check_requirements(root / REQUIREMENTS_FILE)


def build_report(root: Path) -> Report:
    """The whole report for the project at ``root``, as JSON-ready data."""
    root = Path(root)
    state = read_stamps(root)
    checked, drift = checked_dependencies(root)
    booted = recorded(root)
    in_server = booted is not None
    required, secrets_problem = required_secrets(root)
    facts = {
        "booted": booted,
        # Packages the project names itself, as in requirements.txt: a package's own
        # __version__ may differ from its release (certifi's leaves out ".post1").
        "loaded_version_mismatches": loaded_version_mismatches(
            [row for row in drift if row.get("direct", True)]
        ),
        "dependency": cloud_dependency(root),
        "config_drift": config_drift(booted.config, read_config(root)) if booted else [],
        "code_drift": booted.code.changed() if booted else [],
        "python_pinned": pinned_python(root),
        "secrets_missing": missing_secrets(root, required, in_server),
        "secrets_problem": secrets_problem,
    }
    newest = state.newest_time
    report: Report = {
        "verdict": "fresh",
        "reason": "",
        "next_step": "",
        "findings": findings(state, drift, facts),
        "version": state.version,
        "running": booted.public() if booted else None,
        "stamps": {
            name: (
                {"version": stamp.version, "time": stamp.time.strftime(TIME_FORMAT)}
                if stamp
                else None
            )
            for name, stamp in state.stamps.items()
        },
        "stamps_agree": state.agree,
        "stamp_problems": list(state.problems),
        "newest_stamp": newest.strftime(TIME_FORMAT) if newest else None,
        "git": git_commit(root),
        "dependency_file": facts["dependency"].shown,
        "drift": drift,
        "drift_file": checked,
        "loaded_version_mismatches": facts["loaded_version_mismatches"],
        "config_drift": facts["config_drift"],
        "code_drift": facts["code_drift"],
        "secrets": {"required": len(required), "missing": facts["secrets_missing"]},
        "python": {"running": running_python(), "pinned": facts["python_pinned"]},
        "process": process_info(),
        "checked_at": datetime.now(UTC).strftime(TIME_FORMAT),
    }
    return with_verdict(report, _fresh_reason(in_server, checked))


# --- text --------------------------------------------------------------------


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    return [
        indent
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def format_report(report: Report, source: str | None = None) -> str:
    """The report as plain text for a terminal.

    ``source`` names where the report came from (e.g. "the server at URL"); without
    it the report is this environment's own, built by the process printing it.
    """
    where = source or "this environment (not a running server)"
    lines = [
        f"Verdict: {report['verdict'].upper()}: {report['reason']}.",
        f"Next step: {report['next_step']}.",
        f"Reported by {where}.",
    ]
    lines += [
        f"Also {finding['verdict']}: {finding['reason']}." for finding in report["findings"][1:]
    ]
    lines += ["", "Deployment"]
    lines += _table([("", "running", "on disk"), *deployment_rows(report)])
    lines += [f"  ! {problem}" for problem in report["stamp_problems"]]
    process_title = (
        "Process (the server's)" if source else "Process (the one that built this report)"
    )
    lines += ["", process_title]
    process = process_rows(report)
    if source is None:
        versions = runtime_versions()
        process.append(("streamlit", versions["streamlit"] or "not installed"))
    lines += _table(process)
    lines += ["", f"Requirements ({report['drift_file']})"]
    drift = [
        (f"line {line}", status, requirement, f"installed {installed}" if installed else "", detail)
        for status, line, requirement, installed, detail in drift_rows(report)
    ]
    lines += _table(drift) if drift else ["  no requirements"]
    for mismatch in report["loaded_version_mismatches"]:
        lines.append(
            f"  ! {mismatch['name']}: {mismatch['installed']} installed,"
            f" {mismatch['loaded']} loaded in this process"
        )
    return "\n".join(lines) + "\n"
