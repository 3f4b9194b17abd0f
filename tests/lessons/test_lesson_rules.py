"""What every lesson promises a learner before and around its exercises: its time and
prerequisites at the top, predictions before reveals, the standard-library rule stated in each
exercise, the visible tests' helpers imported from grader.visible, and a glossary that exists."""

from __future__ import annotations

import re

import pytest
from support.notebook_support import LESSON_TASKS, NOTEBOOKS, cells_by_grade_id, read, source_path

LESSONS = list(LESSON_TASKS)
GRADED = [(lesson, task) for lesson, tasks in LESSON_TASKS.items() for task in tasks]
TIME = re.compile(r"\*\*Time:\*\* about (\d+) minutes")
PREDICTION = re.compile(r"^my_\w+ = ", re.M)
LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_top_states_time_and_prerequisites(lesson: str) -> None:
    top = read(source_path(lesson)).cells[0].source
    minutes = TIME.search(top)
    assert minutes, f"{lesson} does not say how long it takes (**Time:** about N minutes)"
    assert int(minutes.group(1)) <= 50, f"{lesson} takes {minutes.group(1)} minutes: split it"
    assert "**Before this lesson:**" in top, f"{lesson} does not state its prerequisites"


@pytest.mark.parametrize("lesson", LESSONS)
def test_at_least_two_predictions_each_revealed_later(lesson: str) -> None:
    cells = read(source_path(lesson)).cells
    predictions = [
        (index, name)
        for index, cell in enumerate(cells)
        if cell.cell_type == "code" and cell.id.startswith("predict")
        for name in re.findall(r"^(my_\w+) = ", cell.source, re.M)
    ]
    assert len({index for index, _ in predictions}) >= 2, f"{lesson} asks for fewer than two"
    for index, name in predictions:
        later = [c for c in cells[index + 1:] if c.cell_type == "code" and name in c.source]
        assert later, f"{lesson}: nothing compares {name} with what happened"


@pytest.mark.parametrize(("lesson", "task"), GRADED)
def test_every_exercise_states_the_standard_library_rule(lesson: str, task: str) -> None:
    cells = read(source_path(lesson)).cells
    answer = next(i for i, cell in enumerate(cells) if cell.id == f"{task}-answer")
    intro = next(cells[i].source for i in range(answer - 1, -1, -1)
                 if cells[i].cell_type == "markdown")
    assert "standard library" in intro.lower(), f"{task}'s introduction leaves the rule unsaid"


@pytest.mark.parametrize(("lesson", "task"), GRADED)
def test_visible_tests_use_the_shared_helpers(lesson: str, task: str) -> None:
    visible = cells_by_grade_id(read(source_path(lesson)))[f"{task}-visible"].source
    assert "from grader.visible import" in visible
    assert re.search(rf"standard_library_only\({task}\b", visible), (
        f"{task}'s visible tests do not check the standard-library rule"
    )
    assert f'passed("{task}")' in visible


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_lesson_pastes_its_own_time_limit(lesson: str) -> None:
    for cell in read(source_path(lesson)).cells:
        assert "SIGALRM" not in cell.source, f"{cell.id} uses SIGALRM (Windows has none)"
        assert "def time_limit" not in cell.source, f"{cell.id}: import it from grader.visible"


@pytest.mark.parametrize("lesson", LESSONS)
def test_links_to_markdown_files_resolve(lesson: str) -> None:
    folder = NOTEBOOKS / lesson
    for cell in read(source_path(lesson)).cells:
        if cell.cell_type == "markdown":
            for target in LINK.findall(cell.source):
                assert (folder / target).is_file(), f"{cell.id} links to missing {target}"


def test_the_glossary_defines_the_words_the_first_lessons_bold() -> None:
    glossary = (NOTEBOOKS / "01-stream" / "GLOSSARY.md").read_text()
    terms = {term.lower() for term in re.findall(r"^\*\*([^*]+)\*\*", glossary, re.M)}
    for word in ("byte stream", "frame", "framing", "payload", "loopback", "prefix (of a stream)",
                 "standard library", "waiting conditions", "leftover bytes"):
        assert word in terms, f"the glossary has no entry for {word!r}"
    entries = re.findall(r"^\*\*([^*]+)\*\*", glossary, re.M)
    assert entries == sorted(entries, key=str.lower), "glossary entries are not alphabetical"
