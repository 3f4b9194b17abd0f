"""The learners' wheel (deploy/learners/build_wheel.py) holds no solution and no hidden test.

The wheel is built once for the module, then read as a zip: its file list and every file's text
are compared with what must never reach a learner (the lessons' solution regions and hidden test
cells, the demo class, the answer corpus of the tests). A self-test of the comparison makes sure
it would see a leak.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest

from grader.sandbox.runner import CHILD_PARTS

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD = REPO_ROOT / "deploy" / "learners" / "build_wheel.py"
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)[ \t]*\n(.*?)### END \1", re.DOTALL)
#: Consecutive significant lines that count as a copy of a solution or corpus answer.
WINDOW = 3


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("learners-wheel")
    result = subprocess.run([sys.executable, str(BUILD), "--out", str(out)],
                            capture_output=True, text=True, check=True)
    wheel = Path(result.stdout.strip().splitlines()[-1])
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name).decode("utf-8", errors="replace")
                for name in archive.namelist()}


def _significant(text: str) -> list[str]:
    lines = (line.strip() for line in text.splitlines())
    # Comments and imports say nothing about a solution (`import json` is everywhere).
    return [line for line in lines
            if line and not line.startswith(("#", "import ", "from "))]


def _windows(text: str) -> set[str]:
    lines = _significant(text)
    # Fewer lines than a window (`self._buffer = bytearray()`) are too plain to call a copy;
    # the one-line hidden cells are checked line by line instead.
    return {"\n".join(lines[i:i + WINDOW]) for i in range(len(lines) - WINDOW + 1)}


def secret_regions() -> dict[str, str]:
    """label -> text of every solution region and hidden test region of every lesson."""
    found = {}
    for path in sorted((REPO_ROOT / "notebooks").glob("*/*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            for number, match in enumerate(REGION.finditer(cell.source)):
                found[f"{path.stem} cell {index} {match.group(1).lower()} {number}"] = \
                    match.group(2)
    return found


def corpus_answers() -> dict[str, str]:
    return {str(path.relative_to(REPO_ROOT)): path.read_text()
            for path in sorted((REPO_ROOT / "tests" / "answers").glob("*/*/*.py"))}


def leaks(files: dict[str, str], secrets: dict[str, str]) -> list[str]:
    """Which secrets (by label) appear in which file, WINDOW significant lines at a time."""
    normalised = {name: "\n".join(_significant(text)) for name, text in files.items()}
    found = []
    for label, secret in secrets.items():
        for window in _windows(secret):
            hits = [name for name, text in normalised.items() if window in text]
            if hits:
                found.append(f"{label} in {hits[0]}: {window[:80]!r}")
                break
    return found


def test_the_leak_detector_sees_a_copied_solution() -> None:
    regions = secret_regions()
    label, solution = max(((k, v) for k, v in regions.items() if "solution" in k),
                          key=lambda item: len(_significant(item[1])))
    planted = {"grader/helpers.py": "import os\n\n" + solution + "\nprint('done')\n"}
    assert leaks(planted, {label: solution})
    assert not leaks({"grader/helpers.py": "import os\n"}, {label: solution})


def test_the_wheel_holds_only_the_learners_modules(wheel_files: dict[str, str]) -> None:
    names = list(wheel_files)
    assert "grader/notebook.py" in names and "framinglib/visual/player.py" in names
    stray = [name for name in names
             if not name.endswith(".py") and ".dist-info/" not in name
             and not name.startswith("grader/lessons/lesson07_data/")]
    # The misconception library is near-copies of solutions: instructors only.
    assert not [name for name in names if name.startswith("grader/diagnosis/")]
    assert "grader/lessons/lesson07_data/postgres-grading.json" in names
    assert stray == []
    assert not [name for name in names if name.endswith(".ipynb")]
    # Read as source by the runner, not imported: every part of the child's one source.
    assert [part for part in CHILD_PARTS if f"grader/sandbox/{part}" not in names] == []
    instructor_only = [name for name in names
                       if name.split("/")[:2] in (["grader", "autograde"], ["grader", "cli"],
                                                  ["grader", "gradebook"])
                       or name in ("grader/course.py", "grader/feedback/pages.py",
                                   "grader/workspace.py")]
    assert instructor_only == []
    assert not [name for name in names if name.split("/")[0] in ("tests", "notebooks")]


def test_the_wheel_holds_no_solution_or_hidden_test(wheel_files: dict[str, str]) -> None:
    regions = secret_regions()
    assert sum("solution" in label for label in regions) >= 6
    assert sum("hidden" in label for label in regions) >= 6
    for text in wheel_files.values():
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    assert leaks(wheel_files, regions) == []
    wheel_lines = {line.strip() for text in wheel_files.values() for line in text.splitlines()}
    hidden_lines = {line for label, text in regions.items() if "hidden" in label
                    for line in _significant(text)}
    assert hidden_lines and not hidden_lines & wheel_lines


def test_the_wheel_holds_no_answer_of_the_corpus_or_the_demo(
    wheel_files: dict[str, str],
) -> None:
    answers = corpus_answers()
    assert len(answers) > 20
    assert leaks(wheel_files, answers) == []
    demo = (REPO_ROOT / "grader" / "autograde" / "demo.py").read_text()
    never_trims = demo.split("NEVER_TRIMS_ON_BYTES = '''\\\n")[1].split("'''")[0]
    assert leaks(wheel_files, {"demo's never-trims answer": never_trims}) == []


def test_the_self_check_runs_from_the_wheel_alone(tmp_path: Path) -> None:
    """The wheel's files, and not the checkout, grade an answer (nothing it needs is missing)."""
    out = tmp_path / "wheel"
    wheel = subprocess.run([sys.executable, str(BUILD), "--out", str(out)], capture_output=True,
                           text=True, check=True).stdout.strip().splitlines()[-1]
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    answer = (REPO_ROOT / "tests" / "answers" / "on_bytes" / "correct" / "bytearray_del.py")
    code = (f"import sys; sys.path.insert(0, {str(unpacked)!r})\n"
            "import grader, grader.notebook\n"
            f"assert grader.__file__.startswith({str(unpacked)!r}), grader.__file__\n"
            "from grader.grading import grade_source\n"
            f"result = grade_source('on_bytes', open({str(answer)!r}).read(), 'practice/x')\n"
            "print(result.score, result.max_score)\n")
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    score, maximum = map(float, done.stdout.split())
    assert maximum > 0 and score == maximum


def test_requirements_pins_match_pyproject() -> None:
    pins = {}
    for line in (REPO_ROOT / "deploy" / "learners" / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pins[re.split(r"[<>=!~]", line)[0].strip().lower()] = line.strip()
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[ ]", requirement)[0].lower()
        if name in pins:
            assert pins[name] == requirement, f"{name}: {pins[name]} vs pyproject {requirement}"
    assert "jupyterhub" in pins and "nbgrader" in pins
