"""Lessons 2-6's pictures and traces are exactly what they were before issue 14's framings.

The record (``tests/support/pictures_before.json``) was made from the code before failures
carried their framing and before the delimited trace moved into the core; a picture that
changes by one byte fails here, named.
"""

from __future__ import annotations

import json

from support.picture_cases import RECORD, digests, picture_markups


def test_every_recorded_picture_and_trace_is_byte_identical() -> None:
    recorded = json.loads(RECORD.read_text())
    now = digests()
    assert sorted(now) == sorted(recorded)
    changed = [name for name in recorded if now[name] != recorded[name]]
    assert changed == []


def test_the_record_covers_every_kind_of_picture_and_framing() -> None:
    names = [name for name, _ in picture_markups()]
    for kind in ("failure", "step", "text", "replay", "beside", "feedback"):
        assert any(name.startswith(kind + " ") or name == kind for name in names), kind
    markups = dict(picture_markups())
    # The cases draw what they claim: a learner who parts, a delimiter, a little-endian header.
    assert "parts from the reference" in markups["replay worked learner"]
    assert "fcv-d" in markups["failure lines"]
    assert "little-endian" in markups["failure little"]
    assert "stuck" in markups["step 4-byte broken 2"]
