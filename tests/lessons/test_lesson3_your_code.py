"""Lesson 3 after its exercise: the player and the explorer replay the learner's own on_bytes
beside the reference, say whether they agree, and the explorer's goals tick by themselves."""

from __future__ import annotations

import pytest
from answers import answer_source
from support.notebook_support import cells_by_grade_id, read, source_path

LESSON = "03-reassembly"
#: Cells that need a kernel (the grader's checks) or that stop a broken answer (the visible tests).
SKIPPED = ("-selfcheck", "-check", "-visible")


def run_lesson(answer: str) -> dict[str, object]:
    """Run lesson 3's code cells in one namespace, with ``answer`` in the answer cell."""
    notebook = read(source_path(LESSON))
    answer_id = cells_by_grade_id(notebook)["on_bytes-answer"].id
    namespace: dict[str, object] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.id.endswith(SKIPPED):
            continue
        exec(answer if cell.id == answer_id else cell.source, namespace)
    return namespace


@pytest.fixture(scope="module")
def with_solution() -> dict[str, object]:
    notebook = read(source_path(LESSON))
    return run_lesson(cells_by_grade_id(notebook)["on_bytes-answer"].source)


@pytest.fixture(scope="module")
def without_loop() -> dict[str, object]:
    return run_lesson(answer_source("on_bytes", "broken", "no_while_loop"))


def test_a_right_answer_agrees_in_the_player(with_solution: dict[str, object]) -> None:
    verdict = with_solution["yours"].comparison.verdict()
    assert "agrees with the reference on every recv()" in verdict, verdict
    assert "3 frames" in verdict


def test_the_replay_leaves_the_learners_state_alone(with_solution: dict[str, object]) -> None:
    # The cells before ran on_bytes; the widgets replayed it many times since.
    assert with_solution["buffer"] == bytearray()
    assert with_solution["received"] == []


def test_the_explorer_ticks_its_goals_as_the_learner_cuts(
    with_solution: dict[str, object],
) -> None:
    explorer = with_solution["your_explorer"]
    texts = [goal.text for goal in explorer.goals]
    assert any("two frames" in text for text in texts)
    assert any("inside a header" in text for text in texts)
    assert not any(explorer.reached), "the lesson's own cuts already ticked a goal"
    explorer.cut_text.value = "13"  # one recv() brings frames 1 and 2 whole
    ticked = dict(zip(texts, explorer.reached, strict=True))
    # Both "two frames" goals (find it, and your code agrees there) are reached by that cut...
    assert [ticked[t] for t in texts if "two frames" in t] == [(13,), (13,)], ticked
    # ... and the header goal is not yet.
    assert [ticked[t] for t in texts if "inside a header" in t] == [None], ticked
    explorer.cut_text.value = "2, 13"  # and a cut inside the first header
    assert all(explorer.reached), list(zip(texts, explorer.reached, strict=True))
    assert "your on_bytes agrees" in explorer.status.value


def test_a_loop_less_answer_passes_the_gentle_cuts_and_parts_on_a_hard_one(
    without_loop: dict[str, object],
) -> None:
    # The worked example's cuts never bring two frames at once: the bug stays hidden ...
    assert "agrees" in without_loop["yours"].comparison.verdict()
    # ... until the learner cuts so that one recv() completes two frames.
    explorer = without_loop["your_explorer"]
    explorer.cut_text.value = "13"
    comparison = explorer.player.comparison
    assert comparison is not None and comparison.parted
    assert "parts from the reference" in comparison.verdict()
    reached = dict(zip((goal.text for goal in explorer.goals), explorer.reached, strict=True))
    checked = next(text for text in reached if text.startswith("Check that your code"))
    assert not reached[checked], "the goal 'your code agrees on two frames' ticked for a bug"


def test_the_parting_demo_marks_the_first_recv(with_solution: dict[str, object]) -> None:
    verdict = with_solution["parting"].comparison.verdict()
    assert "parts from the reference at step 3, recv() 1" in verdict, verdict
