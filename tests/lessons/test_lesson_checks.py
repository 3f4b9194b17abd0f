"""Checks of lessons 2, 4, 5, 6 and 7 against their corpora, and their reference algorithms."""

from __future__ import annotations

import random

import nbformat
import pytest
from answers import NON_FRAMING, answer_files, expected_diagnosis, expected_failures
from support.paths import NOTEBOOKS

from framinglib import DelimiterDecoder, FramingError, LengthPrefixDecoder, split_at
from grader.checks.cuttings import Chunks, cuttings
from grader.checks.decoders import REUSED, Expect, Feeds, Op
from grader.checks.deliveries import random_streams
from grader.grading import grade_source
from grader.lessons import TASKS, tasks_for_lesson
from grader.lessons import lesson04 as line_decoder
from grader.lessons import lesson05 as safe_decoder

TASK_NAMES = ["encode_frame", "read_header", "LineDecoder", "SafeDecoder", "FrameDecoder",
              "BackendReader"]
SEED = "student-7"


def corpus(kind: str) -> list[tuple[str, object]]:
    return [(task, path) for task in TASK_NAMES for path in answer_files(task, kind)]


def case_id(item) -> str:
    return f"{item[0]}-{item[1].stem}" if isinstance(item, tuple) else str(item)


@pytest.mark.slow
@pytest.mark.parametrize("item", corpus("correct"), ids=case_id)
def test_correct_answers_earn_full_marks(item):
    task, path = item
    result = grade_source(task, path.read_text(), SEED)
    assert [f.message for f in result.failures] == []
    assert result.score == result.max_score == TASKS[task].max_score
    assert result.diagnosis is None


@pytest.mark.slow
@pytest.mark.parametrize("item", corpus("broken"), ids=case_id)
def test_broken_answers_fail_exactly_the_expected_checks(item):
    task, path = item
    result = grade_source(task, path.read_text(), SEED)
    checks = [check.name for check in TASKS[task].checks]
    failed = {f.check: f.message for f in result.failures}
    assert set(failed) == expected_failures(path, checks), failed
    assert 0 <= result.score < result.max_score
    assert all(f.message and f.hint for f in result.failures)
    if path.stem in NON_FRAMING:
        assert result.score == 0, "an answer that does no framing earns nothing"
    wanted, found = expected_diagnosis(path), result.diagnosis
    assert found is not None
    if wanted == "none":
        assert found.status == "none", found.sentence
    else:
        assert (found.status, found.id) == ("match", wanted), found.sentence
        assert set(found.explains) <= set(failed) and found.explains


def test_every_task_has_a_corpus_with_both_kinds():
    for task in TASKS:
        assert answer_files(task, "correct"), task
        assert answer_files(task, "broken"), task


def test_tasks_belong_to_the_lessons_of_the_contract():
    assert [t.name for t in tasks_for_lesson("02-length-prefix")] == ["encode_frame", "read_header"]
    assert [t.name for t in tasks_for_lesson("03-reassembly")] == ["on_bytes"]
    assert tasks_for_lesson("01-stream") == []
    for task in TASKS.values():
        assert task.max_score == sum(check.points for check in task.checks)
        assert len({check.name for check in task.checks}) == len(task.checks)


def test_task_points_match_the_hidden_test_cells_of_the_lessons():
    found = {}
    for path in sorted(NOTEBOOKS.glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if grade_id.endswith("-check"):
                found[grade_id.removesuffix("-check")] = (
                    path.parent.name,
                    cell.metadata.nbgrader.points,
                )
    assert found == {name: (task.lesson, task.points) for name, task in TASKS.items()}


def _feeds(chunks):
    return [Op("feed", chunk) for chunk in chunks]


def test_safe_decoder_reference_agrees_with_framinglib():
    rng = random.Random(3)
    for stream in random_streams("safe-reference", 150):
        limit = rng.choice([0, 4, 50, 300, 65_536])
        decoder = LengthPrefixDecoder(4, "big", max_frame_size=limit)
        expected = safe_decoder.reference(_feeds(stream.chunks), limit)
        for index, chunk in enumerate(stream.chunks):
            try:
                frames = decoder.feed(chunk)
            except FramingError:
                assert expected[index] == Expect(raises="ValueError")
                assert len(expected) == index + 1
                break
            assert expected[index] == Expect.of_frames(frames)


def test_safe_decoder_reference_closes_like_the_contract_says():
    ops = _feeds([b"\x00\x00\x00\x01"]) + [Op("close")]
    assert safe_decoder.reference(ops) == [Expect.of_frames([]), Expect(raises="EOFError")]
    ops = _feeds([b"\x00\x00\x00\x01x"]) + [Op("attr", name="buffered"), Op("close")]
    assert safe_decoder.reference(ops) == [
        Expect.of_frames([b"x"]),
        Expect(integer=0),
        Expect(none=True),
    ]
    ops = _feeds([b"\x00\x00\x00\x05ab"]) + [Op("attr", name="buffered")]
    # 6 bytes held; 2 is right too for a decoder that has read the header and kept it apart.
    assert safe_decoder.reference(ops)[1] == Expect(integer=6, integer_or=2)


def test_line_reference_agrees_with_framinglib_delimiter_decoder():
    rng = random.Random(4)
    for _ in range(300):
        data = bytes(rng.choice(b"ab\n") for _ in range(rng.randint(1, 30)))
        chunks = split_at(data, rng.sample(range(1, len(data)), min(3, len(data) - 1)))
        limit = rng.choice([1, 2, 5, 1024])
        decoder = DelimiterDecoder(b"\n", max_frame_size=limit)
        expected = line_decoder.reference(_feeds(chunks), limit)
        for index, chunk in enumerate(chunks):
            try:
                lines = decoder.feed(chunk)
            except FramingError:
                assert expected[index] == Expect(raises="ValueError")
                break
            assert expected[index] == Expect.of_frames(lines)


def test_the_linear_time_case_sends_a_compact_description_not_16_mib():
    linear = next(c for c in TASKS["FrameDecoder"].checks if c.name == "linear_time")
    [probe] = linear.probes("")
    assert len(repr(probe.payload)) < 200


def test_cuttings_give_the_whole_the_bytes_and_every_small_cutting():
    found = cuttings(b"abcd", 2)
    assert found[:2] == [[b"abcd"], [b"a", b"b", b"c", b"d"]]
    # 3 one-cut and 3 two-cut ways to cut 4 bytes; each rejoins to the data.
    assert len(found) == 2 + 3 + 3
    assert all(b"".join(chunks) == b"abcd" for chunks in found)
    assert [b"ab", b"c", b"d"] in found and [b"a", b"bcd"] in found


def test_smaller_chunk_deliveries_are_simpler_and_never_empty():
    delivery = Chunks((b"ab\n", b"", b"cdef"))
    smaller = delivery.smaller()
    assert smaller and all(s.size() < delivery.size() for s in smaller)
    assert all(s.pieces and all(s.pieces) for s in smaller)
    assert Chunks((b"ab\n", b"cdef")) in smaller  # the empty piece dropped
    assert Chunks((b"ab\ncdef",)) in Chunks((b"ab\n", b"cdef")).smaller()  # two merged


def test_feeds_read_a_watched_attribute_around_every_feed_then_close():
    case = Feeds((b"ab", b"c"), watch="buffered", then=(Op("close"),))
    assert [op.action for op in case.ops()] == ["attr", "feed", "attr", "feed", "attr", "close"]
    assert Feeds.of([b"x"]) == Feeds((b"x",))


def test_bytes_like_check_feeds_a_buffer_the_caller_overwrites():
    check = next(c for c in TASKS["FrameDecoder"].checks if c.name == "accepts_bytes_like")
    types = {op[2] for probe in check.probes("") for op in probe.payload["ops"]}
    assert types == {"bytearray", "memoryview", REUSED}


def test_limit_checks_of_line_decoder_also_try_the_default_limit():
    for name in ("max_length_inclusive", "long_line", "too_much_held"):
        check = next(c for c in TASKS["LineDecoder"].checks if c.name == name)
        kwargs = [probe.payload["kwargs"] for probe in check.probes("")]
        assert {} in kwargs and {"max_length": 1} in kwargs, name


def test_backend_reader_failures_carry_the_framing_of_their_limit():
    from framinglib.visual._framing import LengthField, framing_from_description
    from grader.lessons import lesson07

    def failure_of(case: Feeds):
        probe = lesson07.READER.probe(case, "check", "hint")
        return probe.judge({"ops": [], "error": {"kind": "RuntimeError", "name": "RuntimeError"}})

    message = lesson07.message(b"Z", b"I")
    for limit, frame_limit in ((None, lesson07.DEFAULT_LIMIT + 5), (100, 105)):
        failure = failure_of(Feeds((message,), limit))
        framing = framing_from_description(failure.picture_framing())
        assert framing == LengthField(1, 4, -4, 0, "big", frame_limit, "type", ("type", "body"))
        assert failure.expected_parts == [[b"Z", b"I"]] and failure.expected == [b"ZI"]
        # Its reference reads the lesson's messages as lesson 7's own reference does.
        stream = lesson07.capture("postgres")
        assert [framing.message(f) for f in framing.reference().feed(stream)] == (
            lesson07.messages(stream))
