"""Short-lived database connections, and running a transaction again when the error is transient.

Transient errors (serialization failures, deadlocks, a busy SQLite file, a dropped
connection) go away when the whole transaction is simply run again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from grader import settings

__all__ = ["engine", "is_transient_error", "with_retries"]

T = TypeVar("T")

# SQLSTATE codes worth retrying: serialization_failure, deadlock_detected, lock_not_available,
# admin_shutdown/crash_shutdown/cannot_connect_now; class 08 (connection exceptions) is matched by
# prefix.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P02", "57P03"})


def engine(url: str) -> Engine:
    # No pool: each helper here opens one connection and closes it; nothing should linger.
    return sa.create_engine(url, poolclass=NullPool)


def is_transient_error(error: BaseException) -> bool:
    """True for database errors that go away when the transaction is simply run again."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    sqlstate = getattr(original, "pgcode", None) or getattr(original, "sqlstate", None)
    if sqlstate:
        return sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith("08")
    if isinstance(error, OperationalError):
        message = str(original).lower()
        return (
            "database is locked" in message
            or "server closed the connection" in message
            or "could not connect" in message
            or "connection refused" in message
        )
    return False


def with_retries(
    operation: Callable[[], T],
    *,
    attempts: int = settings.DB_RETRY_ATTEMPTS,
    first_delay: float = settings.DB_RETRY_FIRST_DELAY_S,
) -> T:
    """Run ``operation``; on a transient database error run it again, waiting longer each time.

    ``operation`` must be a whole transaction (it opens, commits and closes what it uses), so that
    running it twice is safe. The last error is raised if every attempt fails.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except DBAPIError as error:
            if attempt == attempts or not is_transient_error(error):
                raise
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")
