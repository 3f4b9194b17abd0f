"""Check, and where possible repair, a submission before nbgrader sees it.

nbgrader reacts badly to some submissions: invalid JSON or a missing notebook stop that student
with a traceback, deleted test cells and stripped nbgrader metadata silently drop the checks,
duplicated cell ids fail validation. Preflight copies each submission to `course/preflight/`,
repairs what it can (restoring the course's check cells and metadata from the release version,
so the verdict still comes from the course's checks) and reports every repair. The learner's
original under `submitted/` is never changed.
"""

from __future__ import annotations

import copy
import json
import shutil
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grader.cells import ANSWER_SUFFIX, defines, grade_id
from grader.errors import SubmissionError

__all__ = ["PreflightResult", "SubmissionError", "preflight_submission", "repair_notebook"]


@dataclass
class PreflightResult:
    """What preflight found for one student's submission of one lesson."""

    student: str
    lesson: str
    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"student": self.student, "lesson": self.lesson, "repairs": self.repairs,
                "problems": self.problems}


def _is_course_cell(cell: NotebookNode) -> bool:
    """Cells whose content belongs to the course: locked cells and graded cells."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta) and (meta.get("locked") or meta.get("grade")) and not meta.get("solution")


def read_submitted_notebook(path: Path) -> NotebookNode:
    """Read a submitted notebook, turning every way it can be unreadable into a clear message."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SubmissionError(f"{path.name} is not UTF-8 text ({error.reason})") from None
    if not raw.strip():
        raise SubmissionError(f"{path.name} is empty ({len(raw.encode())} bytes)")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise SubmissionError(
            f"{path.name} is not valid JSON ({error.msg} at line {error.lineno}, "
            f"column {error.colno})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise SubmissionError(f"{path.name} is JSON but not a notebook (no 'cells' list)")
    try:
        with warnings.catch_warnings():
            # nbformat quietly renames duplicated cell ids; preflight reports them itself.
            warnings.simplefilter("ignore")
            return nbformat.reads(raw, as_version=4)
    except Exception as error:
        raise SubmissionError(f"{path.name} is not a readable notebook ({error})") from None


def duplicated_cell_ids(path: Path) -> list[str]:
    """Cell ids that occur more than once in the notebook file as submitted."""
    ids = [cell.get("id") for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
           if isinstance(cell, dict) and cell.get("id")]
    return sorted({cell_id for cell_id in ids if ids.count(cell_id) > 1})


def _drop_foreign_cells_metadata(
    nb: NotebookNode, release: NotebookNode, result: PreflightResult, name: str
) -> None:
    """Cells tagged with grade ids the lesson does not have (copied from another lesson).

    nbgrader cannot grade them (they are not in the gradebook) and fails the whole notebook on
    them, so they lose their nbgrader metadata and run as plain cells. A notebook with only
    such cells is another lesson's notebook: SubmissionError.
    """
    known = {grade_id(cell) for cell in release.cells if grade_id(cell)}
    tagged = [cell for cell in nb.cells if grade_id(cell)]
    foreign = [cell for cell in tagged if grade_id(cell) not in known]
    if not foreign:
        return
    foreign_ids = [grade_id(cell) for cell in foreign]
    if len(foreign) == len(tagged):
        shown = ", ".join(foreign_ids[:4]) + (", ..." if len(foreign_ids) > 4 else "")
        raise SubmissionError(
            f"{name} holds none of the lesson's cells, only cells of another lesson ({shown}): "
            "was the wrong notebook submitted under this name?"
        )
    for cell in foreign:
        result.repairs.append(f"the cell {grade_id(cell)} is not part of this lesson; it ran "
                              "as a plain cell")
        del cell.metadata["nbgrader"]


def repair_notebook(nb: NotebookNode, release: NotebookNode, result: PreflightResult) -> None:
    """Repair `nb` in place against its release version, recording each repair in `result`."""
    _dedupe_cell_ids(nb, result)
    released_cells = [cell for cell in release.cells if grade_id(cell)]
    present = {grade_id(cell) for cell in nb.cells if grade_id(cell)}
    by_id = {cell.get("id"): cell for cell in nb.cells if cell.get("id")}
    previous_gid: str | None = None
    for released in released_cells:
        gid = grade_id(released)
        if gid in present:
            previous_gid = gid
            continue
        meta = released.metadata["nbgrader"]
        twin = by_id.get(released.get("id"))
        if twin is not None and not grade_id(twin):
            twin.metadata["nbgrader"] = copy.deepcopy(meta)
            result.repairs.append(f"restored the stripped nbgrader metadata of {gid}")
        elif meta.get("solution"):
            task = gid.removesuffix(ANSWER_SUFFIX)
            twin = next((cell for cell in nb.cells if cell.cell_type == "code"
                         and not grade_id(cell) and defines(cell.source, task)), None)
            if twin is None:
                result.problems.append(f"the answer cell {gid} is missing")
                continue
            twin.metadata["nbgrader"] = copy.deepcopy(meta)
            result.repairs.append(f"found the answer cell {gid} by what it defines")
        else:
            cell = copy.deepcopy(released)
            cell["id"] = uuid.uuid4().hex[:8]
            nb.cells.insert(_insert_position(nb, previous_gid), cell)
            result.repairs.append(f"restored the deleted cell {gid} from the release")
        present.add(gid)
        previous_gid = gid
    _note_edited_course_cells(nb, released_cells, result)


def _insert_position(nb: NotebookNode, after_grade_id: str | None) -> int:
    for index, cell in enumerate(nb.cells):
        if after_grade_id and grade_id(cell) == after_grade_id:
            return index + 1
    return len(nb.cells)


def _dedupe_cell_ids(nb: NotebookNode, result: PreflightResult) -> None:
    seen: set[str] = set()
    for cell in nb.cells:
        cell_id = cell.get("id")
        if not cell_id or cell_id in seen:
            cell["id"] = uuid.uuid4().hex[:8]
            if cell_id:
                result.repairs.append(f"gave a fresh id to a cell that duplicated id {cell_id!r}")
        seen.add(cell["id"])
    # Duplicated grade ids: nbgrader's DeduplicateIds keeps the first; say so here.
    grade_ids = [gid for gid in (grade_id(cell) for cell in nb.cells) if gid]
    for gid in sorted({gid for gid in grade_ids if grade_ids.count(gid) > 1}):
        result.repairs.append(f"cell {gid} appears {grade_ids.count(gid)} times; the first counts")


def _note_edited_course_cells(
    nb: NotebookNode, released_cells: list[NotebookNode], result: PreflightResult
) -> None:
    released = {grade_id(cell): cell.source for cell in released_cells if _is_course_cell(cell)}
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in released and cell.source.strip() != released[gid].strip():
            result.repairs.append(f"the locked cell {gid} was edited; the course's version is used")


def preflight_submission(
    student: str, lesson: str, submitted: Path, staged: Path, release_dir: Path
) -> PreflightResult:
    """Copy `submitted` to `staged`, repairing each notebook against the release in `release_dir`.

    Raises SubmissionError when nothing gradable is left (no notebook, or none readable).
    """
    result = PreflightResult(student, lesson)
    if staged.exists():
        shutil.rmtree(staged)
    staged.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(submitted, staged, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    expected = sorted(release_dir.glob("*.ipynb"))
    readable = 0
    for release_path in expected:
        path = staged / release_path.name
        if not path.exists():
            result.problems.append(_missing_notebook(release_path.name, staged, expected))
            continue
        release = nbformat.read(release_path, as_version=4)
        try:
            nb = read_submitted_notebook(path)
            _drop_foreign_cells_metadata(nb, release, result, path.name)
        except SubmissionError as error:
            result.problems.append(str(error))
            path.unlink()
            continue
        for cell_id in duplicated_cell_ids(path):
            result.repairs.append(f"cells that shared the duplicated id {cell_id!r} got fresh ids")
        repair_notebook(nb, release, result)
        nbformat.write(nb, path)
        readable += 1
    if readable == 0:
        raise SubmissionError("; ".join(result.problems) or "no notebook was submitted")
    return result


def _missing_notebook(name: str, staged: Path, expected: list[Path]) -> str:
    """Say which notebook is missing and what was handed in instead (a wrong name, a .py)."""
    wanted = {path.name for path in expected} | {"timestamp.txt"}
    others = sorted(str(path.relative_to(staged)) for path in staged.rglob("*")
                    if path.is_file() and path.name not in wanted)
    if not others:
        return f"no {name} was submitted"
    shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    return f"no {name} was submitted (found instead: {shown}; the notebook must be named {name})"
