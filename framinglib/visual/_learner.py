"""Replaying a learner's own code on a cutting: what it handed over, and held, after each recv().

Two shapes of learner code are understood:

- lesson 3's ``on_bytes(chunk)``, which appends to a module-level ``buffer``
  and calls a module-level ``handle(frame)`` (a function taking
  ``(buffer, data, handle)`` is called that way instead, with a fresh
  ``bytearray``);
- a decoder class with ``feed(data) -> list`` (lesson 4's ``LineDecoder``,
  lesson 5's ``SafeDecoder``, lesson 6's ``FrameDecoder``). The class is
  made with the widget's frame limit as its one argument, or with no
  argument when the widget has no limit; a function of no arguments that
  returns a decoder works too.

Strategy. Each replay starts afresh: for ``on_bytes``, the module variables
the function reads (``buffer`` among them, emptied) are copied once when the
adapter is made, and every replay runs on a new copy of them; the learner's
own variables are put back afterwards, so a widget never changes the
learner's notebook state. Each call is bounded in time (``TimeBound``) and
``handle`` may be called at most once per frame the stream could possibly
hold; a call that overruns either bound is stopped and reported. A
``ValueError`` from a decoder is its refusal (what lessons 4 to 6 ask for
on an oversized frame); any other exception is reported with its message.
"""

from __future__ import annotations

import copy
import inspect
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from framinglib._bytes import as_bytes

from ._bounded import Overrun, TimeBound

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "LearnerCode",
    "LearnerRun",
    "LearnerStep",
    "learner_code",
]

#: Seconds each call of learner code may run before it is stopped: ages for the few dozen
#: bytes a widget replays, short enough that a stuck answer does not freeze the sliders.
DEFAULT_TIME_LIMIT = 0.5

Outcome = Literal["returned", "refused", "raised", "stopped", "not run"]


@dataclass(frozen=True)
class LearnerStep:
    """What the learner's code did with one recv()'s chunk, seen once the call was over."""

    chunk_index: int
    outcome: Outcome
    #: What this call handed over (to ``handle``, or as ``feed``'s list), in order.
    handed: tuple[object, ...]
    #: Everything handed over since the stream began, this call included.
    frames: tuple[object, ...]
    #: The bytes the code held afterwards, or ``None`` when they cannot be seen.
    buffer: bytes | None
    #: The exception or the stop, in one line (empty when the call returned).
    error: str = ""

    @property
    def failed(self) -> bool:
        """The call raised (not a refusal) or was stopped."""
        return self.outcome in ("raised", "stopped")


@dataclass(frozen=True)
class LearnerRun:
    """A replay of learner code: one ``LearnerStep`` per chunk, until the code stopped."""

    name: str
    #: How the held bytes are named in the picture (``buffer``, ``self._buffer``), or "".
    buffer_name: str
    steps: tuple[LearnerStep, ...]
    #: What was called with each chunk (``on_bytes``, ``feed``).
    call: str = "feed"

    def at(self, chunk_index: int) -> LearnerStep:
        """The step for ``chunk_index``; a ``"not run"`` one after the code stopped."""
        if chunk_index < len(self.steps):
            return self.steps[chunk_index]
        last = self.steps[-1] if self.steps else None
        return LearnerStep(chunk_index, "not run", (), last.frames if last else (), None,
                           "not run: the replay stopped at an earlier recv()")


class LearnerCode(Protocol):
    """Learner code the widgets can replay."""

    name: str

    def replay(self, chunks: Sequence[bytes], *, time_limit: float, max_frames: int
               ) -> LearnerRun: ...


class _TooManyFrames(BaseException):
    """``handle`` was called more often than the stream has room for frames."""


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    message = text[0] if text else ""
    if len(message) > 160:
        message = message[:150] + "…"
    if isinstance(error, NotImplementedError) and not message:
        # The exercise's skeleton: nothing is wrong yet, it is just not written.
        message = "not written yet? Write it in its exercise cell, run that cell, then this one"
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _stopped_message(time_limit: float) -> str:
    return f"still running after {time_limit:g} s, so it was stopped: does a loop never end?"


def _as_held(value: object) -> bytes | None:
    if isinstance(value, bytes | bytearray | memoryview):
        try:
            return as_bytes(value)
        except (TypeError, ValueError):  # a released or non-contiguous view
            return None
    return None


def _global_names(code: types.CodeType) -> set[str]:
    """Names a function's code (and the code nested in it) may read as globals."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _is_state(value: object) -> bool:
    """A module variable that holds state (not a function, class or module)."""
    return not isinstance(value, types.ModuleType | types.FunctionType | types.BuiltinFunctionType
                          | type | types.MethodType)


def _emptied(value: object) -> object:
    """``value`` as an empty buffer of its own kind (a bytearray is emptied in place)."""
    if isinstance(value, bytearray):
        value.clear()
        return value
    if isinstance(value, bytes):
        return b""
    return value


_MISSING = object()


class OnBytes:
    """Lesson 3's ``on_bytes``, replayed with module-level ``buffer`` and ``handle``."""

    def __init__(self, function: Callable[..., object]) -> None:
        self.function = function
        self.name = f"your {getattr(function, '__name__', 'on_bytes')}"
        self.explicit = _takes_three(function)
        self.buffer_name = "buffer"
        self._fresh: dict[str, object] = {}
        self._shared: set[str] = set()
        if not self.explicit:
            self._snapshot()

    def _snapshot(self) -> None:
        namespace = self.function.__globals__  # type: ignore[attr-defined]
        wanted = (_global_names(self.function.__code__) | {"buffer"}) - {"handle"}  # type: ignore[attr-defined]
        state = {name: namespace[name] for name in sorted(wanted)
                 if name in namespace and _is_state(namespace[name])}
        try:
            fresh = copy.deepcopy(state)  # one copy: aliases among them are kept
        except Exception:  # noqa: BLE001 - anything may fail to copy; copy one by one
            fresh = {}
            for name, value in state.items():
                try:
                    fresh[name] = copy.deepcopy(value)
                except Exception:  # noqa: BLE001
                    self._shared.add(name)  # cannot be copied: replays share the original
        if "buffer" in fresh:
            fresh["buffer"] = _emptied(fresh["buffer"])
        else:
            fresh["buffer"] = bytearray()
        self._fresh = fresh

    def replay(self, chunks: Sequence[bytes], *, time_limit: float, max_frames: int
               ) -> LearnerRun:
        handed: list[object] = []

        def handle(frame: object) -> None:
            if len(handed) >= max_frames:
                raise _TooManyFrames
            handed.append(frame)

        if self.explicit:
            held = bytearray()
            return self._run(chunks, time_limit, max_frames, handed,
                             lambda chunk: self.function(held, chunk, handle), lambda: held)
        namespace = self.function.__globals__  # type: ignore[attr-defined]
        names = [*self._fresh, "handle"]
        saved = {name: namespace.get(name, _MISSING) for name in names}
        try:
            namespace.update(copy.deepcopy(self._fresh))
            namespace["handle"] = handle
            return self._run(chunks, time_limit, max_frames, handed, self.function,
                             lambda: namespace.get("buffer"))
        finally:
            for name, value in saved.items():
                if value is _MISSING:
                    namespace.pop(name, None)
                else:
                    namespace[name] = value

    def _run(
        self,
        chunks: Sequence[bytes],
        time_limit: float,
        max_frames: int,
        handed: list[object],
        call: Callable[[bytes], object],
        held: Callable[[], object],
    ) -> LearnerRun:
        steps: list[LearnerStep] = []
        with TimeBound(time_limit) as bound:
            for index, chunk in enumerate(chunks):
                before = len(handed)
                outcome: Outcome = "returned"
                error = ""
                try:
                    bound.call(call, chunk)
                except Overrun:
                    outcome, error = "stopped", _stopped_message(time_limit)
                except _TooManyFrames:
                    outcome = "stopped"
                    error = (f"calling handle without end, so it was stopped: {len(handed):,} "
                             f"frames, more than the {sum(map(len, chunks)):,}-byte stream "
                             "can hold")
                except Exception as exc:  # noqa: BLE001 - the learner's code may raise anything
                    outcome, error = "raised", _one_line(exc)
                steps.append(LearnerStep(index, outcome, tuple(handed[before:]), tuple(handed),
                                         _as_held(held()), error))
                if outcome != "returned":
                    break
        return LearnerRun(self.name, self.buffer_name, tuple(steps),
                          getattr(self.function, "__name__", "on_bytes"))


def _takes_three(function: Callable[..., object]) -> bool:
    """Whether ``function`` wants ``(buffer, data, handle)`` rather than ``(chunk)``."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    required = [p for p in parameters
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    return len(required) >= 3


#: Attribute names a decoder's buffer is likely to have, best first.
_BUFFER_HINTS = ("buf", "held", "pending", "data")


class Decoder:
    """A learner's decoder class (or a function making one), replayed with ``feed``."""

    def __init__(self, factory: Callable[..., object], limit: int | None = None,
                 refusal: type[BaseException] = ValueError) -> None:
        self.factory = factory
        self.limit = limit
        self.refusal = refusal
        self.name = f"your {getattr(factory, '__name__', 'decoder')}"

    def _make(self) -> object:
        if isinstance(self.factory, type) and self.limit is not None:
            return self.factory(self.limit)
        return self.factory()

    def replay(self, chunks: Sequence[bytes], *, time_limit: float, max_frames: int
               ) -> LearnerRun:
        steps: list[LearnerStep] = []
        frames: list[object] = []
        seen = b""
        buffer_name = ""
        what = self.name.removeprefix("your ")
        with TimeBound(time_limit) as bound:
            try:
                decoder = bound.call(self._make)
            except Overrun:
                return LearnerRun(self.name, "", (LearnerStep(
                    0, "stopped", (), (), None, f"making {what}: {_stopped_message(time_limit)}"
                ),))
            except Exception as exc:  # noqa: BLE001
                return LearnerRun(self.name, "", (LearnerStep(
                    0, "raised", (), (), None, f"making {what}: {_one_line(exc)}"),))
            feed = getattr(decoder, "feed", None)
            for index, chunk in enumerate(chunks):
                seen += chunk
                outcome: Outcome = "returned"
                error = ""
                handed: tuple[object, ...] = ()
                try:
                    if feed is None:
                        raise AttributeError(f"{what} has no feed method")
                    result = bound.call(feed, chunk)
                    if not isinstance(result, list | tuple):
                        raise TypeError(f"feed returned {type(result).__name__}, not a list")
                    handed = tuple(result[:max_frames])
                except Overrun:
                    outcome, error = "stopped", _stopped_message(time_limit)
                except self.refusal as exc:
                    outcome, error = "refused", _one_line(exc)
                except Exception as exc:  # noqa: BLE001
                    outcome, error = "raised", _one_line(exc)
                frames.extend(handed)
                name, held = _find_buffer(decoder, seen)
                buffer_name = buffer_name or name
                steps.append(LearnerStep(index, outcome, handed, tuple(frames), held, error))
                if outcome != "returned":
                    break
        return LearnerRun(self.name, buffer_name, tuple(steps))


def _find_buffer(decoder: object, seen: bytes) -> tuple[str, bytes | None]:
    """The decoder's held bytes: a bytes attribute that ends the stream so far, best named first.

    Failing that, its ``buffered`` count read as the stream's last bytes.
    """
    try:
        attributes = dict(vars(decoder))
    except TypeError:
        attributes = {}
    candidates = []
    for name, value in attributes.items():
        held = _as_held(value)
        if held is not None and seen.endswith(held):
            rank = next((i for i, hint in enumerate(_BUFFER_HINTS) if hint in name.lower()),
                        len(_BUFFER_HINTS))
            candidates.append((rank, -len(held), name, held))
    if candidates:
        _, _, name, held = min(candidates)
        return f"self.{name}", held
    try:
        count = getattr(decoder, "buffered", None)
    except Exception:  # noqa: BLE001 - a property of learner code may raise
        count = None
    if isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= len(seen):
        return "buffered", seen[len(seen) - count:]
    return "", None


def learner_code(code: object, *, limit: int | None = None, name: str | None = None
                 ) -> LearnerCode:
    """Wrap what a learner passed to a widget: ``on_bytes``, a decoder class, or a factory.

    A class (or a function of no arguments) whose instances have ``feed`` is a
    decoder; any other function is an ``on_bytes``. Anything else is a
    ``TypeError`` naming what was passed. ``name`` replaces the pictures' name
    for it ("your on_bytes"), for code that is not the learner's own.
    """
    wrapped = _wrap(code, limit)
    if name is not None:
        wrapped.name = name
    return wrapped


def _wrap(code: object, limit: int | None) -> OnBytes | Decoder:
    if isinstance(code, OnBytes | Decoder):
        return code
    if isinstance(code, type):
        if not callable(getattr(code, "feed", None)):
            raise TypeError(f"{code.__name__} has no feed method: pass your decoder class, "
                            "or your on_bytes function")
        return Decoder(code, limit)
    if callable(getattr(code, "feed", None)):
        raise TypeError(
            f"pass the class {type(code).__name__} itself, not an instance: every replay "
            "needs a fresh decoder")
    if isinstance(code, types.FunctionType):
        try:
            parameters = inspect.signature(code).parameters.values()
        except (TypeError, ValueError):
            parameters = []
        takes_none = all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                         for p in parameters)
        if takes_none:
            return Decoder(code, limit)
        return OnBytes(code)
    raise TypeError(f"expected your on_bytes function or your decoder class, not "
                    f"{type(code).__name__} {code!r:.60}")
