"""`check FILE [--json] [--seed S]`: grade a .py file or a lesson notebook with the course checks.

Exit status: 0 when every check passed, 1 when a check failed, 2 when the file
cannot be graded (missing, not valid JSON, no graded task in it, a syntax
error in a .py file, or the grading sandbox cannot start), with the reason on
stderr. In a notebook, an answer cell with a syntax error fails its own task only.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
from pathlib import Path

from grader.cells import answer_sources, defined_names, graded_tasks
from grader.errors import CannotGrade, SandboxError
from grader.feedback import render_report_text
from grader.grading import TaskResult, grade_source
from grader.lessons import TASKS

HELP = "grade a file with the course checks"
DESCRIPTION = __doc__


def _sources(path: Path) -> dict[str, str]:
    """Task name -> answer source, from a notebook's answer cells or a whole .py file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CannotGrade(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CannotGrade(f"{path} is not UTF-8 text") from None
    if path.suffix == ".ipynb":
        import nbformat

        try:
            notebook = nbformat.reads(text, as_version=4)
        except Exception as error:  # nbformat raises several kinds for bad JSON
            raise CannotGrade(f"{path} is not a valid notebook: {error}") from None
        sources = answer_sources(notebook, TASKS)
        graded_here = graded_tasks(notebook, TASKS)
        if graded_here:
            # A lesson may hold another lesson's task (lesson 6 asks for lesson 3's on_bytes
            # to race it); only the tasks this notebook grades count, as in autograding.
            # A graded task with no answer cell left grades as "not defined", not as nothing.
            sources = {name: sources.get(name, "") for name in graded_here}
        # An answer cell with a syntax error costs its own task (graded 0 with the error, as
        # autograding does), not the whole notebook: the other tasks are still checked.
    else:
        sources = {name: text for name in _defined(text, path) if name in TASKS}
    if not sources:
        raise CannotGrade(f"{path} defines no graded task (one of: {', '.join(TASKS)})")
    return sources


def _defined(source: str, path: Path) -> set[str]:
    try:
        return defined_names(ast.parse(source))
    except SyntaxError as error:
        line = f" on line {error.lineno}" if error.lineno else ""
        message = f"{path}: syntax error{line}: {error.msg}"
        raise CannotGrade(message) from None
    except ValueError as error:  # e.g. null bytes in the source
        raise CannotGrade(f"{path}: cannot parse: {error}") from None


def _report(results: dict[str, TaskResult]) -> dict:
    return {
        "score": sum(r.score for r in results.values()),
        "max_score": sum(r.max_score for r in results.values()),
        "tasks": {name: result.to_json() for name, result in results.items()},
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a .py file or a lesson .ipynb")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--seed", default="", help="seed for the random cases (a student id)")


def run(args: argparse.Namespace) -> int:
    """Run the ``check`` command; return its exit status."""
    sources = _sources(args.file)
    try:
        results = {name: grade_source(name, source, args.seed) for name, source in sources.items()}
    except SandboxError as error:
        raise CannotGrade(str(error)) from None
    text = json.dumps(_report(results), indent=2) if args.json else render_report_text(results)
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Piped into `head`, say: the reader left. Point stdout at /dev/null so that the
        # interpreter's final flush does not fail again (the recipe in Python's signal docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0 if all(not r.failures for r in results.values()) else 1
