"""Checking a gradebook URL and putting it in the form nbgrader and SQLAlchemy need.

``postgresql://`` URLs: SQLAlchemy 2.1 maps them to the ``psycopg`` (3) driver, while the
course installs ``psycopg2``; :func:`normalize_db_url` names the installed driver
explicitly. Relative SQLite paths are made absolute, because nbgrader changes directory.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from grader.errors import GradebookURLError

__all__ = ["GradebookURLError", "is_postgres", "normalize_db_url", "redact_db_url"]

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
URL_EXAMPLES = "sqlite:////path/to/gradebook.db or postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME"
# PostgreSQL drivers the course can use, preferred first; psycopg2 is the one it installs.
POSTGRES_DRIVERS = ("psycopg2", "psycopg")


def normalize_db_url(url: str | Path, *, base_dir: str | Path | None = None) -> str:
    """Check a gradebook URL and return it in the form to hand to nbgrader.

    Accepts ``sqlite:///relative.db``, ``sqlite:////absolute.db`` and ``postgresql://...``
    (with or without ``+driver``). A bare filesystem path is taken as a SQLite file. Relative SQLite
    paths are resolved against ``base_dir`` (default: the current directory), because nbgrader
    changes directory while it works. Raises :class:`GradebookURLError` naming the problem.
    """
    text = str(url).strip()
    if not text:
        raise GradebookURLError(f"empty gradebook database URL; expected {URL_EXAMPLES}")
    if "://" not in text:  # a path, not a URL
        return _sqlite_url(Path(text), base_dir)
    try:
        parsed = make_url(text)
    except ArgumentError as error:
        raise GradebookURLError(
            f"not a database URL: {redact_db_url(text)!r} ({error}); expected {URL_EXAMPLES}"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _normalize_sqlite(parsed, base_dir)
    if backend == "postgresql":
        return _normalize_postgres(parsed)
    raise GradebookURLError(
        f"unsupported gradebook database {backend!r} in {redact_db_url(text)!r}: "
        f"the course supports {', '.join(SUPPORTED_BACKENDS)}; expected {URL_EXAMPLES}"
    )


def _normalize_sqlite(parsed: URL, base_dir: str | Path | None) -> str:
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise GradebookURLError(
            f"SQLite gradebook URL {parsed!s} names no file: an in-memory database is private to "
            f"one process and lost at exit; expected {URL_EXAMPLES}"
        )
    return _sqlite_url(Path(database), base_dir)


def _sqlite_url(path: Path, base_dir: str | Path | None) -> str:
    if not path.is_absolute():
        path = Path(base_dir or os.getcwd()) / path
    path = path.resolve()
    if path.is_dir():
        raise GradebookURLError(f"SQLite gradebook {path} is a directory, not a database file")
    if not path.parent.is_dir():
        raise GradebookURLError(
            f"SQLite gradebook {path}: its directory {path.parent} does not exist"
        )
    return f"sqlite:///{path}"


def _normalize_postgres(parsed: URL) -> str:
    if not parsed.database:
        raise GradebookURLError(
            f"PostgreSQL gradebook URL {redact_db_url(parsed)!r} names no database; "
            f"expected {URL_EXAMPLES}"
        )
    driver = parsed.drivername.partition("+")[2]
    if driver:
        if importlib.util.find_spec(driver) is None:
            raise GradebookURLError(
                f"PostgreSQL driver {driver!r} from {redact_db_url(parsed)!r} is not installed"
            )
    else:
        # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; use whichever is installed.
        installed = [name for name in POSTGRES_DRIVERS if importlib.util.find_spec(name)]
        if not installed:
            raise GradebookURLError(
                "a PostgreSQL gradebook needs a driver: pip install psycopg2-binary"
            )
        parsed = parsed.set(drivername=f"postgresql+{installed[0]}")
    return parsed.render_as_string(hide_password=False)


def redact_db_url(url: str | URL) -> str:
    """The URL with any password replaced by ``***``, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparsable URL>"


def is_postgres(url: str) -> bool:
    """True when the URL points at PostgreSQL."""
    return make_url(url).get_backend_name() == "postgresql"
