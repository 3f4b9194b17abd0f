"""The diagnosis: every broken answer in the corpus gets the misconception its first line
names, the library's misconceptions can be told apart, and each points at a real section."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from answers import answer_files, expected_diagnosis
from diagnosis_support import diagnose_source

from grader.checks import real_streams
from grader.diagnosis import MISCONCEPTIONS, diagnose, diagnose_safely
from grader.diagnosis.simulate import simulate
from grader.tasks import TASKS

ROOT = Path(__file__).resolve().parent.parent
BROKEN = [(task, path) for task in TASKS for path in answer_files(task, "broken")]


@pytest.mark.parametrize(
    ("task", "path"), BROKEN, ids=[f"{task}/{path.stem}" for task, path in BROKEN]
)
def test_broken_answer_gets_the_diagnosis_its_first_line_names(task, path):
    wanted = expected_diagnosis(path)
    assert wanted is not None, f"{path.name}: the first line names no diagnosis"
    found = diagnose_source(task, path.read_text(encoding="utf-8"))
    if wanted == "none":
        assert found.status == "none", found.sentence
        assert "first check that fails is" in found.sentence
    else:
        assert (found.status, found.id) == ("match", wanted), found.sentence
        assert found.explains, "a diagnosis explains at least one failed check"


def _checks(task):
    """The task's checks with the real-stream ones (until the lessons carry them)."""
    new = {
        "encode_frame": real_streams.encode_checks(),
        "on_bytes": real_streams.on_bytes_checks(),
        "LineDecoder": real_streams.line_checks(),
        "SafeDecoder": real_streams.decoder_checks("SafeDecoder", "Lesson 5"),
        "FrameDecoder": real_streams.decoder_checks("FrameDecoder", "Lesson 6"),
    }.get(task, ())
    names = {check.name for check in TASKS[task].checks}
    return [*TASKS[task].checks, *(check for check in new if check.name not in names)]


def _headings(lesson_number: str) -> set[str]:
    [notebook] = ROOT.glob(f"notebooks/{lesson_number}-*/*.ipynb")
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return {
        line.lstrip("#").strip()
        for cell in cells
        if cell["cell_type"] == "markdown"
        for line in "".join(cell["source"]).splitlines()
        if line.startswith("#")
    }


@pytest.mark.parametrize("task", list(MISCONCEPTIONS))
def test_every_misconception_names_a_section_the_lesson_has(task):
    for misconception in MISCONCEPTIONS[task]:
        number = misconception.section.lesson.split()[-1].zfill(2)
        assert misconception.section.title in _headings(number), misconception.id
        sentence = misconception.sentence()
        assert sentence.startswith(f"Your {task} behaves exactly like ")
        assert str(misconception.section) in sentence


@pytest.mark.parametrize("task", list(MISCONCEPTIONS))
def test_misconceptions_of_a_task_behave_differently_somewhere(task):
    """Two misconceptions that act alike on every case could never be told apart."""
    payloads = [probe.payload for check in _checks(task) for probe in check.probes("")]
    seen = {}
    for misconception in MISCONCEPTIONS[task]:
        impl = misconception.variants[0]
        seen[misconception.id] = [simulate(impl, p, misconception.slow) for p in payloads]
    ids = list(seen)
    assert len(set(ids)) == len(ids), "ids are unique within a task"
    alike = [(a, b) for a, b in itertools.combinations(ids, 2) if seen[a] == seen[b]]
    # Mistakes that show only on cases a new check brings (see grader.diagnosis docstring)
    # may act alike on today's cases; no two may act alike once every check runs.
    assert not alike, alike


def test_no_failed_check_no_diagnosis():
    assert diagnose("on_bytes", [], []).status == "none"
    assert diagnose("on_bytes", [], []).sentence == ""


def test_diagnosis_that_trips_says_it_was_not_possible():
    nested = {"calls": [{"frames": [[]]}], "error": None}
    broken = [("worked_example", {"driver": "stream", "chunks": "zz"}, "ok", nested, True)]
    found = diagnose_safely("on_bytes", broken, [("worked_example", "wrong")])
    assert found.status in {"none", "unavailable"}
    boom = [("worked_example", None, "ok", {}, True)]
    found = diagnose_safely("on_bytes", boom, [("worked_example", "wrong")])
    assert found.status == "unavailable"
    assert "not possible" in found.sentence
