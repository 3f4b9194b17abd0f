"""The autograding kernel's view of the system, on the same ``bwrap_argv`` as the checks' child.

During autograding the learner's notebook runs in a Jupyter kernel
(``grader.autograde.kernel_manager`` starts it) as
``prlimit ... bwrap <flags> setpriv ... python -m ipykernel_launcher -f CONNECTION``:

- no network: a network namespace of its own (only an unconnected loopback). nbgrader talks to
  the kernel over ZeroMQ's `ipc` transport: unix sockets in a private directory, the only
  writable place shared with the outside;
- a read-only view of the system (`--ro-bind / /`), a small private /tmp, fresh /dev and /proc,
  and a fresh environment (no secrets of the grader's);
- no view of the course directory (gradebook, other submissions, reports), the home directory,
  or the repository beyond what Python needs to import (framinglib and the virtualenv): those
  paths are covered with empty tmpfs mounts. The notebook's own folder is bound back read-only
  so a lesson can read files shipped next to it;
- an unprivileged uid of its own; limits on address space, processes, open files and file size
  through `prlimit` (``grader.sandbox.limits.kernel_limits``); a pid namespace and
  `--die-with-parent`, so killing the kernel kills everything it started.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from grader import settings

from .bwrap import BWRAP, bwrap_argv
from .limits import Limits, kernel_limits

__all__ = ["kernel_argv", "kernel_uid", "sandbox_tools_available", "write_self_check_stub"]

PRLIMIT = "prlimit"
SETPRIV = "setpriv"


def kernel_uid() -> int:
    """The unprivileged uid this worker process's kernels run as (see KERNEL_UID_BASE)."""
    return settings.KERNEL_UID_BASE + os.getpid() % 1000


def sandbox_tools_available() -> bool:
    """True when bwrap, prlimit and setpriv are installed."""
    return all(shutil.which(tool) for tool in (BWRAP, PRLIMIT, SETPRIV))


def _existing(paths: list[str]) -> list[str]:
    return [path for path in paths if path and os.path.exists(path)]


def _python_dirs() -> list[str]:
    """Folders the interpreter and its packages live in (must stay visible)."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.realpath(sys.executable)}
    dirs = {os.path.dirname(path) if os.path.isfile(path) else path for path in candidates}
    return sorted(_existing([os.path.realpath(path) for path in dirs]) + _existing(list(dirs)))


def kernel_argv(
    *,
    ipc_dir: str,
    work_dir: str | None,
    hidden_paths: list[str],
    limits: Limits | None = None,
    python_path: str | None = None,
) -> list[str]:
    """The command prefix that runs a program in the kernel sandbox.

    Run as root (as graders here are), bwrap sets the sandbox up without a user namespace and
    the program then drops to a real unprivileged uid with setpriv, which is what makes
    RLIMIT_NPROC (ignored for root) bound the processes it may start.
    """
    limits = limits or kernel_limits()
    repo = settings.REPO_ROOT
    home = os.path.expanduser("~")
    masked = _existing(["/var/tmp", "/run", "/dev/shm", home, str(repo), *hidden_paths])
    mounts: list[str] = []
    # Masks first (shallowest first, so a mask never hides a later one), then binds back.
    for path in sorted(set(masked), key=lambda p: p.count(os.sep)):
        mounts += ["--perms", "0755", "--size", str(settings.KERNEL_MASK_BYTES), "--tmpfs", path]
    visible = _python_dirs() + _existing(
        [str(repo / name) for name in settings.KERNEL_IMPORTABLE_REPO_DIRS])
    visible += _existing([str(repo / ".venv")])
    binds = [path for path in sorted(set(visible), key=lambda p: p.count(os.sep))
             if any(_inside(path, mask) for mask in [*masked, "/tmp"])]
    if work_dir:
        binds.append(work_dir)
    made: set[str] = set()
    for path in [*binds, ipc_dir]:
        # bwrap creates missing parents 0700; the kernel's uid must be able to walk through.
        for parent in reversed(Path(path).parents):
            if str(parent) not in made and _strictly_inside_any(str(parent), masked):
                mounts += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
    for path in binds:
        mounts += ["--ro-bind", path, path]
    mounts += ["--bind", ipc_dir, ipc_dir]
    # A fresh environment: the grader's may hold database passwords or tokens. (Leaving out
    # JPY_PARENT_PID matters too: ipykernel exits when its parent pid changes, as it does in a
    # pid namespace; --die-with-parent covers what that check is for.)
    env = {
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin",
                                 "/bin"]),
        "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
        **({"PYTHONPATH": python_path} if python_path else {}),
    }
    argv = [*limits.prlimit_argv(),
            *bwrap_argv(system=["--ro-bind", "/", "/"], tmp_bytes=limits.tmp_bytes,
                        mounts=mounts, chdir=work_dir, env=env, clear_env=True)]
    if os.getuid() == 0:
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
    # The kernel runs as another uid and instructor commands use a private umask: make the
    # stand-in (which holds nothing secret) readable explicitly.
    for path in (folder, package):
        os.chmod(path, 0o755)
    for name in ("__init__.py", "notebook.py"):
        os.chmod(os.path.join(package, name), 0o644)
    return folder
