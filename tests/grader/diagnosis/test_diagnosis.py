"""The diagnosis library and matcher: every corpus answer names its expected diagnosis (the
corpus tests check that it is found), the misconceptions can be told apart on the checks'
cases, each points at a real lesson section, and a diagnosis that trips never costs a grade."""

from __future__ import annotations

import itertools
import json

import pytest
from answers import answer_files, answer_source, expected_diagnosis
from support.paths import NOTEBOOKS

from grader.diagnosis import MISCONCEPTIONS, diagnose, diagnose_safely, match, misconceptions_for
from grader.diagnosis.simulate import simulate
from grader.grading import grade_source
from grader.lessons import TASKS


@pytest.mark.parametrize("task", list(TASKS))
def test_every_broken_answer_names_a_known_diagnosis(task):
    known = {m.id for m in misconceptions_for(task)} | {"none"}  # no library yet: "none"
    for path in answer_files(task, "broken"):
        assert expected_diagnosis(path) in known, path.name


def _headings(lesson_number: str) -> set[str]:
    [notebook] = NOTEBOOKS.glob(f"{lesson_number}-*/*.ipynb")
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
    payloads = [probe.payload for check in TASKS[task].checks for probe in check.probes("")]
    seen = {}
    for misconception in MISCONCEPTIONS[task]:
        impl = misconception.variants[0]
        seen[misconception.id] = [simulate(impl, p, misconception.slow) for p in payloads]
    ids = list(seen)
    assert len(set(ids)) == len(ids), "ids are unique within a task"
    alike = [(a, b) for a, b in itertools.combinations(ids, 2) if seen[a] == seen[b]]
    assert not alike, alike


def test_no_failed_check_no_diagnosis():
    assert diagnose("on_bytes", [], []).status == "none"
    assert diagnose("on_bytes", [], []).sentence == ""


def test_a_report_the_answer_tampered_with_is_not_compared():
    nested = {"calls": "all good", "error": None}
    tampered = [("worked_example", {"driver": "stream", "chunks": []}, "ok", nested, True)]
    found = diagnose_safely("on_bytes", tampered, [("worked_example", "wrong")])
    assert found.status == "none" and found.compared == 0


def test_an_answer_that_crashes_the_diagnosis_is_still_graded(monkeypatch):
    def trip(*args, **kwargs):
        raise RecursionError("what the answer returned was too deep")

    monkeypatch.setattr(match, "diagnose", trip)
    source = answer_source("encode_frame", "broken", "little_endian")
    result = grade_source("encode_frame", source)
    plain = grade_source("encode_frame", source, diagnose=False)
    assert result.diagnosis is not None and result.diagnosis.status == "unavailable"
    assert "diagnosis was not possible" in result.diagnosis.sentence
    assert (result.score, [f.check for f in result.failures]) == (
        plain.score, [f.check for f in plain.failures])
    assert plain.diagnosis is None
