"""The baked app under a real `streamlit run`: /api/health for monitors, /health in a browser.

Every server binds 127.0.0.1 on a free port and is stopped when its test ends.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import bake, copy_project, free_port, run, stop, wait_until_healthy

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 60
STAMP_PREFIX = "# freshboot:"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
BOOT_LINE = "freshboot: booted version"
SCRIPT_CHECK_VARIABLE = "FRESHBOOT_SCRIPT_CHECK_SECONDS"
# Headers a reverse proxy adds; a request with any of them is not local.
PROXY_HEADERS = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Host": "app.example.invalid",
    "X-Real-Ip": "203.0.113.7",
    "Forwarded": "for=203.0.113.7",
}
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@pytest.fixture(scope="module")
def baked(tmp_path_factory) -> Path:
    return bake(tmp_path_factory.mktemp("server"))


@pytest.fixture
def project(baked, tmp_path) -> Path:
    """A copy of the baked project this test may change."""
    return copy_project(baked, tmp_path / "project")


def get(url: str) -> tuple[int, str, str]:
    """Status, content type and body of a GET; an error status is an answer, not a failure."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process, self.port, self.log = process, port, log

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def health(self) -> tuple[int, dict]:
        status, content_type, body = get(self.url("/api/health"))
        assert content_type == "application/json", body[:200]
        return status, json.loads(body)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def streamlit_run(project: Path, script: str, env: dict | None = None):
    """`streamlit run <script>` in ``project`` on 127.0.0.1, stopped on exit."""
    port = free_port()
    log = project.parent / f"{script}.{port}.log"
    command = [sys.executable, "-m", "streamlit", "run", script]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command, cwd=project, stdout=output, stderr=subprocess.STDOUT, env=env
        )
    server = Server(process, port, log)
    try:
        wait_until_healthy(process, port, log, STARTUP_SECONDS)
        yield server
    finally:
        stop(process)


def boot_lines(server: Server) -> list[str]:
    return [line for line in server.output().splitlines() if BOOT_LINE in line]


def wait_for(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def stale_health(server: Server) -> tuple[int, dict] | None:
    """The server's (status, report) once it answers 503, else None."""
    status, report = server.health()
    return (status, report) if status == 503 else None


def bump_stamp(project: Path, boot_time: str) -> str:
    """Run the project's `python scripts/bump.py stamp`; return the new stamp time.

    bump.py stamps to the whole second and ``boot_time`` is cut to the second, so
    first wait until a second after it: an earlier stamp would not be newer than the boot.
    """
    booted = datetime.strptime(boot_time, TIME_FORMAT).replace(tzinfo=UTC)
    wait_for(lambda: datetime.now(UTC) >= booted + timedelta(seconds=1), "a new second", 5)
    run([sys.executable, "scripts/bump.py", "stamp"], cwd=project)
    requirements = (project / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return next(line for line in requirements if line.startswith(STAMP_PREFIX)).split()[3]


def break_app(project: Path) -> Path:
    """Make app.py leave a marker file each time it runs, then fail to import; the marker."""
    marker = project.parent / "app-ran.marker"
    app = project / "app.py"
    lines = app.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("DEPLOYMENT_VERSION"))
    lines[first + 1 : first + 1] = [
        f"open({str(marker)!r}, 'a').close()\n",
        "import freshboot_module_that_does_not_exist\n",
    ]
    app.write_text("".join(lines), encoding="utf-8")
    return marker


def test_api_health_is_200_when_fresh_and_503_after_bump_stamp(project):
    with streamlit_run(project, "serve.py") as server:
        # serve.py prints the boot line when the server starts, before any request.
        (line,) = wait_for(lambda: boot_lines(server), "the boot line")
        assert "0.1.0" in line and "verdict fresh" in line

        status, report = server.health()
        assert status == 200, report
        assert report["verdict"] == "fresh"
        assert report["version"] == "0.1.0"
        assert report["process"]["pid"] == server.process.pid
        assert report["script"] == {"ok": True, "detail": "ok"}
        assert {row["name"]: row["satisfied"] for row in report["drift"]}["streamlit"] is True
        assert "cookie" not in json.dumps(report).lower()

        booted_stamp = report["running"]["stamp"]
        stamp_time = bump_stamp(project, report["process"]["boot_time"])
        # The report is built at most once a second: the next one sees the new stamp.
        status, report = wait_for(lambda: stale_health(server), "a stale answer", 10)
        assert report["verdict"] == "stale"
        assert report["reason"] == (
            f"this process runs 0.1.0 (stamped {booted_stamp}) but 0.1.0 (stamped"
            f" {stamp_time}) is on disk"
        )
        assert report["newest_stamp"] == stamp_time
        assert report["running"]["stamp"] == booted_stamp != stamp_time
        assert len(boot_lines(server)) == 1


def test_api_health_runs_app_py_and_is_503_when_it_fails_to_import(project):
    marker = break_app(project)
    with streamlit_run(project, "serve.py") as server:
        # Streamlit's own probe cannot see it: scripts only run per session.
        assert get(server.url("/_stcore/health"))[0] == 200
        # Nor can a made-up path: it answers 200 with the app's HTML.
        assert get(server.url("/healthz"))[:2] == (200, "text/html; charset=utf-8")
        status, report = server.health()
        assert status == 503
        assert report["verdict"] == "broken"
        assert report["script"]["ok"] is False
        assert "app.py or its default page fails" in report["reason"]
        assert marker.exists()


def test_script_check_off_never_runs_app_py(project):
    marker = break_app(project)
    with streamlit_run(project, "serve.py", env={SCRIPT_CHECK_VARIABLE: "0"}) as server:
        for _ in range(2):
            status, report = server.health()
            assert status == 200, report
            assert report["verdict"] == "fresh"
            assert report["script"]["ok"] is None
            assert SCRIPT_CHECK_VARIABLE in report["script"]["detail"]
        assert not marker.exists()


# --- the /health page in a real browser --------------------------------------


def chromium_paths() -> tuple[str, str]:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    message = "Debian's chromium and chromium-driver are needed for browser tests"
    if os.environ.get("FRESHBOOT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (FRESHBOOT_REQUIRE_BROWSER=1)")
    pytest.skip(message)


def start_chromium(profile: Path, *flags: str):
    """A headless Chromium driven by Selenium, with its profile in ``profile``; skips (or
    fails, with FRESHBOOT_REQUIRE_BROWSER=1) where Debian's chromium is missing."""
    browser_path, driver_path = chromium_paths()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", *flags):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


@pytest.fixture
def browser(tmp_path):
    driver = start_chromium(tmp_path / "chromium-profile")
    try:
        yield driver
    finally:
        driver.quit()


def page_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def cache_buttons_state(driver) -> str | None:
    """``on`` or ``off`` once the /health page has rendered its cache section, else None."""
    text = page_text(driver)
    if "Clear st.cache_data" in text:
        return "on"
    if "Off. To turn them on" in text:
        return "off"
    return None


@pytest.mark.browser
def test_health_page_in_a_browser_under_plain_streamlit_run(project, browser):
    with streamlit_run(project, "app.py") as server:
        # app.py prints the boot line on its first run: no page view, no line.
        assert boot_lines(server) == []
        browser.get(server.url("/health"))
        assert wait_for(lambda: cache_buttons_state(browser), "the health page") == "on"
        text = page_text(browser)
        assert "FRESH" in text
        assert "Deployment version" in text and "0.1.0" in text
        requirements = (project / "requirements.txt").read_text().splitlines()
        assert next(line for line in requirements if line.startswith("streamlit")) in text
        # --server.address 127.0.0.1 and no proxy: the buttons are on and say why.
        assert "server.address is a loopback address" in text
        assert str(project) not in text

        wait_for(lambda: boot_lines(server), "the boot line")
        browser.refresh()
        assert wait_for(lambda: cache_buttons_state(browser), "the page after a reload") == "on"
        assert len(boot_lines(server)) == 1
        assert "verdict fresh" in boot_lines(server)[0]

        # The same page through a reverse proxy on this machine: the buttons need the token.
        browser.execute_cdp_cmd("Network.enable", {})
        for header, value in PROXY_HEADERS.items():
            extra = {"headers": {header: value}}
            browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", extra)
            browser.refresh()
            state = wait_for(lambda: cache_buttons_state(browser), f"the page with {header}")
            assert state == "off", header
            assert f"came through a proxy (it carries {header})" in page_text(browser)
