"""Benchmarks: the template and its app against baselines doing nothing special.

    python3 dev.py bench                 all benchmarks, 5 alternating rounds each
    python3 dev.py bench --repeat 9      more rounds on a noisy machine
    python3 dev.py bench --only bake,bump --repeat 1
    python3 dev.py bench --only report,api     the health verdict's cost
    python3 dev.py bench --only bake-uv,bump-uv   a project managed with uv
    python3 dev.py bench --write         also record the table in benchmarks/RESULTS.md

Every figure is the median of alternating rounds, printed beside its baseline
measured in the same run, so machine noise hits both sides alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases  # noqa: E402
import drift  # noqa: E402
import health_api  # noqa: E402
import suite  # noqa: E402
import uv_cases  # noqa: E402
from measure import table  # noqa: E402

BENCHMARKS = (
    "bake",
    "bake-uv",
    "start",
    "render",
    "drift",
    "report",
    "api",
    "bump",
    "bump-uv",
    "suite",
)
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}"
    )


def run(selected: list[str], repeat: int, work: Path, api_requests: int) -> list:
    comparisons = []
    own_bakes = {"bake", "bake-uv", "bump-uv", "suite"}
    project = cases.bake_project(work) if set(selected) - own_bakes else None
    for name in selected:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        if name == "bake":
            comparisons.append(cases.compare_bake(work, repeat))
        elif name == "start":
            comparisons.append(cases.compare_server_start(work, project, repeat))
        elif name == "render":
            comparisons.append(cases.compare_health_render(work, project, repeat))
        elif name == "drift":
            comparisons.extend(drift.compare_drift(work, project, repeat))
        elif name == "report":
            comparisons.extend(health_api.compare_report(project, repeat))
        elif name == "api":
            comparisons.append(health_api.compare_api(project, repeat, api_requests))
        elif name == "bump":
            comparisons.append(cases.compare_bump(work, project, repeat))
        elif name == "bake-uv":
            comparisons.append(uv_cases.compare_bake_uv(work, repeat))
        elif name == "bump-uv":
            comparisons.append(uv_cases.compare_bump_uv(work, repeat))
        elif name == "suite":
            comparisons.append(suite.compare_suite())
    return comparisons


def write_results(report: str, repeat: int) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"Measured {stamp} on {machine()}, median of {repeat} alternating rounds"
        " (`python3 dev.py bench --write`).\n\n"
        f"{report}\n"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset")
    parser.add_argument("--write", action="store_true", help="record results in RESULTS.md")
    parser.add_argument(
        "--api-requests",
        type=int,
        default=health_api.REQUESTS,
        help=f"requests a side a round for api (default {health_api.REQUESTS})",
    )
    args = parser.parse_args(argv)
    selected = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(selected) - set(BENCHMARKS))
    if unknown or args.repeat < 1:
        parser.error(f"unknown benchmark {unknown}; choose from {', '.join(BENCHMARKS)}")
    work = Path(tempfile.mkdtemp(prefix="freshboot-bench-"))
    try:
        comparisons = run(selected, args.repeat, work, args.api_requests)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = table(comparisons)
    print(f"Machine: {machine()}\n\n{report}")
    if args.write:
        write_results(report, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
