"""Execute the notebook, and stop (not fail) when the kernel dies or stops answering."""

from __future__ import annotations

from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from nbgrader.preprocessors.execute import UnresponsiveKernelError

from .state import course_state

__all__ = ["GuardedExecute", "describe_cell"]


class GuardedExecute(Execute):
    """nbgrader's Execute, except that a dead or stuck kernel ends execution, not the grading.

    After a cell times out (an infinite loop that ignores interrupts would make every later
    cell wait out its own timeout) or the kernel dies (`os._exit`), the remaining cells are left
    unexecuted and the event is recorded; the trusted checks still grade the answer source.
    """

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None):
        self._stopped_by: str | None = None
        self._events = course_state(resources)["kernel_events"]
        try:
            return super().preprocess(nb, resources, km=km)
        except (DeadKernelError, UnresponsiveKernelError, RuntimeError) as error:
            # Raised while shutting a dead kernel down: the cells are already recorded.
            if self._stopped_by is None:
                self._events.append(f"kernel failed: {type(error).__name__}: {error}")
            return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int):
        if self._stopped_by is not None:
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, UnresponsiveKernelError) as error:
            self._stop(f"the kernel died in {describe_cell(cell, index)} "
                       f"({type(error).__name__})")
            cell.outputs.append(_kernel_error("DeadKernelError", "the kernel died"))
            return cell, resources
        except CellTimeoutError:
            # The kernel ignored the interrupt and is still busy: it will not answer again.
            self._stop(f"{describe_cell(cell, index)} ran past the {self.timeout} s limit")
            cell.outputs.append(_kernel_error("CellTimeoutError", "the cell ran too long"))
            self._kill_kernel()
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "CellTimeoutError":
                self._stop(f"{describe_cell(cell, index)} ran past the {self.timeout} s limit")
                self._kill_kernel()
        return cell, resources

    def _stop(self, reason: str) -> None:
        self._stopped_by = reason
        self._events.append(reason + "; later cells were not executed")
        self.log.warning("Stopped executing: %s", reason)

    def _kill_kernel(self) -> None:
        # A kernel that ignores interrupts would keep every later request waiting.
        try:
            km = self.km
            if km is not None and km.has_kernel:
                provisioner = km.provisioner
                if provisioner is not None and provisioner.process is not None:
                    provisioner.process.kill()
        except Exception as error:  # the kernel is being abandoned either way
            self.log.warning("Could not kill the kernel: %s", error)


def describe_cell(cell: NotebookNode, index: int) -> str:
    """A cell as a learner can find it: its position (from 1) and its first line of code.

    Notebooks show no cell numbers, and nbgrader's index counts from 0, so the first line
    is what lets a learner find the cell that hung or killed the kernel.
    """
    first = next((line.strip() for line in cell.get("source", "").splitlines()
                  if line.strip()), "")
    if len(first) > 60:
        first = first[:57] + "..."
    return f"cell {index + 1} (`{first}`)" if first else f"cell {index + 1}"


def _kernel_error(ename: str, evalue: str) -> NotebookNode:
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
