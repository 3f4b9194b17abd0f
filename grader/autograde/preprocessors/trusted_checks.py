"""Score every hidden check cell from the answer's source, in the checks' sandbox, afterwards."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer, Unicode

from grader import settings
from grader.autograde.tricks import detect_tricks
from grader.cells import answer_sources, check_task
from grader.deployment.secret import graded_seed, load_or_create
from grader.errors import SandboxError
from grader.formatting import score_result
from grader.sandbox.limits import Limits, check_limits

from .state import course_state

__all__ = ["TaskOutcome", "TrustedChecks", "grade_task"]


class TrustedChecks(NbGraderPreprocessor):
    """Score every hidden check cell from the answer source, in a sandbox, after execution."""

    report_dir = Unicode(
        "", help="Directory for the instructor's per-student reports ('' = do not write)."
    ).tag(config=True)
    source_dir = Unicode(
        "", help="The lessons' source notebooks (their own cells are not scanned for tricks)."
    ).tag(config=True)
    secret_file = Unicode(
        "", help="The course secret (course-secret in the course directory): each student's "
        "graded cases are seeded by an HMAC of their id under it ('' = the id itself)."
    ).tag(config=True)
    memory_limit_bytes = Integer(
        settings.DEFAULT_MEMORY_LIMIT_BYTES,
        help="Address-space limit of the checks' sandboxed child (as the kernel's).",
    ).tag(config=True)

    def _course_sources(self, lesson: str | None, notebook: str | None) -> set[str]:
        path = Path(self.source_dir) / str(lesson) / f"{notebook}.ipynb"
        if not self.source_dir or not path.is_file():
            return set()
        try:
            source = nbformat.read(path, as_version=4)
        except Exception:  # no lesson source: every cell counts as the learner's
            return set()
        return {cell.source.strip() for cell in source.cells if cell.cell_type == "code"}

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        state = course_state(resources)
        info = resources.get("nbgrader", {})
        student = str(info.get("student", ""))
        tasks_report: dict[str, dict] = {}
        answers = _answer_sources(nb)
        limits = check_limits(self.memory_limit_bytes)
        seed = student_seed(self.secret_file, student)
        for index, cell in enumerate(nb.cells):
            task = check_task(cell)
            if task is None:
                continue
            if index in state["hidden_sources"]:
                cell.source = state["hidden_sources"][index]
            points = float(cell.metadata["nbgrader"].get("points", 0) or 0)
            outcome = grade_task(task, answers.get(task), points, seed=seed, limits=limits)
            cell.outputs = outcome.outputs()
            cell.execution_count = None
            tasks_report[task] = outcome.report()
        course_sources = self._course_sources(info.get("assignment"), info.get("notebook"))
        tricks = detect_tricks(nb, state["hidden_sources"], course_sources)
        report = {
            "student": student,
            "lesson": info.get("assignment"),
            "notebook": info.get("notebook"),
            "tasks": tasks_report,
            "tricks": tricks,
            "kernel_events": list(state["kernel_events"]),
        }
        state["report"] = report
        self._write_report(report)
        return nb, resources

    def _write_report(self, report: dict) -> None:
        if not self.report_dir or not report["lesson"] or not report["student"]:
            return
        folder = Path(self.report_dir) / report["lesson"] / report["student"]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{report['notebook']}.json"
        partial = target.with_suffix(".json.part")
        partial.write_text(json.dumps(report, indent=1))
        partial.replace(target)


def student_seed(secret_file: str, student: str) -> str:
    """The seed of `student`'s graded cases: from the course secret when there is one."""
    if not secret_file:
        return student
    return graded_seed(load_or_create(Path(secret_file).parent), student)


def _answer_sources(nb: NotebookNode) -> dict[str, str]:
    from grader.lessons import TASKS

    try:
        return answer_sources(nb, TASKS)
    except Exception:  # a mangled notebook grades as "no answer", never as a crash
        return {}


@dataclass
class TaskOutcome:
    """What the trusted checks found for one task: points earned and what to show."""

    task: str
    points: float
    earned: float
    summary: str
    result: dict | None = None
    html: str = ""

    def outputs(self) -> list[NotebookNode]:
        return [
            new_output("stream", name="stdout", text=self.summary + "\n"),
            new_output("execute_result", data={"text/plain": score_result(self.earned)},
                       execution_count=None),
        ]

    def report(self) -> dict:
        return {"points": self.points, "earned": self.earned, "summary": self.summary,
                "result": self.result, "html": self.html}


def grade_task(
    task: str, source: str | None, points: float, seed: str, limits: Limits | None = None
) -> TaskOutcome:
    """Grade one task's answer source with the course checks, scaled to the cell's points.

    ``limits`` bound the checks' child (default: ``check_limits()``).
    """
    if not source:
        return TaskOutcome(task, points, 0.0, f"{task}: no answer found in the notebook; 0 points")
    # Looked up at call time, so that a test can stand in for the sandbox.
    from grader.grading import grade_source

    try:
        result = grade_source(task, source, seed=seed, limits=limits or check_limits())
    except SandboxError:
        # The machine is at fault, not the answer: this student's grading fails (named in the
        # instructor's run, graded again next run) instead of recording a 0 it did not earn.
        raise
    except Exception as error:
        return TaskOutcome(task, points, 0.0,
                           f"{task}: could not be graded ({type(error).__name__}); 0 points")
    fraction = result.score / result.max_score if result.max_score else 0.0
    earned = min(points, round(points * fraction, 2))
    failed = [failure.check for failure in result.failures]
    summary = f"{task}: {score_result(earned)}/{score_result(points)} points"
    summary += f"; failed: {', '.join(failed)}" if failed else "; every check passed"
    try:
        from grader.feedback import render_task_html

        html = render_task_html(result, heading=False)  # the feedback page heads each task
    except Exception as error:  # feedback drawing must not cost the learner the grade
        html = f"<p>(the failure pictures could not be drawn: {type(error).__name__})</p>"
    return TaskOutcome(task, points, earned, summary, result.to_json(), html)
