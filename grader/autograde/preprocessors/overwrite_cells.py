"""nbgrader's OverwriteCells without the false tampering alarm for honest submissions.

nbgrader stores a check cell's checksum with its hidden tests, but learners receive the cell
with them removed; so every honest submission logs "Attribute 'checksum' for cell X has
changed!" for every cell with hidden tests, which reads like tampering. This subclass compares
the submitted cell with the *released* form of the stored one (hidden tests removed as
nbgrader's ClearHiddenTests removes them): when they match it logs one quiet line saying the
hidden tests were put back; when they differ, the learner edited a locked cell and nbgrader's
warning stands. Either way nbgrader restores the stored source, exactly as before.
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


def released_source(source: str) -> str:
    """`source` as learners receive it: nbgrader's hidden test regions removed."""
    cell = NotebookNode(cell_type="code", source=source, metadata={})
    ClearHiddenTests(enforce_metadata=False)._remove_hidden_test_region(cell)
    return cell.source


class QuietOverwriteCells(OverwriteCells):
    """OverwriteCells that tells an honest hidden-test restore from an edited locked cell."""

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int):
        self._submitted_source = cell.source
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name: str, attr: str, old: Any, new: Any) -> None:
        if attr == "checksum":
            stored = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id)
            if released_source(stored.source).strip() == self._submitted_source.strip():
                self.log.info("Cell %s: hidden tests put back for grading (the submission "
                              "has the cell as released; not a change)", name)
                return
        super().report_change(name, attr, old, new)
