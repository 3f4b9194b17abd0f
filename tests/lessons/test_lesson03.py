"""The on_bytes checks against a corpus of correct and broken answers, and their parts."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from answers import answer_files, expected_failures

from framinglib import LengthPrefixDecoder, split_at, split_every
from grader.checks.deliveries import Stream, encode, expected_calls, random_streams
from grader.cli import main as cli_main
from grader.formatting import escape
from grader.grading import grade_source
from grader.lessons import TASKS
from grader.lessons import lesson03 as on_bytes

CHECKS = [check.name for check in TASKS["on_bytes"].checks]
SEED = "student-1"


def check_command(path, capsys) -> tuple[int, dict]:
    """Grade ``path`` through the `check` command's JSON, as a self-paced learner would."""
    code = cli_main(["check", str(path), "--json", "--seed", SEED])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.slow
@pytest.mark.parametrize("path", answer_files("on_bytes", "correct"), ids=lambda p: p.stem)
def test_correct_answers_earn_full_marks(path, capsys):
    result = grade_source("on_bytes", path.read_text(), SEED)
    assert [f.message for f in result.failures] == []
    assert result.score == result.max_score == TASKS["on_bytes"].max_score
    code, report = check_command(path, capsys)
    assert code == 0 and report["score"] == report["max_score"] == result.max_score


@pytest.mark.slow
@pytest.mark.parametrize("path", answer_files("on_bytes", "broken"), ids=lambda p: p.stem)
def test_broken_answers_fail_exactly_the_expected_checks(path, capsys):
    code, report = check_command(path, capsys)
    task = report["tasks"]["on_bytes"]
    failed = {failure["check"]: failure["message"] for failure in task["failures"]}
    assert code == 1
    assert set(failed) == expected_failures(path, CHECKS), failed
    earned = sum(c.points for c in TASKS["on_bytes"].checks if c.name in task["passed"])
    assert task["score"] == earned < task["max_score"]
    for failure in task["failures"]:
        assert failure["message"] and failure["hint"]
        # Feedback quotes the learner's code at most, never the grader's.
        shown = failure["message"] + failure["traceback"]
        assert "grader/" not in shown and "child.py" not in shown and "Traceback" not in shown


def test_a_syntax_error_fails_every_check_with_the_line():
    result = grade_source("on_bytes", "def on_bytes(chunk)\n    pass\n")
    assert result.score == 0 and result.passed == []
    assert "syntax error on line 1" in result.failures[0].message


def test_an_answer_without_on_bytes_fails_every_check_and_says_so():
    result = grade_source("on_bytes", "buffer = bytearray()\n\ndef on_byte(chunk):\n    pass\n")
    assert result.score == 0 and result.passed == []
    assert "does not define `on_bytes`" in result.failures[0].message


def test_an_error_at_load_shows_only_the_learners_traceback():
    source = "buffer = bytearray()\n\ndef on_bytes(chunk):\n    pass\n\nraise ValueError('oops')\n"
    result = grade_source("on_bytes", source)
    [failure] = result.failures
    assert "ValueError" in failure.message
    assert "line 6, in your cell: raise ValueError('oops')" in failure.traceback
    assert "child.py" not in failure.traceback and "grader/" not in failure.traceback


def test_the_failure_keeps_the_smallest_input_and_shrinks_random_ones():
    source = (tests_answers := answer_files("on_bytes", "broken"))[0].parent / "one_byte_header.py"
    assert tests_answers
    result = grade_source("on_bytes", source.read_text(), SEED)
    random_failure = next(f for f in result.failures if f.check == "random_streams")
    # A one-byte length reader goes wrong first at 256 bytes: the shrinker finds that edge.
    assert random_failure.expected == [b"a" * 256]
    assert len(random_failure.chunks) == 1


def test_expected_calls_agree_with_framinglib_decoder():
    rng = random.Random(5)
    for stream in random_streams("agree", 200):
        decoder = LengthPrefixDecoder(4, "big", max_frame_size=1 << 30)
        for (frames, held), chunk in zip(expected_calls(stream.chunks), stream.chunks, strict=True):
            assert decoder.feed(chunk) == frames
            assert decoder.buffered == held
        assert rng  # the streams, not rng, vary here


def test_expected_calls_deliver_frames_in_the_call_that_completes_them():
    calls = expected_calls([b"\x00\x00\x00\x02h", b"i\x00\x00", b"\x00\x00"])
    assert calls == [([], 5), ([b"hi"], 2), ([b""], 0)]


def test_random_streams_depend_on_the_seed_only():
    assert random_streams("alice", 20) == random_streams("alice", 20)
    assert random_streams("alice", 20) != random_streams("bob", 20)


def test_smaller_streams_are_valid_and_simpler():
    stream = Stream((b"hello", b"", b"world!"), (2, 9, 15))
    candidates = stream.smaller()
    assert candidates
    for candidate in candidates:
        assert candidate.size() < stream.size()
        assert all(0 < cut < len(candidate.data) for cut in candidate.cuts)
        assert b"".join(candidate.chunks) == encode(candidate.payloads)
    # Dropping the middle payload keeps the other cuts where they were in the bytes.
    dropped = Stream((b"hello", b"world!"), (2, 9, 11))
    assert dropped in candidates


def test_worked_example_check_covers_structural_and_small_cuttings():
    probes = next(c for c in on_bytes.CHECKS if c.name == "worked_example").probes("")
    cuttings = {tuple(bytes.fromhex(c) for c in p.payload["chunks"]) for p in probes}
    assert len(on_bytes.WORKED_EXAMPLE) == 21
    structural = {
        tuple(split_at(on_bytes.WORKED_EXAMPLE, cuts))
        for count in range(12)
        for cuts in itertools.combinations(on_bytes.STRUCTURAL_CUTS, count)
    }
    assert len(structural) == 2048 and structural <= cuttings
    assert tuple(split_at(on_bytes.WORKED_EXAMPLE, [3, 6, 20])) in cuttings
    assert tuple(split_every(on_bytes.WORKED_EXAMPLE, 1)) in cuttings
    assert len(cuttings) == len(probes)


def test_header_splits_cut_inside_every_header():
    probes = next(c for c in on_bytes.CHECKS if c.name == "header_splits").probes("")
    firsts = {len(bytes.fromhex(p.payload["chunks"][0])) for p in probes}
    assert {1, 2, 3} <= firsts


def test_probes_never_carry_expected_values_to_the_child():
    for check in TASKS["on_bytes"].checks:
        for probe in check.probes(SEED):
            assert set(probe.payload) <= {"driver", "function", "buffer", "chunks"}


def test_escape_writes_bytes_as_python_does_and_shortens_long_ones():
    sample = bytes(range(256)).replace(b"'", b"")
    assert escape(sample, limit=1000) == repr(sample)[2:-1]
    assert escape(b"x" * 60, limit=8) == "xxxxxxxx... (60 bytes)"


def test_large_payloads_include_a_header_whose_first_byte_is_set():
    probes = next(c for c in on_bytes.CHECKS if c.name == "large_payloads").probes("")
    firsts = [bytes.fromhex(p.payload["chunks"][0])[:4] for p in probes]
    # 16 MiB + 3: a reader of only the last 3 header bytes would take it for a 3-byte frame.
    assert b"\x01\x00\x00\x03" in firsts
