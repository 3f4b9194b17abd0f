"""How grading one student went: what the worker reports and the run summary stores."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["StudentOutcome"]


@dataclass
class StudentOutcome:
    """How grading one student went."""

    student: str
    ok: bool
    score: float | None = None
    max_score: float | None = None
    message: str = ""
    seconds: float = 0.0
    tricks: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    # What preflight found wrong and could not repair (a missing answer cell, say).
    problems: list[str] = field(default_factory=list)
    kernel_events: list[str] = field(default_factory=list)
    # True when the submission itself is at fault (preflight refused it): the message is then
    # about the learner's files and safe to show them.
    submission_problem: bool = False
    # What the check against collect's record said without stopping the grading (an override
    # with --grade-changed, an exchange copy that changed after collect).
    collect_notes: list[str] = field(default_factory=list)
    # True when it was not graded because it changed after collect (the message says how).
    changed_after_collect: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StudentOutcome:
        """The outcome ``to_json`` wrote (unknown keys, from another version, are ignored)."""
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})
