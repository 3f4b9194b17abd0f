"""The instructor's trick report and the check-cell plumbing, without running nbgrader."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook, new_output
from submissions import on_bytes as answers

from grader.autograde.preprocessors import KERNEL_PLACEHOLDER, HideChecksFromKernel
from grader.autograde.tricks import detect_tricks
from grader.cells import check_task


def _graded_cell(source: str, grade_id: str, *, grade: bool):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "grade": grade, "solution": not grade,
                                 "locked": grade, "points": 6 if grade else 0,
                                 "schema_version": 3}
    return cell


def test_each_trick_is_recognised_with_its_evidence() -> None:
    sources = {
        "set_custom_exc": answers.SWALLOW_ERRORS,
        "input_transformers": answers.BLANK_LATER_CELLS,
        "ast_node_interactivity": answers.HIDE_RESULTS,
        "displayhook": answers.FAKE_DISPLAYHOOK,
        "os._exit": answers.KILL_KERNEL,
        "signals": answers.IGNORE_SIGNALS_AND_LOOP,
        "frozen clock": answers.IGNORE_SIGNALS_AND_LOOP,
        "__eq__ override": answers.ALWAYS_EQUAL_BYTES,
        "shadowed builtin": answers.ALWAYS_EQUAL_BYTES,
        "frame walking": answers.WALK_FRAMES,
        "grader patching": answers.PATCH_THE_GRADER,
        "skip exception": answers.SKIP_THE_TESTS,
        "huge allocation": answers.ALLOCATE_GIGABYTES,
    }
    for name, source in sources.items():
        found = detect_tricks(new_notebook(cells=[new_code_cell(source)]))
        matching = [trick for trick in found if trick["trick"] == name]
        assert matching, (name, found)
        assert matching[0]["evidence"] and matching[0]["evidence"] in source


def test_honest_code_and_the_lessons_own_cells_are_not_flagged() -> None:
    lesson_cell = "from grader.notebook import check\n\ncheck('on_bytes')"
    big_constant = "LIMIT = 4294967295  # the largest 4-byte header"
    nb = new_notebook(cells=[new_code_cell(answers.CORRECT), new_code_cell(lesson_cell),
                             new_code_cell(big_constant)])
    assert detect_tricks(nb, course_sources={big_constant}) == []
    assert [t["trick"] for t in detect_tricks(nb)] == ["huge allocation"]


def test_telling_errors_in_outputs_are_reported() -> None:
    cell = new_code_cell("x = 1")
    cell.outputs = [new_output("error", ename="MemoryError", evalue="", traceback=[])]
    assert [t["trick"] for t in detect_tricks(new_notebook(cells=[cell]))] == ["MemoryError"]


def test_hidden_checks_never_reach_the_kernel() -> None:
    check = _graded_cell('from grader.notebook import graded\ngraded("on_bytes")',
                         "on_bytes-check", grade=True)
    answer = _graded_cell(answers.CORRECT, "on_bytes-answer", grade=False)
    nb = new_notebook(cells=[answer, check])
    resources: dict = {}
    HideChecksFromKernel(enabled=True).preprocess(nb, resources)
    assert nb.cells[1].source == KERNEL_PLACEHOLDER
    assert resources["framing_course"]["hidden_sources"] == {
        1: 'from grader.notebook import graded\ngraded("on_bytes")'}
    assert nb.cells[0].source == answers.CORRECT
    assert check_task(check) == "on_bytes" and check_task(answer) is None
