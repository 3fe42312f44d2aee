# Maintained by the streamlit-freshboot template: `cruft update` brings its changes.
# Your code goes in app.py, app_info.py, app_pages/ and tests/ (not tests/freshboot/).
"""The /health page and the report behind it, run with Streamlit's AppTest.

Tests that change files work on a copy of the project, never on the project itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from freshboot.report import build_report, check_requirements, format_report
from freshboot.shape import Finding, Report
from freshboot.stamps import read_stamps

HEALTH_PAGE = "freshboot/health_script.py"
TOKEN = "correct horse battery staple"
CACHE_BUTTONS = ["Clear st.cache_data", "Clear st.cache_resource"]


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
    elements = (*at.markdown, *at.caption, *at.success, *at.info, *at.error, *at.warning, *at.json)
    return "\n".join(str(element.value) for element in elements)


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


def button_labels(at: AppTest) -> list[str]:
    return [button.label for button in at.button]


@pytest.fixture
def server_address():
    """Set Streamlit's ``server.address`` option for one test, as --server.address does."""
    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)


def test_health_page_says_fresh_with_the_version_after_baking(project_root):
    at = health_page(project_root)
    assert at.metric[0].value.replace("\\", "") == read_stamps(project_root).version
    assert verdict(at) == "fresh"
    assert at.success[0].value.startswith("**FRESH**")


def test_health_page_says_stale_after_bump_stamp(project_copy, bump_stamp):
    stamp_time = bump_stamp(project_copy)
    at = health_page(project_copy)
    assert verdict(at) == "stale"
    reason = at.error[0].value.replace("\\", "")
    assert "before the newest stamp" in reason and stamp_time in reason
    assert "Reboot app" in page_text(at)


@pytest.mark.requirements_txt
def test_health_page_shows_a_drift_row_for_a_version_not_installed(project_copy):
    add_requirement(project_copy, "packaging>=999")
    at = health_page(project_copy)
    assert verdict(at) == "stale"
    row = next(line for line in drift_rows(at) if "packaging>=999" in line)
    assert "mismatch" in row
    assert "asks for packaging>=999" in at.error[0].value.replace("\\", "")


@pytest.mark.requirements_txt
def test_a_malformed_line_is_unknown_and_the_next_step_is_to_fix_that_line(project_copy):
    add_requirement(project_copy, "this is not == a requirement")
    at = health_page(project_copy)
    assert verdict(at) == "unknown"
    row = next(line for line in drift_rows(at) if "this is not == a requirement" in line)
    assert "invalid" in row
    report = build_report(project_copy)
    assert report["next_step"].startswith(f"fix line {row.split('|')[2].strip()} of requirements")
    assert "bump.py check" not in report["next_step"]


@pytest.mark.requirements_txt
def test_a_stamp_in_the_future_is_unknown_not_stale(project_copy):
    """A clock set wrong when stamping: no reboot could ever pass that stamp."""
    requirements = project_copy / "requirements.txt"
    lines = requirements.read_text(encoding="utf-8").splitlines(keepends=True)
    version = read_stamps(project_copy).version
    lines[0] = f"# freshboot: {version} 2999-01-01T00:00:00Z\n"
    requirements.write_text("".join(lines), encoding="utf-8")
    report = build_report(project_copy)
    assert report["verdict"] == "unknown"
    assert "2999-01-01T00:00:00Z is in the future" in report["reason"]
    assert "bump.py check" in report["next_step"]


def test_cache_buttons_are_off_when_the_server_listens_beyond_this_machine(
    project_root, server_address
):
    server_address("0.0.0.0")
    at = health_page(project_root)
    assert button_labels(at) == ["Check again"]
    text = page_text(at)
    assert "not a loopback address" in text
    assert "streamlit run app.py --server.address 127.0.0.1" in text
    assert "freshboot_admin_token" in at.info[0].value


def test_cache_buttons_are_on_without_a_token_when_the_server_listens_on_loopback(
    project_root, server_address
):
    server_address("127.0.0.1")
    at = health_page(project_root)
    assert button_labels(at) == ["Check again", *CACHE_BUTTONS]
    assert "`server.address` is a loopback address" in page_text(at)


def test_cache_buttons_need_the_configured_token(project_root):
    at = health_page(project_root, secrets={"freshboot_admin_token": TOKEN})
    assert CACHE_BUTTONS[0] not in button_labels(at)
    at.text_input(key="freshboot_admin_token_input").input("wrong token").run()
    assert CACHE_BUTTONS[0] not in button_labels(at)
    at.text_input(key="freshboot_admin_token_input").input(TOKEN).run()
    labels = button_labels(at)
    assert set(CACHE_BUTTONS) <= set(labels)
    booted = boot_time_shown(at)
    at.button[labels.index("Clear st.cache_data")].click().run()
    assert any("st.cache_data cleared" in message.value for message in at.success)
    at.button[labels.index("Clear st.cache_resource")].click().run()
    assert any("st.cache_resource cleared" in message.value for message in at.success)
    assert boot_time_shown(at) == booted


def test_health_page_never_shows_the_token_or_outside_paths(project_root):
    at = health_page(project_root, secrets={"freshboot_admin_token": TOKEN})
    at.text_input(key="freshboot_admin_token_input").input(TOKEN).run()
    shown = page_text(at)
    assert TOKEN not in shown
    assert str(project_root) not in shown
    assert str(Path.home()) not in shown


@pytest.mark.requirements_txt
def test_tokens_in_requirement_urls_are_never_shown(project_copy):
    lines = {
        "private-pkg @ https://host.invalid/p-1.0-py3-none-any.whl?private_token=SECRET1": (
            "private-pkg @ https://host.invalid/p-1.0-py3-none-any.whl?***"
        ),
        "s3-pkg @ https://b.invalid/s3_pkg-1.0.tar.gz?X-Amz-Signature=SECRET2&X-Amz-Expires=60": (
            "s3-pkg @ https://b.invalid/s3_pkg-1.0.tar.gz?***"
        ),
        "git-pkg @ git+https://user:SECRET3@git.invalid/org/repo.git@v1#egg=SECRET4": (
            "git-pkg @ git+https://***@git.invalid/org/repo.git@v1#***"
        ),
        "https://SECRET5@host.invalid/bare-1.0.tar.gz": "https://***@host.invalid/bare-1.0.tar.gz",
    }
    rows = check_requirements(list(lines))
    assert [row["requirement"] for row in rows] == list(lines.values())
    for line in lines:
        add_requirement(project_copy, line)
    at = health_page(project_copy)
    shown = page_text(at) + format_report(build_report(project_copy))
    assert "host.invalid" in shown
    assert "SECRET" not in shown


@pytest.mark.requirements_txt
def test_a_package_upgraded_under_the_process_is_found_by_its_module_name(project_copy):
    """A distribution whose module has another name, as Pillow's is PIL and PyYAML's yaml."""
    site = project_copy.parent / "site"
    module = site / "freshboot_demo_module"
    module.mkdir(parents=True)
    (module / "__init__.py").write_text('__version__ = "1.0"\n', encoding="utf-8")
    for version, folder in (("1.0", site), ("2.0", project_copy.parent / "upgrade")):
        dist_info = folder / f"freshboot_demo_dist-{version}.dist-info"
        dist_info.mkdir(parents=True)
        metadata = f"Metadata-Version: 2.1\nName: freshboot-demo-dist\nVersion: {version}\n"
        (dist_info / "METADATA").write_text(metadata, encoding="utf-8")
        record = f"freshboot_demo_module/__init__.py,,\n{dist_info.name}/METADATA,,\n"
        (dist_info / "RECORD").write_text(record, encoding="utf-8")
    add_requirement(project_copy, "freshboot-demo-dist>=1")
    # Import 1.0, then upgrade to 2.0 on disk under the running process, as pip would.
    script = (
        "import json, shutil, sys\n"
        "import freshboot_demo_module\n"
        "shutil.rmtree(sys.argv[1])\n"
        "shutil.move(sys.argv[2], sys.argv[3])\n"
        "from freshboot.report import build_report\n"
        "print(json.dumps(build_report('.')))\n"
    )
    upgraded = project_copy.parent / "upgrade" / "freshboot_demo_dist-2.0.dist-info"
    done = subprocess.run(
        [sys.executable, "-c", script, site / "freshboot_demo_dist-1.0.dist-info", upgraded, site],
        cwd=project_copy,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{project_copy}"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["loaded_version_mismatches"] == [
        {"name": "freshboot-demo-dist", "loaded": "1.0", "installed": "2.0"}
    ]
    assert report["verdict"] == "stale"
    assert "still runs 1.0" in report["reason"]


def test_report_has_the_keys_scripts_and_monitors_rely_on(project_root):
    report = build_report(project_root)
    # Exactly the typed shape, less what only /api/health adds.
    assert set(report) == set(Report.__annotations__) - {"script", "report_age_seconds"}
    assert set(report["process"]) == {"pid", "boot_time", "uptime_seconds"}
    for finding_key in Finding.__annotations__:
        assert all(finding_key in finding for finding in report["findings"])
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


@pytest.mark.requirements_txt
def test_included_requirement_files_are_checked_too(project_copy):
    (project_copy / "requirements").mkdir()
    (project_copy / "requirements" / "base.txt").write_text(
        "-r ../shared.txt\nno-such-package-freshboot>=1\n", encoding="utf-8"
    )
    (project_copy / "shared.txt").write_text(
        "packaging>=1\n-r requirements/base.txt\n", encoding="utf-8"
    )
    (project_copy.parent / "outside.txt").write_text("outside-package>=1\n", encoding="utf-8")
    add_requirement(project_copy, "-r requirements/base.txt")
    add_requirement(project_copy, "--requirement=../outside.txt")
    add_requirement(project_copy, "-e ./local-package")
    rows = build_report(project_copy)["drift"]
    found = {(row["file"], row["line"]): row["status"] for row in rows}
    included = {key: status for key, status in found.items() if key[0] != "requirements.txt"}
    assert included == {("shared.txt", 1): "ok", ("requirements/base.txt", 2): "missing"}
    details = [row["detail"] for row in rows if row["file"] == "requirements.txt"]
    assert "an included file outside the project folder" in details
    assert "an editable install, not checked" in details
    at = health_page(project_copy)
    assert verdict(at) == "stale"
    assert any("requirements/base.txt:2" in line for line in drift_rows(at))


@pytest.mark.requirements_txt
def test_an_included_file_that_cannot_be_read_makes_the_verdict_unknown(project_copy):
    add_requirement(project_copy, "-r missing.txt")
    report = build_report(project_copy)
    assert report["verdict"] == "unknown"
    assert "missing.txt cannot be read (FileNotFoundError)" in report["reason"]
    assert report["next_step"].startswith("fix line ")


def test_home_page_does_not_load_the_health_page_modules(project_root):
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=30)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "loaded = [m for m in ('freshboot.health_page', 'freshboot.api') if m in sys.modules]\n"
        "assert not loaded, f'the home page loaded {loaded}'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
