"""Lessons 1-3 run with a learner's predictions filled in: every reveal compares the prediction
with what happened (a right one is called right, a wrong one is corrected), and lesson 1 draws
its recv() sizes as a plot with labelled axes."""

from __future__ import annotations

import os

import nbformat
import pytest
from support.notebook_support import REPO, client_for, read, source_path

#: For each lesson: the prediction cells' new source, and for each reveal cell the words its
#: output must contain and must not contain.
PREDICTIONS = {
    "01-stream": {
        "set": {
            "predict-1": 'my_prediction = "B"',
            "predict-2": "my_guess_of_recv_calls = 1",
            "predict-crash": 'my_crash_prediction = "A"',
        },
        "expect": {
            "reveal-2": (["You guessed 1; it took", "times more"], []),
            "crash-reveal": (["You predicted A; this run showed B: not what happened"],
                             ["right"]),
        },
    },
    "02-length-prefix": {
        "set": {
            "predict-byte-order": "my_little_endian_reading = 59395",
            "predict-ceiling": 'my_ceiling_prediction = "a"',
        },
        "expect": {
            "reveal-byte-order": (["You predicted 59,395: right"], []),
            "reveal-ceiling": (["You predicted a; the ceiling is the same in both orders (C)"],
                             ["right"]),
        },
    },
    "03-reassembly": {
        "set": {
            "predict-buffer": 'my_buffer_after_chunk_2 = b"\\x02h"',
            "predict-coalesced": "my_frames_in_one_call = 1",
            "predict-broken": "my_broken_frame_count = 1",
        },
        "expect": {
            "reveal-buffer": ([r"You predicted b'\x02h': right"], []),
            "reveal-coalesced": (["You predicted 1; one call took out 3 frames", "not quite"],
                                 []),
            "reveal-broken": (["You predicted 1: right"], []),
        },
    },
}


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    venv_bin = REPO / ".venv" / "bin"
    if venv_bin.is_dir():
        monkeypatch.setenv("PATH", f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}")


def text_of(cell: nbformat.NotebookNode) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []))


def run_with_predictions(lesson: str, extra: dict[str, str]) -> dict:
    path = source_path(lesson)
    notebook = read(path)
    by_id = {cell.id: cell for cell in notebook.cells}
    for cell_id, source in PREDICTIONS[lesson]["set"].items():
        by_id[cell_id].source = source
    for after, source in extra.items():
        probe = nbformat.v4.new_code_cell(source)
        probe["id"] = f"probe-after-{after}"
        notebook.cells.insert(notebook.cells.index(by_id[after]) + 1, probe)
    client_for(notebook, path.parent).execute()
    return {cell.id: cell for cell in notebook.cells}


@pytest.mark.slow
@pytest.mark.parametrize("lesson", list(PREDICTIONS))
def test_each_reveal_compares_the_prediction_with_what_happened(lesson: str) -> None:
    extra = {
        "recv-plot": "axes = figure.axes[0]\n"
                     "print(repr(axes.get_xlabel()), repr(axes.get_ylabel()), len(axes.patches))",
    } if lesson == "01-stream" else {}
    cells = run_with_predictions(lesson, extra)
    for cell_id, expectation in PREDICTIONS[lesson]["expect"].items():
        present, absent = expectation
        shown = text_of(cells[cell_id])
        for words in present:
            assert words in shown, f"{lesson} {cell_id} printed {shown!r}"
        for words in absent:
            assert words not in shown, f"{lesson} {cell_id} printed {shown!r}"

    if lesson == "01-stream":
        first = text_of(cells["reveal-1"])
        if "showed B" in first:
            assert "You predicted B and this run showed B: well done" in first, first
        else:  # a busy machine can deliver the greetings in two pieces; then B is corrected
            assert "You predicted B; this run showed" in first, first
        plot = cells["recv-plot"]
        assert any("image/png" in output.get("data", {}) for output in plot.outputs), (
            "lesson 1 draws no plot of the recv() sizes"
        )
        probe = text_of(cells["probe-after-recv-plot"]).strip()
        assert "'recv() call, in order'" in probe and "'bytes returned by the call'" in probe
        calls = int(text_of(cells["experiment-2"]).split("it took ")[1].split(" recv()")[0])
        assert probe.endswith(f" {calls}"), f"the plot has a bar per recv() call: {probe}"
