"""The decoder benchmark runs and every implementation decodes correctly (no timing checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "decoders.py"


@pytest.mark.timeout(300)
def test_quick_benchmark_checks_every_output():
    run = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick", "--repeats", "1"],
        capture_output=True, text=True, timeout=240,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "WRONG OUTPUT" not in run.stdout
    for name in ("framinglib", "reference", "asyncio", "twisted"):
        assert f" {name} " in run.stdout, f"{name} missing from the table"
    assert "growth:" in run.stdout and "targets:" in run.stdout
    for name in ("LengthFieldDecoder", "VarintDecoder"):
        assert f" {name} " in run.stdout, f"{name} missing from the general decoders' table"
    assert "general decoders' targets:" in run.stdout


def test_benchmark_help_documents_its_flags():
    run = subprocess.run([sys.executable, str(BENCHMARK), "--help"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    for flag in ("--quick", "--repeats", "--only", "--wall", "--strict"):
        assert flag in run.stdout
