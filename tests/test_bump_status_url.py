"""`bump.py status --url`: a checkout asks a real `streamlit run serve.py` on 127.0.0.1.

One server, started once, goes from fresh to stale under the test's eyes: the
checkout it serves is bumped on disk while it runs.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import bake, copy_project, free_port, run, stop, wait_until_healthy

pytestmark = pytest.mark.slow

NO_BYTECODE = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def bump(project: Path, *args: str):
    command = [sys.executable, "scripts/bump.py", *args]
    return run(command, cwd=project, env=NO_BYTECODE, check=False, timeout=120)


def last_line(done) -> str:
    return done.stdout.splitlines()[-1]


def one_line_refusal(done, *words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return bake(tmp_path_factory.mktemp("status-url"), init_git=False)


@pytest.fixture(scope="module")
def server_url(project):
    port = free_port()
    log = project.parent / "server.log"
    command = [sys.executable, "-m", "streamlit", "run", "serve.py"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command, cwd=project, stdout=output, stderr=subprocess.STDOUT, env=NO_BYTECODE
        )
    try:
        wait_until_healthy(process, port, log, 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def test_unreachable_servers_and_non_http_urls_get_one_line_and_exit_2(project):
    port = free_port()  # nothing listens there
    one_line_refusal(
        bump(project, "status", "--url", f"http://127.0.0.1:{port}"),
        f"cannot reach http://127.0.0.1:{port}/api/health",
        "Connection refused",
    )
    for url in ("ftp://127.0.0.1/", "127.0.0.1:8501", "file:///etc/hostname", "http://"):
        one_line_refusal(bump(project, "status", "--url", url), "is not an http(s) URL")
    one_line_refusal(bump(project, "status", "--wait", "3"), "--wait needs --url")
    one_line_refusal(
        bump(project, "status", "--url", "http://127.0.0.1:1", "--consecutive", "2"),
        "--consecutive needs --wait",
    )


def test_status_url_follows_a_server_from_fresh_to_stale(project, server_url, tmp_path):
    health = f"{server_url}/api/health"
    fresh = bump(project, "status", "--url", server_url)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert fresh.stdout.startswith("Verdict: FRESH: ")
    assert f"Reported by the server at {health}." in fresh.stdout
    assert last_line(fresh) == "ok: the server is fresh and runs 0.1.0, as this checkout"

    as_json = bump(project, "status", "--url", health + "/", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["verdict"] == "fresh"
    assert as_json.stderr.splitlines()[-1].startswith("ok: the server is fresh")

    not_a_report = bump(project, "status", "--url", f"{server_url}/elsewhere/api/health")
    one_line_refusal(not_a_report, "answered HTTP 200 without a health report")

    rollout = bump(project, "status", "--url", server_url, "--wait", "3", "--consecutive", "2")
    assert rollout.returncode == 0, rollout.stdout
    polls = [line for line in rollout.stdout.splitlines() if line.lstrip()[:1].isdigit()]
    # two polls and done: no third one at 3 s
    assert [line.split("(")[-1] for line in polls] == ["1 of 2 in a row)", "2 of 2 in a row)"]

    # Another checkout, one version ahead: the server does not run it.
    ahead = copy_project(project, tmp_path / "ahead")
    assert bump(ahead, "set", "0.2.0").returncode == 0
    other = bump(ahead, "status", "--url", server_url)
    assert other.returncode == 1
    assert last_line(other) == "not yet: the server runs 0.1.0, this checkout has 0.2.0"

    # A bump on disk under the running server: it is stale until it is restarted.
    assert bump(project, "patch").returncode == 0
    # The server builds its report at most once a second: ask until the new one comes.
    deadline = time.monotonic() + 10
    while True:
        stale = bump(project, "status", "--url", server_url, "--json")
        assert stale.returncode == 1
        report = json.loads(stale.stdout)
        if report["verdict"] != "fresh" or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert report["verdict"] == "stale", report["reason"]
    assert report["running"]["version"] == "0.1.0" and report["version"] == "0.1.1"
    line = stale.stderr.splitlines()[-1]
    assert line.startswith("not yet: the server runs 0.1.0, this checkout has 0.1.1"), line

    started = time.monotonic()
    waited = bump(project, "status", "--url", server_url, "--wait", "3", "--consecutive", "2")
    elapsed = time.monotonic() - started
    assert waited.returncode == 1, waited.stdout
    assert 2.9 < elapsed < 10, elapsed
    polls = [line for line in waited.stdout.splitlines() if line.lstrip()[:1].isdigit()]
    assert 2 <= len(polls) <= 3  # at 0, 2 and (unless a request was slow) 3 s
    assert waited.stdout.startswith(polls[0])
    assert last_line(waited).endswith("; still so after 3 s")


@contextmanager
def answering(status: int, body: bytes):
    """A plain HTTP server on 127.0.0.1 that answers every GET with ``status`` and ``body``:
    a server of another version, or a hostile one."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def local_report(project) -> dict:
    """A report of the real shape: this checkout's own, as `status --json` prints it."""
    return json.loads(bump(project, "status", "--json").stdout)


def test_the_version_the_server_booted_with_is_the_one_compared(project, local_report):
    version = bump(project, "show").stdout.split()[2]  # DEPLOYMENT_VERSION (app.py)  X.Y.Z
    report = {**local_report, "verdict": "stale", "reason": "the server booted before the stamp"}
    report.update(version=version, running={"version": "0.0.9", "stamp": None, "commit": None})
    with answering(503, json.dumps(report).encode()) as url:  # a 503 body is still the report
        done = bump(project, "status", "--url", url)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("Verdict: STALE: the server booted before the stamp.")
    assert last_line(done) == (
        f"not yet: the server runs 0.0.9, this checkout has {version} (and it is stale)"
    )


def test_text_from_a_server_cannot_drive_the_terminal(project, local_report):
    version = bump(project, "show").stdout.split()[2]
    escape = "\x1b]0;owned\x07\x1b[2J"
    report = {**local_report, "verdict": "fresh", "version": version}
    report.update(reason=f"fine{escape}", next_step=f"nothing{escape}")
    with answering(200, json.dumps(report).encode()) as url:
        done = bump(project, "status", "--url", url)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "fine\\x1b]0;owned\\x07\\x1b[2J" in done.stdout


@pytest.mark.parametrize(
    ("status", "body"),
    [(200, b"<html>a login page</html>"), (503, b'{"verdict": "maybe"}'), (200, b"[]")],
)
def test_an_answer_that_is_not_a_health_report_exits_2(project, status, body):
    with answering(status, body) as url:
        done = bump(project, "status", "--url", url)
    one_line_refusal(done, f"answered HTTP {status} without a health report")
