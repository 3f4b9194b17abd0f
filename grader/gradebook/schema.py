"""Creating the gradebook's schema once, safely, before any grader opens it.

Every ``nbgrader.api.Gradebook`` checks for tables, creates them, stamps alembic's version
and inserts the course row, with no lock: two graders starting on an empty database fail
with duplicate-table or duplicate-key errors. :func:`prepare_gradebook` does all of it once
under a lock (a PostgreSQL advisory lock, or a file lock for SQLite), and creates nbgrader's
default course rows, which PostgreSQL's foreign keys need. The course's own table,
``course_grading_log``, records who graded whom (``locks.claim_student``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from grader.course import Course, put_venv_on_path
from grader.errors import GradebookUnreachableError

from .locks import exclusive, lock_key
from .retries import engine as _engine
from .retries import with_retries
from .url import is_postgres, normalize_db_url, redact_db_url

__all__ = ["alembic_head", "grading_log_table", "prepare_course", "prepare_gradebook"]

# The course ids nbgrader uses when none is configured: CourseDirectory.course_id defaults to ""
# (and its assignment rows then refer to course ""), a bare Gradebook(url) to "default_course".
NBGRADER_DEFAULT_COURSE_IDS = ("", "default_course")

LOG_TABLE = "course_grading_log"
_metadata = sa.MetaData()
grading_log_table = sa.Table(
    LOG_TABLE,
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("lesson", sa.String(128), nullable=False, index=True),
    sa.Column("student", sa.String(128), nullable=False),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime, nullable=False),
)


def alembic_head() -> str:
    """The alembic revision nbgrader's models correspond to (read in-process, no subprocess)."""
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    if head is None:
        raise RuntimeError(f"nbgrader's alembic directory {ALEMBIC_DIR} has no head revision")
    return head


def prepare_gradebook(url: str, course_id: str = "") -> None:
    """Create nbgrader's tables, alembic stamp, course rows and the grading log, once and safely.

    Idempotent; call it before starting graders. Concurrent callers are serialised by a lock,
    so later ones find everything in place. nbgrader's own ``Gradebook(url)`` then finds existing
    tables and an existing course, and skips the racy creation code.

    Rows are made for ``course_id`` and for nbgrader's two defaults. The empty id matters on
    PostgreSQL: with no course id configured nbgrader files assignments under course "" but
    never creates that course (``check_course`` skips an empty id), which SQLite lets pass and
    PostgreSQL's foreign key refuses, so ``release`` would fail.
    """
    from nbgrader.api import Base, Course

    head = alembic_head()

    def create(connection: Connection) -> None:
        Base.metadata.create_all(connection)
        _metadata.create_all(connection)
        inspector = sa.inspect(connection)
        if "alembic_version" not in inspector.get_table_names():
            connection.execute(
                sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            )
        if connection.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 0:
            connection.execute(
                sa.text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head}
            )
        course = Course.__table__
        for wanted in dict.fromkeys((course_id, *NBGRADER_DEFAULT_COURSE_IDS)):
            exists = connection.execute(
                sa.select(course.c.id).where(course.c.id == wanted)
            ).first()
            if exists is None:
                connection.execute(course.insert().values(id=wanted))

    def transaction() -> None:
        engine = _engine(url)
        try:
            with engine.begin() as connection:
                if is_postgres(url):
                    # Held to the end of this transaction: DDL of concurrent callers waits here.
                    connection.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key("schema")}
                    )
                create(connection)
        finally:
            engine.dispose()

    url = normalize_db_url(url)
    try:
        if is_postgres(url):
            with_retries(transaction)
        else:
            with exclusive(url, "schema"):
                with_retries(transaction)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise GradebookUnreachableError(
            f"cannot use the gradebook database {redact_db_url(url)}: {reason}"
        ) from error


def prepare_course(course: Course) -> None:
    """Make the course directory, its nbgrader_config.py and its gradebook ready for nbgrader."""
    put_venv_on_path()
    course.ensure_layout()
    prepare_gradebook(course.db_url)
