"""Alternating, median-based timing: candidate and baseline take turns in one run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Comparison:
    name: str
    candidate: float  # median seconds
    baseline: float  # median seconds
    goal: str
    met: bool
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.candidate / self.baseline if self.baseline else float("inf")


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes; an action that returns a float has measured itself."""
    start = time.perf_counter()
    measured = action()
    return measured if isinstance(measured, float) else time.perf_counter() - start


def alternate(candidate, baseline, repeat: int, warmup: int = 1) -> tuple[float, float]:
    """Median seconds of each, measured in alternating order after a warm-up round."""
    for _ in range(warmup):
        candidate()
        baseline()
    candidate_times, baseline_times = [], []
    for round_number in range(repeat):
        pair = [(candidate, candidate_times), (baseline, baseline_times)]
        if round_number % 2:
            pair.reverse()
        for action, times in pair:
            times.append(timed(action))
    return statistics.median(candidate_times), statistics.median(baseline_times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def table(comparisons: list[Comparison]) -> str:
    rows = ["| benchmark | ours | baseline | ratio | goal | met |", "|---|---|---|---|---|---|"]
    for item in comparisons:
        met = "yes" if item.met else "NO"
        rows.append(
            f"| {item.name} | {ms(item.candidate)} | {ms(item.baseline)} | {item.ratio:.2f}x"
            f" | {item.goal} | {met} |"
        )
    notes = [f"- {item.name}: {item.note}" for item in comparisons if item.note]
    return "\n".join(rows + ([""] + notes if notes else []))
