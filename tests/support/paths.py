"""Where the repository's parts are, for tests at any depth below tests/."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
GRADER = REPO / "grader"
NOTEBOOKS = REPO / "notebooks"
BENCHMARKS = REPO / "benchmarks"
