# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The report as table rows, one definition shared by the /health page and the terminal."""

from __future__ import annotations

from freshboot.requirements import line_label
from freshboot.shape import GitShown, Report

NOT_A_SERVER = "-"


def _commit(git: GitShown | None) -> str:
    if not git:
        return "no repository"
    commit = (git.get("commit") or "no commit")[:12]
    return f"{git.get('branch') or 'detached'} at {commit}" if "branch" in git else commit


def deployment_rows(report: Report) -> list[tuple[str, str, str]]:
    """(what, what this process runs, what is on disk now) for each deployment fact.

    The middle column is the process's record from boot; a report built outside a
    server (``bump.py status``) has none and shows ``-`` there.
    """
    running = report.get("running")

    def ran(key: str) -> str:
        if running is None:
            return NOT_A_SERVER
        value = running.get(key)
        return (value[:12] if key == "commit" else value) if value else "none"

    rows = [
        ("DEPLOYMENT_VERSION", ran("version"), report["version"] or "not found"),
        ("newest stamp", ran("stamp"), report["newest_stamp"] or "none"),
    ]
    for name, stamp in report["stamps"].items():
        rows.append(
            (f"stamp in {name}", "", f"{stamp['version']} {stamp['time']}" if stamp else "none")
        )
    rows.append(("stamps agree", "", "yes" if report["stamps_agree"] else "no"))
    rows.append(("git commit", ran("commit"), _commit(report["git"])))
    python = report["python"]
    rows.append(("Python", python["running"], python["pinned"] or "not pinned"))
    rows.append(("dependency file Cloud uses", "", report["dependency_file"] or "none"))
    return rows


def process_rows(report: Report) -> list[tuple[str, str]]:
    process = report["process"]
    return [
        ("boot time (UTC)", process["boot_time"]),
        ("uptime", f"{process['uptime_seconds']} s"),
        ("pid", str(process["pid"])),
    ]


def drift_rows(report: Report) -> list[tuple[str, str, str, str, str]]:
    """(status, line, requirement, installed, detail); the detail never repeats the version."""
    return [
        (
            row["status"],
            line_label(row),
            row["requirement"],
            row["installed"] or "",
            "" if row["status"] == "mismatch" else row["detail"],
        )
        for row in report["drift"]
    ]
