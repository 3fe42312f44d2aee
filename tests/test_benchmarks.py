"""The benchmark script runs end to end with a tiny repeat count (no timing assertions)."""

from __future__ import annotations

import re
import sys

from helpers import TEMPLATE_DIR, run

import dev

ROW = re.compile(
    r"^\| (?P<name>[^|]+) \| [\d.]+ m?s \| [\d.]+ m?s \| [\d.]+x \| [^|]+ \| (yes|NO) \|$"
)


def test_benchmark_script_prints_a_ratio_row_per_benchmark():
    # As the README runs it (python3 dev.py bench) where dev.py's .venv is current; the
    # script itself otherwise, since dev.py would first install requirements-dev.txt.
    runner = ["dev.py", "bench"] if dev.environment_is_current() else ["benchmarks/run.py"]
    done = run(
        [
            sys.executable,
            *runner,
            "--only",
            "bake,bake-uv,render,bump,bump-uv,drift,report,api",
            "--repeat",
            "1",
            "--api-requests",
            "100",
        ],
        cwd=TEMPLATE_DIR,
        timeout=600,
    )
    names = [m["name"] for line in done.stdout.splitlines() if (m := ROW.match(line))]
    assert any(name.startswith("bake") for name in names), done.stdout
    assert any(name.startswith("health page") for name in names), done.stdout
    assert any(name.startswith("bump.py") for name in names), done.stdout
    assert any(name.startswith("bake with dependency_manager=uv") for name in names), done.stdout
    assert any(name.startswith("bump.py patch in a uv project") for name in names), done.stdout
    assert any(name.startswith("drift") for name in names), done.stdout
    assert any(name.startswith("report with every finding") for name in names), done.stdout
    assert any(name.startswith("/api/health server CPU") for name in names), done.stdout
    assert "Machine:" in done.stdout


def test_benchmark_script_refuses_unknown_names():
    done = run(
        [sys.executable, "benchmarks/run.py", "--only", "nope"], cwd=TEMPLATE_DIR, check=False
    )
    assert done.returncode == 2
    assert "unknown benchmark" in done.stderr
