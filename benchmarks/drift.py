"""Dependency-drift check of the health report on long requirements files (filled in below)."""


def compare_drift(work, project, repeat):
    return []
