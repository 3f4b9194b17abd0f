"""The chunk explorer: cut one stream many ways, replay each, and compare the frames.

Beside the replay it lists goals (``framinglib.visual.goals``) and ticks each
one when a cutting reaches it. Given learner code, every cutting is also
replayed through that code and the recv() where it parts from the reference
is marked; the stepper below replays the same cutting decision by decision.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from framinglib._bytes import BytesLike, as_bytes
from framinglib.chunking import cuts_of, random_split, split_at
from framinglib.errors import FrameTooLargeError, FramingError
from framinglib.examples import WORKED_EXAMPLE_CHUNKS, WORKED_EXAMPLE_MESSAGES
from framinglib.trace import Decision, Step, TraceableDecoder

from ._drawing import esc, plural
from ._fallback import HIDE_FALLBACK, StaticFallback
from ._framing import Delimited, Framing, LengthPrefixed, framing_of
from ._layout import ByteOrder
from ._learner import DEFAULT_TIME_LIMIT
from ._style import STYLE
from .goals import Cutting, Goal, default_goals, goal_status
from .html import render_replay_html
from .player import ReassemblyPlayer
from .teaching import NoLoopDecoder, NoLoopLineDecoder

__all__ = ["MAX_CUT_SLIDERS", "MAX_RANDOM_CHUNKS", "ChunkExplorer"]

#: The explorer gives sliders to this many cuts at most (more can be typed as text).
MAX_CUT_SLIDERS = 11
#: The random mode cuts the stream into at most this many chunks.
MAX_RANDOM_CHUNKS = 64


def _parse_cuts(text: str) -> list[int]:
    """Cut positions typed by a learner: integers separated by commas or spaces."""
    pieces = [piece for piece in re.split(r"[,\s;]+", text.strip()) if piece]
    cuts = []
    for piece in pieces:
        if not (piece.isascii() and piece.isdigit()):
            raise ValueError(f"{piece!r} is not a byte position (a whole number)")
        cuts.append(int(piece))
    return cuts


def _parse_messages(text: str) -> list[bytes]:
    """One message per line, as UTF-8; an empty line is an empty message, no text none."""
    return [line.encode("utf-8") for line in text.split("\n")] if text else []


class ChunkExplorer(StaticFallback, widgets.VBox):
    """Cut the same stream in different places and watch the same frames come out.

    ``messages`` are encoded with ``header_size``-byte length headers (in
    ``byteorder``) into one stream, or ended with ``delimiter`` when one is
    given. ``stream`` gives the bytes themselves instead (for a hostile header
    that ``max_frame_size`` refuses: the messages are then the frames the
    reference decoder delivers before it refuses). Move the cut sliders (or
    type the cut positions, or pick a number of chunks and a seed), and the
    stream is replayed at once. The "broken decoder" switch replays the same
    cutting through a decoder whose missing ``while`` loop leaves whole frames
    stuck in the buffer.

    ``learner`` is the learner's own code (``on_bytes`` or a decoder class):
    each cutting is also replayed through it, beside the reference, and the
    recv() where it parts is marked (``comparison``); the broken switch is
    then left out (``learner_name`` renames it in the pictures). ``goals``
    (default: ``goals.default_goals``) are listed
    and ticked as cuttings reach them (``reached``).
    """

    def __init__(
        self,
        messages: Sequence[BytesLike] = WORKED_EXAMPLE_MESSAGES,
        header_size: int = 1,
        *,
        byteorder: ByteOrder = "big",
        delimiter: BytesLike | None = None,
        max_frame_size: int | None = None,
        stream: BytesLike | None = None,
        learner: object = None,
        learner_name: str | None = None,
        goals: Sequence[Goal] | None = None,
        time_limit: float = DEFAULT_TIME_LIMIT,
    ) -> None:
        self.byteorder = byteorder
        self.framing: Framing = framing_of(header_size, byteorder, delimiter, max_frame_size)
        self.header_size = self.framing.header_size
        self.fixed_stream = stream is not None
        if stream is not None:
            self.stream = as_bytes(stream)
            self.messages = self._delivered(self.stream)
        else:
            self.messages = [as_bytes(message) for message in messages]
            self.stream = self._encode()
        self.hostile = self._refused(self.stream)
        self.error = ""
        wide = widgets.Layout(width="420px")
        style = {"description_width": "8em"}
        self.mode = widgets.ToggleButtons(
            options=[("Move the cuts", "cuts"), ("Random cuts", "random")], value="cuts",
            description="Cutting", style=style,
            tooltips=["Choose where each recv() ends", "Let a seed choose the cuts"])
        sizes = sorted({1, 4, self.header_size}) if isinstance(self.framing, LengthPrefixed) \
            else [1, 4]
        self.header = widgets.ToggleButtons(
            options=[(f"{size} byte{'s' if size > 1 else ''}", size) for size in sizes],
            value=self.header_size if isinstance(self.framing, LengthPrefixed) else 1,
            description="Header", style=style,
            tooltips=[f"A {size}-byte length header" for size in sizes])
        self.broken = widgets.Checkbox(value=False, indent=False,
                                       description="Broken decoder: no while loop")
        self.cut_text = widgets.Text(description="Cut at", style=style, layout=wide,
                                     continuous_update=False,
                                     placeholder="byte positions, e.g. 3, 6, 10")
        self.add_cut = widgets.Button(description="Add a cut", icon="plus",
                                      tooltip="Add one more cut", layout=widgets.Layout(
                                          width="auto"))
        self.remove_cut = widgets.Button(description="Remove a cut", icon="minus",
                                         tooltip="Remove the last cut", layout=widgets.Layout(
                                             width="auto"))
        self.cut_sliders_box = widgets.VBox()
        self.cut_note = widgets.HTML()
        self.chunk_count = widgets.IntSlider(value=4, min=1, max=1, description="Chunks",
                                             style=style, layout=wide)
        self.seed = widgets.IntSlider(value=0, min=0, max=999, description="Seed", style=style,
                                      layout=wide)
        self.message_text = widgets.Textarea(
            value="\n".join(m.decode("utf-8", "backslashreplace") for m in self.messages),
            description="Messages", style=style, continuous_update=False,
            placeholder="one message per line", layout=widgets.Layout(width="420px",
                                                                      height="5.5em"))
        self.status = widgets.HTML()
        self.goals_view = widgets.HTML()
        self.replay = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.player = ReassemblyPlayer([], header_size=self.header_size, byteorder=byteorder,
                                       delimiter=delimiter, learner=learner,
                                       learner_name=learner_name,
                                       max_frame_size=max_frame_size, time_limit=time_limit)
        self.learner = self.player.learner
        self.goals: list[Goal] = list(goals) if goals is not None else default_goals(
            self.framing, learner=self.learner is not None, broken=True, hostile=self.hostile)
        #: Per goal, the cuts that first reached it (``None`` while it is open).
        self.reached: list[tuple[int, ...] | None] = [None] * len(self.goals)
        stepper = widgets.Accordion(children=[self.player], selected_index=None)
        stepper.set_title(0, "Step through this cutting, decision by decision")
        self.cut_controls = widgets.VBox([
            widgets.HBox([self.cut_text, self.add_cut, self.remove_cut]),
            self.cut_sliders_box,
            self.cut_note,
        ])
        self.random_controls = widgets.VBox([self.chunk_count, self.seed])
        option_parts = []
        if isinstance(self.framing, LengthPrefixed) and not self.fixed_stream:
            option_parts.append(self.header)
        if not self.fixed_stream:
            option_parts.append(self.message_text)
        options = widgets.Accordion(children=[widgets.VBox(option_parts)], selected_index=None)
        options.set_title(0, "Options: header size, your own messages"
                          if isinstance(self.framing, LengthPrefixed) else
                          "Options: your own messages")
        parts: list[widgets.Widget] = [self.mode, self.cut_controls, self.random_controls]
        if self.learner is None:
            parts.append(self.broken)
        if option_parts:
            parts.append(options)
        if self.goals:
            parts.append(self.goals_view)
        super().__init__([*parts, self.status, self.replay, stepper])
        self.add_class("fcv-explorer")
        self.add_class("fcv-live")
        self._cut_sliders: list[widgets.IntSlider] = []
        self._cuts: list[int] = []
        self._quiet = False
        self._set_cuts(self._default_cuts())
        self.chunk_count.max = max(min(len(self.stream), MAX_RANDOM_CHUNKS), 1)
        self.chunk_count.value = min(4, self.chunk_count.max)
        for control in (self.mode, self.broken, self.chunk_count, self.seed):
            control.observe(self._on_change, names="value")
        self.header.observe(self._on_stream_change, names="value")
        self.message_text.observe(self._on_stream_change, names="value")
        self.cut_text.observe(self._on_cut_text, names="value")
        self.add_cut.on_click(self._on_add_cut)
        self.remove_cut.on_click(self._on_remove_cut)
        self.replay_now()

    # -- the stream and its cuts ------------------------------------------------------------

    def _encode(self, messages: Sequence[bytes] | None = None, framing: Framing | None = None
                ) -> bytes:
        """The stream the sender writes; ``ValueError`` when a message cannot be framed."""
        messages = self.messages if messages is None else messages
        framing = self.framing if framing is None else framing
        if isinstance(framing, Delimited):
            return framing.encode(messages)
        for number, message in enumerate(messages, 1):
            try:
                framing.encode([message])
            except FrameTooLargeError as error:
                raise ValueError(
                    f"message {number} is {len(message)} bytes, more than a "
                    f"{framing.header_size}-byte header can announce ({error.max_frame_size})"
                ) from None
        return framing.encode(messages)

    def _delivered(self, stream: bytes) -> list[bytes]:
        """The frames the reference decoder gets out of ``stream``, up to a refusal."""
        try:
            return self.framing.reference().feed(stream)
        except FrameTooLargeError as error:
            return list(error.frames)

    def _refused(self, stream: bytes) -> bool:
        """Whether the reference decoder refuses ``stream`` (a header above the limit)."""
        try:
            self.framing.reference().feed(stream)
        except FramingError:
            return True
        return False

    def _default_cuts(self) -> list[int]:
        """The worked example's cuts (placed alike for any header), else quarters.

        No default cut falls inside a header or a delimiter: cutting there is
        one of the goals, for the learner to find.
        """
        if self.messages == list(WORKED_EXAMPLE_MESSAGES) and not self.fixed_stream:
            return self._worked_cuts()
        size = len(self.stream)
        layout = self.framing.layout(self.stream)
        cuts = set()
        for cut in (size * k // 4 for k in (1, 2, 3)):
            frame, role = layout.role(cut)
            if role == "header":
                cut = layout.starts[frame]
            elif role == "delimiter":
                cut = layout.ends[frame]
            cuts.add(cut)
        return sorted(cuts & set(range(1, size)))

    def _worked_cuts(self) -> list[int]:
        """The worked example's cuts, at the same places relative to the frames."""
        worked = cuts_of(WORKED_EXAMPLE_CHUNKS)  # in the 1-byte-header stream
        one_byte = LengthPrefixed(1).layout(b"".join(WORKED_EXAMPLE_CHUNKS))
        mine = self.framing.layout(self.stream)
        cuts = []
        for cut in worked:
            frame, role = one_byte.role(cut)
            offset = cut - one_byte.starts[frame] - 1  # into the payload
            if isinstance(self.framing, Delimited):
                cuts.append(mine.starts[frame] + max(offset, 0))
            else:
                cuts.append(mine.starts[frame] + (self.framing.header_size + offset
                                                  if role == "payload" else 0))
        return cuts

    @property
    def cuts(self) -> list[int]:
        """The cut positions in use (sorted, no repeats), whatever the mode."""
        return cuts_of(self.chunks)

    def _slider_cuts(self) -> list[int]:
        """The cuts of the "move the cuts" mode (the first ones also have sliders)."""
        return list(self._cuts)

    def _set_cuts(self, cuts: Sequence[int]) -> list[int]:
        """Use ``cuts`` (those inside the stream), give the first ones sliders, show them all.

        Returns the cuts that fell outside the stream and were dropped.
        """
        size = len(self.stream)
        self._cuts = sorted({cut for cut in cuts if 0 < cut < size})
        for slider in self._cut_sliders:
            slider.unobserve_all()
            slider.close()  # gone from the page; free its model too
        self._cut_sliders = []
        for number, cut in enumerate(self._cuts[:MAX_CUT_SLIDERS]):
            slider = widgets.IntSlider(value=cut, min=1, max=size - 1,
                                       description=f"Cut {number + 1}",
                                       style={"description_width": "8em"},
                                       layout=widgets.Layout(width="420px"))
            slider.observe(functools.partial(self._on_cut_slider, number), names="value")
            self._cut_sliders.append(slider)
        unslid = len(self._cuts) - len(self._cut_sliders)
        self.cut_note.value = (f"{plural(unslid, 'more cut')} without a slider: edit "
                               "them in the text above." if unslid else "")
        self.cut_sliders_box.children = self._cut_sliders
        self._show_cut_text(self._cuts)
        return sorted({cut for cut in cuts if not 0 < cut < size})

    def _show_cut_text(self, cuts: Sequence[int]) -> None:
        self._quiet = True
        try:
            self.cut_text.value = ", ".join(map(str, sorted(set(cuts))))
        finally:
            self._quiet = False

    @property
    def cut_sliders(self) -> list[widgets.IntSlider]:
        """The sliders of the "move the cuts" mode, one per cut."""
        return list(self._cut_sliders)

    # -- reacting to the controls -----------------------------------------------------------

    def _on_change(self, change: dict[str, Any]) -> None:
        self.replay_now()

    def _on_cut_slider(self, number: int, change: dict[str, Any]) -> None:
        # Sliders may cross or meet: the cuts stay as the sliders say, and split_at
        # sorts them and ignores repeats.
        self._cuts[number] = change["new"]
        self.replay_now()

    def _on_stream_change(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        owner = change["owner"]
        messages = (_parse_messages(self.message_text.value) if owner is self.message_text
                    else self.messages)
        framing = self.framing
        if isinstance(framing, LengthPrefixed):
            framing = LengthPrefixed(self.header.value, framing.byteorder, framing.max_frame_size)
        try:
            stream = self._encode(messages, framing)
        except ValueError as error:
            # The typed messages stay in their box to be fixed; a header click is undone.
            self.error = f"Not replayed: {error}"
            if owner is self.header:
                self._quiet = True
                try:
                    owner.value = change["old"]
                finally:
                    self._quiet = False
            self._render_status()
            return
        self.framing, self.messages, self.stream = framing, messages, stream
        self.header_size = framing.header_size
        dropped = self._set_cuts(self._slider_cuts())
        self.error = (f"The stream is now {plural(len(stream), 'byte')} long: cuts at "
                      f"{', '.join(map(str, dropped))} fell off its end." if dropped else "")
        self.replay_now()

    def _on_cut_text(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        try:
            cuts = _parse_cuts(self.cut_text.value)
            outside = [cut for cut in cuts if not 0 < cut < len(self.stream)]
            if outside:
                raise ValueError(f"{outside[0]} is not inside the {len(self.stream)}-byte "
                                 f"stream (cuts go from 1 to {len(self.stream) - 1})")
        except ValueError as error:
            self.error = f"Cuts not changed: {error}."
            self._show_cut_text(self._slider_cuts())
            self._render_status()
            return
        self.error = ""
        self._set_cuts(cuts)
        self.replay_now()

    def _on_add_cut(self, _: widgets.Button) -> None:
        cuts = self._slider_cuts()
        free = sorted(set(range(1, len(self.stream))) - set(cuts))
        if free:
            self._set_cuts([*cuts, free[len(free) // 2]])
            self.replay_now()

    def _on_remove_cut(self, _: widgets.Button) -> None:
        self._set_cuts(self._slider_cuts()[:-1])
        self.replay_now()

    # -- the replay -------------------------------------------------------------------------

    def _chunking(self) -> list[bytes]:
        if not self.stream:
            return []
        if self.mode.value == "random":
            count = min(self.chunk_count.value, len(self.stream))
            return random_split(self.stream, self.seed.value, count)
        return split_at(self.stream, self._slider_cuts())

    def decoder(self) -> TraceableDecoder | None:
        """The decoder the replay uses: ``None`` (the reference one) or the broken one."""
        if not self.broken.value or self.learner is not None:
            return None
        if isinstance(self.framing, Delimited):
            return NoLoopLineDecoder(self.framing.delimiter)
        return NoLoopDecoder(self.header_size, self.byteorder)

    def replay_now(self) -> None:
        """Cut the stream as the controls say, replay it, and redraw everything."""
        self.chunk_count.max = max(min(len(self.stream), MAX_RANDOM_CHUNKS), 1)
        self.cut_controls.layout.display = "none" if self.mode.value == "random" else None
        self.random_controls.layout.display = None if self.mode.value == "random" else "none"
        self.add_cut.disabled = len(set(self._cuts)) >= max(len(self.stream) - 1, 0)
        self.remove_cut.disabled = not self._cuts
        self.chunks = self._chunking()
        if self.mode.value == "cuts":
            self._show_cut_text(self._slider_cuts())
        decoder = self.decoder()
        self.player.load(self.chunks, decoder=decoder, at_end=True, framing=self.framing)
        self.steps = self.player.steps
        self.comparison = self.player.comparison
        self._check_goals(decoder is not None)
        self._render_status()
        self.replay.value = HIDE_FALLBACK + self._replay_html()

    # -- the goals --------------------------------------------------------------------------

    def cutting(self, broken: bool | None = None) -> Cutting:
        """The cutting on show, as the goals see it."""
        broken = self.decoder() is not None if broken is None else broken
        reference: list[Step] = (self.framing.trace(self.chunks) if broken else self.steps)
        return Cutting(self.framing, self.stream, tuple(self.chunks), tuple(reference),
                       "broken" if broken else "reference", tuple(self.frames),
                       tuple(self.messages), self.comparison)

    def _check_goals(self, broken: bool) -> None:
        if self.goals:
            cutting = self.cutting(broken)
            for number, reached in enumerate(goal_status(self.goals, cutting)):
                if reached and self.reached[number] is None:
                    self.reached[number] = cutting.cuts
        self.goals_view.value = self.goals_html()

    def goals_html(self) -> str:
        """The goals as a list, each ticked with the cuts that reached it, or its hint."""
        if not self.goals:
            return ""
        items = []
        for goal, cuts in zip(self.goals, self.reached, strict=True):
            if cuts is None:
                hint = f' <small>({esc(goal.hint)})</small>' if goal.hint else ""
                items.append(f'<li class="fcv-goal-open"><span class="fcv-tick" '
                             f'aria-label="not yet">\u25a1</span>{esc(goal.text)}{hint}</li>')
            else:
                how = (f"cuts at {', '.join(map(str, cuts))}" if cuts else "no cuts")
                items.append(f'<li class="fcv-goal-done"><span class="fcv-tick" '
                             f'aria-label="done">\u2713</span>{esc(goal.text)} '
                             f"<small>(done, with {how})</small></li>")
        done = sum(cuts is not None for cuts in self.reached)
        return (f'{STYLE}<div class="fcv fcv-goalbox" role="group" aria-label="Goals">'
                f'<p class="fcv-goals-head">Goals: {done} of {len(self.goals)} done</p>'
                f'<ul class="fcv-goals">{"".join(items)}</ul></div>')

    @property
    def frames(self) -> tuple[bytes, ...]:
        """The frames the replay delivered, in order."""
        return self.steps[-1].frames if self.steps else ()

    @property
    def stuck(self) -> bytes:
        """The bytes left in the decoder's buffer when the stream ended."""
        return self.steps[-1].buffer if self.steps else b""

    def _render_status(self) -> None:
        same = list(self.frames) == self.messages
        verdict = ("every message came out whole" if same else
                   f"{len(self.frames)} of {len(self.messages)} messages came out, "
                   f"{plural(len(self.stuck), 'byte')} stuck in the buffer")
        if self.steps and self.steps[-1].decision is Decision.FRAME_TOO_LARGE:
            verdict = (f"the reference refused the stream at recv() "
                       f"{self.steps[-1].chunk_index + 1}, after "
                       f"{plural(len(self.frames), 'frame')}, without waiting for the payload")
        if self.comparison is not None:
            verdict += ("; " + self.comparison.run.name +
                        (f" parts from it at recv() {self.comparison.parting.chunk_index + 1}"
                         if self.comparison.parting is not None else " agrees"))
        if same and self.broken.value and self.chunks:
            verdict += (" (this cutting never completes two frames in one recv(), so the "
                        "missing loop goes unnoticed: try fewer, bigger chunks)")
        cuts = f"cut at {', '.join(map(str, self.cuts))}" if self.cuts else "no cuts"
        text = f"<b>{plural(len(self.chunks), 'recv() call')}</b>, {cuts}: {verdict}."
        if self.error:
            text += f'<br><span role="alert">{html.escape(self.error)}</span>'
        self.status.value = text

    # -- static forms -----------------------------------------------------------------------

    def _note(self) -> str:
        kind = ("the broken decoder (no while loop)" if self.decoder() is not None
                else "the decoder")
        if self.comparison is not None:
            kind += f" and {self.comparison.run.name}"
        return (f"{plural(len(self.messages), 'message')}, {self.framing.describe()}, "
                f"{plural(len(self.stream), 'byte')}, cut into "
                f"{plural(len(self.chunks), 'chunk')}, replayed through {kind}")

    def _replay_html(self) -> str:
        return render_replay_html(self.chunks, self.steps, self.messages, note=self._note(),
                                  framing=self.framing, comparison=self.comparison)

    def static_html(self) -> str:
        return self.goals_html() + self._replay_html()

    def static_text(self) -> str:
        lines = [self._note() + ":"]
        for chunk in self.chunks[:MAX_RANDOM_CHUNKS]:
            lines.append(f"  recv() -> {chunk!r}")
        lines.append(f"frames out: {list(self.frames)!r}")
        if self.stuck:
            lines.append(f"stuck in the buffer: {self.stuck!r}")
        if self.comparison is not None:
            lines.append(self.comparison.verdict())
        for goal, cuts in zip(self.goals, self.reached, strict=True):
            lines.append(f"[{'x' if cuts is not None else ' '}] {goal.text}")
        return "\n".join(lines)
