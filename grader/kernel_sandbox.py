"""Run nbgrader's execution kernel inside bubblewrap.

During autograding the learner's notebook runs in a Jupyter kernel. `SandboxedKernelManager`
starts it as `prlimit ... bwrap <flags> setpriv ... python -m ipykernel_launcher -f CONNECTION`:

- no network: a network namespace of its own (only an unconnected loopback). nbgrader talks to
  the kernel over ZeroMQ's `ipc` transport: unix sockets in a private directory, the only
  writable place shared with the outside;
- a read-only view of the system (`--ro-bind / /`), a small private /tmp, fresh /dev and /proc,
  and a fresh environment (no secrets of the grader's);
- no view of the course directory (gradebook, other submissions, reports), the home directory,
  or the repository beyond what Python needs to import (framinglib and the virtualenv): those
  paths are covered with empty tmpfs mounts. The notebook's own folder is bound back read-only
  so a lesson can read files shipped next to it;
- an unprivileged uid of its own; limits on address space (default 1 GiB), processes, open
  files and file size through `prlimit`; a pid namespace and `--die-with-parent`, so killing
  the kernel kills everything it started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import weakref
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, List, Unicode

from grader.course import REPO_ROOT

BWRAP = "bwrap"
PRLIMIT = "prlimit"
SETPRIV = "setpriv"
# RLIMIT_NPROC counts every process and thread of a uid, machine-wide. The checks' sandbox runs
# as nobody (65534); if kernels ran as nobody too, a few busy kernels (each has several threads)
# would use up the checks' small process allowance. Each grading worker's kernel gets a uid of
# its own instead, outside the range of real accounts.
KERNEL_UID_BASE = 64000


def kernel_uid() -> int:
    """The unprivileged uid this worker process's kernels run as."""
    return KERNEL_UID_BASE + os.getpid() % 1000
# The empty folders that hide paths are writable tmpfs mounts too; a little room is plenty.
MASK_BYTES = 1 << 20
# Repository folders the kernel may import from; everything else of the repo (lesson sources
# with solutions, tests, git history, the grader's checks) stays hidden.
IMPORTABLE_REPO_DIRS = ("framinglib",)


class SandboxUnavailableError(RuntimeError):
    """bubblewrap or prlimit is missing: the kernel cannot be sandboxed on this machine."""


def sandbox_tools_available() -> bool:
    """True when bwrap and prlimit are installed."""
    return all(shutil.which(tool) for tool in (BWRAP, PRLIMIT, SETPRIV))


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
    max_processes: int = 256,
    tmp_bytes: int = 64 << 20,
    python_path: str | None = None,
) -> list[str]:
    """The command prefix that runs a program in the kernel sandbox.

    Run as root (as graders here are), bwrap sets the sandbox up without a user namespace and
    the program then drops to a real unprivileged uid with setpriv, which is what makes
    RLIMIT_NPROC (ignored for root) bound the processes it may start.
    """
    home = os.path.expanduser("~")
    masked = _existing(["/var/tmp", "/run", "/dev/shm", home, str(REPO_ROOT), *hidden_paths])
    drop = os.getuid() == 0
    argv = [
        PRLIMIT, f"--as={memory_limit_bytes}", f"--nofile={max_open_files}",
        f"--fsize={max_file_size_bytes}", f"--nproc={max_processes}", "--core=0", "--",
        BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent",
        *([] if drop else ["--unshare-user"]),
        # A tmpfs lives in memory, outside RLIMIT_AS: each one gets a size.
        "--perms", "01777", "--size", str(tmp_bytes), "--tmpfs", "/tmp",
    ]
    # Masks first (shallowest first, so a mask never hides a later one), then binds back.
    for path in sorted(set(masked), key=lambda p: p.count(os.sep)):
        argv += ["--perms", "0755", "--size", str(MASK_BYTES), "--tmpfs", path]
    visible = _python_dirs() + _existing([str(REPO_ROOT / name) for name in IMPORTABLE_REPO_DIRS])
    visible += _existing([str(REPO_ROOT / ".venv")])
    binds = [path for path in sorted(set(visible), key=lambda p: p.count(os.sep))
             if any(_inside(path, mask) for mask in [*masked, "/tmp"])]
    if work_dir:
        binds.append(work_dir)
    made: set[str] = set()
    for path in [*binds, ipc_dir]:
        # bwrap creates missing parents 0700; the kernel's uid must be able to walk through.
        for parent in reversed(Path(path).parents):
            if str(parent) not in made and _strictly_inside_any(str(parent), masked):
                argv += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
    for path in binds:
        argv += ["--ro-bind", path, path]
    if work_dir:
        argv += ["--chdir", work_dir]
    # A fresh environment: the grader's may hold database passwords or tokens. (Leaving out
    # JPY_PARENT_PID matters too: ipykernel exits when its parent pid changes, as it does in a
    # pid namespace; --die-with-parent covers what that check is for.)
    argv += ["--bind", ipc_dir, ipc_dir, "--clearenv",
             "--setenv", "PATH", os.pathsep.join([os.path.dirname(sys.executable),
                                                  "/usr/local/bin", "/usr/bin", "/bin"]),
             "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
             "--setenv", "LANG", "C.UTF-8",
             *(["--setenv", "PYTHONPATH", python_path] if python_path else []), "--"]
    if drop:
        uid = kernel_uid()
        argv += [SETPRIV, f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return argv


def _strictly_inside_any(path: str, masked: list[str]) -> bool:
    """True when `path` lies within (not at) one of the tmpfs masks, /tmp included."""
    return any(_inside(path, mask) and os.path.realpath(path) != os.path.realpath(mask)
               for mask in [*masked, "/tmp"])


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# Lessons call `grader.notebook.check` for self-checks; the real grader is hidden from the
# kernel, so this stand-in explains instead of failing with ModuleNotFoundError.
SELF_CHECK_STUB = '''"""Stand-in for grader.notebook while a notebook is being autograded."""


def check(task, *args, **kwargs):
    print(f"(self-check of {task!r} skipped: while autograding, the course checks grade "
          "the answer outside this kernel)")


def graded(task, *args, **kwargs):
    return None
'''


def write_self_check_stub(folder: str) -> str:
    """Write the stand-in `grader` package into `folder`; return the folder for PYTHONPATH."""
    package = os.path.join(folder, "grader")
    os.makedirs(package, exist_ok=True)
    with open(os.path.join(package, "__init__.py"), "w") as init:
        init.write('"""Stand-in grader package inside the autograding kernel."""\n')
    with open(os.path.join(package, "notebook.py"), "w") as notebook:
        notebook.write(SELF_CHECK_STUB)
    return folder


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
        if os.getuid() == 0:  # the kernel runs unprivileged: let it reach its sockets
            for path in (self._ipc_dir, self.connection_file):
                os.chown(path, kernel_uid(), kernel_uid())
        return bwrap_argv(
            ipc_dir=self._ipc_dir,
            python_path=write_self_check_stub(os.path.join(self._ipc_dir, "stub")),
            work_dir=work_dir,
            hidden_paths=list(self.hidden_paths),
            memory_limit_bytes=self.memory_limit_bytes,
        ) + command

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        # The kernel's own stderr carries only its start-up banner (cell output goes over
        # ZeroMQ); keep it out of the grading log.
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(kernel_cmd, **kw)

    _launch_kernel = _async_launch_kernel

    def _work_dir(self) -> str | None:
        cwd = (getattr(self, "_launch_args", None) or {}).get("cwd")
        return str(Path(cwd).resolve()) if cwd and os.path.isdir(cwd) else None

