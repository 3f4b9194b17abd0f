"""The sandbox: no network, a read-only system, no course files, bounded memory and processes."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import REPO as PROJECT

from grader.sandbox.bwrap import bwrap_usable
from grader.sandbox.limits import Limits
from grader.sandbox.runner import Case, run_cases

needs_bwrap = pytest.mark.skipif(not bwrap_usable(), reason="bubblewrap is not usable here")


def attempt(body: str, *, timeout: float = 5.0, limits: Limits | None = None) -> str:
    """Run ``body`` (which sets ``result``) as the learner; return ``result``."""
    indented = "\n".join("    " + line for line in body.strip().splitlines())
    source = f"def probe():\n    result = 'unset'\n{indented}\n    return result.encode()\n"
    case = Case("g", {"driver": "call", "function": "probe", "args": []}, timeout)
    [outcome] = run_cases(source, [case], limits=limits)
    assert outcome.status == "ok", outcome.detail
    assert outcome.report["error"] is None, outcome.report["error"]
    return bytes.fromhex(outcome.report["value"]["hex"]).decode()


@needs_bwrap
def test_no_network():
    result = attempt(
        """
import socket
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    result = "connected"
except OSError as error:
    result = "refused: " + type(error).__name__
"""
    )
    assert result.startswith("refused")


@needs_bwrap
def test_the_system_is_read_only_and_tmp_is_private():
    result = attempt(
        """
import os
out = []
for path in ("/usr/evil", "/evil", "/tmp/mine"):
    try:
        with open(path, "w") as handle:
            handle.write("x")
        out.append("wrote " + path)
    except OSError:
        out.append("denied " + path)
out.append(",".join(sorted(os.listdir("/tmp"))))
result = ";".join(out)
"""
    )
    assert result == "denied /usr/evil;denied /evil;wrote /tmp/mine;mine"


@needs_bwrap
def test_the_course_directory_and_other_files_are_invisible(tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("grades")
    targets = [PROJECT / "pyproject.toml", PROJECT / "course", secret, Path("/etc/passwd")]
    names = [str(t) for t in targets]
    body = f"import os\nresult = ','.join(str(os.path.exists(p)) for p in {names!r})"
    assert attempt(body) == "False,False,False,False"


@needs_bwrap
def test_the_private_tmp_is_bounded():
    body = """
import os
written = 0
try:
    for index in range(64):
        with open(f"/tmp/fill{index}", "wb") as handle:
            handle.write(bytes(1 << 20))
        written += 1
    result = "wrote all"
except OSError as error:
    result = f"stopped after {written} MiB"
"""
    assert attempt(body, limits=Limits(tmp_bytes=8 << 20)).startswith("stopped after")


@needs_bwrap
def test_learner_code_runs_as_nobody():
    assert attempt("import os\nresult = str(os.getuid())") == "65534"


@needs_bwrap
def test_a_fork_bomb_hits_the_process_limit():
    result = attempt(
        """
import os
children = 0
try:
    for _ in range(500):
        if os.fork() == 0:
            import time
            time.sleep(5)
            os._exit(0)
        children += 1
    result = "forked %d" % children
except OSError:
    result = "stopped after %d" % children
""",
        limits=Limits(processes=16),
    )
    assert result.startswith("stopped after")
    assert int(result.split()[-1]) < 16


def test_a_huge_allocation_fails_cleanly():
    result = attempt(
        """
try:
    hog = bytearray(3 << 30)
    result = "allocated"
except MemoryError:
    result = "MemoryError"
"""
    )
    assert result == "MemoryError"


def test_the_memory_limit_is_configurable():
    small = Limits(memory_bytes=256 << 20)
    body = """
try:
    hog = bytearray(400 << 20)
    result = "allocated"
except MemoryError:
    result = "MemoryError"
"""
    assert attempt(body, limits=small) == "MemoryError"
    assert attempt(body) == "allocated"


def test_an_endless_loop_is_killed():
    source = "def probe():\n    while True:\n        pass\n"
    case = Case("g", {"driver": "call", "function": "probe", "args": []}, 0.5)
    [outcome] = run_cases(source, [case])
    assert outcome.status == "timeout"


def test_without_bwrap_the_child_still_runs_with_limits():
    case = Case("g", {"driver": "call", "function": "probe", "args": []}, 5.0)
    source = (
        "def probe():\n    try:\n        bytearray(3 << 30)\n"
        "    except MemoryError:\n        return 1\n"
    )
    [outcome] = run_cases(source, [case], isolate=False)
    assert outcome.report["value"] == {"type": "int", "int": "1"}
