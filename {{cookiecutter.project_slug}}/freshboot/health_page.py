"""The /health page: is what runs now what was pushed, in the environment it asks for?

Everything shown comes from ``freshboot.report``; this module only lays it out.
It never shows environment values, secrets, tokens or paths outside the project.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from freshboot.cache_tools import show_cache_utilities
from freshboot.markdown import escape
from freshboot.report import build_report, line_label, runtime_versions

VERDICT_BOXES = {"fresh": st.success, "stale": st.error, "unknown": st.warning}
DRIFT_STATUS_ICONS = {
    "ok": "✅",
    "mismatch": "❌",
    "missing": "❌",
    "invalid": "⚠️",
    "skipped": "➖",
    "unchecked": "➖",
}


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(escape(cell) or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def show_verdict(report: dict) -> None:
    box = VERDICT_BOXES.get(report["verdict"], st.warning)
    box(f"**{report['verdict'].upper()}**: {escape(report['reason'])}.")
    st.write(f"**Next step:** {escape(report['next_step'])}.")
    for finding in report["findings"][1:]:
        st.caption(f"Also {finding['verdict']}: {escape(finding['reason'])}.")


def show_deployment(report: dict) -> None:
    st.subheader("Deployment", anchor=False)
    rows = [["app.py DEPLOYMENT_VERSION", report["version"] or "not found"]]
    for name, stamp in report["stamps"].items():
        rows.append([name, f"{stamp['version']} {stamp['time']}" if stamp else "no valid stamp"])
    rows.append(["stamps agree", "yes" if report["stamps_agree"] else "no"])
    git = report["git"]
    if git:
        rows.append(
            ["git", f"{git['branch'] or 'detached'} at {(git['commit'] or 'no commit')[:12]}"]
        )
    st.markdown(markdown_table(["What", "Value"], rows))
    for problem in report["stamp_problems"]:
        st.warning(escape(problem))


def show_process(report: dict) -> None:
    st.subheader("Process", anchor=False)
    process = report["process"]
    versions = runtime_versions()
    rows = [
        ["boot time (UTC)", process["boot_time"]],
        ["uptime", f"{process['uptime_seconds']} s"],
        ["pid", str(process["pid"])],
        ["Python", versions["python"]],
        ["Streamlit", versions["streamlit"] or "unknown"],
    ]
    st.markdown(markdown_table(["What", "Value"], rows))
    st.caption("The boot time is when this server process started; clearing caches keeps it.")


def show_drift(report: dict) -> None:
    st.subheader("Requirements", anchor=False)
    rows = [
        [
            f"{DRIFT_STATUS_ICONS.get(row['status'], '')} {row['status']}",
            line_label(row),
            row["requirement"],
            row["installed"] or "",
            row["detail"],
        ]
        for row in report["drift"]
    ]
    if rows:
        header = ["Status", "Line", "Requirement", "Installed", "Detail"]
        st.markdown(markdown_table(header, rows))
    else:
        st.write("requirements.txt names no packages.")
    for mismatch in report["loaded_version_mismatches"]:
        st.error(
            escape(
                f"{mismatch['name']}: {mismatch['installed']} is installed but this process"
                f" runs {mismatch['loaded']}."
            )
        )


def render(root: Path) -> None:
    report = build_report(root)
    st.title("Health", anchor=False)
    version_column, verdict_column, checked_column = st.columns(3)
    version_column.metric("Deployment version", report["version"] or "unknown")
    verdict_column.metric("Verdict", report["verdict"])
    checked_column.metric("Checked at (UTC)", report["checked_at"][11:19])
    show_verdict(report)
    st.button("Check again")
    show_deployment(report)
    show_process(report)
    show_drift(report)
    show_cache_utilities()
    with st.expander("The same report as JSON (also served at /api/health by serve.py)"):
        st.json(report)
