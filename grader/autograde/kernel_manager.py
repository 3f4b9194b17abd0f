"""nbgrader's execution kernel, started inside the kernel sandbox (``grader.sandbox.kernel``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import weakref
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, List, Unicode

from grader import settings
from grader.errors import SandboxUnavailableError
from grader.sandbox.kernel import (
    kernel_argv,
    kernel_uid,
    sandbox_tools_available,
    write_self_check_stub,
)
from grader.sandbox.limits import kernel_limits

__all__ = ["SandboxedKernelManager"]


class SandboxedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel runs under bwrap and talks over unix sockets."""

    hidden_paths = List(Unicode(), help="Extra paths the kernel must not see.").tag(config=True)
    memory_limit_bytes = Integer(
        settings.DEFAULT_MEMORY_LIMIT_BYTES, help="Address-space limit of the kernel."
    ).tag(config=True)

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
            # ... and its working folder, which the private umask made 0700 (the course
            # directory around it stays closed to other users on the host).
            if work_dir is not None:
                os.chmod(work_dir, os.stat(work_dir).st_mode & 0o7777 | 0o711)
        return kernel_argv(
            ipc_dir=self._ipc_dir,
            python_path=write_self_check_stub(os.path.join(self._ipc_dir, "stub")),
            work_dir=work_dir,
            hidden_paths=list(self.hidden_paths),
            limits=kernel_limits(self.memory_limit_bytes),
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
