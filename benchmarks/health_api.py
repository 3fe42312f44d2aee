"""What the health verdict costs: server CPU per /api/health request, and building the report.

/api/health is compared with Streamlit's own /_stcore/health on the same server, as
CPU seconds the server process spends per request while 50 clients poll at once
(read from /proc, so the clients' own work is not counted). The report build, with
every finding, is compared with the requirements drift check alone at each size.
"""

from __future__ import annotations

import http.client
import importlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from cases import PYTHON, free_port
from drift import SIZES, requirement_lines
from measure import Comparison, alternate

CLIENTS = 50
REQUESTS = 2000
API_GOAL = 3.0  # at most this many times the CPU of /_stcore/health per request


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _poll(port: int, path: str, count: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for _ in range(count):
            connection.request("GET", path)
            connection.getresponse().read()
    finally:
        connection.close()


def server_cpu_per_request(pid: int, port: int, path: str, requests: int) -> float:
    """CPU seconds the server spends per request of ``path`` under ``CLIENTS`` clients."""
    per_client = max(requests // CLIENTS, 1)
    clients = [
        threading.Thread(target=_poll, args=(port, path, per_client)) for _ in range(CLIENTS)
    ]
    before = _cpu_seconds(pid)
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return (_cpu_seconds(pid) - before) / (per_client * CLIENTS)


def _start(project: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [PYTHON, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    server = subprocess.Popen(
        command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _poll(port, "/api/health", 1)
            return server, port
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("streamlit run serve.py exited early") from None
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("no answer from /api/health")


def compare_api(project: Path, repeat: int, requests: int = REQUESTS) -> Comparison:
    server, port = _start(project)
    try:
        candidate, base = alternate(
            lambda: server_cpu_per_request(server.pid, port, "/api/health", requests),
            lambda: server_cpu_per_request(server.pid, port, "/_stcore/health", requests),
            repeat,
        )
    finally:
        server.terminate()
        server.wait(timeout=15)
    return Comparison(
        f"/api/health server CPU per request vs /_stcore/health, {CLIENTS} clients",
        candidate,
        base,
        f"<= {API_GOAL:g}x",
        candidate <= API_GOAL * base,
        note=f"{requests} requests a side a round; the report is rebuilt at most once a second",
    )


def compare_report(project: Path, repeat: int) -> list[Comparison]:
    """build_report with every finding against the drift check alone, per requirements size."""
    sys.path.insert(0, str(project))
    report = importlib.import_module("freshboot.report")
    requirements = importlib.import_module("freshboot.requirements")
    # As in a server: the boot record turns on the config and code drift findings.
    importlib.import_module("freshboot.booted").record(project)
    requirements_file = project / "requirements.txt"
    original = requirements_file.read_text(encoding="utf-8")
    comparisons = []
    try:
        for size in SIZES:
            stamp = original.splitlines()[0]
            requirements_file.write_text(
                "\n".join([stamp, *requirement_lines(size)]) + "\n", encoding="utf-8"
            )
            candidate, base = alternate(
                lambda: report.build_report(project),
                lambda: requirements.check_requirements(requirements_file),
                repeat,
            )
            comparisons.append(
                Comparison(
                    f"report with every finding, {size} lines vs drift check alone",
                    candidate,
                    base,
                    "<= drift + 5 ms",
                    candidate - base <= 0.005,
                    note=f"the other findings add {1000 * (candidate - base):.1f} ms",
                )
            )
    finally:
        requirements_file.write_text(original, encoding="utf-8")
    return comparisons
