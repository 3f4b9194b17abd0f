"""The lessons: their nbgrader metadata follows the contract, every source notebook runs with its
solutions in place, and every release notebook hides the solutions and hidden tests and runs up to
the first exercise left to the learner."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from answers import answer_source
from support.notebook_support import (
    HIDDEN_CELL,
    LESSON_TASKS,
    NOTEBOOKS,
    RELEASED_HIDDEN_CELL,
    REPO,
    cells_by_grade_id,
    client_for,
    code_lines,
    defined_names,
    grade_id,
    nbgrader_meta,
    read,
    result_value,
    run_until_first_error,
    secret_lines,
    solution_regions,
    source_path,
    stderr_text,
)

LESSONS = list(LESSON_TASKS)
KINDS = ("answer", "visible", "check")
NBGRADER_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task"}


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """nbgrader and the grader's sandbox run programs from the venv (alembic, python)."""
    venv_bin = REPO / ".venv" / "bin"
    if venv_bin.is_dir():
        monkeypatch.setenv("PATH", f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}")


# --- the shape of the source notebooks (fast) ----------------------------------------------------


def test_the_lesson_folders_are_the_contracted_assignments() -> None:
    folders = sorted(
        p.name for p in NOTEBOOKS.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    assert folders == LESSONS
    for lesson in LESSONS:
        notebooks = sorted(p.name for p in (NOTEBOOKS / lesson).glob("*.ipynb"))
        assert notebooks == [f"{lesson}.ipynb"], f"{lesson} should hold exactly {lesson}.ipynb"


@pytest.mark.parametrize("lesson", LESSONS)
def test_source_notebook_is_clean_and_valid(lesson: str) -> None:
    notebook = read(source_path(lesson))
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    ids = [cell.id for cell in notebook.cells]
    repeated = sorted({cell_id for cell_id in ids if ids.count(cell_id) > 1})
    assert not repeated, f"repeated cell ids: {repeated}"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{cell.id} has outputs"
            ast.parse(cell.source.replace("await ", ""))  # top-level await is fine in a notebook


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_has_goals_a_recap_and_a_check_yourself(lesson: str) -> None:
    notebook = read(source_path(lesson))
    markdown = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    assert "By the end of this lesson" in markdown[0], "learning goals belong at the top"
    assert any(text.startswith("## Recap") for text in markdown)
    check_yourself = [text for text in markdown if text.startswith("## Check yourself")]
    assert check_yourself, "every lesson ends with a check yourself"
    assert "<details>" in check_yourself[0], "its answer goes in a <details> block"


@pytest.mark.parametrize("lesson", LESSONS)
def test_nbgrader_cells_follow_the_contract(lesson: str) -> None:
    notebook = read(source_path(lesson))
    graded = [cell for cell in notebook.cells if nbgrader_meta(cell)]
    grade_ids = [grade_id(cell) for cell in graded]
    assert len(grade_ids) == len(set(grade_ids)), f"repeated grade_ids in {lesson}"
    for cell in graded:
        meta = nbgrader_meta(cell)
        assert NBGRADER_KEYS <= meta.keys(), f"{cell.id}: missing {NBGRADER_KEYS - meta.keys()}"
        assert meta["schema_version"] == 3 and meta["task"] is False
        assert cell.id == meta["grade_id"], "cell id and grade_id agree, for readable diffs"

    by_id = cells_by_grade_id(notebook)
    checked = [gid.removesuffix("-check") for gid in grade_ids if gid.endswith("-check")]
    assert checked == LESSON_TASKS[lesson], f"{lesson} grades {checked}"
    order = [cell.id for cell in notebook.cells]
    for task in checked:
        answer, visible, check = (by_id.get(f"{task}-{kind}") for kind in KINDS)
        assert answer is not None, f"{task} needs a {task}-answer cell"
        assert visible is not None, f"{task} needs a {task}-visible cell"
        assert nbgrader_meta(answer) | {"grade_id": None} == {
            "grade": False, "grade_id": None, "locked": False, "schema_version": 3,
            "solution": True, "task": False,
        }
        assert task in defined_names(answer.source), f"{task}-answer must define {task}"
        assert solution_regions(answer.source), f"{task}-answer has no solution region"
        visible_meta = nbgrader_meta(visible)
        assert (visible_meta["grade"], visible_meta["locked"], visible_meta["solution"]) == (
            False, True, False)
        check_meta = nbgrader_meta(check)
        assert (check_meta["grade"], check_meta["locked"], check_meta["solution"]) == (
            True, True, False)
        assert check_meta.get("points", 0) > 0, f"{task}-check carries no points"
        assert check.source == HIDDEN_CELL.format(task=task)
        assert order.index(answer.id) < order.index(visible.id) < order.index(check.id)
        self_checks = [c for c in notebook.cells
                       if c.cell_type == "code" and f'= check("{task}")' in c.source]
        assert self_checks, f"show the learner how to self-check {task}"
        # Tagged, so that the course can tell it from the learner's own cells when grading.
        assert all("self-check" in c.metadata.get("tags", []) for c in self_checks)

    for cell in graded:
        meta = nbgrader_meta(cell)
        if meta["grade"]:
            assert cell.id.endswith("-check"), f"{cell.id}: only hidden test cells are graded"
        if meta["solution"]:
            assert solution_regions(cell.source), f"{cell.id}: a solution cell without a region"
    for cell in notebook.cells:
        if "BEGIN HIDDEN TESTS" in cell.source:
            assert (grade_id(cell) or "").endswith("-check"), f"{cell.id} hides tests"


@pytest.mark.parametrize("lesson", [lesson for lesson, tasks in LESSON_TASKS.items() if tasks])
def test_hidden_cells_carry_the_graders_points(lesson: str) -> None:
    from grader.lessons import TASKS

    by_id = cells_by_grade_id(read(source_path(lesson)))
    for task in LESSON_TASKS[lesson]:
        if task not in TASKS:
            pytest.skip(f"the grader does not define {task} yet")
        assert TASKS[task].lesson == lesson
        points = nbgrader_meta(by_id[f"{task}-check"])["points"]
        assert points == TASKS[task].points, (
            f"{task}-check is worth {points} points; the grader scales {task} "
            f"to {TASKS[task].points}"
        )


# --- the source notebooks run, solutions in place (slow) -----------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_source_notebook_runs_and_its_solutions_earn_full_marks(lesson: str) -> None:
    from grader.lessons import TASKS

    path = source_path(lesson)
    notebook = read(path)
    client_for(notebook, path.parent).execute()

    by_id = cells_by_grade_id(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code" and (cell.id.endswith(("-visible", "-check", "-selfcheck"))):
            assert stderr_text(cell) == "", f"{cell.id} wrote to stderr: {stderr_text(cell)!r}"
    for task in LESSON_TASKS[lesson]:
        if task not in TASKS:
            continue  # the grader would answer "unknown task"; see the points test
        check = by_id[f"{task}-check"]
        earned = result_value(check)
        assert earned is not None and float(earned) == nbgrader_meta(check)["points"], (
            f"the {task} solution earned {earned}: {check.outputs}"
        )


# --- the release versions (slow) -----------------------------------------------------------------


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every lesson released once through the course's workflow into a throwaway course."""
    from grader.autograde.release import release
    from grader.course import Course

    venv_bin = REPO / ".venv" / "bin"
    saved_path = os.environ.get("PATH", "")
    os.environ["PATH"] = f"{venv_bin}{os.pathsep}{saved_path}"
    try:
        course = Course(root=tmp_path_factory.mktemp("course"), source_dir=NOTEBOOKS)
        return {lesson: release(course, lesson) / f"{lesson}.ipynb" for lesson in LESSONS}
    finally:
        os.environ["PATH"] = saved_path


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_release_holds_no_solution_and_no_hidden_test(
    lesson: str, released: dict[str, Path]
) -> None:
    source = read(source_path(lesson))
    release = read(released[lesson])
    secrets = secret_lines(source)
    assert secrets or not any(solution_regions(c.source) for c in source.cells)
    for cell_id, line in code_lines(release):
        assert line not in secrets, f"{cell_id} leaks a solution line: {line!r}"
        assert "BEGIN SOLUTION" not in line and "HIDDEN TESTS" not in line, f"{cell_id}: {line!r}"
        assert "graded(" not in line, f"{cell_id} still calls graded: {line!r}"

    by_id = cells_by_grade_id(release)
    for task in LESSON_TASKS[lesson]:
        answer = by_id[f"{task}-answer"].source
        assert "raise NotImplementedError()" in answer
        assert task in defined_names(answer), f"the released {task}-answer lost its signature"
        assert by_id[f"{task}-check"].source == RELEASED_HIDDEN_CELL


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_release_runs_up_to_the_first_unanswered_exercise(
    lesson: str, released: dict[str, Path]
) -> None:
    release = read(released[lesson])
    stopped_at, error = run_until_first_error(release, released[lesson].parent)
    tasks = LESSON_TASKS[lesson]
    if not tasks:
        assert error is None, f"{lesson} failed in cell {stopped_at}: {error}"
        return
    assert error is not None, f"{lesson} ran to the end although {tasks[0]} is unanswered"
    assert error.ename == "NotImplementedError", f"{lesson}, cell {stopped_at}: {error}"
    assert release.cells[stopped_at].id == f"{tasks[0]}-visible", (
        f"{lesson} stopped at {release.cells[stopped_at].id}, not at {tasks[0]}'s visible tests"
    )


# --- the visible tests catch classic mistakes, with a message that says what went wrong ----------

#: (task, a broken answer, words the visible tests' message must contain)
BROKEN_ANSWERS = [
    ("encode_frame", "import struct\ndef encode_frame(payload):\n"
     "    return struct.pack('<I', len(payload)) + payload\n", "big-endian"),
    ("read_header", "import struct\ndef read_header(header):\n"
     "    return struct.unpack('>I', header)\n", "should return an int"),
    ("read_header", "def read_header(header):\n"
     "    return int.from_bytes(header[:4], 'big')\n", "should raise ValueError"),
    ("on_bytes", answer_source("on_bytes", "broken", "no_while_loop"), "ONE chunk"),
    ("LineDecoder", "class LineDecoder:\n"
     "    def __init__(self, max_length=1024):\n        self.held = b''\n"
     "    def feed(self, data):\n"
     "        *lines, self.held = (self.held + data).split(b'\\n')\n        return lines\n",
     "expected a ValueError"),
    ("SafeDecoder", "import struct\nclass SafeDecoder:\n"
     "    def __init__(self, max_frame_size=65536):\n        self.buffer = bytearray()\n"
     "    def feed(self, data):\n        self.buffer += data\n        frames = []\n"
     "        while len(self.buffer) >= 4:\n"
     "            (n,) = struct.unpack('>I', self.buffer[:4])\n"
     "            if len(self.buffer) < 4 + n:\n                break\n"
     "            frames.append(bytes(self.buffer[4:4 + n]))\n"
     "            del self.buffer[:4 + n]\n        return frames\n"
     "    def close(self):\n        return None\n", "expected ValueError"),
    ("FrameDecoder", "import struct\nclass FrameDecoder:\n"
     "    def __init__(self, max_frame_size=65536):\n"
     "        self.buffer = bytearray()\n        self.buffered = 0\n"
     "    def feed(self, data):\n        self.buffer += data\n        self.buffered += len(data)\n"
     "        frames = []\n"
     "        while len(self.buffer) >= 4:\n"
     "            (n,) = struct.unpack('>I', self.buffer[:4])\n"
     "            if len(self.buffer) < 4 + n:\n                break\n"
     "            frames.append(bytes(self.buffer[4:4 + n]))\n"
     "            del self.buffer[:4 + n]\n        return frames\n"
     "    def close(self):\n        return None\n", "buffered should be 2"),
]


@pytest.mark.parametrize(("task", "answer", "message"), BROKEN_ANSWERS,
                         ids=[f"{task}-{i}" for i, (task, _, _) in enumerate(BROKEN_ANSWERS)])
def test_visible_tests_explain_a_broken_answer(
    task: str, answer: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = next(lesson for lesson, tasks in LESSON_TASKS.items() if task in tasks)
    notebook = read(source_path(lesson))
    namespace: dict[str, object] = {}
    # The cells the lesson runs between its imports and the exercise that the tests rely on.
    for cell in notebook.cells:
        if cell.id == "default-handle":
            exec(cell.source, namespace)
    exec(answer, namespace)
    visible = cells_by_grade_id(notebook)[f"{task}-visible"].source
    with pytest.raises(AssertionError, match=message):
        exec(visible, namespace)


#: For each task, an answer whose call never returns (a classic `while` loop that cannot end).
RUNAWAY_ANSWERS = {
    "on_bytes": "buffer = bytearray()\ndef on_bytes(chunk):\n    while True:\n        pass\n",
    **{
        task: f"class {task}:\n    def __init__(self, *args, **kwargs):\n        pass\n"
        "    def feed(self, data):\n        while True:\n            pass\n"
        for task in ("LineDecoder", "SafeDecoder", "FrameDecoder")
    },
}


@pytest.mark.slow
def test_visible_tests_stop_an_answer_that_never_returns() -> None:
    # Each in a process of its own, side by side: the visible tests use SIGALRM, and the
    # answers spin until it fires.
    running = {}
    for task, answer in RUNAWAY_ANSWERS.items():
        lesson = next(lesson for lesson, tasks in LESSON_TASKS.items() if task in tasks)
        notebook = read(source_path(lesson))
        setup = "".join(c.source + "\n" for c in notebook.cells if c.id == "default-handle")
        visible = cells_by_grade_id(notebook)[f"{task}-visible"].source
        running[task] = subprocess.Popen(
            [sys.executable, "-c", setup + answer + visible],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
    for task, process in running.items():
        try:
            _, stderr = process.communicate(timeout=60)
        finally:
            process.kill()
        assert process.returncode != 0, f"{task}: the visible tests passed a runaway answer"
        assert "AssertionError" in stderr and "never end" in stderr, f"{task}: {stderr[-600:]}"
