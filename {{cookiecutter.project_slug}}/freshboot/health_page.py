"""The /health page: is what runs now what was pushed, in the environment it asks for?

Everything shown comes from ``freshboot.report``; this module only lays it out.
It never shows environment values, secrets, tokens or paths outside the project.
"""

from __future__ import annotations

import hmac
import ipaddress
from pathlib import Path

import streamlit as st

from freshboot.markdown import escape
from freshboot.report import build_report, line_label, runtime_versions

TOKEN_SECRET = "freshboot_admin_token"
LOCAL_COMMAND = "streamlit run app.py --server.address 127.0.0.1"
# Headers a reverse proxy adds. The Host header proves nothing: the client sets it.
PROXY_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip", "Forwarded")
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


def configured_token() -> str | None:
    try:
        token = st.secrets.get(TOKEN_SECRET)
    except Exception:  # no or unreadable secrets.toml: treat as not configured
        return None
    return str(token) if token else None


def is_loopback(address: object) -> bool:
    """True for localhost, 127.0.0.1 (any 127.x) and ::1; False when unset."""
    text = str(address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def why_not_local() -> str | None:
    """Why this request does not count as local to the server, or None when it does."""
    if not is_loopback(st.get_option("server.address")):
        return "`server.address` is not a loopback address, so other machines may reach the app"
    headers = st.context.headers
    for name in PROXY_HEADERS:
        if name in headers:
            return f"this request came through a proxy (it carries `{name}`)"
    return None


def cache_buttons_unlocked() -> bool:
    reason = why_not_local()
    if reason is None:
        st.caption(
            "On without a token: `server.address` is a loopback address and this request"
            " came through no proxy."
        )
        return True
    st.caption(f"They need the admin token: {reason}.")
    token = configured_token()
    if token is None:
        st.info(
            f"Off. To turn them on, set `{TOKEN_SECRET}` in the app's secrets and enter it"
            f" here, or run `{LOCAL_COMMAND}` and open the app on this machine, not through"
            " a proxy."
        )
        return False
    entered = st.text_input("Admin token", type="password", key="freshboot_admin_token_input")
    if not entered:
        st.caption(f"Enter the `{TOKEN_SECRET}` from the app's secrets to turn them on.")
        return False
    if not hmac.compare_digest(entered.encode(), token.encode()):
        st.error("That token is not the configured one.")
        return False
    return True


def show_cache_utilities() -> None:
    st.subheader("Caches", anchor=False)
    st.caption("Clearing a cache makes every session compute it again.")
    if not cache_buttons_unlocked():
        return
    data_column, resource_column = st.columns(2)
    if data_column.button("Clear st.cache_data"):
        st.cache_data.clear()
        st.success("st.cache_data cleared.")
    if resource_column.button("Clear st.cache_resource"):
        st.cache_resource.clear()
        st.success("st.cache_resource cleared.")


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
