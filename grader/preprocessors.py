"""nbgrader preprocessors that make autograding immune to the code being graded.

Stock nbgrader runs the hidden tests in the learner's kernel, so learner code can blank them out,
swallow their errors or fake their results. The course instead:

1. `HideChecksFromKernel` swaps each `<task>-check` cell's source for a no-op before execution,
   so the hidden checks never enter the kernel (nothing there to rewrite, walk or read);
2. `GuardedExecute` runs the notebook (in the sandboxed kernel), and when the kernel dies or
   stops answering it stops executing instead of dropping the whole submission;
3. `TrustedChecks`, after the kernel is gone, takes each task's answer source from the notebook,
   grades it with `grader.grading.grade_source` in a fresh sandboxed process, and overwrites the
   check cell's outputs with the points earned (an `execute_result` number, which nbgrader uses
   as partial credit) and a one-line stdout summary. Nothing the kernel printed counts.

`TrustedChecks` also records, for the instructor, the tricks it recognises in the submission.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbgrader.preprocessors.execute import UnresponsiveKernelError
from nbgrader.utils import is_grade
from traitlets import Unicode

CHECK_SUFFIX = "-check"
ANSWER_SUFFIX = "-answer"
# Shared between the preprocessors of one notebook's conversion through nbconvert's resources.
RESOURCES_KEY = "framing_course"
KERNEL_PLACEHOLDER = "# The course checks for this cell run outside the kernel after execution.\n"


def check_task(cell: NotebookNode) -> str | None:
    """The task a hidden check cell grades (`on_bytes` for `on_bytes-check`), else None."""
    if cell.get("cell_type") != "code" or not is_grade(cell):
        return None
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    if grade_id.endswith(CHECK_SUFFIX) and len(grade_id) > len(CHECK_SUFFIX):
        return grade_id[: -len(CHECK_SUFFIX)]
    return None


def _course_state(resources: dict[str, Any]) -> dict[str, Any]:
    state = resources.setdefault(RESOURCES_KEY, {})
    state.setdefault("hidden_sources", {})
    state.setdefault("kernel_events", [])
    return state


class HideChecksFromKernel(NbGraderPreprocessor):
    """Replace every hidden check cell's source with a comment before the kernel runs."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        hidden = _course_state(resources)["hidden_sources"]
        for index, cell in enumerate(nb.cells):
            if check_task(cell) is not None:
                hidden[index] = cell.source
                cell.source = KERNEL_PLACEHOLDER
        return nb, resources


class GuardedExecute(Execute):
    """nbgrader's Execute, except that a dead or stuck kernel ends execution, not the grading.

    After a cell times out (an infinite loop that ignores interrupts would make every later
    cell wait out its own timeout) or the kernel dies (`os._exit`), the remaining cells are left
    unexecuted and the event is recorded; the trusted checks still grade the answer source.
    """

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None):
        self._stopped_by: str | None = None
        self._events = _course_state(resources)["kernel_events"]
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


@dataclass(frozen=True)
class Trick:
    """A pattern in submitted code that tries to game grading, and what it would do."""

    name: str
    pattern: re.Pattern[str]
    meaning: str


def _trick(name: str, regex: str, meaning: str) -> Trick:
    return Trick(name, re.compile(regex, re.MULTILINE), meaning)


# Recognising a trick never changes a score (the verdicts come from the sandboxed checks); the
# list is for the instructor, and a determined learner can always hide a pattern from a regex.
TRICKS: tuple[Trick, ...] = (
    _trick("set_custom_exc", r"set_custom_exc", "swallows the exceptions of later cells"),
    _trick("input_transformers", r"input_transformers|input_splitter|register_magic",
           "rewrites the source of later cells"),
    _trick("ast_node_interactivity", r"ast_node_interactivity",
           "hides or changes the results that nbgrader reads as partial credit"),
    _trick("displayhook", r"displayhook|display_pub|display_formatter",
           "replaces how results are displayed"),
    _trick("excepthook", r"excepthook|showtraceback", "replaces error reporting"),
    _trick("os._exit", r"\bos\s*\.\s*_exit|\bos\s*\.\s*kill|\bos\s*\.\s*abort",
           "kills the kernel"),
    _trick("SystemExit", r"SystemExit|\bsys\s*\.\s*exit|^\s*(?:exit|quit)\s*\(",
           "tries to end execution early"),
    _trick("KeyboardInterrupt", r"KeyboardInterrupt", "raises or catches interrupts"),
    _trick("skip exception", r"SkipTest|pytest\s*\.\s*skip|\bskip\s*\(", "tries to skip tests"),
    _trick("signals", r"\bsignal\s*\.\s*(?:signal|pthread_sigmask|setitimer|alarm)|SIG_IGN",
           "changes signal handling (ignoring interrupts and timeouts)"),
    _trick("frozen clock", r"\btime\s*\.\s*(?:time|monotonic|perf_counter|sleep)\s*=",
           "replaces the clock"),
    _trick("__eq__ override", r"def\s+__(?:eq|ne|hash)__",
           "objects that compare equal to anything"),
    _trick("shadowed builtin",
           r"^\s*(?:bytes|bytearray|len|int|isinstance|type|list|print|memoryview|str)\s*=[^=]"
           r"|^\s*(?:def|class)\s+(?:bytes|bytearray|len|isinstance|type|list|memoryview)\b"
           r"|\bbuiltins\b|__builtins__",
           "shadows or patches Python builtins"),
    _trick("grader patching", r"\bgrader\b|\bnbgrader\b|sys\s*\.\s*modules",
           "reaches for the grader's modules"),
    _trick("frame walking",
           r"_getframe|\bf_back\b|\bf_globals\b|\bf_locals\b|inspect\s*\.\s*(?:stack|currentframe)"
           r"|\bgc\s*\.\s*get_(?:objects|referrers|referents)",
           "walks the caller's frames or the heap for expected values"),
    _trick("course files", r"gradebook|\.\./\.\.|autograded|submitted/|/course\b",
           "reaches for course files"),
    _trick("huge allocation",
           r"\*\*\s*(?:9|1\d)\b|<<\s*(?:3\d|[4-9]\d)\b|\*\s*1024\s*\*\s*1024\s*\*\s*1024"
           r"|(?:1024|1000)\s*\*\*\s*[3-9]\b|\b\d{10,}\b",
           "allocates gigabytes"),
)

# Errors in the executed notebook that show a trick (or an accident) at work.
TELLING_ERRORS = {
    "MemoryError": "ran out of memory",
    "KeyboardInterrupt": "raised KeyboardInterrupt",
    "SystemExit": "raised SystemExit",
    "CellTimeoutError": "ran past the time limit",
    "DeadKernelError": "killed the kernel",
}


def detect_tricks(
    nb: NotebookNode,
    hidden_sources: dict[int, str] | None = None,
    course_sources: set[str] | None = None,
) -> list[dict]:
    """The tricks recognised in the notebook's code cells and outputs, in notebook order.

    Cells whose source is exactly a cell of the lesson's own source (`course_sources`) are the
    course's code, not the learner's, and are not scanned; their outputs still are.
    """
    hidden_sources = hidden_sources or {}
    course_sources = course_sources or set()
    found: list[dict] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code" or index in hidden_sources:
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {index + 1}")
        learners = cell.source.strip() not in course_sources
        for trick in TRICKS if learners else ():
            match = trick.pattern.search(cell.source)
            if match and not _is_course_import(trick, cell.source):
                found.append({"trick": trick.name, "cell": grade_id, "meaning": trick.meaning,
                              "evidence": _line_of(cell.source, match.start())})
        errors = {output.get("ename") for output in cell.get("outputs", [])
                  if output.get("output_type") == "error"}
        for output in cell.get("outputs", []):
            ename = output.get("ename") if output.get("output_type") == "error" else None
            if ename == "KeyboardInterrupt" and "CellTimeoutError" in errors:
                continue  # the interrupt that ended a timed-out cell was the grader's own
            if ename in TELLING_ERRORS:
                found.append({"trick": ename, "cell": grade_id, "meaning": TELLING_ERRORS[ename],
                              "evidence": f"{ename}: {output.get('evalue', '')}"[:200]})
    return found


def _is_course_import(trick: Trick, source: str) -> bool:
    # Lessons themselves import `grader.notebook` (self-checks); that alone is no trick.
    if trick.name != "grader patching":
        return False
    stripped = re.sub(r"^\s*from grader\.notebook import [\w, ]+\s*$", "", source, flags=re.M)
    return not trick.pattern.search(stripped)


def _line_of(source: str, offset: int) -> str:
    start = source.rfind("\n", 0, offset) + 1
    end = source.find("\n", offset)
    return source[start: end if end != -1 else len(source)].strip()[:200]


class TrustedChecks(NbGraderPreprocessor):
    """Score every hidden check cell from the answer source, in a sandbox, after execution."""

    report_dir = Unicode(
        "", help="Directory for the instructor's per-student reports ('' = do not write)."
    ).tag(config=True)
    source_dir = Unicode(
        "", help="The lessons' source notebooks (their own cells are not scanned for tricks)."
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
        state = _course_state(resources)
        info = resources.get("nbgrader", {})
        student = str(info.get("student", ""))
        tasks_report: dict[str, dict] = {}
        answers = _answer_sources(nb)
        for index, cell in enumerate(nb.cells):
            task = check_task(cell)
            if task is None:
                continue
            if index in state["hidden_sources"]:
                cell.source = state["hidden_sources"][index]
            points = float(cell.metadata["nbgrader"].get("points", 0) or 0)
            outcome = grade_task(task, answers.get(task), points, seed=student)
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


def _answer_sources(nb: NotebookNode) -> dict[str, str]:
    from grader.grading import answer_sources

    try:
        return answer_sources(nb)
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
            new_output("execute_result", data={"text/plain": _number_text(self.earned)},
                       execution_count=None),
        ]

    def report(self) -> dict:
        return {"points": self.points, "earned": self.earned, "summary": self.summary,
                "result": self.result, "html": self.html}


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(value, 4))


def grade_task(task: str, source: str | None, points: float, seed: str) -> TaskOutcome:
    """Grade one task's answer source with the course checks, scaled to the cell's points."""
    if not source:
        return TaskOutcome(task, points, 0.0, f"{task}: no answer found in the notebook; 0 points")
    from grader.grading import grade_source
    from grader.runner import SandboxError

    try:
        result = grade_source(task, source, seed=seed)
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
    summary = f"{task}: {_number_text(earned)}/{_number_text(points)} points"
    summary += f"; failed: {', '.join(failed)}" if failed else "; every check passed"
    try:
        from grader.feedback import render_task_html

        html = render_task_html(result, heading=False)  # the feedback page heads each task
    except Exception as error:  # feedback drawing must not cost the learner the grade
        html = f"<p>(the failure pictures could not be drawn: {type(error).__name__})</p>"
    return TaskOutcome(task, points, earned, summary, result.to_json(), html)

