"""Instructor-side QA findings: failed gradings show in the scores table and in feedback."""

from __future__ import annotations

from pathlib import Path

import nbformat

from grader.autograde.outcome import StudentOutcome
from grader.autograde.progress import ProgressPrinter
from grader.autograde.reports import (
    GRADER_TROUBLE,
    failed_attempts,
    load_reports,
    record_attempt,
)
from grader.cli.scores import format_scores_table
from grader.course import Course
from grader.errors import GradingInterrupted
from grader.feedback.pages import (
    render_feedback_page,
    render_ungraded_page,
    write_feedback,
)

LESSON = "03-reassembly"


def _course(tmp_path: Path) -> Course:
    course = Course(root=tmp_path / "course", sandbox_kernel=False)
    release = course.path("release", LESSON)
    release.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), release / f"{LESSON}.ipynb")
    return course


def _fail(course: Course, student: str, message: str, *, submission_problem: bool) -> None:
    record_attempt(course, LESSON, StudentOutcome(student, False, message=message,
                                                   submission_problem=submission_problem))


def test_failed_attempts_are_listed_under_the_scores_table(tmp_path):
    course = _course(tmp_path)
    _fail(course, "badjson", "03-reassembly.ipynb is not valid JSON", submission_problem=True)
    record_attempt(course, LESSON, StudentOutcome("ada", True, score=13, max_score=13))
    assert failed_attempts(course, LESSON) == {"badjson": "03-reassembly.ipynb is not valid JSON"}
    assert load_reports(course, LESSON, "ada") == []  # the attempt file is no notebook report
    table = format_scores_table(LESSON, [{"student": "ada", "score": 13.0, "max_score": 13.0}],
                                course)
    assert "latest grading failed for 1 student(s)" in table
    assert "  badjson: 03-reassembly.ipynb is not valid JSON" in table
    assert "ada:" not in table


def test_a_later_success_clears_the_failure(tmp_path):
    course = _course(tmp_path)
    _fail(course, "ben", "no 03-reassembly.ipynb was submitted", submission_problem=True)
    record_attempt(course, LESSON, StudentOutcome("ben", True, score=1, max_score=13))
    assert failed_attempts(course, LESSON) == {}


def test_an_ungradable_submission_gets_feedback_that_says_why(tmp_path):
    course = _course(tmp_path)
    _fail(course, "empty", "03-reassembly.ipynb is empty (0 bytes)", submission_problem=True)
    internal = "jsonschema.exceptions.ValidationError: see /srv/course/logs"
    _fail(course, "crash", internal, submission_problem=False)
    pages = {path.parent.parent.name: path.read_text() for path in write_feedback(course, LESSON)}
    assert "could not be graded" in pages["empty"] and "is empty (0 bytes)" in pages["empty"]
    # Grader trouble is not the learner's to read: no internals, a plain sentence instead.
    assert internal not in pages["crash"] and "jsonschema" not in pages["crash"]
    assert GRADER_TROUBLE in pages["crash"]
    assert "?." not in render_ungraded_page(LESSON, "x", "the wrong notebook?")


def test_the_feedback_page_shows_the_summary_only_without_a_drawing():
    report = {"tasks": {
        "on_bytes": {"points": 13, "earned": 12, "summary": "on_bytes: 12/13 points; failed: x",
                     "html": "<div class='grader-report'>drawn</div>"},
        "encode_frame": {"points": 5, "earned": 0,
                         "summary": "encode_frame: no answer found in the notebook; 0 points",
                         "html": ""},
    }}
    page = render_feedback_page(LESSON, "stu", report, {}, [])
    assert "on_bytes: 12/13 points; failed" not in page and "drawn" in page
    assert "encode_frame: no answer found in the notebook" in page


def test_a_hung_or_fatal_cell_is_named_so_a_learner_can_find_it():
    from grader.autograde.preprocessors import describe_cell

    cell = nbformat.v4.new_code_cell("\n  import time  \ntime.sleep(1000)\n")
    assert describe_cell(cell, 17) == "cell 18 (`import time`)"
    assert describe_cell(nbformat.v4.new_code_cell(""), 0) == "cell 1"
    long = describe_cell(nbformat.v4.new_code_cell("x = " + "1" * 100), 2)
    assert long.endswith("...`)") and len(long) < 80


def test_student_ids_of_any_script_line_up_in_the_tables():
    from grader.formatting import pad

    assert pad("ada", 6) == "ada   "
    assert pad("李雷", 6) == "李雷  "  # two columns a character in a terminal
    assert pad("zoë", 6) == "zoë   " and pad("zoe\u0308", 6) == "zoe\u0308   "
    assert pad("a-very-long-id", 4) == "a-very-long-id"


def test_the_demo_grades_and_tabulates_only_its_own_class(tmp_path, monkeypatch):
    import io

    import grader.autograde.demo as demo
    import grader.feedback.pages

    graded_for = []
    monkeypatch.setattr(demo, "sandbox_tools_available", lambda: True)
    monkeypatch.setattr(demo, "release", lambda course, lesson: None)
    monkeypatch.setattr(demo, "write_demo_class", lambda course, lesson: list(demo.DEMO_CLASS))
    monkeypatch.setattr(grader.feedback.pages, "write_feedback", lambda course, lesson: [])
    monkeypatch.setattr(demo, "write_insight", lambda course, lesson, rows: None)

    def fake_autograde(course, lesson, *, jobs, students=None, out):
        graded_for.append(students)
        return [StudentOutcome(student, True) for student in students or ["a-real-student"]]

    monkeypatch.setattr(demo, "autograde", fake_autograde)
    monkeypatch.setattr(demo, "scores", lambda course, lesson: [
        {"student": student, "score": 1.0, "max_score": 2.0}
        for student in [*demo.DEMO_CLASS, "a-real-student"]])
    out = io.StringIO()
    assert demo.run_demo(Course(root=tmp_path / "course"), out=out) == 0
    assert graded_for and all(students == list(demo.DEMO_CLASS) for students in graded_for)
    assert "a-real-student" not in out.getvalue()


def test_the_graders_own_interrupt_of_a_slow_cell_is_no_trick():
    from nbformat.v4 import new_output

    from grader.autograde.tricks import detect_tricks

    slow = nbformat.v4.new_code_cell("import time\ntime.sleep(1000)\n")
    slow.outputs = [new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[]),
                    new_output("error", ename="CellTimeoutError", evalue="", traceback=[])]
    interrupt = nbformat.v4.new_code_cell("x = 1")
    interrupt.outputs = [new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[])]
    found = detect_tricks(nbformat.v4.new_notebook(cells=[slow, interrupt]))
    assert [(t["trick"], t["cell"]) for t in found] == [("CellTimeoutError", "cell 1"),
                                                         ("KeyboardInterrupt", "cell 2")]


def test_ctrl_c_kills_the_workers_and_marks_nobody_failed(tmp_path, monkeypatch):
    import io
    import threading

    import pytest

    import grader.autograde.run as workflow

    course = _course(tmp_path)
    for student in ("ada", "ben", "cy"):
        course.path("submitted", student, LESSON).mkdir(parents=True)
    killed = []

    class FakeWorker:
        def __init__(self, course, lesson, number):
            self.number = number

        def start(self):
            pass

        def kill(self):
            killed.append(self.number)

        def stop(self):
            pass

    started = []

    def grade_student(course, lesson, student, worker):
        started.append(student)
        if student == "ada":
            return StudentOutcome(student, True, score=1, max_score=1)
        raise KeyboardInterrupt  # stands for Ctrl-C arriving while ben is being graded

    def grade_all(*args, **_options):
        # Run the real loop on this thread, so the interrupt reaches autograde as Ctrl-C does.
        course_, lesson, chosen, workers, printer, outcomes, stopping = args
        for student in chosen:
            try:
                outcomes.append(grade_student(course_, lesson, student, workers[0]))
            except KeyboardInterrupt:
                assert not stopping.is_set()
                raise

    monkeypatch.setattr(workflow, "WorkerProcess", FakeWorker)
    monkeypatch.setattr(workflow, "prepare_course", lambda course: None)
    monkeypatch.setattr(workflow, "ensure_released", lambda course, lesson, out: None)
    monkeypatch.setattr(workflow, "grade_all", grade_all)
    with pytest.raises(GradingInterrupted, match="graded 1 of 3"):
        workflow.autograde(course, LESSON, jobs=2, out=io.StringIO())
    assert killed == [1, 2] and started == ["ada", "ben"]

    # Once stopping is set, a worker's last outcome (it was killed) is neither shown nor kept.
    monkeypatch.undo()
    stopping = threading.Event()
    outcomes: list[StudentOutcome] = []

    def interrupted_grading(course, lesson, student, worker, **_options):
        stopping.set()
        return StudentOutcome(student, False, message="the grading worker died")

    monkeypatch.setattr(workflow, "grade_student", interrupted_grading)
    out = io.StringIO()
    workflow.grade_all(course, LESSON, ["ada", "ben"], [FakeWorker(course, LESSON, 1)],
                        ProgressPrinter(out, 2), outcomes, stopping)
    assert outcomes == [] and out.getvalue() == "" and failed_attempts(course, LESSON) == {}


def test_an_interrupted_autograde_exits_130(tmp_path, monkeypatch, capsys):
    import grader.autograde.run as workflow
    from grader.cli import main

    def interrupted(*args, **kwargs):
        raise GradingInterrupted("03-reassembly: interrupted; graded 0 of 1")

    monkeypatch.setattr(workflow, "autograde", interrupted)
    code = main(["autograde", LESSON, "--course", str(tmp_path), "--no-kernel-sandbox"])
    assert code == 130 and "interrupted; graded 0 of 1" in capsys.readouterr().err


def test_the_summary_counts_the_workers_that_ran_not_the_jobs_asked_for(tmp_path, monkeypatch):
    import io

    import grader.autograde.run as workflow

    course = _course(tmp_path)
    course.path("submitted", "ada", LESSON).mkdir(parents=True)

    class IdleWorker:
        def __init__(self, *args):
            pass

        def start(self):
            pass

        def stop(self):
            pass

    def grade_all(course_, lesson, chosen, workers, printer, outcomes, stopping, **_options):
        outcomes.extend(StudentOutcome(student, True, 1, 1) for student in chosen)

    monkeypatch.setattr(workflow, "WorkerProcess", IdleWorker)
    monkeypatch.setattr(workflow, "prepare_course", lambda course: None)
    monkeypatch.setattr(workflow, "ensure_released", lambda course, lesson, out: None)
    monkeypatch.setattr(workflow, "grade_all", grade_all)
    out = io.StringIO()
    workflow.autograde(course, LESSON, jobs=4, out=out)
    assert out.getvalue().rstrip().endswith("per submission, 1 job(s))")


def test_the_feedback_page_heads_each_task_once():
    from grader.autograde.preprocessors import grade_task
    from grader.feedback import render_task_html
    from grader.grading import grade_source

    stub = "buffer = bytearray()\n\ndef on_bytes(chunk):\n    raise NotImplementedError()\n"
    assert "<h3" in render_task_html(grade_source("on_bytes", stub))
    outcome = grade_task("on_bytes", stub, 13.0, seed="")
    assert "not answered yet" in outcome.html and "<h3" not in outcome.html
    page = render_feedback_page(LESSON, "dee", {"tasks": {"on_bytes": outcome.report()}}, {}, [])
    assert page.count("on_bytes: 0 / 13") == 1


def test_the_progress_line_tells_a_problem_from_a_repair():
    import io


    out = io.StringIO()
    outcome = StudentOutcome("noanswer", True, 0, 13, problems=[
        "the answer cell on_bytes-answer is missing"], repairs=["restored the deleted cell x"])
    ProgressPrinter(out, 1).line(outcome)
    line = out.getvalue()
    assert "problem: the answer cell on_bytes-answer is missing" in line
    assert "1 repair(s)" in line


def test_a_sandbox_that_cannot_start_fails_the_grading_instead_of_scoring_0(monkeypatch):
    import pytest

    import grader.grading
    from grader.autograde.preprocessors import grade_task
    from grader.errors import SandboxError

    def no_sandbox(*args, **kwargs):
        raise SandboxError("the grading process could not start: bwrap is missing")

    monkeypatch.setattr(grader.grading, "grade_source", no_sandbox)
    with pytest.raises(SandboxError, match="could not start"):
        grade_task("on_bytes", "def on_bytes(chunk):\n    pass\n", 13.0, seed="s")


def test_the_demo_class_answers_are_valid_python_in_every_lesson():
    # cy's "while became if" made lessons 4-6 a syntax error ('break' outside loop).
    from grader.autograde.demo import DEMO_CLASS, solutions
    from grader.course import DEFAULT_SOURCE_DIR

    checked = 0
    for path in sorted(DEFAULT_SOURCE_DIR.glob("*/*.ipynb")):
        for task, solution in solutions(nbformat.read(path, as_version=4)).items():
            for student, answer in DEMO_CLASS.items():
                if answer is not None:
                    compile(answer(task, solution), f"{student}:{task}", "exec")
                    checked += 1
    assert checked >= 3 * 5
