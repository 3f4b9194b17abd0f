"""Reading the lesson notebooks: their nbgrader cells, solution regions, and running them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"

#: The lessons and the tasks each grades, in notebook order (contracts.md).
LESSON_TASKS: dict[str, list[str]] = {
    "01-stream": [],
    "02-length-prefix": ["encode_frame", "read_header"],
    "03-reassembly": ["on_bytes"],
    "04-delimiters": ["LineDecoder"],
    "05-watch-out": ["SafeDecoder"],
    "06-complete-decoder": ["FrameDecoder"],
}

HIDDEN_CELL = (
    "from grader.notebook import graded\n"
    "### BEGIN HIDDEN TESTS\n"
    'graded("{task}")\n'
    "### END HIDDEN TESTS"
)
RELEASED_HIDDEN_CELL = "from grader.notebook import graded"

_SOLUTION = re.compile(
    r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.S | re.M
)

CELL_TIMEOUT_S = 60


def source_path(lesson: str) -> Path:
    return NOTEBOOKS / lesson / f"{lesson}.ipynb"


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def cells_by_grade_id(notebook: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {grade_id(cell): cell for cell in notebook.cells if grade_id(cell)}


def defined_names(source: str) -> set[str]:
    """Names a cell defines at top level (functions, classes, assignments)."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def solution_regions(source: str) -> list[str]:
    """The text between each ``### BEGIN SOLUTION`` and ``### END SOLUTION``."""
    return _SOLUTION.findall(source)


def secret_lines(notebook: nbformat.NotebookNode) -> set[str]:
    """Stripped lines that occur only inside solution regions: a release must contain none.

    Lines that the notebook also shows outside a solution (an ``import``, a blank line, a
    ``return``) are left out, since they give nothing away.
    """
    inside: set[str] = set()
    outside: set[str] = set()
    for cell in notebook.cells:
        regions = solution_regions(cell.source)
        for region in regions:
            inside.update(line.strip() for line in region.splitlines())
        remainder = _SOLUTION.sub("", cell.source)
        outside.update(line.strip() for line in remainder.splitlines())
    return {line for line in inside - outside if len(line) >= 8}


def code_lines(notebook: nbformat.NotebookNode) -> Iterator[tuple[str, str]]:
    """(cell id, stripped line) for every line of every code cell."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                yield cell.get("id", "?"), line.strip()


def client_for(notebook: nbformat.NotebookNode, folder: Path) -> NotebookClient:
    """A client that runs ``notebook`` on a fresh python3 kernel, in ``folder``."""
    return NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )


def run_until_first_error(
    notebook: nbformat.NotebookNode, folder: Path
) -> tuple[int, CellExecutionError | None]:
    """Run the cells in order until one fails; return (index reached, the error or None)."""
    client = client_for(notebook, folder)
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:
                return index, error
    return len(notebook.cells), None


def stderr_text(cell: nbformat.NotebookNode) -> str:
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    )


def result_value(cell: nbformat.NotebookNode) -> str | None:
    """The text/plain of a cell's execute_result (what nbgrader reads as partial credit)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "execute_result":
            return output.get("data", {}).get("text/plain")
    return None
