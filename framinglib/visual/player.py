"""The reassembly player: step through a decoder's decisions, one recv() at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from framinglib._bytes import BytesLike, as_bytes
from framinglib.examples import WORKED_EXAMPLE_CHUNKS
from framinglib.trace import Step, TraceableDecoder, trace_length_prefixed

from ._fallback import HIDE_FALLBACK, StaticFallback
from ._layout import ByteOrder
from .html import STYLE, render_step_html, render_step_text

__all__ = ["ReassemblyPlayer"]


class ReassemblyPlayer(StaticFallback, widgets.VBox):
    """Step through a length-prefix decoder's decisions, one recv() chunk at a time.

    ``chunks`` are the recv() results in order; ``header_size`` is the length
    header's size in bytes. The Play button, the step buttons and the step
    slider all move through ``steps`` (``framinglib.trace_length_prefixed``);
    ``step`` is the one on show.
    """

    def __init__(
        self,
        chunks: Sequence[BytesLike] = WORKED_EXAMPLE_CHUNKS,
        header_size: int = 1,
        *,
        byteorder: ByteOrder = "big",
        decoder: TraceableDecoder | None = None,
        interval: int = 1500,
    ) -> None:
        self.byteorder = byteorder
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
        self.position = widgets.HTML()
        self.picture = widgets.HTML(layout=widgets.Layout(width="100%"))
        widgets.link((self.play, "value"), (self.slider, "value"))
        self.back.on_click(lambda _: self.go(self.index - 1))
        self.forward.on_click(lambda _: self.go(self.index + 1))
        self.slider.observe(self._on_slider, names="value")
        controls = widgets.HBox([self.play, self.back, self.slider, self.forward, self.position],
                                layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        super().__init__([controls, self.picture])
        self.add_class("fcv-player")
        self.add_class("fcv-live")  # marks a rendered widget for _FALLBACK_SELF_HIDE
        self.steps: list[Step] = []
        self._loading = False
        self.load(chunks, header_size, decoder=decoder)

    # -- state ------------------------------------------------------------------------------

    def load(
        self,
        chunks: Sequence[BytesLike],
        header_size: int = 1,
        *,
        decoder: TraceableDecoder | None = None,
        at_end: bool = False,
    ) -> None:
        """Trace new ``chunks`` and show their first step (or their last, with ``at_end``)."""
        self.chunks = [as_bytes(chunk) for chunk in chunks]
        self.header_size = header_size
        self.steps = trace_length_prefixed(self.chunks, header_size, self.byteorder,
                                           decoder=decoder)
        last = max(len(self.steps), 1)
        self._loading = True  # one redraw at the end, not one per slider adjustment
        with self.hold_sync():
            # Widen first, then move: a value outside [min, max] would be clamped.
            self.slider.max = self.play.max = max(last, self.slider.max)
            self.slider.value = last if at_end else 1
            self.slider.max = self.play.max = last
        self._loading = False
        self._show()

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
        if step is None:
            self.position.value = "no steps"
        else:
            self.position.value = (
                f"step {self.index + 1} of {len(self.steps)} · "
                f"recv() {step.chunk_index + 1} of {len(self.chunks)}"
            )
        self.picture.value = HIDE_FALLBACK + self.static_html()

    # -- static forms -----------------------------------------------------------------------

    def static_html(self) -> str:
        step = self.step
        if step is None:
            return f'{STYLE}<div class="fcv"><p class="fcv-why">Nothing to replay: ' \
                   "no bytes arrived.</p></div>"
        return render_step_html(step, byteorder=self.byteorder)

    def static_text(self) -> str:
        step = self.step
        if step is None:
            return "Nothing to replay: no bytes arrived."
        return f"step {self.index + 1} of {len(self.steps)}\n" + render_step_text(
            step, byteorder=self.byteorder)
