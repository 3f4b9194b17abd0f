"""Resource limits for one process that runs learner code, and the two sets the grader uses.

The checks' child sets its limits on itself (``rlimits``), after dropping to
``nobody`` and before any learner code runs: no ``preexec_fn``, which is unsafe
in a process with threads (a Jupyter kernel, a threaded autograder). The kernel
gets the same kind of limits from ``prlimit`` in front of its command
(``prlimit_argv``). Every number comes from ``grader.settings``.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader import settings

__all__ = ["Limits", "check_limits", "kernel_limits"]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one process (the wall-clock limits are the runner's and nbgrader's).

    ``cpu_seconds`` ``None`` sets no CPU limit (a kernel lives for a whole notebook).
    """

    memory_bytes: int = settings.DEFAULT_MEMORY_LIMIT_BYTES
    cpu_seconds: int | None = settings.CHECK_CPU_SECONDS
    processes: int = settings.CHECK_PROCESSES
    file_bytes: int = settings.CHECK_FILE_BYTES
    open_files: int = settings.OPEN_FILES
    #: Size of the private /tmp (see ``settings.TMP_BYTES``).
    tmp_bytes: int = settings.TMP_BYTES

    def rlimits(self) -> dict[str, int]:
        """``resource.RLIMIT_*`` names and values, as plain JSON for the child."""
        limits = {"RLIMIT_AS": self.memory_bytes}
        if self.cpu_seconds is not None:
            limits["RLIMIT_CPU"] = self.cpu_seconds
        limits.update({
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_FSIZE": self.file_bytes,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CORE": 0,
        })
        return limits

    def prlimit_argv(self) -> list[str]:
        """``prlimit ... --``: the same limits for a program started after it."""
        cpu = [] if self.cpu_seconds is None else [f"--cpu={self.cpu_seconds}"]
        return [
            "prlimit", f"--as={self.memory_bytes}", f"--nofile={self.open_files}",
            f"--fsize={self.file_bytes}", f"--nproc={self.processes}", "--core=0", *cpu, "--",
        ]


def check_limits(memory_bytes: int = settings.DEFAULT_MEMORY_LIMIT_BYTES) -> Limits:
    """The limits of the checks' child, with ``memory_bytes`` of address space."""
    return Limits(memory_bytes=memory_bytes)


def kernel_limits(memory_bytes: int = settings.DEFAULT_MEMORY_LIMIT_BYTES) -> Limits:
    """The limits of the autograding kernel, with ``memory_bytes`` of address space."""
    return Limits(
        memory_bytes=memory_bytes,
        cpu_seconds=None,
        processes=settings.KERNEL_PROCESSES,
        file_bytes=settings.KERNEL_FILE_BYTES,
    )
