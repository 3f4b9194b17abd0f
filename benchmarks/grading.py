"""Grading throughput: lesson 3 autograded three ways, on the same submissions, in one run.

    python benchmarks/grading.py            # 40 submissions (a few minutes on 2 cores)
    python benchmarks/grading.py --quick    # 8 submissions, to see that it works
    python benchmarks/grading.py --diagnosis-only   # only the diagnosis's cost

First, the cost of the diagnosis: the trusted checks grade every distinct answer with and
without it, alternating, in this one process; the ratio's target is at most 1.15x. The same is
then done per task on the broken answers of the test corpus of each task in
:data:`CORPUS_TASKS` (lesson 7's reader and lesson 6's socket side), with the seconds spent in
the matcher itself beside it.

The three ways are stock ``nbgrader autograde`` (hidden tests run in the learner's kernel), the
course's ``python -m grader autograde --jobs 1`` (sandboxed kernel, checks recomputed outside it)
and the same with ``--jobs 2``. Each grades its own copy of one set of submissions, a mix of
correct answers in several styles and classic bugs. The script prints seconds per submission and
the ratios between the ways; the targets on a 2-core machine are ``--jobs 2`` at least 1.5x as fast
as ``--jobs 1``, and ``--jobs 1`` at most 1.25x stock nbgrader's time. It also checks that both
course runs gave every student the same score. Nothing here asserts on time: a busy machine
changes the numbers, not the verdict.

The diagnosis, measured on a shared 2-core machine (other jobs running): lesson 3's 8 answers
1.030x; lesson 7's 14 broken corpus answers 1.059x (the matcher 3.9% of grading time); lesson 6's
16 socket answers 1.011x (the matcher 0.8%).

Measured on an otherwise idle 2-core machine (40 submissions): stock nbgrader 3.30 s per
submission, ``--jobs 1`` 2.42 s (0.73x stock's time), ``--jobs 2`` 1.49 s (1.63x faster than
``--jobs 1``); both course runs gave identical scores.

The submission corpus (:data:`ANSWERS`, :func:`write_submissions`) is shared with the tests of
parallel and sharded grading.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
LESSON = "03-reassembly"
NOTEBOOK = f"{LESSON}.ipynb"
ANSWER_CELL = "on_bytes-answer"
COURSE_ID = "framing-course"

_HEADER = "import struct\n\nbuffer = bytearray()\n\n\n"

# Answers to the on_bytes task, by name: (source of the answer cell, whether it is correct).
ANSWERS: dict[str, tuple[str, bool]] = {
    "bytearray-del": (
        _HEADER
        + "def on_bytes(chunk):\n"
        "    buffer.extend(chunk)\n"
        "    while len(buffer) >= 4:\n"
        "        (length,) = struct.unpack('>I', buffer[:4])\n"
        "        if len(buffer) < 4 + length:\n"
        "            return\n"
        "        frame = bytes(buffer[4:4 + length])\n"
        "        del buffer[:4 + length]\n"
        "        handle(frame)\n",
        True,
    ),
    "bytes-global": (
        "buffer = b''\n\n\n"
        "def on_bytes(chunk):\n"
        "    global buffer\n"
        "    buffer += chunk\n"
        "    while len(buffer) >= 4:\n"
        "        length = int.from_bytes(buffer[:4], 'big')\n"
        "        if len(buffer) - 4 < length:\n"
        "            break\n"
        "        frame, buffer = buffer[4:4 + length], buffer[4 + length:]\n"
        "        handle(frame)\n",
        False,  # quadratic: `buffer + chunk` on bytes misses the 16 MiB linear-time budget
    ),
    "offsets-memoryview": (
        "buffer = bytearray()\n\n\n"
        "def _frames(data):\n"
        "    view, start = memoryview(data), 0\n"
        "    while len(data) - start >= 4:\n"
        "        length = int.from_bytes(view[start:start + 4], 'big')\n"
        "        end = start + 4 + length\n"
        "        if end > len(data):\n"
        "            break\n"
        "        yield bytes(view[start + 4:end])\n"
        "        start = end\n"
        "    view.release()\n"
        "    yield start\n\n\n"
        "def on_bytes(chunk):\n"
        "    buffer.extend(chunk)\n"
        "    *frames, consumed = _frames(buffer)\n"
        "    del buffer[:consumed]\n"
        "    for frame in frames:\n"
        "        handle(frame)\n",
        True,
    ),
    # Classic bugs.
    "one-frame-per-chunk": (  # `if` where a loop belongs: coalesced frames wait for the next recv
        _HEADER
        + "def on_bytes(chunk):\n"
        "    buffer.extend(chunk)\n"
        "    if len(buffer) >= 4:\n"
        "        (length,) = struct.unpack('>I', buffer[:4])\n"
        "        if len(buffer) >= 4 + length:\n"
        "            frame = bytes(buffer[4:4 + length])\n"
        "            del buffer[:4 + length]\n"
        "            handle(frame)\n",
        False,
    ),
    "chunk-is-a-message": (  # trusts recv boundaries
        _HEADER + "def on_bytes(chunk):\n    handle(bytes(chunk[4:]))\n",
        False,
    ),
    "little-endian": (
        _HEADER
        + "def on_bytes(chunk):\n"
        "    buffer.extend(chunk)\n"
        "    while len(buffer) >= 4:\n"
        "        (length,) = struct.unpack('<I', buffer[:4])\n"
        "        if len(buffer) < 4 + length:\n"
        "            return\n"
        "        frame = bytes(buffer[4:4 + length])\n"
        "        del buffer[:4 + length]\n"
        "        handle(frame)\n",
        False,
    ),
    "never-trims": (  # reads from the front without consuming: frames repeat
        _HEADER
        + "def on_bytes(chunk):\n"
        "    buffer.extend(chunk)\n"
        "    start = 0\n"
        "    while len(buffer) - start >= 4:\n"
        "        (length,) = struct.unpack('>I', buffer[start:start + 4])\n"
        "        if len(buffer) - start < 4 + length:\n"
        "            return\n"
        "        handle(bytes(buffer[start + 4:start + 4 + length]))\n"
        "        start += 4 + length\n",
        False,
    ),
    "unanswered": (
        _HEADER + "def on_bytes(chunk):\n    raise NotImplementedError()\n",
        False,
    ),
}


def student_answers(count: int) -> dict[str, str]:
    """``count`` students (s001, s002, ...) and the answer each submits, cycling through ANSWERS."""
    names = list(ANSWERS)
    return {f"s{number:03d}": names[(number - 1) % len(names)] for number in range(1, count + 1)}


def make_submission(release: nbformat.NotebookNode, answer: str) -> nbformat.NotebookNode:
    """The release notebook as a learner would hand it in, with ``answer``'s source filled in."""
    submission = nbformat.from_dict(json.loads(nbformat.writes(release)))
    cells = [
        cell
        for cell in submission.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == ANSWER_CELL
    ]
    if len(cells) != 1:
        raise ValueError(f"the release notebook has {len(cells)} cells with id {ANSWER_CELL!r}")
    cells[0].source = ANSWERS[answer][0]
    return submission


def write_submissions(
    course_root: Path, answers: dict[str, str], release_notebook: Path | None = None
) -> None:
    """Write ``submitted/STUDENT/03-reassembly/03-reassembly.ipynb`` for each student."""
    release_notebook = release_notebook or course_root / "release" / LESSON / NOTEBOOK
    release = nbformat.read(release_notebook, as_version=4)
    for student, answer in answers.items():
        folder = course_root / "submitted" / student / LESSON
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(make_submission(release, answer), folder / NOTEBOOK)
        # nbgrader records the submission time from this file (and logs a warning without it).
        (folder / "timestamp.txt").write_text("2026-01-15 12:00:00.000000 UTC")


def venv_env() -> dict[str, str]:
    """The environment for nbgrader: this interpreter's bin first on PATH (it runs alembic)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run(
    command: list[str], cwd: Path | None = None, *, ok_codes: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess:
    """Run a command; on another exit status raise with its output, which says what went wrong."""
    result = subprocess.run(
        command, cwd=cwd, env=venv_env(), capture_output=True, text=True, check=False
    )
    if result.returncode not in ok_codes:
        raise RuntimeError(
            f"{' '.join(command)} exited {result.returncode}\n{result.stdout[-3000:]}"
            f"\n{result.stderr[-3000:]}"
        )
    return result


def course_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", *args]


# --- the three ways -------------------------------------------------------------------------------


def release_course(course_root: Path) -> Path:
    """Release lesson 3 into a new course directory with the course's grader; its notebook."""
    run(course_command("release", LESSON, "--course", str(course_root)))
    return course_root / "release" / LESSON / NOTEBOOK


def stock_course(course_root: Path) -> None:
    """A course directory that plain nbgrader grades with its defaults, none of the course's."""
    course_root.mkdir(parents=True)
    (course_root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course_root)!r}\n"
        f"c.CourseDirectory.source_directory = {str(REPO_ROOT / 'notebooks')!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course_root / 'gradebook.db'}'\n"
    )
    run([sys.executable, "-m", "nbgrader", "generate_assignment", LESSON, "--force"], course_root)


@dataclass
class Timing:
    label: str
    seconds: float
    submissions: int
    output: str = ""  # what the grading command printed (progress lines, summary)
    failed: int = 0  # submissions the command could not grade


    @property
    def per_submission(self) -> float:
        return self.seconds / self.submissions


def time_stock(course_root: Path, submissions: int) -> Timing:
    start = time.perf_counter()
    # Exit status 1 means some submissions failed: a result here, not an error.
    command = [sys.executable, "-m", "nbgrader", "autograde", LESSON]
    done = run(command, course_root, ok_codes=(0, 1))
    seconds = time.perf_counter() - start
    output = done.stdout + done.stderr
    failed = output.count("There was an error processing assignment")
    return Timing("stock nbgrader autograde", seconds, submissions, output, failed)


def time_course(course_root: Path, jobs: int, submissions: int) -> Timing:
    command = course_command("autograde", LESSON, "--course", str(course_root), "--jobs", str(jobs))
    start = time.perf_counter()
    done = run(command, ok_codes=(0, 1))
    seconds = time.perf_counter() - start
    failed = sum(" FAILED: " in line for line in done.stdout.splitlines())
    return Timing(f"grader autograde --jobs {jobs}", seconds, submissions, done.stdout, failed)


def course_scores(course_root: Path) -> dict[str, float]:
    """Each student's score from the course's own `scores --json`."""
    output = run(course_command("scores", LESSON, "--json", "--course", str(course_root))).stdout
    return {row["student"]: row["score"] for row in json.loads(output)}


@dataclass
class BenchmarkRun:
    """One run of the three ways: their timings and the course directories they graded."""

    answers: dict[str, str]
    stock: Timing
    jobs1: Timing
    jobs2: Timing
    stock_root: Path
    jobs1_root: Path
    jobs2_root: Path


def run_benchmark(answers: dict[str, str], workdir: Path) -> BenchmarkRun:
    """Release, write the students' submissions three times over, and autograde them three ways."""
    count = len(answers)
    roots = {name: workdir / name for name in ("stock", "jobs1", "jobs2")}
    release = release_course(roots["jobs1"])
    # The second course starts as a copy of the first: same release, same gradebook contents.
    shutil.copytree(roots["jobs1"], roots["jobs2"])
    stock_course(roots["stock"])
    for root in roots.values():
        write_submissions(root, answers, release)
    # The releases above have already loaded nbgrader, Jupyter and the kernel from disk once,
    # so no way pays for a cold cache that the others skip.
    stock = time_stock(roots["stock"], count)
    jobs1 = time_course(roots["jobs1"], 1, count)
    jobs2 = time_course(roots["jobs2"], 2, count)
    return BenchmarkRun(answers, stock, jobs1, jobs2, *roots.values())


def report(run: BenchmarkRun) -> None:
    """Print seconds per submission for each way and the two ratios with their targets."""
    count = len(run.answers)
    print(f"autograded {count} submissions of {LESSON} three ways on {os.cpu_count()} cores")
    for timing in (run.stock, run.jobs1, run.jobs2):
        failures = f"  ({timing.failed} could not be graded)" if timing.failed else ""
        print(
            f"  {timing.label:28} {timing.seconds:7.1f} s"
            f"  {timing.per_submission:6.2f} s per submission{failures}"
        )
    speedup = run.jobs1.seconds / run.jobs2.seconds
    overhead = run.jobs1.seconds / run.stock.seconds
    print(f"  --jobs 2 speed-up over --jobs 1: {speedup:.2f}x (target: at least 1.5x)")
    print(f"  --jobs 1 time / stock nbgrader:  {overhead:.2f}x (target: at most 1.25x)")


def diagnosis_cost(answers: dict[str, str], rounds: int = 3) -> tuple[float, float]:
    """Seconds to grade every distinct answer ``rounds`` times with and without the diagnosis.

    Both ways grade the same sources in the same process, alternating answer by answer, so
    a busy machine slows both alike; grading is the trusted checks alone (no nbgrader).
    """
    from grader.grading import grade_source

    sources = sorted({ANSWERS[name][0] for name in answers.values()})
    spent = {True: 0.0, False: 0.0}
    for _ in range(rounds):
        for source in sources:
            for diagnose in (False, True):
                start = time.perf_counter()
                grade_source("on_bytes", source, "bench", diagnose=diagnose)
                spent[diagnose] += time.perf_counter() - start
    return spent[False], spent[True]


#: Tasks whose broken corpus answers (tests/answers/<task>/broken) the diagnosis is timed on.
CORPUS_TASKS = ("BackendReader", "recv_frame")


@dataclass
class CorpusCost:
    """Seconds to grade one task's broken corpus answers without and with the diagnosis, and
    the seconds of the second run spent in the diagnosis itself."""

    task: str
    answers: int
    without: float
    with_diagnosis: float
    matching: float


def corpus_diagnosis_cost(task: str, rounds: int = 1) -> CorpusCost:
    """Grade every broken corpus answer of ``task`` ``rounds`` times with and without the
    diagnosis, alternating, and time the matcher's share of the runs with it."""
    import grader.grading as grading

    sources = [path.read_text(encoding="utf-8")
               for path in sorted((REPO_ROOT / "tests" / "answers" / task / "broken").glob("*.py"))]
    spent = {True: 0.0, False: 0.0}
    matching = [0.0]
    diagnose_safely = grading.diagnose_safely

    def timed(*args: object) -> object:
        start = time.perf_counter()
        try:
            return diagnose_safely(*args)
        finally:
            matching[0] += time.perf_counter() - start

    grading.diagnose_safely = timed
    try:
        for _ in range(rounds):
            for source in sources:
                for diagnose in (False, True):
                    start = time.perf_counter()
                    grading.grade_source(task, source, "bench", diagnose=diagnose)
                    spent[diagnose] += time.perf_counter() - start
    finally:
        grading.diagnose_safely = diagnose_safely
    return CorpusCost(task, len(sources), spent[False], spent[True], matching[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=40, help="how many (default 40)")
    parser.add_argument("--quick", action="store_true", help="8 submissions: a smoke run")
    parser.add_argument("--keep", action="store_true", help="keep the course directories")
    parser.add_argument("--diagnosis-only", action="store_true",
                        help="only compare grading with and without the diagnosis")
    options = parser.parse_args(argv)
    count = 8 if options.quick else options.submissions
    if count < 1:
        parser.error("--submissions must be at least 1")
    without, with_diagnosis = diagnosis_cost(student_answers(count), 1 if options.quick else 3)
    print(f"trusted checks on {len(set(student_answers(count).values()))} distinct answers: "
          f"{without:.1f} s without the diagnosis, {with_diagnosis:.1f} s with it: "
          f"{with_diagnosis / without:.3f}x (target: at most 1.15x)")
    for task in CORPUS_TASKS:
        cost = corpus_diagnosis_cost(task, 1 if options.quick else 2)
        print(f"  {task}: {cost.answers} broken corpus answers, {cost.without:.1f} s without the "
              f"diagnosis, {cost.with_diagnosis:.1f} s with it: "
              f"{cost.with_diagnosis / cost.without:.3f}x; the matcher itself "
              f"{cost.matching:.2f} s ({cost.matching / cost.without:.1%} of grading)")
    if options.diagnosis_only:
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    try:
        run = run_benchmark(student_answers(count), workdir)
        report(run)
        scores1, scores2 = course_scores(run.jobs1_root), course_scores(run.jobs2_root)
        if scores1 != scores2 or set(scores1) != set(run.answers):
            print(f"  SCORES DIFFER between --jobs 1 and --jobs 2:\n  {scores1}\n  {scores2}")
            return 1
        print(f"  --jobs 1 and --jobs 2 gave all {count} students the same scores")
        return 0
    finally:
        if options.keep:
            print(f"course directories kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
