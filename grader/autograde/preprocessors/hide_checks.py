"""Keep the hidden checks out of the learner's kernel."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from grader.cells import check_task

from .state import course_state

__all__ = ["KERNEL_PLACEHOLDER", "HideChecksFromKernel"]

KERNEL_PLACEHOLDER = "# The course checks for this cell run outside the kernel after execution.\n"


class HideChecksFromKernel(NbGraderPreprocessor):
    """Replace every hidden check cell's source with a comment before the kernel runs."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        hidden = course_state(resources)["hidden_sources"]
        for index, cell in enumerate(nb.cells):
            if check_task(cell) is not None:
                hidden[index] = cell.source
                cell.source = KERNEL_PLACEHOLDER
        return nb, resources
