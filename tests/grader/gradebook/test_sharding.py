"""Two grading hosts share one PostgreSQL gradebook, each grading its shard (`--shard i/2`).

Each "host" is its own course directory with its own copy of the release and the submissions,
the way an instructor would copy the course to several machines; the two shards run as separate
processes at the same time. A third process grades the same submissions sequentially into a
SQLite gradebook, the reference every shard's result must match.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from support.paths import REPO as REPO_ROOT  # noqa: E402

sys.path.insert(0, str(REPO_ROOT))
from support import pg_server  # noqa: E402
from support.pg_server import PostgresServer  # noqa: E402

from benchmarks.grading import LESSON, course_command, venv_env, write_submissions  # noqa: E402
from grader.gradebook import queries
from grader.gradebook import url as gradebook_url  # noqa: E402

# The module's fixture grades a whole class with nbgrader; beside another test worker it
# can take minutes, so the hang guard is wider than the suite's 300 s.
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(900)]
postgres_server = pg_server.postgres_server  # the fixture, shared with this module's tests

STUDENT_ANSWERS = {
    "s001": "bytearray-del",
    "s002": "never-trims",
    "s003": "little-endian",
}
SHARDS = 2


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        course_command(*args), env=venv_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 600) -> str:
    """Wait for a grader process; its stdout, or a failure showing everything it said."""
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"{process.args} exited {process.returncode}:\n{stdout}{stderr}"
    return stdout


def graded_students(progress: str) -> list[str]:
    """The students named in a run's progress lines (`[i/n] student score ...`)."""
    return [line.split()[1] for line in progress.splitlines() if line.startswith("[")]


def scores(course: Path, *db_url: str) -> dict[str, float]:
    output = finish(start("scores", LESSON, "--json", "--course", str(course), *db_url))
    return {row["student"]: row["score"] for row in json.loads(output)}


def grade_rows(db_url: str) -> list[tuple]:
    """Every grade nbgrader stored for the lesson: (student, notebook, cell, score, max)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return sorted(
            (submission.student.id, notebook.name, grade.name, grade.auto_score, grade.max_score)
            for submission in gradebook.find_assignment(LESSON).submissions
            for notebook in submission.notebooks
            for grade in notebook.grades
        )


@pytest.fixture(scope="module")
def sharded_run(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory):
    """Release once, copy the course to two hosts, grade one shard on each while a third
    process grades everyone sequentially into SQLite."""
    workdir = tmp_path_factory.mktemp("sharding")
    url = gradebook_url.normalize_db_url(
        postgres_server.create_database(f"shards_{uuid.uuid4().hex[:8]}")
    )
    hosts = [workdir / f"host{number}" for number in range(1, SHARDS + 1)]
    reference = workdir / "sequential"
    releases = [
        start("release", LESSON, "--course", str(hosts[0]), "--db-url", url),
        start("release", LESSON, "--course", str(reference)),
    ]
    for process in releases:
        finish(process)
    write_submissions(hosts[0], STUDENT_ANSWERS)
    write_submissions(reference, STUDENT_ANSWERS)
    for host in hosts[1:]:  # what an instructor copies to each grading host
        for folder in ("release", "submitted"):
            shutil.copytree(hosts[0] / folder, host / folder)

    # The first host also grades its students two at a time: concurrent writers within a host
    # as well as across hosts.
    graders = [
        start("autograde", LESSON, "--course", str(host), "--db-url", url,
              "--shard", f"{number}/{SHARDS}", "--jobs", "2" if number == 1 else "1")
        for number, host in enumerate(hosts, start=1)
    ]
    sequential = start("autograde", LESSON, "--course", str(reference), "--jobs", "1")
    shard_outputs = [finish(grader) for grader in graders]
    finish(sequential)
    return url, hosts, reference, shard_outputs


def test_every_student_is_graded_by_exactly_one_shard(sharded_run) -> None:
    url, _hosts, _reference, shard_outputs = sharded_run
    shares = [graded_students(output) for output in shard_outputs]
    assert all(shares), f"a shard graded nobody: {shard_outputs}"
    assert sorted(sum(shares, [])) == sorted(STUDENT_ANSWERS)  # everyone, nobody twice
    log = queries.grading_log(url, LESSON)
    assert sorted(record.student for record in log) == sorted(STUDENT_ANSWERS)
    assert {record.status for record in log} == {"graded"}


def test_sharded_scores_match_a_sequential_run(sharded_run) -> None:
    url, hosts, reference, _outputs = sharded_run
    reference_url = f"sqlite:///{reference / 'gradebook.db'}"
    expected: dict[str, float] = {}
    for student, _notebook, _cell, score, _max_score in grade_rows(reference_url):
        expected[student] = expected.get(student, 0.0) + score
    assert set(expected) == set(STUDENT_ANSWERS)
    assert grade_rows(url) == grade_rows(reference_url)
    # The last host, which graded only its own shard, reports the whole class.
    assert scores(hosts[-1], "--db-url", url) == expected
