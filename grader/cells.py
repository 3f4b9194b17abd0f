"""What a notebook cell or an answer's source says about the graded tasks: the one place for it.

nbgrader tags cells with a ``grade_id``: the course names a task's answer cell
``<task>-answer`` and its hidden test cell ``<task>-check``. Whether a source
defines a task is read from its syntax tree (top-level definitions,
assignments and imports), the way Python itself would bind the name.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from typing import Any

__all__ = [
    "ANSWER_SUFFIX",
    "CHECK_SUFFIX",
    "answer_sources",
    "answer_task",
    "cell_source",
    "cell_task",
    "check_task",
    "defined_names",
    "defines",
    "grade_id",
    "graded_tasks",
    "is_unanswered",
]

CHECK_SUFFIX = "-check"
ANSWER_SUFFIX = "-answer"


def grade_id(cell: Any) -> str:
    """The cell's nbgrader ``grade_id``, or ``""``."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "") or ""


def cell_source(cell: Any) -> str:
    """The cell's source as one string (nbformat allows a list of lines on disk)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def cell_task(cell: Any, suffix: str) -> str | None:
    """The task a cell's grade id names with ``suffix`` (``on_bytes`` for ``on_bytes-check``)."""
    gid = grade_id(cell)
    if gid.endswith(suffix) and len(gid) > len(suffix):
        return gid[: -len(suffix)]
    return None


def check_task(cell: Any) -> str | None:
    """The task a hidden check cell grades: a graded code cell named ``<task>-check``."""
    if cell.get("cell_type") != "code" or not cell.get("metadata", {}).get("nbgrader", {}).get(
        "grade"
    ):
        return None
    return cell_task(cell, CHECK_SUFFIX)


def answer_task(cell: Any) -> str | None:
    """The task an answer cell (``<task>-answer``) answers."""
    return cell_task(cell, ANSWER_SUFFIX)


def graded_tasks(notebook: Any, known: Collection[str]) -> list[str]:
    """Tasks of ``known`` with a `<task>-check` cell, in notebook order (none when stripped)."""
    graded: list[str] = []
    for cell in notebook.get("cells", []):
        task = cell_task(cell, CHECK_SUFFIX)
        if task in known and task not in graded:
            graded.append(task)
    return graded


def defined_names(tree: ast.Module) -> set[str]:
    """Names a module binds at top level (functions, classes, assignments, imports)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def defines(source: str, name: str) -> bool:
    """Whether ``source`` binds ``name`` at top level.

    A source Python cannot parse is still taken to define a function or class it starts
    with ``def``/``class`` ``name`` on a line of its own, so that an answer cell with a
    syntax error is found (and graded as one) rather than reported missing.
    """
    try:
        return name in defined_names(ast.parse(source))
    except (SyntaxError, ValueError):
        pattern = rf"^\s*(?:def|class)\s+{re.escape(name)}\b"
        return re.search(pattern, source, re.MULTILINE) is not None


def answer_sources(notebook: Any, known: Collection[str]) -> dict[str, str]:
    """Map each task of ``known`` to its answer source in ``notebook`` (nbformat, or plain JSON).

    Cells tagged ``<task>-answer`` by nbgrader win; when metadata was stripped, the
    last code cell that defines the task's name at top level is used.
    """
    by_id: dict[str, str] = {}
    by_definition: dict[str, str] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        task = answer_task(cell)
        if task in known:
            by_id[task] = source
            continue
        try:
            names = defined_names(ast.parse(source))
        except SyntaxError:
            continue
        for name in names & set(known):
            by_definition[name] = source
    return {**by_definition, **by_id}


def is_unanswered(tree: ast.Module, name: str) -> bool:
    """Whether `name` is still the release's stub: every body only raises NotImplementedError.

    A class counts as unanswered only when all of its methods are stubs, so an answer with some
    methods written is graded (and earns what those methods earn).
    """
    definitions = [node for node in tree.body
                   if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                   and node.name == name]
    if not definitions:
        return False
    definition = definitions[-1]  # the one Python keeps
    if isinstance(definition, ast.ClassDef):
        methods = [node for node in definition.body
                   if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
        return bool(methods) and all(_is_stub(method.body) for method in methods)
    return _is_stub(definition.body)


def _is_stub(body: list[ast.stmt]) -> bool:
    statements = [
        node for node in body
        if not isinstance(node, ast.Pass)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    ]
    if len(statements) != 1 or not isinstance(statements[0], ast.Raise):
        return False
    raised = statements[0].exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
