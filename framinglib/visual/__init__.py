"""Pictures of reassembly: HTML for any page, and widgets for live notebooks.

What lives here. ``html`` draws a trace step, a replay or a failing case as
HTML (and text) and imports no ipywidgets, so the grader can use it anywhere;
``render_step_html`` is the one function that turns a trace step into a
picture, with or without the learner's code beside it. The widgets
(``ReassemblyPlayer``, ``ChunkExplorer``) are loaded on first use through the
module ``__getattr__`` below, which keeps ``import framinglib.visual.html``
free of ipywidgets; nothing outside this package imports ipywidgets.

Where to change what: wire formats in ``_framing`` (length headers,
delimiters, ``LengthField`` for a real protocol's header, and their plain JSON
descriptions, which the grader stores on a failure); where frames sit in bytes
in ``_layout``; byte cells and lanes in
``_drawing``; the learner's code replayed (and bounded in time, ``_bounded``)
in ``_learner``; where it parts from the reference in ``_parting``; the
explorer's tasks in ``goals``; CSS in ``_style``.

Using the widgets in a lesson (each works without a live kernel too: the
notebook then shows the current step as a static picture)::

    from framinglib import split_at, encode_length_prefixed, WORKED_EXAMPLE_MESSAGES
    from framinglib.visual import ChunkExplorer, ReassemblyPlayer

    # Lesson 3: the learner's on_bytes (module-level buffer and handle) beside the
    # reference, on the worked example with 4-byte headers; the first step where
    # they part is marked, and "Go to where they part" jumps to it.
    wire = b"".join(encode_length_prefixed(m, 4) for m in WORKED_EXAMPLE_MESSAGES)
    player = ReassemblyPlayer(split_at(wire, [6, 12, 19]), header_size=4, learner=on_bytes)
    player.comparison.verdict()     # one sentence; player.parting_index is the step (from 0)

    ChunkExplorer(WORKED_EXAMPLE_MESSAGES, header_size=4, learner=on_bytes)  # with goals

    # Lesson 4: a delimited stream, the learner's LineDecoder class beside DelimiterDecoder.
    ChunkExplorer([b"hello", b"how are you?", b"bye"], delimiter=b"\\n", learner=LineDecoder,
                  max_frame_size=1024)

    # Lesson 5: a hostile header, refused at once; SafeDecoder is made as SafeDecoder(1024).
    hostile = encode_length_prefixed(b"hello", 4) + b"GET / HTTP/1.1\\r\\n"
    ReassemblyPlayer(split_at(hostile, [7, 11]), header_size=4, max_frame_size=1024,
                     learner=SafeDecoder)
    ChunkExplorer(stream=hostile, header_size=4, max_frame_size=1024, learner=SafeDecoder)

``learner`` takes lesson 3's ``on_bytes(chunk)`` (its module-level ``buffer``
and ``handle`` are swapped for the replay and put back afterwards), a function
``on_bytes(buffer, data, handle)``, or a decoder class with ``feed`` (made with
``max_frame_size`` as its one argument when that is given). Each call may run
``time_limit`` seconds (default 0.5); a loop that never ends is stopped and
drawn as the step where it went wrong, and so is an exception. Custom tasks:
``ChunkExplorer(goals=[Goal("text", lambda cutting: ...)])`` (see ``goals``).
``decoder`` swaps the reference for another traceable decoder; a
``LengthFieldDecoder``'s steps carry its frame sizes, so a real protocol's
headers are drawn frame by frame, e.g. TLS records:
``ReassemblyPlayer(chunks, header_size=5, decoder=LengthFieldDecoder(3, 2))``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .goals import Cutting, Goal
    from .widgets import ChunkExplorer, ReassemblyPlayer

__all__ = ["ChunkExplorer", "Cutting", "Goal", "ReassemblyPlayer"]

_WIDGETS = frozenset({"ChunkExplorer", "ReassemblyPlayer"})
_GOALS = frozenset({"Cutting", "Goal"})


def __getattr__(name: str) -> Any:
    if name in _WIDGETS:
        from . import widgets

        return getattr(widgets, name)
    if name in _GOALS:
        from . import goals

        return getattr(goals, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
