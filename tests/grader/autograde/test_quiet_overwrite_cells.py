"""An honest submission's check cell (hidden tests removed, as released) is not reported as a
change; an edited locked cell still is, with nbgrader's own warning."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from nbformat.v4 import new_code_cell

from grader.autograde.preprocessors.overwrite_cells import QuietOverwriteCells, released_source

SOURCE = 'from grader.notebook import graded\n### BEGIN HIDDEN TESTS\ngraded("on_bytes")\n' \
         "### END HIDDEN TESTS"


class _Gradebook:
    def find_source_cell(self, name, notebook, assignment):
        return SimpleNamespace(source=SOURCE, checksum="stored")


def _report(submitted: str, caplog) -> list[logging.LogRecord]:
    preprocessor = QuietOverwriteCells()
    preprocessor.gradebook = _Gradebook()
    preprocessor.notebook_id, preprocessor.assignment_id = "03-reassembly", "03-reassembly"
    preprocessor.log = logging.getLogger("quiet-overwrite-test")
    preprocessor._submitted_source = new_code_cell(submitted).source
    with caplog.at_level(logging.INFO, logger="quiet-overwrite-test"):
        preprocessor.report_change("on_bytes-check", "checksum", "stored", "other")
    return caplog.records


def test_released_source_drops_the_hidden_region() -> None:
    assert released_source(SOURCE).strip() == "from grader.notebook import graded"


def test_honest_cell_is_not_a_change(caplog) -> None:
    records = _report("from grader.notebook import graded\n", caplog)
    assert [record.levelno for record in records] == [logging.INFO]
    assert "has changed" not in records[0].getMessage()
    assert "hidden tests put back" in records[0].getMessage()


def test_edited_locked_cell_still_warns(caplog) -> None:
    records = _report("from grader.notebook import graded\ngraded = lambda task: 1\n", caplog)
    assert [record.levelno for record in records] == [logging.WARNING]
    assert "Attribute 'checksum' for cell on_bytes-check has changed" in records[0].getMessage()
