"""What the course's preprocessors of one notebook's conversion share (in nbconvert's resources)."""

from __future__ import annotations

from typing import Any

__all__ = ["RESOURCES_KEY", "course_state"]

RESOURCES_KEY = "framing_course"


def course_state(resources: dict[str, Any]) -> dict[str, Any]:
    """The shared dictionary: hidden check sources by cell index, and kernel events."""
    state = resources.setdefault(RESOURCES_KEY, {})
    state.setdefault("hidden_sources", {})
    state.setdefault("kernel_events", [])
    return state
