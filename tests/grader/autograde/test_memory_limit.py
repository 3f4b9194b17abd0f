"""`--memory-limit` reaches the checks' sandbox, not only the kernel's."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from grader.autograde.preprocessors import TrustedChecks, grade_task
from grader.cli import main
from grader.course import Course
from grader.sandbox.limits import check_limits

LIMIT = 160 << 20
#: An answer whose cell briefly needs more address space than LIMIT, far less than the default
#: (freed at once: each case runs the cell afresh).
GREEDY_ON_BYTES = """\
reserve = bytearray(200 << 20)
del reserve


def on_bytes(chunk):
    pass
"""
GREEDY_ENCODE_FRAME = """\
reserve = bytearray(200 << 20)
del reserve


def encode_frame(payload):
    return len(payload).to_bytes(4, "big") + payload
"""


def _check_cell(task: str, points: int) -> object:
    return new_code_cell("graded(...)", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": f"{task}-check",
        "points": points}})


def test_the_option_sets_the_courses_memory_limit(tmp_path, monkeypatch):
    import grader.autograde.run as run

    courses = []
    monkeypatch.setattr(run, "autograde", lambda course, *args, **kw: courses.append(course) or [])
    code = main(["autograde", "03-reassembly", "--course", str(tmp_path),
                 "--memory-limit", str(LIMIT)])
    assert code == 0 and [course.memory_limit_bytes for course in courses] == [LIMIT]


def test_the_trusted_checks_grade_with_the_courses_memory_limit(tmp_path, monkeypatch):
    import grader.grading

    config = Course(root=tmp_path, memory_limit_bytes=LIMIT).nbgrader_config()
    assert config.SandboxedKernelManager.memory_limit_bytes == LIMIT
    seen = []

    def recording_grade_source(task, source, seed="", *, limits=None, isolate=True):
        seen.append(limits)
        raise RuntimeError("not graded in this test")

    monkeypatch.setattr(grader.grading, "grade_source", recording_grade_source)
    answer = new_code_cell(GREEDY_ON_BYTES, metadata={"nbgrader": {
        "grade": False, "solution": True, "grade_id": "on_bytes-answer"}})
    notebook = new_notebook(cells=[answer, _check_cell("on_bytes", 13)])
    TrustedChecks(config=Config(config)).preprocess(notebook, {"nbgrader": {"student": "ada"}})
    assert [limits.memory_bytes for limits in seen] == [LIMIT]


def test_the_limit_binds_the_checks_child():
    bounded = grade_task("encode_frame", GREEDY_ENCODE_FRAME, 5, "", limits=check_limits(LIMIT))
    assert bounded.earned == 0 and "MemoryError" in str(bounded.result)
    unbounded = grade_task("encode_frame", GREEDY_ENCODE_FRAME, 5, seed="")
    assert unbounded.earned == 5
