"""One SQLite writer at a time: a lock held for the life of every nbgrader ``Gradebook``.

SQLite lets one writer in at a time and fails a second with "database is locked" (or, for
two readers both upgrading to writers, at once). nbgrader opens a Gradebook for each short
step of autograding and offers no hook around them, so the only place to serialise them is
``Gradebook.__init__`` and ``close`` themselves. ``serialised_gradebook`` patches those two
methods for the duration of a ``with`` block, and restores them after: the autograde
worker enters it explicitly around its whole loop; nothing is patched at import time.
PostgreSQL handles concurrent writers itself, so there the block changes nothing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from grader.course import Course

from .locks import exclusive

__all__ = ["serialised_gradebook"]


@contextlib.contextmanager
def serialised_gradebook(course: Course) -> Iterator[None]:
    """Hold a cross-process lock from each Gradebook's creation to its close (SQLite only).

    Holding a file lock from a Gradebook's creation to its close serialises the steps of all
    workers without serialising the notebook execution in between.
    """
    if not course.uses_sqlite:
        yield
        return
    from nbgrader.api import Gradebook

    original_init, original_close = Gradebook.__init__, Gradebook.close
    state = threading.local()

    def locked_init(self, *args, **kwargs):
        depth = getattr(state, "depth", 0)
        if depth == 0:
            state.lock = exclusive(course.db_url, "gradebook-session")
            state.lock.__enter__()
        state.depth = depth + 1
        self._course_lock_held = True
        try:
            original_init(self, *args, **kwargs)
        except BaseException:
            _release(self)
            raise

    def _release(self) -> None:
        if not getattr(self, "_course_lock_held", False):
            return
        self._course_lock_held = False
        state.depth -= 1
        if state.depth == 0:
            state.lock.__exit__(None, None, None)

    def locked_close(self):
        try:
            original_close(self)
        finally:
            _release(self)

    Gradebook.__init__, Gradebook.close = locked_init, locked_close
    try:
        yield
    finally:
        Gradebook.__init__, Gradebook.close = original_init, original_close
