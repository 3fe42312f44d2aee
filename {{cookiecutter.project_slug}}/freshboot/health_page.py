# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The /health page: is what runs now what was pushed, in the environment it asks for?

Everything shown comes from ``freshboot.report``; this module only lays it out.
It never shows environment values, secrets, tokens or paths outside the project.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from freshboot.cache_tools import show_cache_utilities
from freshboot.markdown import escape
from freshboot.report import build_report, runtime_versions
from freshboot.rows import deployment_rows, drift_rows, process_rows
from freshboot.shape import Report

VERDICT_BOXES = {
    "fresh": st.success,
    "stale": st.error,
    "broken": st.error,
    "unknown": st.warning,
}
DRIFT_STATUS_ICONS = {
    "ok": "✅",
    "mismatch": "❌",
    "missing": "❌",
    "invalid": "⚠️",
    "skipped": "➖",
    "unchecked": "➖",
}


def markdown_table(header: list[str], rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(escape(cell) or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def show_verdict(report: Report) -> None:
    box = VERDICT_BOXES.get(report["verdict"], st.warning)
    box(f"**{report['verdict'].upper()}**: {escape(report['reason'])}.")
    st.write(f"**Next step:** {escape(report['next_step'])}.")
    for finding in report["findings"][1:]:
        st.caption(f"Also {finding['verdict']}: {escape(finding['reason'])}.")


def show_deployment(report: Report) -> None:
    st.subheader("Deployment", anchor=False)
    st.markdown(markdown_table(["What", "Running", "On disk"], deployment_rows(report)))
    st.caption("Running: what this server process booted with. On disk: the project as pushed.")
    for problem in report["stamp_problems"]:
        st.warning(escape(problem))


def show_process(report: Report) -> None:
    st.subheader("Process", anchor=False)
    rows = process_rows(report)
    rows.append(("Streamlit", runtime_versions()["streamlit"] or "unknown"))
    st.markdown(markdown_table(["What", "Value"], rows))
    st.caption("The boot time is when this server process started; clearing caches keeps it.")


def show_drift(report: Report) -> None:
    checked = report["drift_file"]
    st.subheader(
        "Requirements" if checked == "requirements.txt" else f"Pins ({checked})", anchor=False
    )
    rows = [
        (f"{DRIFT_STATUS_ICONS.get(status, '')} {status}", *rest)
        for status, *rest in drift_rows(report)
    ]
    if rows:
        header = ["Status", "Line", "Requirement", "Installed", "Detail"]
        st.markdown(markdown_table(header, rows))
    else:
        st.write(f"{checked} names no packages.")
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
    version_column.metric("Deployment version", escape(report["version"] or "unknown"))
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
