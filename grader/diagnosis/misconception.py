"""What a misconception is: an id, the words that name it, where the lesson explains it, and
a trusted implementation that behaves exactly as an answer with that mistake does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Misconception", "Section", "Stall"]


class Stall(Exception):
    """Raised by an implementation where the mistake it models would loop forever.

    The simulator counts it as a timeout, which is what the grader saw from such an
    answer; the implementations never really loop, since they run in the grader.
    """


@dataclass(frozen=True)
class Section:
    """A lesson section: ``Section("Lesson 3", "Why the `while` loop matters")``."""

    lesson: str
    title: str

    def __str__(self) -> str:
        return f"{self.lesson}, \u201c{self.title}\u201d"


@dataclass(frozen=True)
class Misconception:
    """One known mistake in one task.

    ``implementation`` is a function (tasks that are one call) or a class: for
    ``on_bytes`` a class built with the ``handle`` callback, with ``on_bytes(chunk)``
    and a ``buffer``; for the decoder tasks the decoder class itself; for the socket task
    a class with ``send_all``, ``recv_exactly`` and ``recv_frame`` methods. ``slow``: its
    work per chunk grows with what it holds, so it cannot finish a giant frame in
    small chunks in time (the cost cases time out for it); a set of driver names
    (``frozenset({"send"})``) when only the cost cases of those drivers do. A tuple
    of implementations gives variants of one mistake that differ in details the mistake
    does not decide (an answer matching any of them has that misconception).
    """

    id: str
    task: str
    behaves_like: str
    effect: str
    section: Section
    fix: str
    implementation: Any
    slow: bool | frozenset[str] = False

    @property
    def variants(self) -> tuple[Any, ...]:
        impl = self.implementation
        return impl if isinstance(impl, tuple) else (impl,)

    def sentence(self) -> str:
        """The one sentence a report opens with."""
        return (
            f"Your {self.task} behaves exactly like {self.behaves_like}: {self.effect} "
            f"(see {self.section})."
        )
