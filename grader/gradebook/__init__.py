"""The gradebook's database: its URL, its schema, locks shared between graders, and queries.

nbgrader keeps grades in one SQL database, SQLite by default. Several graders -- worker processes
on one machine, or grading hosts sharing a PostgreSQL server -- may write to it at once. Out of the
box that breaks in four ways, each handled here:

* ``postgresql://`` URLs: SQLAlchemy 2.1 maps them to the ``psycopg`` (3) driver, while the course
  installs ``psycopg2``; ``url.normalize_db_url`` names the installed driver explicitly.
* Creating the schema: every ``nbgrader.api.Gradebook`` checks for tables, creates them, stamps
  alembic's version and inserts the course row, with no lock. Two graders starting on an empty
  database fail with duplicate-table or duplicate-key errors. ``schema.prepare_gradebook`` does all
  of it once under a lock (a PostgreSQL advisory lock, or a file lock for SQLite) before grading.
* The course row: with no course id configured, nbgrader files assignments under course ""
  without ever creating it. SQLite does not enforce the foreign key; PostgreSQL does, so
  ``release`` fails there. ``schema.prepare_gradebook`` creates nbgrader's default course rows.
* Two graders on the same student (overlapping shards, a rerun while a run is going): nbgrader's
  find-then-insert of a submission races. ``locks.claim_student`` serialises grading per
  (lesson, student) across processes and hosts, and logs who graded whom in ``course_grading_log``.

Transient errors (serialization failures, deadlocks, a busy SQLite file, a dropped connection) are
retried by ``retries.with_retries``. With SQLite, the workers' nbgrader sessions are serialised by
``session_lock`` (a patch of nbgrader's Gradebook, applied explicitly by the worker). Reads for
scores, export and feedback are in ``queries``.
"""

