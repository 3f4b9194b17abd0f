"""The one bubblewrap command builder, and the checks' child's view of the system.

Every process that runs learner code starts behind ``bwrap_argv``: its own IPC,
PID, network, UTS and (where possible) cgroup namespaces, no network, a small
private ``/tmp`` (a tmpfs is memory outside RLIMIT_AS, so it gets a size), a fresh
``/proc`` and ``/dev``, and it dies with its parent. A hardening fix made here
reaches the checks' child and the autograding kernel alike. What differs between
the two is only which parts of the file system each may see (``child_plan`` here,
``grader.sandbox.kernel`` for the kernel) and how each drops root.

Under ``bwrap`` the checks' child sees a read-only system (``/usr`` and the Python
installation only: no ``/etc``, no ``/home``, no ``/work``, so no course
directory, gradebook or other submissions). It starts as root inside the
sandbox only long enough to drop to ``nobody`` (``SandboxPlan.drop_to_uid``), so
that ``RLIMIT_NPROC`` counts its processes (the kernel ignores that limit for root).

When ``bwrap`` is missing or unusable, the child runs with the same resource
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from grader import settings

from .limits import Limits

__all__ = ["SandboxPlan", "bwrap_argv", "bwrap_usable", "child_plan"]

_log = logging.getLogger("grader.sandbox")
# A NullHandler keeps logging's last-resort handler from printing the warning to stderr.
_log.addHandler(logging.NullHandler())

BWRAP = "bwrap"
_NAMESPACES = ("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
               "--unshare-cgroup-try")


def bwrap_argv(
    *,
    system: Sequence[str],
    tmp_bytes: int,
    mounts: Sequence[str] = (),
    chdir: str | None = None,
    env: Mapping[str, str] = {},  # noqa: B006 (read only)
    clear_env: bool = False,
    new_session: bool = False,
) -> list[str]:
    """``bwrap <policy> --``: the command prefix every learner process starts behind.

    ``system`` are the mounts of the read-only system it sees; ``mounts`` come after the
    private /tmp (masks, binds into it). As root, no user namespace: the program inside
    then drops to a real uid, which RLIMIT_NPROC binds. ``new_session`` detaches the
    program from the terminal's session (not for a kernel, which nbgrader interrupts
    through its process group).
    """
    argv = [
        BWRAP, *_NAMESPACES,
        *([] if os.getuid() == 0 else ["--unshare-user"]),
        "--die-with-parent",
        *(["--new-session"] if new_session else []),
        *system,
        "--proc", "/proc", "--dev", "/dev",
        "--perms", "01777", "--size", str(tmp_bytes), "--tmpfs", "/tmp",
        *mounts,
        *(["--chdir", chdir] if chdir else []),
        *(["--clearenv"] if clear_env else []),
    ]
    for name, value in env.items():
        argv += ["--setenv", name, value]
    return [*argv, "--"]


@dataclass(frozen=True)
class SandboxPlan:
    """How to start one sandboxed Python: the argv prefix, the uid to drop to, the directory."""

    argv: list[str]
    drop_to_uid: int | None
    #: A directory the caller makes and removes (only without bwrap; bwrap has its own /tmp).
    needs_private_cwd: bool


def _python_prefix() -> Path:
    return Path(sys.base_prefix).resolve()


def _python_executable() -> str:
    """The base interpreter (not the venv's): the child needs only the standard library."""
    base = getattr(sys, "_base_executable", None) or sys.executable
    return str(Path(base).resolve())


def _system_view() -> list[str]:
    """``/usr``, the top-level links or folders into it, and the Python installation."""
    prefix = _python_prefix()
    mounts = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/", name)
        if target.is_symlink():
            mounts += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            mounts += ["--ro-bind", str(target), str(target)]
    if not prefix.is_relative_to("/usr"):
        # bwrap makes a bind's parent directories 0700; nobody must be able to walk through them.
        for parent in reversed(prefix.parents):
            if str(parent) != "/":
                mounts += ["--perms", "0755", "--dir", str(parent)]
        mounts += ["--ro-bind", str(prefix), str(prefix)]
    return mounts


def _child_argv(python: str, tmp_bytes: int) -> list[str]:
    return [*bwrap_argv(system=_system_view(), tmp_bytes=tmp_bytes, chdir="/tmp",
                        env={"HOME": "/tmp"}, new_session=True), python]


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
    if shutil.which(BWRAP) is None or os.environ.get(settings.ENV_NO_BWRAP):
        _log.warning("bubblewrap missing or disabled: learner code runs with resource limits only")
        return False
    problem = _runs([*_child_argv(_python_executable(), Limits().tmp_bytes), "-I", "-c", "pass"])
    if problem is not None:
        _log.warning(
            "bubblewrap unusable (%s): learner code runs with resource limits only", problem
        )
        return False
    return True


@functools.cache
def _nobody_can_run_python() -> bool:
    """Whether the sandboxed interpreter still imports modules once it has dropped to nobody."""
    uid = settings.NOBODY_UID
    code = f"import os; os.setgroups([]); os.setgid({uid}); os.setuid({uid}); import fractions"
    problem = _runs([*_child_argv(_python_executable(), Limits().tmp_bytes), "-I", "-c", code])
    if problem is not None:
        _log.warning("the sandboxed child keeps root's uid (%s): no process limit", problem)
    return problem is None


def child_plan(limits: Limits, *, isolate: bool = True) -> SandboxPlan:
    """The way to start the checks' Python child, sandboxed when ``bwrap`` works (and ``isolate``).

    Without ``bwrap`` the child runs unconfined apart from its rlimits, under the grader's
    own uid (a root grader's child is then not bound by the process limit).
    """
    python = _python_executable()
    if isolate and bwrap_usable():
        # Inside, the child is root until it drops to nobody; it can do so only where root
        # is the real user (outside a user namespace), which is how bwrap runs here.
        drop = settings.NOBODY_UID if os.getuid() == 0 and _nobody_can_run_python() else None
        return SandboxPlan(_child_argv(python, limits.tmp_bytes), drop, False)
    return SandboxPlan([python], None, True)
