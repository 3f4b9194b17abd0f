"""The course configuration read by plain nbgrader commands (through nbgrader_config.py)."""

from __future__ import annotations

from grader.course import Course


def test_database_url_from_the_environment_is_normalised(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_COURSE_DB_URL", "postgresql://grader@db.invalid:5432/framing")
    course = Course.from_config_file(str(tmp_path / "nbgrader_config.py"))
    # A bare postgresql:// would make SQLAlchemy look for psycopg 3, which is not installed.
    assert course.db_url.startswith("postgresql+psycopg2://")
    assert course.root == tmp_path.resolve()


def test_without_the_environment_the_gradebook_is_sqlite_in_the_course(tmp_path, monkeypatch):
    monkeypatch.delenv("FRAMING_COURSE_DB_URL", raising=False)
    course = Course.from_config_file(str(tmp_path / "nbgrader_config.py"))
    assert course.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
