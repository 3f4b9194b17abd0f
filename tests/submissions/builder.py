"""Build a learner's submission from a lesson's release notebook.

A submission is the release notebook with answer cells filled in, optionally with extra cells
(tricks) and damage (deleted cells, stripped metadata) applied, as a learner's file would be.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell


def grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def cell_index(nb: NotebookNode, wanted: str) -> int:
    for index, cell in enumerate(nb.cells):
        if grade_id(cell) == wanted:
            return index
    raise KeyError(f"no cell {wanted} in the notebook")


def build(
    release: NotebookNode,
    answers: dict[str, str],
    *,
    extra: dict[str, str] | None = None,
    damage: Callable[[NotebookNode], None] | None = None,
) -> NotebookNode:
    """The release notebook with each task's answer cell replaced by `answers[task]`.

    `extra` maps a grade id to code inserted as a new cell right after that cell.
    """
    nb = copy.deepcopy(release)
    for task, source in answers.items():
        nb.cells[cell_index(nb, f"{task}-answer")].source = source
    for after, source in (extra or {}).items():
        nb.cells.insert(cell_index(nb, after) + 1, new_code_cell(source))
    if damage is not None:
        damage(nb)
    return nb


def write(course_root: Path, student: str, lesson: str, content: NotebookNode | str,
          name: str | None = None) -> Path:
    """Put a submission where nbgrader expects it: submitted/STUDENT/LESSON/NAME.ipynb."""
    folder = Path(course_root) / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or lesson}.ipynb"
    # Plain JSON, not nbformat.write: that would quietly repair damage a test wants to keep.
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=1))
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    return path


def read(path: Path) -> NotebookNode:
    return nbformat.read(path, as_version=4)


def strip_nbgrader_metadata(nb: NotebookNode) -> None:
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)


def delete_cell(wanted: str) -> Callable[[NotebookNode], None]:
    def damage(nb: NotebookNode) -> None:
        del nb.cells[cell_index(nb, wanted)]
    return damage


def duplicate_cell_ids(nb: NotebookNode) -> None:
    for cell in nb.cells:
        cell["id"] = "same-id"


def invalid_json(nb: NotebookNode) -> str:
    return json.dumps(nb)[:-40]
