"""nbgrader's gradebook on a real PostgreSQL server, written by several processes at once."""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from support import pg_server  # noqa: E402
from support.pg_server import PostgresServer  # noqa: E402

from grader.gradebook import locks, queries, retries, schema
from grader.gradebook import url as gradebook_url
from grader.gradebook.url import GradebookURLError, normalize_db_url

postgres_server = pg_server.postgres_server  # the fixture, shared with this module's tests

VENV_BIN = str(Path(sys.executable).parent)
# nbgrader runs `alembic` as a program; children inherit this PATH.
os.environ["PATH"] = VENV_BIN + os.pathsep + os.environ.get("PATH", "")

WRITERS = 6
COURSE = "framing-course"
LESSON = "03-reassembly"
FORK = multiprocessing.get_context("fork")


def fresh_database(server: PostgresServer) -> str:
    return normalize_db_url(server.create_database(f"gb_{uuid.uuid4().hex[:10]}"))


# --- URLs (no server needed) ----------------------------------------------------------------------


def test_bare_postgres_url_gets_the_installed_driver() -> None:
    # SQLAlchemy 2.1 reads postgresql:// as psycopg 3, which the course does not install.
    url = normalize_db_url("postgresql://grader:secret@db.example:5432/course")
    assert url == "postgresql+psycopg2://grader:secret@db.example:5432/course"
    assert gradebook_url.is_postgres(url)


def test_relative_sqlite_path_is_made_absolute(tmp_path: Path) -> None:
    assert normalize_db_url("sqlite:///gb.db", base_dir=tmp_path) == f"sqlite:///{tmp_path}/gb.db"
    assert normalize_db_url(tmp_path / "gb.db") == f"sqlite:///{tmp_path}/gb.db"
    assert not gradebook_url.is_postgres(normalize_db_url(tmp_path / "gb.db"))


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("", "empty"),
        ("mysql://root@localhost/course", "unsupported gradebook database 'mysql'"),
        ("postgresql://u:hunter2@host", "names no database"),
        ("postgresql+nosuchdriver://u@host/db", "'nosuchdriver' "),
        ("sqlite:///:memory:", "in-memory"),
        ("sqlite:////no/such/dir/gradebook.db", "/no/such/dir does not exist"),
        ("http//not a url://", "not a database URL"),
    ],
)
def test_unusable_urls_are_refused_with_the_reason(url: str, complaint: str) -> None:
    with pytest.raises(GradebookURLError, match=None) as raised:
        normalize_db_url(url)
    assert complaint in str(raised.value)
    assert "hunter2" not in str(raised.value)  # passwords never reach messages


def test_autograde_refuses_a_bad_database_url_before_grading(tmp_path: Path) -> None:
    course = [sys.executable, "-m", "grader", "autograde", LESSON, "--course", str(tmp_path)]
    refused = subprocess.run(
        [*course, "--db-url", "mysql://root:hunter2@localhost/course"],
        capture_output=True, text=True, timeout=120,
    )
    assert refused.returncode == 2
    assert "unsupported gradebook database 'mysql'" in refused.stderr
    assert "hunter2" not in refused.stderr + refused.stdout


def test_an_unreachable_server_is_named_in_the_error() -> None:
    port = pg_server.free_port()  # nothing listens there
    with pytest.raises(schema.GradebookUnreachableError) as raised:
        schema.prepare_gradebook(f"postgresql://grader:hunter2@127.0.0.1:{port}/course")
    assert f"127.0.0.1:{port}/course" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_only_transient_database_errors_are_retried() -> None:
    class FakePgError(Exception):
        def __init__(self, pgcode: str) -> None:
            super().__init__(pgcode)
            self.pgcode = pgcode

    calls: list[int] = []

    def deadlocks_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE grade", {}, FakePgError("40P01"))
        return "done"

    assert retries.with_retries(deadlocks_twice, first_delay=0) == "done"
    assert len(calls) == 3

    def syntax_error() -> None:
        calls.append(1)
        raise sa.exc.ProgrammingError("SELEC", {}, FakePgError("42601"))

    calls.clear()
    with pytest.raises(sa.exc.ProgrammingError):
        retries.with_retries(syntax_error, first_delay=0)
    assert len(calls) == 1


# --- a real server --------------------------------------------------------------------------------


@pytest.mark.postgres
def test_throwaway_server_runs_unprivileged_and_leaves_nothing_behind() -> None:
    with PostgresServer() as server:
        root, port = server.root, server.port
        assert root is not None and root.is_dir()
        assert server.psql("postgres", "SELECT 1").strip() == "1"
        if os.geteuid() == 0:  # PostgreSQL refuses root; the fixture must have dropped it
            assert (root / "data").stat().st_uid != 0
    assert not root.exists()
    with socket.socket() as probe:  # the port is free again: nothing listens there
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def _grader_writes(
    url: str, student: str, submit: bool, barrier: multiprocessing.synchronize.Barrier,
    outcomes: multiprocessing.Queue,
) -> None:
    """What one grader process writes for one student, started at the same moment as the others."""
    from nbgrader.api import Gradebook

    barrier.wait(timeout=60)
    try:
        schema.prepare_gradebook(url, COURSE)
        with Gradebook(url, COURSE) as gradebook:
            gradebook.update_or_create_student(student)
            if submit:
                gradebook.update_or_create_submission(LESSON, student)
        outcomes.put("ok")
    except Exception as error:  # reported to the parent, which shows it in the assertion
        outcomes.put(f"{student}: {type(error).__name__}: {error}")


def writes_at_once(url: str, students: list[str], *, submit: bool) -> list[str]:
    """Run one grader process per student, released together; each one's outcome."""
    import nbgrader.api  # noqa: F401 -- once here, not once per forked child

    barrier, outcomes = FORK.Barrier(len(students)), FORK.Queue()
    graders = [
        FORK.Process(target=_grader_writes, args=(url, student, submit, barrier, outcomes))
        for student in students
    ]
    for grader in graders:
        grader.start()
    results = [outcomes.get(timeout=120) for _ in graders]
    for grader in graders:
        grader.join(timeout=60)
    return results


def _add_lesson(url: str) -> None:
    from nbgrader.api import Gradebook

    schema.prepare_gradebook(url, COURSE)
    with Gradebook(url, COURSE) as gradebook:
        gradebook.add_assignment(LESSON)
        gradebook.add_notebook("03-reassembly", LESSON)
        gradebook.add_grade_cell(
            "on_bytes-check", "03-reassembly", LESSON, max_score=10, cell_type="code"
        )


def _count(server: PostgresServer, url: str, sql: str) -> str:
    return server.psql(url.rsplit("/", 1)[1], sql).strip()


@pytest.mark.postgres
def test_nbgrader_gradebook_round_trip(postgres_server: PostgresServer) -> None:
    from nbgrader.api import Gradebook

    url = fresh_database(postgres_server)
    _add_lesson(url)
    with Gradebook(url, COURSE) as gradebook:
        gradebook.add_student("ada")
        gradebook.add_submission(LESSON, "ada")
        grade = gradebook.find_grade("on_bytes-check", "03-reassembly", LESSON, "ada")
        grade.auto_score = 7.5
        gradebook.db.commit()
    # A new connection (another host, in effect) reads it back through nbgrader's aggregates.
    with Gradebook(url, COURSE) as gradebook:
        submission = gradebook.find_submission(LESSON, "ada")
        assert (submission.score, submission.max_score) == (7.5, 10)
        assert gradebook.find_student("ada").score == 7.5


@pytest.mark.postgres
def test_nbgraders_default_empty_course_id_works_on_postgres(
    postgres_server: PostgresServer,
) -> None:
    from nbgrader.api import Assignment, Base, Gradebook

    url = fresh_database(postgres_server)
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)  # nbgrader's tables, as its first Gradebook makes them
    engine.dispose()
    # Without a configured course id, nbgrader files the assignment under course "", a row it
    # never creates itself; PostgreSQL enforces the foreign key that SQLite ignores.
    with Gradebook(url, "") as gradebook, pytest.raises(sa.exc.IntegrityError):
        gradebook.db.add(Assignment(name=LESSON, course_id=""))
        gradebook.db.commit()
    schema.prepare_gradebook(url)
    with Gradebook(url, "") as gradebook:
        gradebook.update_or_create_assignment(LESSON)
        assert gradebook.find_assignment(LESSON).course_id == ""


@pytest.mark.postgres
def test_concurrent_graders_on_an_empty_database_all_succeed(
    postgres_server: PostgresServer,
) -> None:
    url = fresh_database(postgres_server)
    students = [f"student{i}" for i in range(WRITERS)]
    # Every grader creates the schema and its student at once on the empty database...
    assert writes_at_once(url, students, submit=False) == ["ok"] * WRITERS
    _add_lesson(url)
    # ...then every grader records its student's submission at once.
    assert writes_at_once(url, students, submit=True) == ["ok"] * WRITERS
    counts = _count(
        postgres_server,
        url,
        "SELECT (SELECT count(*) FROM alembic_version),"
        f" (SELECT count(*) FROM course WHERE id IN ('{COURSE}', '', 'default_course')),"
        " (SELECT count(*) FROM student), (SELECT count(*) FROM submitted_assignment)",
    )
    assert counts == f"1|3|{WRITERS}|{WRITERS}"


def _hold_claim(url: str, student: str, held: multiprocessing.synchronize.Event,
                release: multiprocessing.synchronize.Event) -> None:
    with locks.claim_student(url, LESSON, student) as claim:
        assert claim.acquired
        held.set()
        release.wait(timeout=60)


@pytest.mark.postgres
def test_a_claimed_student_is_not_graded_by_another_process(
    postgres_server: PostgresServer,
) -> None:
    url = fresh_database(postgres_server)
    schema.prepare_gradebook(url, COURSE)
    held, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold_claim, args=(url, "ada", held, release))
    holder.start()
    try:
        assert held.wait(timeout=60)
        with locks.claim_student(url, LESSON, "ada", wait=False) as claim:
            assert not claim.acquired
        with locks.claim_student(url, LESSON, "bob", wait=False) as claim:
            assert claim.acquired  # a different student is free
    finally:
        release.set()
        holder.join(timeout=60)
    assert holder.exitcode == 0
    with locks.claim_student(url, LESSON, "ada", wait=False) as claim:
        assert claim.acquired  # released when the holder finished
        claim.status = "failed"
    log = queries.grading_log(url, LESSON)
    assert [(record.student, record.status, record.pid) for record in log] == [
        ("bob", "graded", os.getpid()),
        ("ada", "graded", holder.pid),
        ("ada", "failed", os.getpid()),
    ]
    assert all(record.started_at <= record.finished_at for record in log)


def test_sqlite_gradebooks_get_the_same_schema_and_claims(tmp_path: Path) -> None:
    url = normalize_db_url(tmp_path / "gradebook.db")
    students = [f"student{i}" for i in range(3)]
    assert writes_at_once(url, students, submit=False) == ["ok"] * len(students)
    held, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold_claim, args=(url, "ada", held, release))
    holder.start()
    try:
        assert held.wait(timeout=60)
        with locks.claim_student(url, LESSON, "ada", wait=False) as claim:
            assert not claim.acquired
    finally:
        release.set()
        holder.join(timeout=60)
    assert holder.exitcode == 0
    assert [record.student for record in queries.grading_log(url)] == ["ada"]


@pytest.mark.postgres
def test_a_serialization_failure_is_retried_to_success(postgres_server: PostgresServer) -> None:
    url = fresh_database(postgres_server)
    engine = sa.create_engine(url, isolation_level="SERIALIZABLE")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)"))
    attempts: list[int] = []
    try:
        with engine.connect() as rival:
            # The rival reads first, so the first attempt below conflicts with its later update.
            rival.execute(sa.text("SELECT n FROM counter")).scalar()

            def increment() -> None:
                attempts.append(1)
                with engine.begin() as connection:
                    connection.execute(sa.text("SELECT n FROM counter")).scalar()
                    if len(attempts) == 1:
                        rival.execute(sa.text("UPDATE counter SET n = n + 10"))
                        rival.commit()
                    connection.execute(sa.text("UPDATE counter SET n = n + 1"))

            retries.with_retries(increment, first_delay=0)
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT n FROM counter")).scalar() == 11
    finally:
        engine.dispose()
    assert len(attempts) == 2
