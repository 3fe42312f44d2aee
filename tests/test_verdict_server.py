"""Every finding of the verdict against a real `streamlit run serve.py`, both ways.

One server runs for the module, with no browser session open and the script check
every second; each test changes the project under it, waits for the finding, puts
the project back and waits for ``fresh`` again. A finding that fires must also go
quiet, and the cases that must never fire (options from the command line, a
touched but unchanged module, secret values) are checked on the same server.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from helpers import bake, copy_project, run
from test_health_server import Server, browser, get, page_text, streamlit_run, wait_for

__all__ = ["browser"]  # the real-browser fixture, shared with test_health_server

pytestmark = pytest.mark.slow

# The report is memoized for a second and the script check runs every second.
FINDING_SECONDS = 15
SECRET_VALUE = "s3cr3t-value-never-shown"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server, project): the default bake under `streamlit run serve.py`."""
    project = copy_project(
        bake(tmp_path_factory.mktemp("verdict")), tmp_path_factory.mktemp("run") / "project"
    )
    env = {
        "FRESHBOOT_SCRIPT_CHECK_SECONDS": "1",
        "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "120",
    }
    with streamlit_run(project, "serve.py", env=env) as server:
        server.wait_fresh = lambda: wait_for(
            lambda: fresh(server), "a fresh answer", FINDING_SECONDS
        )
        server.wait_fresh()
        yield server, project


def fresh(server: Server) -> dict | None:
    status, report = server.health()
    return report if status == 200 and report["verdict"] == "fresh" else None


def finding(server: Server, cause: str) -> tuple[int, dict, dict] | None:
    """(status, report, the finding) once the server reports ``cause``, else None."""
    status, report = server.health()
    found = [item for item in report["findings"] if item["cause"] == cause]
    return (status, report, found[0]) if found else None


def wait_finding(server: Server, cause: str):
    return wait_for(lambda: finding(server, cause), f"finding {cause}", FINDING_SECONDS)


def report_built_after(server: Server, moment: float) -> dict:
    """The first report the server built after ``moment`` (``time.time()``)."""

    def newer():
        asked = time.time()
        _, report = server.health()
        return report if asked - report["report_age_seconds"] > moment else None

    return wait_for(newer, "a report built after the change", FINDING_SECONDS)


def stays_quiet(server: Server, causes: tuple[str, ...]) -> dict:
    """A report built after now has none of ``causes`` and is fresh; that report."""
    report = report_built_after(server, time.time())
    assert not [item for item in report["findings"] if item["cause"] in causes], report
    assert report["verdict"] == "fresh", report
    return report


def append(path: Path, text: str) -> str:
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before


def test_a_page_that_starts_failing_makes_it_broken_with_no_browser_open(served):
    server, project = served
    home = project / "app_pages/home.py"
    before = append(home, '\nraise RuntimeError("pushed a crash")\n')
    try:
        status, report, found = wait_finding(server, "script-fails")
        assert status == 503 and report["verdict"] == "broken"
        assert report["script"]["ok"] is False
    finally:
        home.write_text(before, encoding="utf-8")
    server.wait_fresh()

    app = project / "app.py"
    before = append(app, "\nthis is not python\n")
    try:
        status, report, _ = wait_finding(server, "script-fails")
        assert status == 503 and report["verdict"] == "broken"
    finally:
        app.write_text(before, encoding="utf-8")
    assert server.wait_fresh()["script"] == {"ok": True, "detail": "ok"}


def test_a_dependency_file_cloud_prefers_makes_it_stale(served):
    # Pipfile and environment.yml: the generated project's own tests (test_verdict.py).
    server, project = served
    name = "uv.lock"
    stray = project / name
    stray.write_text("# not the stamped file\n", encoding="utf-8")
    try:
        status, report, found = wait_finding(server, "dependency-file")
        assert status == 503 and report["verdict"] == "stale"
        assert report["dependency_file"] == name
        assert f"installs from {name}, not from the stamped requirements.txt" in found["reason"]
        assert f"delete {name}" in found["next_step"]
    finally:
        stray.unlink()
    # pyproject.toml comes after requirements.txt in Cloud's order: the bake has one.
    assert (project / "pyproject.toml").is_file()
    assert stays_quiet(server, ("dependency-file",))["dependency_file"] == "requirements.txt"


def test_a_start_only_server_option_changed_in_config_toml_makes_it_stale(served):
    server, project = served
    config = project / ".streamlit/config.toml"
    before = append(config, "")
    # Not drift: the stamp comment, [theme] and maxUploadSize (both applied live), an
    # option the command line sets (--server.port) and one a STREAMLIT_ variable sets.
    edited = before.replace("#\n", "# edited comment\n", 1)
    edited = edited.replace(
        "[server]\n", "[server]\nport = 1\ndisconnectedSessionTTL = 5\nmaxUploadSize = 7\n"
    )
    config.write_text(edited + '\n[theme]\nprimaryColor = "#ff0000"\n', encoding="utf-8")
    static = project / "static"
    static.mkdir()
    (static / "hello.txt").write_text("served from static/\n", encoding="utf-8")
    try:
        stays_quiet(server, ("config-drift",))
        config.write_text(
            edited.replace("[server]\n", "[server]\nenableStaticServing = true\n"),
            encoding="utf-8",
        )
        status, report, found = wait_finding(server, "config-drift")
        assert status == 503 and report["config_drift"] == ["server.enableStaticServing"]
        assert "server.enableStaticServing" in found["reason"] and "Reboot" in found["next_step"]
        # The finding is true: the running server still serves no static files.
        assert "served from static/" not in get(server.url("/app/static/hello.txt"))[2]
    finally:
        config.write_text(before, encoding="utf-8")
        shutil.rmtree(static)
    assert stays_quiet(server, ("config-drift",))["config_drift"] == []


def test_a_module_edited_under_the_process_makes_it_stale(served):
    server, project = served
    module = project / "app_info.py"
    before = module.read_text(encoding="utf-8")
    module.write_text(before, encoding="utf-8")  # touched, not changed
    stays_quiet(server, ("code-drift",))
    append(module, "\nAPP_TITLE = 'changed after import'\n")
    try:
        status, report, found = wait_finding(server, "code-drift")
        assert status == 503 and report["code_drift"] == ["app_info"]
        assert found["reason"].startswith("app_info changed on disk after this process imported")
    finally:
        module.write_text(before, encoding="utf-8")
    assert stays_quiet(server, ("code-drift",))["code_drift"] == []


@pytest.mark.browser
def test_missing_secrets_are_named_and_values_never_shown(served, browser):
    server, project = served
    example = project / ".streamlit/secrets.example.toml"
    before = append(example, '\napi_key = "placeholder"\n\n[database]\npassword = "placeholder"\n')
    secrets = project / ".streamlit/secrets.toml"
    try:
        status, report, found = wait_finding(server, "secrets-missing")
        assert status == 503 and report["verdict"] == "broken"
        assert report["secrets"] == {"required": 2, "missing": ["api_key", "database.password"]}
        assert "api_key, database.password" in found["reason"]
        browser.get(server.url("/health"))
        wait_for(lambda: "BROKEN" in page_text(browser), "the broken page", FINDING_SECONDS)
        assert "the app's secrets lack api_key, database.password" in page_text(browser)
        # Added while the server runs: counted with no restart.
        secrets.write_text(f'api_key = "{SECRET_VALUE}"\n', encoding="utf-8")
        wait_for(
            lambda: server.health()[1]["secrets"]["missing"] == ["database.password"],
            "one missing secret",
            FINDING_SECONDS,
        )
        secrets.write_text(
            f'api_key = "{SECRET_VALUE}"\n[database]\npassword = "{SECRET_VALUE}"\n',
            encoding="utf-8",
        )
        report = stays_quiet(server, ("secrets-missing",))
        assert report["secrets"] == {"required": 2, "missing": []}
        assert SECRET_VALUE not in json.dumps(report)
        browser.refresh()
        wait_for(lambda: "FRESH" in page_text(browser), "the fresh page", FINDING_SECONDS)
        assert SECRET_VALUE not in page_text(browser) + browser.page_source
        assert SECRET_VALUE not in server.output()
    finally:
        example.write_text(before, encoding="utf-8")
        secrets.unlink(missing_ok=True)


def test_another_python_than_pinned_makes_it_stale(served):
    server, project = served
    pin = project / ".python-version"
    before = pin.read_text(encoding="utf-8")
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert before.strip() == running
    pin.write_text("3.99\n", encoding="utf-8")
    try:
        status, report, found = wait_finding(server, "python-version")
        assert status == 503 and report["python"] == {"running": running, "pinned": "3.99"}
        assert (
            found["reason"]
            == f"this process runs Python {running} but .python-version asks for 3.99"
        )
        assert "Advanced settings" in found["next_step"]
    finally:
        pin.write_text(before, encoding="utf-8")
    assert stays_quiet(server, ("python-version",))["python"]["pinned"] == running


@pytest.mark.browser
def test_the_stale_page_and_answer_show_the_running_and_the_disk_version(tmp_path, browser):
    project = bake(tmp_path / "out")
    with streamlit_run(project, "serve.py") as server:
        report = wait_for(lambda: fresh(server), "a fresh answer", FINDING_SECONDS)
        booted_stamp = report["running"]["stamp"]
        assert report["running"]["version"] == report["version"] == "0.1.0"
        assert report["running"]["commit"] == report["git"]["commit"]
        browser.get(server.url("/health"))
        wait_for(lambda: "FRESH" in page_text(browser), "the fresh page", FINDING_SECONDS)

        run([sys.executable, "scripts/bump.py", "patch"], cwd=project)
        status, report, found = wait_finding(server, "booted-before-push")
        new_stamp = report["newest_stamp"]
        assert status == 503
        assert report["running"]["version"] == "0.1.0" and report["version"] == "0.1.1"
        assert found["reason"] == (
            f"this process runs 0.1.0 (stamped {booted_stamp}) but 0.1.1 (stamped"
            f" {new_stamp}) is on disk"
        )
        assert shutil.which("git") and report["running"]["commit"] == report["git"]["commit"]

        browser.refresh()
        wait_for(lambda: "STALE" in page_text(browser), "the stale page", FINDING_SECONDS)
        text = page_text(browser)
        assert f"this process runs 0.1.0 (stamped {booted_stamp})" in text
        deployment = next(line for line in text.splitlines() if "DEPLOYMENT_VERSION" in line)
        assert deployment.split()[1:] == ["0.1.0", "0.1.1"], deployment
