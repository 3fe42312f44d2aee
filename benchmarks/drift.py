"""The health report's dependency-drift check on long requirements files.

Baseline: the obvious loop, one ``importlib.metadata.version()`` call per line.
"""

from __future__ import annotations

import importlib
import sys
from importlib import metadata
from pathlib import Path

from measure import Comparison, alternate
from packaging.requirements import Requirement

SIZES = (20, 200, 2000)
GOAL_SECONDS_AT_200 = 0.020


def requirement_lines(count: int) -> list[str]:
    """``count`` valid lines naming installed packages, with extras, markers and odd spelling."""
    names = sorted({dist.metadata["Name"] for dist in metadata.distributions() if dist.metadata})
    shapes = (
        "{name}>=0",
        "{upper}>=0.0",
        '{name}>=0; python_version >= "3.8"',
        "{name}[extra]>=0",
        "{name}!=0.0.1",
    )
    lines = []
    for index in range(count):
        name = names[index % len(names)]
        shape = shapes[(index // len(names)) % len(shapes)]
        lines.append(shape.format(name=name, upper=name.upper().replace("-", "_")))
    return lines


def naive_check(lines: list[str]) -> list[bool]:
    results = []
    for line in lines:
        requirement = Requirement(line)
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            results.append(False)
            continue
        results.append(requirement.specifier.contains(installed, prereleases=True))
    return results


def load_report(project: Path):
    sys.path.insert(0, str(project))
    return importlib.import_module("freshboot.requirements")


def compare_drift(work: Path, project: Path, repeat: int) -> list[Comparison]:
    report = load_report(project)
    comparisons = []
    for size in SIZES:
        lines = requirement_lines(size)
        report.installed_versions()  # warm the table: the steady state of a running app
        candidate, base = alternate(
            lambda lines=lines: report.check_requirements(lines),
            lambda lines=lines: naive_check(lines),
            repeat,
        )
        per_line_us = 1e6 * candidate / size
        goal = "<= 20 ms" if size == 200 else "linear"
        met = candidate <= GOAL_SECONDS_AT_200 if size == 200 else True
        comparisons.append(
            Comparison(
                f"drift check, {size} lines vs per-line metadata.version()",
                candidate,
                base,
                goal,
                met,
                note=f"{per_line_us:.1f} us per line with the installed-package table built",
            )
        )
    if len(comparisons) == len(SIZES):
        small, large = comparisons[0], comparisons[-1]
        growth = (large.candidate / SIZES[-1]) / (small.candidate / SIZES[0])
        large.met = growth < 2.0
        large.note += f"; per-line cost {growth:.2f}x that at {SIZES[0]} lines"

    lines = requirement_lines(200)

    def cold():
        report._installed = None  # as on the first page view of a process
        report.check_requirements(lines)

    candidate, base = alternate(cold, lambda: naive_check(lines), repeat)
    comparisons.append(
        Comparison(
            "drift check, 200 lines, first call in a process (builds the table)",
            candidate,
            base,
            "<= 20 ms",
            candidate <= GOAL_SECONDS_AT_200,
        )
    )
    return comparisons
