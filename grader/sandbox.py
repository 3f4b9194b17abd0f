"""The isolation around a process that runs learner code: bubblewrap plus resource limits.

Under ``bwrap`` the process sees a read-only system (``/usr`` and the Python
installation only: no ``/etc``, no ``/home``, no ``/work``, so no course
directory, gradebook or other submissions), a private writable ``/tmp``, no
network, its own PID namespace (killing the process group ends everything
in it) and it dies with its parent. The child starts as root inside the
sandbox only long enough to drop to ``nobody`` (``SandboxPlan.drop_to_uid``),
so that ``RLIMIT_NPROC`` counts its processes (the kernel ignores that limit
for root).

When ``bwrap`` is missing or unusable, the process runs with the same resource
limits but no isolation, and a warning is logged once (to the ``grader.sandbox``
logger, never to stderr: a notebook cell that writes to stderr scores zero).
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "SandboxPlan", "bwrap_usable", "plan"]

_log = logging.getLogger(__name__)
# A NullHandler keeps logging's last-resort handler from printing the warning to stderr.
_log.addHandler(logging.NullHandler())

#: The unprivileged user the learner's code runs as inside the sandbox.
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    """Resource limits for one child process (the wall-clock limit is the runner's).

    The child sets them on itself (``rlimits``), after dropping to ``nobody`` and
    before any learner code runs: no ``preexec_fn``, which is unsafe in a process
    with threads (a Jupyter kernel, a threaded autograder).
    """

    memory_bytes: int = 1 << 30
    cpu_seconds: int = 60
    processes: int = 32
    file_bytes: int = 16 << 20
    open_files: int = 256
    #: Size of the private /tmp (a tmpfs lives in memory: unbounded, it would be a way
    #: around the memory limit).
    tmp_bytes: int = 64 << 20

    def rlimits(self) -> dict[str, int]:
        """``resource.RLIMIT_*`` names and values, as plain JSON for the child."""
        return {
            "RLIMIT_AS": self.memory_bytes,
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_FSIZE": self.file_bytes,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CORE": 0,
        }


@dataclass(frozen=True)
class SandboxPlan:
    """How to start one sandboxed Python: the argv prefix, the uid to drop to, the directory."""

    argv: list[str]
    drop_to_uid: int | None
    isolated: bool
    #: A directory the caller makes and removes (only without bwrap; bwrap has its own /tmp).
    needs_private_cwd: bool


def _python_prefix() -> Path:
    return Path(sys.base_prefix).resolve()


def _python_executable() -> str:
    """The base interpreter (not the venv's): the child needs only the standard library."""
    base = getattr(sys, "_base_executable", None) or sys.executable
    return str(Path(base).resolve())


def _bwrap_argv(python: str, tmp_bytes: int) -> list[str]:
    prefix = _python_prefix()
    argv = [
        "bwrap",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        # As root, no user namespace: the child drops to a real uid that RLIMIT_NPROC binds.
        *([] if os.getuid() == 0 else ["--unshare-user"]),
        "--die-with-parent",
        "--new-session",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/", name)
        if target.is_symlink():
            argv += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            argv += ["--ro-bind", str(target), str(target)]
    if not prefix.is_relative_to("/usr"):
        # bwrap makes a bind's parent directories 0700; nobody must be able to walk through them.
        for parent in reversed(prefix.parents):
            if str(parent) != "/":
                argv += ["--perms", "0755", "--dir", str(parent)]
        argv += ["--ro-bind", str(prefix), str(prefix)]
    argv += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "01777",
        "--size",
        str(tmp_bytes),
        "--tmpfs",
        "/tmp",
        "--chdir",
        "/tmp",
        "--setenv",
        "HOME",
        "/tmp",
        "--",
        python,
    ]
    return argv


def _runs(argv: list[str]) -> str | None:
    """Run a probe; ``None`` when it succeeded, else what went wrong."""
    try:
        completed = subprocess.run(argv, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if completed.returncode != 0:
        return completed.stderr.decode(errors="replace").strip()[-300:] or "failed"
    return None


@functools.cache
def bwrap_usable() -> bool:
    """Whether ``bwrap`` can start the sandboxed interpreter here (checked once per process)."""
    if shutil.which("bwrap") is None or os.environ.get("GRADER_NO_BWRAP"):
        _log.warning("bubblewrap missing or disabled: learner code runs with resource limits only")
        return False
    problem = _runs([*_bwrap_argv(_python_executable(), Limits().tmp_bytes), "-I", "-c", "pass"])
    if problem is not None:
        _log.warning(
            "bubblewrap unusable (%s): learner code runs with resource limits only", problem
        )
        return False
    return True


@functools.cache
def _nobody_can_run_python() -> bool:
    """Whether the sandboxed interpreter still imports modules once it has dropped to nobody."""
    code = (
        f"import os; os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY}); import fractions"
    )
    problem = _runs([*_bwrap_argv(_python_executable(), Limits().tmp_bytes), "-I", "-c", code])
    if problem is not None:
        _log.warning("the sandboxed child keeps root's uid (%s): no process limit", problem)
    return problem is None


def plan(limits: Limits, *, isolate: bool = True) -> SandboxPlan:
    """The way to start a Python child, sandboxed when ``bwrap`` works (and ``isolate``).

    Without ``bwrap`` the child runs unconfined apart from its rlimits, under the grader's
    own uid (a root grader's child is then not bound by the process limit).
    """
    python = _python_executable()
    if isolate and bwrap_usable():
        # Inside, the child is root until it drops to nobody; it can do so only where root
        # is the real user (outside a user namespace), which is how bwrap runs here.
        drop = NOBODY if os.getuid() == 0 and _nobody_can_run_python() else None
        return SandboxPlan(_bwrap_argv(python, limits.tmp_bytes), drop, True, False)
    return SandboxPlan([python], None, False, True)
