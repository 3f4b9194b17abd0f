"""Calling learner code with a time bound, so a loop that never ends cannot hang a widget.

The widgets run a learner's ``on_bytes`` or decoder in the learner's own
kernel (this is teaching, not grading: the grader has its sandbox). A call
that is still running when its time is up is stopped by raising ``Overrun``
inside it from a watchdog thread (CPython's ``PyThreadState_SetAsyncExc``),
which works on Linux, macOS and Windows alike and needs no signal. The
exception derives from ``BaseException``, so ``except Exception`` in the
learner's code does not catch it, and it is raised again every
``_REPEAT`` seconds, so code that swallows it with a bare ``except:`` and
carries on is stopped at the next try. What cannot be stopped from inside the
process: a loop that swallows every exception for ever, and a single call into
C that never returns (``time.sleep(10**6)``, a gigantic allocation). The bound
is for Python loops, which is what a learner's code gets stuck in.

Where ``ctypes.pythonapi`` is missing (not CPython), calls run unbounded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import perf_counter as _clock  # bound now: learner code may patch the time module
from typing import Any, TypeVar

__all__ = ["Overrun", "TimeBound"]

T = TypeVar("T")

#: After the first stop, the watchdog raises ``Overrun`` again this often until the call ends.
_REPEAT = 0.05

try:
    import ctypes

    _set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
except (ImportError, AttributeError):  # pragma: no cover - not CPython
    _set_async_exc = None


class Overrun(BaseException):
    """Raised inside a learner's call that ran past its time bound."""


def _raise_in(thread_id: int) -> None:
    _set_async_exc(ctypes.c_ulong(thread_id), ctypes.py_object(Overrun))


def _clear_pending(thread_id: int) -> None:
    # NULL (ctypes passes None as NULL) clears an exception set but not raised yet.
    _set_async_exc(ctypes.c_ulong(thread_id), None)


class TimeBound:
    """Runs calls with at most ``seconds`` each; use it as a context manager around a replay.

    One watchdog thread serves every call made inside the ``with`` block.
    ``call`` returns the function's result, or raises ``Overrun`` when the
    call was stopped; exceptions the function raises pass through unchanged.
    """

    def __init__(self, seconds: float) -> None:
        if not seconds > 0:
            raise ValueError(f"the time bound must be more than 0 seconds, not {seconds!r}")
        self.seconds = seconds
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._deadline: float | None = None  # set while a call runs
        self._thread_id = 0
        self._closed = False
        self._watchdog: threading.Thread | None = None

    def __enter__(self) -> TimeBound:
        if _set_async_exc is not None:
            self._watchdog = threading.Thread(target=self._watch, name="framinglib-time-bound",
                                              daemon=True)
            self._watchdog.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        if self._watchdog is not None:
            self._watchdog.join()

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)``, stopped with ``Overrun`` once it has run ``seconds``."""
        if self._watchdog is None:
            return function(*args)
        with self._wake:
            self._thread_id = threading.get_ident()
            self._deadline = _clock() + self.seconds
            self._wake.notify()
        try:
            return function(*args)
        finally:
            self._disarm()

    def _disarm(self) -> None:
        # ``Overrun`` may still fire on the way out; once the lock is held the watchdog can
        # raise no more, and what it raised but Python has not delivered yet is cleared.
        while True:
            try:
                with self._wake:
                    self._deadline = None
                    _clear_pending(self._thread_id)
                return
            except Overrun:
                continue

    def _watch(self) -> None:
        with self._wake:
            while not self._closed:
                if self._deadline is None:
                    self._wake.wait()
                    continue
                left = self._deadline - _clock()
                if left > 0:
                    self._wake.wait(left)
                    continue
                _raise_in(self._thread_id)
                self._wake.wait(_REPEAT)
