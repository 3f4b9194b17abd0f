"""Checks for lesson 5's ``SafeDecoder``: length-prefixed frames with a size limit and ``close``.

``SafeDecoder(max_frame_size=65536)``; ``feed(data)`` returns the frames the data
completes; it raises ``ValueError`` in the call that completes a header announcing
more than ``max_frame_size`` (inclusive limit), without waiting for the payload;
``close()`` returns ``None`` when nothing is held and raises ``EOFError`` otherwise.
``frame_decoder`` reuses these checks for lesson 6's ``FrameDecoder``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from framinglib import split_at, split_every

from .base import CASE_TIMEOUT, Check, Probe
from .decoders import Expect, Op, object_probe
from .on_bytes import WORKED_EXAMPLE
from .streams import Stream, encode, random_streams

__all__ = ["CHECKS", "DEFAULT_LIMIT", "DecoderProbes", "decoder_checks", "feeds", "reference"]

DEFAULT_LIMIT = 65_536


def reference(ops: Sequence[Op], max_frame_size: int = DEFAULT_LIMIT) -> list[Expect]:
    """What a correct decoder gives for each operation (plainest algorithm, on purpose)."""
    held = b""
    out: list[Expect] = []
    for op in ops:
        if op.action == "feed":
            held += op.data
            frames = []
            while len(held) >= 4:
                length = int.from_bytes(held[:4], "big")
                if length > max_frame_size:
                    return [*out, Expect(raises="ValueError")]
                if len(held) < 4 + length:
                    break
                frames.append(held[4 : 4 + length])
                held = held[4 + length :]
            out.append(Expect.of_frames(frames))
        elif op.action == "close":
            if held:
                return [*out, Expect(raises="EOFError")]
            out.append(Expect(none=True))
        elif op.action == "attr":
            # A decoder may read a whole header and keep only the payload's bytes.
            apart = len(held) - 4 if len(held) >= 4 else None
            out.append(Expect(integer=len(held), integer_or=apart))
    return out


def feeds(chunks: Sequence[bytes], as_type: str = "bytes") -> list[Op]:
    return [Op("feed", chunk, as_type) for chunk in chunks]


class DecoderProbes:
    """Makes probes for one decoder class, lesson and set of hints."""

    def __init__(self, class_name: str, lesson: str) -> None:
        self.class_name = class_name
        self.lesson = lesson

    def probe(
        self,
        ops: Sequence[Op],
        *,
        check: str,
        hint: str,
        limit: int | None = None,
        aspect: str = "values",
        timeout: float = CASE_TIMEOUT,
        stream: Stream | None = None,
    ) -> Probe:
        kwargs = {} if limit is None else {"max_frame_size": limit}
        expected = reference(ops, DEFAULT_LIMIT if limit is None else limit)
        shrink = None
        if stream is not None:
            tail = [op for op in ops if op.action != "feed"]

            def shrink() -> list[Probe]:
                return [
                    self.probe(
                        [*feeds(s.chunks), *tail],
                        check=check,
                        hint=hint,
                        limit=limit,
                        aspect=aspect,
                        timeout=timeout,
                        stream=s,
                    )
                    for s in stream.smaller()
                ]

        return object_probe(
            self.class_name,
            ops,
            expected,
            check=check,
            hint=hint,
            kwargs=kwargs,
            aspect=aspect,
            timeout=timeout,
            shrink=shrink,
            size=stream.size() if stream else None,
        )


def decoder_checks(class_name: str, lesson: str) -> tuple[Check, ...]:
    """The SafeDecoder checks, for ``class_name`` taught in ``lesson`` ("Lesson 5")."""
    build = DecoderProbes(class_name, lesson)

    frames_hint = (
        f"{lesson}: feed keeps the unfinished tail and returns every frame the bytes so far "
        "complete, however the stream is cut."
    )

    def frames(seed: str) -> list[Probe]:
        inner = range(1, len(WORKED_EXAMPLE))
        cuttings = [[WORKED_EXAMPLE], split_every(WORKED_EXAMPLE, 1)]
        for count in (1, 2):
            cuttings += [split_at(WORKED_EXAMPLE, c) for c in itertools.combinations(inner, count)]
        many = encode([bytes([97 + i % 26]) * (i % 9) for i in range(80)])
        cuttings += [[many], split_every(many, 7), [encode([b"", b"", b"x", b""])]]
        return [build.probe(feeds(c), check="frames", hint=frames_hint) for c in cuttings]

    limit_hint = (
        f"{lesson}: the limit is inclusive: a frame of exactly max_frame_size bytes is fine; "
        "only a larger one is refused."
    )

    def limit_inclusive(seed: str) -> list[Probe]:
        probes = []
        for limit in (0, 1, 5, 300):
            stream = encode([b"z" * limit, b"", b"q" * min(limit, 2)])
            for chunks in ([stream], split_every(stream, 3)):
                probes.append(
                    build.probe(
                        feeds(chunks), check="limit_inclusive", hint=limit_hint, limit=limit
                    )
                )
        default = encode([b"d" * DEFAULT_LIMIT])
        probes.append(
            build.probe(
                feeds(split_every(default, 4096)),
                check="limit_inclusive",
                hint=limit_hint,
                timeout=3.0,
            )
        )
        return probes

    oversize_hint = (
        f"{lesson}: check the announced length as soon as the 4 header bytes are in, and raise "
        "ValueError right there: never wait for (or buffer) a payload you will refuse."
    )

    def oversized_header(seed: str) -> list[Probe]:
        probes = []
        for limit in (0, 4, 1000):
            bad = (limit + 1).to_bytes(4, "big")
            for chunks in (
                [bad],  # the header alone: must raise without any payload
                [encode([b"ok"]) + bad],  # after a good frame in the same chunk
                [encode([b"ok"][: min(1, limit)]), bad + b"xy"],
                [(2**32 - 1).to_bytes(4, "big")],
            ):
                probes.append(
                    build.probe(
                        feeds(chunks), check="oversized_header", hint=oversize_hint, limit=limit
                    )
                )
        probes.append(
            build.probe(
                feeds([(DEFAULT_LIMIT + 1).to_bytes(4, "big")]),
                check="oversized_header",
                hint=oversize_hint,
            )
        )
        return probes

    split_hint = (
        f"{lesson}: a header can arrive in pieces: raise in the feed call that completes it, "
        "not before (the length is not known yet) and not later."
    )

    def oversized_split_header(seed: str) -> list[Probe]:
        bad = encode([b"fine"]) + (1001).to_bytes(4, "big")
        probes = []
        for count in (1, 2, 3):
            for cuts in itertools.combinations(range(9, 12), count):
                probes.append(
                    build.probe(
                        feeds(split_at(bad, cuts)),
                        check="oversized_split_header",
                        hint=split_hint,
                        limit=1000,
                    )
                )
        probes.append(
            build.probe(
                feeds(split_every(bad, 1)),
                check="oversized_split_header",
                hint=split_hint,
                limit=1000,
            )
        )
        return probes

    close_hint = (
        f"{lesson}: close() marks the end of the stream: nothing held means a clean end "
        "(return None)."
    )

    def close_clean(seed: str) -> list[Probe]:
        cases = [[], [WORKED_EXAMPLE], split_every(WORKED_EXAMPLE, 2), [encode([b""])]]
        return [
            build.probe([*feeds(c), Op("close")], check="close_clean", hint=close_hint)
            for c in cases
        ]

    partial_hint = (
        f"{lesson}: if the stream ends in the middle of a header or a payload, close() must "
        "raise EOFError: those bytes would otherwise vanish without a trace."
    )

    def close_partial(seed: str) -> list[Probe]:
        cases = [
            [b"\x00"],
            [b"\x00\x00\x00"],
            [b"\x00\x00\x00\x05"],
            [b"\x00\x00\x00\x05ab"],
            [WORKED_EXAMPLE[:-1]],
            [WORKED_EXAMPLE + b"\x00\x00"],
        ]
        return [
            build.probe([*feeds(c), Op("close")], check="close_partial", hint=partial_hint)
            for c in cases
        ]

    type_hint = (
        f"{lesson}: feed returns a list of bytes objects; convert slices of a bytearray with "
        "bytes(...)."
    )

    def returns_bytes(seed: str) -> list[Probe]:
        cases = [[WORKED_EXAMPLE], split_every(WORKED_EXAMPLE, 5), [encode([b"", b"x" * 300])]]
        return [
            build.probe(feeds(c), check="returns_bytes", hint=type_hint, aspect="types")
            for c in cases
        ]

    random_hint = (
        f"{lesson}: replay the smallest failing input shown here by hand, one feed at a time."
    )

    def random_cases(seed: str) -> list[Probe]:
        rng = random.Random(f"{class_name}/limits/{seed}")
        probes = []
        for stream in random_streams(f"{class_name}/{seed}", 60, truncate=0.3):
            # Limits at, just under and far from the payload sizes: the boundary matters.
            size = rng.choice([len(p) for p in stream.payloads])
            limit = rng.choice([None, size, size, max(size - 1, 0), 4, 300])
            tail = [Op("close")] if stream.trim or rng.random() < 0.5 else []
            probes.append(
                build.probe(
                    [*feeds(stream.chunks), *tail],
                    check="random_streams",
                    hint=random_hint,
                    limit=limit,
                    stream=stream,
                )
            )
        return probes

    return (
        Check(
            "frames",
            2,
            "every cutting of the worked example into up to 3 chunks, and more",
            frames_hint,
            frames,
        ),
        Check(
            "limit_inclusive",
            1,
            "frames of exactly max_frame_size bytes are accepted",
            limit_hint,
            limit_inclusive,
        ),
        Check(
            "oversized_header",
            2,
            "an oversized header raises ValueError at once",
            oversize_hint,
            oversized_header,
        ),
        Check(
            "oversized_split_header",
            1,
            "...in the feed that completes a split header",
            split_hint,
            oversized_split_header,
        ),
        Check(
            "close_clean", 1, "close() returns None when nothing is held", close_hint, close_clean
        ),
        Check(
            "close_partial",
            1,
            "close() raises EOFError inside a header or payload",
            partial_hint,
            close_partial,
        ),
        Check("returns_bytes", 1, "feed returns a list of bytes", type_hint, returns_bytes),
        Check(
            "random_streams",
            2,
            "random payloads, limits and chunkings (seeded per student)",
            random_hint,
            random_cases,
        ),
    )


CHECKS = decoder_checks("SafeDecoder", "Lesson 5")
