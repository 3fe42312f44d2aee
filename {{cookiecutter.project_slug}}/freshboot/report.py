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

from freshboot import process
from freshboot.gitinfo import git_commit
from freshboot.requirements import (
    REQUIREMENTS_FILE,
    check_requirements,
    installed_versions,
    line_label,
    loaded_version_mismatches,
)
from freshboot.stamps import STAMP_FILES, TIME_FORMAT, read_stamps

REBOOT = (
    "reboot the app (Community Cloud dashboard → app menu (⋮) → Reboot app; locally: stop"
    " streamlit and start it again)"
)
REINSTALL = (
    "reboot the app so Community Cloud installs requirements.txt again (Community Cloud"
    " dashboard → app menu (⋮) → Reboot app; locally: pip install -r requirements.txt, then"
    " restart streamlit)"
)


def process_info() -> dict:
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


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def findings(state, drift: list[dict], mismatches: list[dict]) -> list[dict]:
    """Everything that keeps the verdict from being fresh, most important first."""
    found = []
    newest = state.newest_time
    if newest is not None and newest > process.BOOT_TIME:
        found.append(
            {
                "verdict": "stale",
                "reason": f"the server booted at {process.BOOT_TIME.strftime(TIME_FORMAT)},"
                f" before the newest stamp on disk ({newest.strftime(TIME_FORMAT)})",
                "next_step": REBOOT,
            }
        )
    unmet = [row for row in drift if row["status"] in ("missing", "mismatch")]
    if unmet:
        first = unmet[0]
        have = f"{first['installed']} is installed" if first["installed"] else "it is not installed"
        more = f" ({_plural(len(unmet), 'requirement')} not met)" if len(unmet) > 1 else ""
        found.append(
            {
                "verdict": "stale",
                "reason": f"{REQUIREMENTS_FILE} asks for {first['requirement']} but {have}{more}",
                "next_step": REINSTALL,
            }
        )
    if mismatches:
        first = mismatches[0]
        found.append(
            {
                "verdict": "stale",
                "reason": f"{first['name']} {first['installed']} is installed but this process"
                f" still runs {first['loaded']}",
                "next_step": REBOOT,
            }
        )
    if state.problems:
        found.append(
            {
                "verdict": "unknown",
                "reason": f"the stamps cannot be trusted: {state.problems[0]}",
                "next_step": "run python scripts/bump.py check, repair the stamps as it says"
                " and push",
            }
        )
    invalid = [row for row in drift if row["status"] == "invalid"]
    if invalid:
        found.append(_invalid_requirements_finding(invalid[0]))
    return found


def _invalid_requirements_finding(first: dict) -> dict:
    if first["line"] == 0:  # the file itself cannot be read
        return {
            "verdict": "unknown",
            "reason": first["detail"],
            "next_step": f"restore {REQUIREMENTS_FILE} as UTF-8 text, then bump and push",
        }
    return {
        "verdict": "unknown",
        "reason": f"{first['file']} line {first['line']} cannot be checked ({first['detail']})",
        "next_step": f"fix line {first['line']} of {first['file']} (pip cannot install it"
        " either), then bump and push",
    }


def build_report(root: Path) -> dict:
    """The whole report for the project at ``root``, as JSON-ready data."""
    root = Path(root)
    state = read_stamps(root)
    drift = check_requirements(root / REQUIREMENTS_FILE)
    mismatches = loaded_version_mismatches(drift)
    found = findings(state, drift, mismatches)
    if found:
        worst = "stale" if any(f["verdict"] == "stale" for f in found) else "unknown"
        first = next(f for f in found if f["verdict"] == worst)
        verdict, reason, next_step = worst, first["reason"], first["next_step"]
    else:
        verdict = "fresh"
        reason = (
            "the server booted after the newest stamp and the installed packages satisfy"
            f" {REQUIREMENTS_FILE}"
        )
        next_step = "nothing to do"
    process = process_info()
    newest = state.newest_time
    return {
        "verdict": verdict,
        "reason": reason,
        "next_step": next_step,
        "findings": found,
        "version": state.version,
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
        "drift": drift,
        "loaded_version_mismatches": mismatches,
        "pid": process["pid"],
        "boot_time": process["boot_time"],
        "process": process,
        "checked_at": datetime.now(UTC).strftime(TIME_FORMAT),
    }


# --- text --------------------------------------------------------------------


def _table(rows: list[tuple[str, str]], indent: str = "  ") -> list[str]:
    width = max((len(label) for label, _ in rows), default=0)
    return [f"{indent}{label.ljust(width)}  {value}" for label, value in rows]


def format_report(report: dict, source: str | None = None) -> str:
    """The report as plain text for a terminal.

    ``source`` names where the report came from (e.g. "the server at URL"); without
    it the report is this environment's own, built by the process printing it.
    """
    where = source or "this environment (not a running server)"
    lines = [
        f"Verdict: {report['verdict'].upper()}: {report['reason']}.",
        f"Next step: {report['next_step']}.",
        f"Reported by {where}.",
        "",
        "Deployment",
    ]
    stamps = report["stamps"]
    git = report.get("git") or {}
    commit = (git.get("commit") or "no commit")[:12]
    rows = [("DEPLOYMENT_VERSION", report["version"] or "not found")]
    for name in STAMP_FILES:
        stamp = stamps.get(name)
        rows.append((name, f"{stamp['version']} {stamp['time']}" if stamp else "no valid stamp"))
    rows.append(("stamps agree", "yes" if report["stamps_agree"] else "no"))
    rows.append(("git", f"{git.get('branch') or 'detached'} at {commit}" if git else "none"))
    lines += _table(rows)
    lines += [f"  ! {problem}" for problem in report["stamp_problems"]]
    process = report["process"]
    process_rows = [
        ("pid", str(process["pid"])),
        ("booted", f"{process['boot_time']} (up {process['uptime_seconds']} s)"),
    ]
    if source is None:
        versions = runtime_versions()
        process_rows.append(("python", versions["python"]))
        process_rows.append(("streamlit", versions["streamlit"] or "not installed"))
        lines += ["", "Process (the one that built this report)"]
    else:
        lines += ["", "Process (the server's)"]
    lines += _table(process_rows)
    lines += ["", f"Requirements ({REQUIREMENTS_FILE})"]
    drift_rows = [
        (
            f"line {line_label(row)}",
            f"{row['status']:<9} {row['requirement']}"
            + (f"  installed {row['installed']}" if row["installed"] else "")
            + (f"  ({row['detail']})" if row["detail"] and row["status"] != "mismatch" else ""),
        )
        for row in report["drift"]
    ]
    lines += _table(drift_rows) if drift_rows else ["  no requirements"]
    for mismatch in report["loaded_version_mismatches"]:
        lines.append(
            f"  ! {mismatch['name']}: {mismatch['installed']} installed,"
            f" {mismatch['loaded']} loaded in this process"
        )
    return "\n".join(lines) + "\n"
