"""Patterns in a submission that try to game grading, recognised for the instructor's report.

Recognising a trick never changes a score (the verdicts come from the sandboxed checks); the
list is for the instructor, and a determined learner can always hide a pattern from a regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nbformat import NotebookNode

from grader.cells import grade_id

__all__ = ["TELLING_ERRORS", "TRICKS", "Trick", "detect_tricks"]


@dataclass(frozen=True)
class Trick:
    """A pattern in submitted code that tries to game grading, and what it would do."""

    name: str
    pattern: re.Pattern[str]
    meaning: str


def _trick(name: str, regex: str, meaning: str) -> Trick:
    return Trick(name, re.compile(regex, re.MULTILINE), meaning)


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
        cell_name = grade_id(cell) or f"cell {index + 1}"
        learners = cell.source.strip() not in course_sources
        for trick in TRICKS if learners else ():
            match = trick.pattern.search(cell.source)
            if match and not _is_course_import(trick, cell.source):
                found.append({"trick": trick.name, "cell": cell_name, "meaning": trick.meaning,
                              "evidence": _line_of(cell.source, match.start())})
        errors = {output.get("ename") for output in cell.get("outputs", [])
                  if output.get("output_type") == "error"}
        for output in cell.get("outputs", []):
            ename = output.get("ename") if output.get("output_type") == "error" else None
            if ename == "KeyboardInterrupt" and "CellTimeoutError" in errors:
                continue  # the interrupt that ended a timed-out cell was the grader's own
            if ename in TELLING_ERRORS:
                found.append({"trick": ename, "cell": cell_name, "meaning": TELLING_ERRORS[ename],
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
