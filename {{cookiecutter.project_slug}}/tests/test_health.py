"""The /health page and the report behind it, run with Streamlit's AppTest.

Tests that change files work on a copy of the project, never on the project itself.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from freshboot import boot
from freshboot.report import build_report, check_requirements, format_report
from freshboot.stamps import STAMP_FILES, STAMP_PREFIX, Stamp, read_stamps

HEALTH_PAGE = "app_pages/health.py"
TOKEN = "correct horse battery staple"


def health_page(root: Path, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(root / "app.py"), default_timeout=30)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    at.switch_page(HEALTH_PAGE)
    at.run()
    assert not at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [element.value for element in (*at.markdown, *at.success, *at.error, *at.warning)]
    return "\n".join(str(part) for part in parts)


def write_newer_stamp(root: Path) -> Stamp:
    """Replace both stamp lines in place with a time after this process booted."""
    stamp = Stamp(read_stamps(root).version, boot.BOOT_TIME + timedelta(seconds=2))
    for name in STAMP_FILES:
        path = root / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(
            "".join(
                stamp.text() + "\n" if line.startswith(STAMP_PREFIX) else line for line in lines
            ),
            encoding="utf-8",
        )
    return stamp


def add_requirement(root: Path, line: str) -> None:
    with (root / "requirements.txt").open("a", encoding="utf-8") as requirements:
        requirements.write(line + "\n")


def drift_rows(at: AppTest) -> list[str]:
    """Rows of the requirements table as shown, without Markdown escapes."""
    table = next(md.value for md in at.markdown if "| Requirement |" in md.value)
    return [line.replace("\\", "") for line in table.splitlines()[2:]]


def boot_time_shown(at: AppTest) -> str:
    table = next(md.value for md in at.markdown if "boot time" in md.value)
    row = next(line for line in table.splitlines() if "boot time" in line)
    return row.split("|")[2].strip()


def verdict(at: AppTest) -> str:
    return next(metric.value for metric in at.metric if metric.label == "Verdict")


def test_health_page_says_fresh_with_the_version_after_baking(project_root):
    at = health_page(project_root)
    assert at.metric[0].value == read_stamps(project_root).version
    assert verdict(at) == "fresh"
    assert at.success[0].value.startswith("**FRESH**")


def test_health_page_says_stale_once_a_newer_stamp_is_on_disk(project_copy):
    stamp = write_newer_stamp(project_copy)
    at = health_page(project_copy)
    assert verdict(at) == "stale"
    reason = at.error[0].value
    assert "before the newest stamp" in reason
    assert stamp.time.strftime("%Y-%m-%dT%H:%M:%SZ") in reason.replace("\\", "")
    assert "reboot the app" in page_text(at)


def test_health_page_shows_a_drift_row_for_a_version_not_installed(project_copy):
    add_requirement(project_copy, "packaging>=999")
    at = health_page(project_copy)
    assert verdict(at) == "stale"
    row = next(line for line in drift_rows(at) if "packaging>=999" in line)
    assert "mismatch" in row
    assert "asks for packaging>=999" in at.error[0].value.replace("\\", "")


def test_health_page_shows_a_malformed_line_as_a_problem_row(project_copy):
    add_requirement(project_copy, "this is not == a requirement")
    at = health_page(project_copy)
    assert verdict(at) == "unknown"
    row = next(line for line in drift_rows(at) if "this is not == a requirement" in line)
    assert "invalid" in row


def test_cache_buttons_are_off_without_a_token(project_root):
    at = health_page(project_root)
    assert [button.label for button in at.button] == ["Check again"]
    assert "freshboot_admin_token" in at.info[0].value


def test_cache_buttons_need_the_configured_token(project_root):
    at = health_page(project_root, secrets={"freshboot_admin_token": TOKEN})
    assert "Clear st.cache_data" not in [button.label for button in at.button]
    at.text_input(key="freshboot_admin_token_input").input("wrong token").run()
    assert "Clear st.cache_data" not in [button.label for button in at.button]
    at.text_input(key="freshboot_admin_token_input").input(TOKEN).run()
    labels = [button.label for button in at.button]
    assert "Clear st.cache_data" in labels and "Clear st.cache_resource" in labels
    booted = boot_time_shown(at)
    at.button[labels.index("Clear st.cache_data")].click().run()
    assert any("st.cache_data cleared" in message.value for message in at.success)
    at.button[labels.index("Clear st.cache_resource")].click().run()
    assert any("st.cache_resource cleared" in message.value for message in at.success)
    assert boot_time_shown(at) == booted


def test_health_page_never_shows_the_token_or_outside_paths(project_root):
    at = health_page(project_root, secrets={"freshboot_admin_token": TOKEN})
    at.text_input(key="freshboot_admin_token_input").input(TOKEN).run()
    shown = page_text(at) + "".join(str(element.value) for element in at.json)
    assert TOKEN not in shown
    assert str(project_root) not in shown
    assert str(Path.home()) not in shown


def test_report_has_the_keys_scripts_and_monitors_rely_on(project_root):
    report = build_report(project_root)
    for key in ("version", "stamps", "verdict", "reason", "next_step", "drift", "pid", "boot_time"):
        assert key in report
    assert report["verdict"] == "fresh"
    assert {row["name"] for row in report["drift"]} >= {"streamlit"}
    assert all(row["satisfied"] for row in report["drift"] if row["status"] == "ok")


def test_text_report_leads_with_the_verdict_and_lists_requirements(project_root):
    report = build_report(project_root)
    text = format_report(report)
    assert text.startswith("Verdict: FRESH: ")
    assert "Next step: nothing to do." in text
    assert all(row["requirement"] in text for row in report["drift"])


def test_drift_check_reads_extras_markers_options_and_bad_lines():
    rows = check_requirements(
        [
            "# a comment",
            "--index-url https://example.invalid/simple",
            "Streamlit[charts] >= 1.0 ; python_version >= '3.8'  # inline comment",
            "packaging<1",
            "no-such-package-freshboot==1.0",
            "windows-only-package ; sys_platform == 'nonexistent-os'",
            "===",
        ]
    )
    statuses = {row["line"]: row["status"] for row in rows}
    assert statuses == {3: "ok", 4: "mismatch", 5: "missing", 6: "skipped", 7: "invalid"}
    assert rows[0]["name"] == "Streamlit" and rows[0]["satisfied"] is True


def test_credentials_in_requirement_urls_are_never_shown():
    line = (
        "private-pkg @ https://user:s3cret-token@example.invalid/private_pkg-1.0-py3-none-any.whl"
    )
    (row,) = check_requirements([line])
    assert "s3cret" not in str(row)
    assert row["requirement"].startswith("private-pkg @ https://***@example.invalid/")


def test_home_page_does_not_load_the_health_page_modules(project_root):
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=30)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "print(sorted(m for m in ('freshboot.health_page', 'freshboot.api') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
