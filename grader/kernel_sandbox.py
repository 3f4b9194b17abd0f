"""Run nbgrader's execution kernel inside bubblewrap.

During autograding the learner's notebook runs in a Jupyter kernel. `SandboxedKernelManager`
starts that kernel as `prlimit ... bwrap <flags> python -m ipykernel_launcher -f CONNECTION_FILE`:

- no network: `--unshare-all` gives the kernel its own (empty) network namespace. Loopback TCP
  is cut too, so the kernel talks to nbgrader over ZeroMQ's `ipc` transport: unix sockets in a
  private directory that is the only writable place shared with the outside;
- a read-only view of the system (`--ro-bind / /`), a private /tmp, a fresh /dev and /proc;
- no view of the course directory (gradebook, other submissions, reports), the home directory,
  or the repository beyond what Python needs to import (framinglib and the virtualenv): those
  paths are covered with empty tmpfs mounts. The notebook's own folder is bound back read-only
  so a lesson can read files shipped next to it;
- limits: address space (default 1 GiB), open files, and file size through `prlimit`; a pid
  namespace and `--die-with-parent` so that killing the kernel kills everything it started.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import weakref
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, List, Unicode

from grader.course import REPO_ROOT

BWRAP = "bwrap"
PRLIMIT = "prlimit"
# Repository folders the kernel may import from; everything else of the repo (lesson sources
# with solutions, tests, git history, the grader's checks) stays hidden.
IMPORTABLE_REPO_DIRS = ("framinglib",)


class SandboxUnavailableError(RuntimeError):
    """bubblewrap or prlimit is missing: the kernel cannot be sandboxed on this machine."""


def sandbox_tools_available() -> bool:
    """True when bwrap and prlimit are installed."""
    return shutil.which(BWRAP) is not None and shutil.which(PRLIMIT) is not None


def _existing(paths: list[str]) -> list[str]:
    return [path for path in paths if path and os.path.exists(path)]


def _python_dirs() -> list[str]:
    """Folders the interpreter and its packages live in (must stay visible)."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.realpath(sys.executable)}
    dirs = {os.path.dirname(path) if os.path.isfile(path) else path for path in candidates}
    return sorted(_existing([os.path.realpath(path) for path in dirs]) + _existing(list(dirs)))


def bwrap_argv(
    *,
    ipc_dir: str,
    work_dir: str | None,
    hidden_paths: list[str],
    memory_limit_bytes: int,
    max_open_files: int = 256,
    max_file_size_bytes: int = 64 << 20,
) -> list[str]:
    """The command prefix that runs a program in the kernel sandbox."""
    home = os.path.expanduser("~")
    masked = _existing(["/tmp", "/var/tmp", "/run", "/dev/shm", home, str(REPO_ROOT),
                        *hidden_paths])
    argv = [
        PRLIMIT, f"--as={memory_limit_bytes}", f"--nofile={max_open_files}",
        f"--fsize={max_file_size_bytes}", "--core=0", "--",
        BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
        "--unshare-all", "--die-with-parent", "--cap-drop", "ALL",
    ]
    # Masks first (shallowest first, so a mask never hides a later one), then binds back.
    for path in sorted(set(masked), key=lambda p: p.count(os.sep)):
        argv += ["--tmpfs", path]
    visible = _python_dirs() + _existing([str(REPO_ROOT / name) for name in IMPORTABLE_REPO_DIRS])
    visible += _existing([str(REPO_ROOT / ".venv")])
    for path in sorted(set(visible), key=lambda p: p.count(os.sep)):
        if any(_inside(path, mask) for mask in masked):
            argv += ["--ro-bind", path, path]
    if work_dir:
        argv += ["--ro-bind", work_dir, work_dir, "--chdir", work_dir]
    argv += ["--bind", ipc_dir, ipc_dir, "--setenv", "HOME", "/tmp",
             "--setenv", "TMPDIR", "/tmp", "--unsetenv", "FRAMING_COURSE_DB_URL",
             # ipykernel exits when its parent pid changes, as it does in a pid namespace;
             # --die-with-parent covers what that check is for.
             "--unsetenv", "JPY_PARENT_PID"]
    return argv


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs under bwrap and talks over unix sockets."""

    hidden_paths = List(Unicode(), help="Extra paths the kernel must not see.").tag(config=True)
    memory_limit_bytes = Integer(1 << 30, help="Address-space limit of the kernel.").tag(
        config=True
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._ipc_dir = tempfile.mkdtemp(prefix="grader-kernel-")
        os.chmod(self._ipc_dir, 0o700)
        weakref.finalize(self, shutil.rmtree, self._ipc_dir, True)
        self.transport = "ipc"
        self.ip = os.path.join(self._ipc_dir, "kernel")
        self.connection_file = os.path.join(self._ipc_dir, "connection.json")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        if not sandbox_tools_available():
            raise SandboxUnavailableError(
                "bwrap and prlimit are needed to sandbox the grading kernel "
                "(install bubblewrap: `make system-deps`)"
            )
        command = super().format_kernel_cmd(extra_arguments)
        work_dir = self._work_dir()
        return bwrap_argv(
            ipc_dir=self._ipc_dir,
            work_dir=work_dir,
            hidden_paths=list(self.hidden_paths),
            memory_limit_bytes=self.memory_limit_bytes,
        ) + command

    def _work_dir(self) -> str | None:
        cwd = (getattr(self, "_launch_args", None) or {}).get("cwd")
        return str(Path(cwd).resolve()) if cwd and os.path.isdir(cwd) else None

