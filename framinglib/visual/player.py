"""The reassembly player: step through a decoder's decisions, one recv() at a time.

Given learner code (``learner=on_bytes``, or a decoder class), every step also
shows what that code had handed over and held once it returned from the same
recv(), and the step where it first parts from the reference is marked; the
"Go to where they part" button jumps there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from framinglib._bytes import BytesLike, as_bytes
from framinglib.examples import WORKED_EXAMPLE_CHUNKS
from framinglib.trace import Step, TraceableDecoder

from ._fallback import HIDE_FALLBACK, StaticFallback
from ._framing import Framing, framing_of
from ._layout import ByteOrder
from ._learner import DEFAULT_TIME_LIMIT, LearnerCode, learner_code
from ._parting import Beside, Comparison, compare
from .html import STYLE, render_step_html, render_step_text

__all__ = ["ReassemblyPlayer"]


class ReassemblyPlayer(StaticFallback, widgets.VBox):
    """Step through a decoder's decisions, one recv() chunk at a time.

    ``chunks`` are the recv() results in order; ``header_size`` is the length
    header's size in bytes, read in ``byteorder``. ``delimiter`` (for example
    ``b"\\n"``) makes it a delimited stream instead. ``max_frame_size`` is the
    reference decoder's limit: a header announcing more (or, delimited, more
    bytes than that with no delimiter) is refused at once, and the replay ends
    there. The Play button, the step buttons and the step slider all move
    through ``steps`` (the reference decoder's trace); ``step`` is the one on
    show.

    ``learner`` is the learner's own code (an ``on_bytes`` function, or a
    decoder class such as ``LineDecoder``): each step then shows it beside the
    reference, ``comparison`` says where they part (``comparison.parting``)
    and that step is marked. Each call of it may run ``time_limit`` seconds.
    ``learner_name`` replaces "your on_bytes" (etc.) in the pictures.
    ``decoder`` replaces the reference with another traceable decoder.
    """

    def __init__(
        self,
        chunks: Sequence[BytesLike] = WORKED_EXAMPLE_CHUNKS,
        header_size: int = 1,
        *,
        byteorder: ByteOrder = "big",
        delimiter: BytesLike | None = None,
        max_frame_size: int | None = None,
        decoder: TraceableDecoder | None = None,
        learner: object = None,
        learner_name: str | None = None,
        time_limit: float = DEFAULT_TIME_LIMIT,
        interval: int = 1500,
    ) -> None:
        self.byteorder = byteorder
        self.framing: Framing = framing_of(header_size, byteorder, delimiter, max_frame_size)
        self.time_limit = time_limit
        self.learner: LearnerCode | None = (
            None if learner is None else learner_code(learner, limit=max_frame_size,
                                                      name=learner_name))
        self.comparison: Comparison | None = None
        # The play control and the slider count steps from 1, as the position label does.
        self.play = widgets.Play(value=1, min=1, max=1, step=1, interval=interval,
                                 description="Play", show_repeat=False,
                                 tooltip="Play the steps one after another")
        self.back = widgets.Button(description="Back", icon="step-backward",
                                   tooltip="Go back one step",
                                   layout=widgets.Layout(width="auto"))
        self.forward = widgets.Button(description="Step", icon="step-forward",
                                      tooltip="Go forward one step",
                                      layout=widgets.Layout(width="auto"))
        self.slider = widgets.IntSlider(value=1, min=1, max=1, description="Step",
                                        continuous_update=True,
                                        layout=widgets.Layout(width="360px"))
        self.to_parting = widgets.Button(description="Go to where they part", icon="crosshairs",
                                         tooltip="Show the first step where your code and the "
                                                 "reference differ",
                                         layout=widgets.Layout(width="auto"))
        self.position = widgets.HTML()
        self.picture = widgets.HTML(layout=widgets.Layout(width="100%"))
        widgets.link((self.play, "value"), (self.slider, "value"))
        self.back.on_click(lambda _: self.go(self.index - 1))
        self.forward.on_click(lambda _: self.go(self.index + 1))
        self.to_parting.on_click(self._on_to_parting)
        self.slider.observe(self._on_slider, names="value")
        parts = [self.play, self.back, self.slider, self.forward]
        if self.learner is not None:
            parts.append(self.to_parting)
        controls = widgets.HBox([*parts, self.position],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        super().__init__([controls, self.picture])
        self.add_class("fcv-player")
        self.add_class("fcv-live")  # marks a rendered widget for _FALLBACK_SELF_HIDE
        self.steps: list[Step] = []
        self._loading = False
        self.load(chunks, header_size, decoder=decoder, framing=self.framing)

    # -- state ------------------------------------------------------------------------------

    def load(
        self,
        chunks: Sequence[BytesLike],
        header_size: int = 1,
        *,
        decoder: TraceableDecoder | None = None,
        at_end: bool = False,
        framing: Framing | None = None,
        learner: LearnerCode | None = None,
    ) -> None:
        """Trace new ``chunks`` and show their first step (or their last, with ``at_end``).

        ``framing`` (default: length headers of ``header_size`` in the player's
        byte order) says how to read them; ``learner`` replaces the learner
        code compared with the reference (``None`` keeps the player's own).
        """
        self.chunks = [as_bytes(chunk) for chunk in chunks]
        if framing is None:
            framing = framing_of(header_size, self.byteorder,
                                 max_frame_size=self.framing.max_frame_size)
        self.framing = framing
        self.header_size = framing.header_size
        if learner is not None:
            self.learner = learner
        self.steps = framing.trace(self.chunks, decoder)
        self.comparison = None
        if self.learner is not None:
            used = (self.steps[-1].chunk_index + 1) if self.steps else 0  # up to a refusal
            run = self.learner.replay(self.chunks[:used], time_limit=self.time_limit,
                                      max_frames=self._max_frames())
            self.comparison = compare(self.steps, self.chunks[:used], run)
        last = max(len(self.steps), 1)
        self._loading = True  # one redraw at the end, not one per slider adjustment
        with self.hold_sync():
            # Widen first, then move: a value outside [min, max] would be clamped.
            self.slider.max = self.play.max = max(last, self.slider.max)
            self.slider.value = last if at_end else 1
            self.slider.max = self.play.max = last
        self._loading = False
        self._show()

    def _max_frames(self) -> int:
        """The most frames the chunks could hold: a frame costs at least its overhead."""
        return sum(map(len, self.chunks)) // max(self.framing.overhead, 1) + 1

    @property
    def parting_index(self) -> int | None:
        """The step (from 0) where the learner's code parts from the reference, if it does."""
        if self.comparison is None or self.comparison.parting is None:
            return None
        return self.comparison.parting.step_index

    def _on_to_parting(self, _: widgets.Button) -> None:
        if self.parting_index is not None:
            self.go(self.parting_index)

    def beside(self) -> Beside | None:
        """The learner's code at the step on show, or ``None`` without learner code."""
        if self.comparison is None or not self.steps:
            return None
        return self.comparison.beside(self.index)

    @property
    def index(self) -> int:
        """The position (from 0) in ``steps`` of the step on show; the slider counts from 1."""
        return self.slider.value - 1

    @property
    def step(self) -> Step | None:
        """The step on show, or ``None`` when the stream was empty."""
        return self.steps[self.index] if self.steps else None

    def go(self, index: int) -> None:
        """Show ``steps[index]`` (clamped to the steps there are)."""
        self.slider.value = min(max(index + 1, self.slider.min), self.slider.max)

    def _on_slider(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._show()

    def _show(self) -> None:
        step = self.step
        self.back.disabled = self.index <= 0
        self.forward.disabled = self.index >= len(self.steps) - 1
        self.to_parting.disabled = self.parting_index is None or self.index == self.parting_index
        if step is None:
            self.position.value = "no steps"
        else:
            where = ""
            if self.comparison is not None:
                where = (" · same frames all the way" if self.parting_index is None else
                         f" · parts at step {self.parting_index + 1}")
            self.position.value = (
                f"step {self.index + 1} of {len(self.steps)} · "
                f"recv() {step.chunk_index + 1} of {len(self.chunks)}{where}"
            )
        self.picture.value = HIDE_FALLBACK + self.static_html()

    # -- static forms -----------------------------------------------------------------------

    def static_html(self) -> str:
        step = self.step
        if step is None:
            return f'{STYLE}<div class="fcv"><p class="fcv-why">Nothing to replay: ' \
                   "no bytes arrived.</p></div>"
        return render_step_html(step, framing=self.framing, beside=self.beside())

    def static_text(self) -> str:
        step = self.step
        if step is None:
            return "Nothing to replay: no bytes arrived."
        return f"step {self.index + 1} of {len(self.steps)}\n" + render_step_text(
            step, framing=self.framing, beside=self.beside())
