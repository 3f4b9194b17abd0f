"""The simulator gives a trusted implementation what the child gave the answer: the right
algorithm of a task, replayed, does exactly what a correct corpus answer did in the sandbox
(lesson 7's reader, and lesson 6's socket side on its scripted peers), and a correct answer
matches no misconception even when the matcher is asked to find one."""

from __future__ import annotations

import pytest
from answers import answer_files, answer_source

from grader.diagnosis import diagnose
from grader.diagnosis.library import backend_reader, recv_frame
from grader.diagnosis.library.backend_reader import Reader
from grader.diagnosis.library.recv_frame import Sockets
from grader.diagnosis.scripted_sockets import ScriptedPeer, StingySocket
from grader.diagnosis.simulate import answer_observation, is_cost_case, simulate
from grader.lessons import TASKS
from grader.sandbox.runner import Case, run_cases

RIGHT = {"BackendReader": Reader, "recv_frame": Sockets}


def _observed(task: str, source: str) -> list[tuple]:
    plan = [(check.name, probe) for check in TASKS[task].checks for probe in check.probes("s")]
    outcomes = run_cases(source, [Case(name, probe.payload, probe.timeout) for name, probe in plan])
    return [(name, probe.payload, outcome.status, outcome.report, False)
            for (name, probe), outcome in zip(plan, outcomes, strict=True)]


@pytest.fixture(scope="module", params=[(task, path) for task in RIGHT
                                        for path in answer_files(task, "correct")],
                ids=lambda item: f"{item[0]}-{item[1].stem}")
def correct_run(request):
    task, path = request.param
    return task, _observed(task, path.read_text(encoding="utf-8"))


def test_the_right_algorithm_replayed_does_what_a_correct_answer_did(correct_run):
    task, observed = correct_run
    compared = 0
    for check, payload, status, report, _ in observed:
        seen = answer_observation(payload, status, report)
        assert seen is not None, check
        if is_cost_case(payload):
            continue
        assert simulate(RIGHT[task], payload) == seen, (check, payload)
        compared += 1
    assert compared > 50


#: Broken answers whose behaviour hangs on where the pieces end, and the model of each.
CUT_SENSITIVE = [
    ("recv_frame", "over_read", recv_frame.AsksForAll),
    ("recv_frame", "single_recv", recv_frame.OneRecvShortIsWhole),
    ("recv_frame", "short_recv_is_eof", recv_frame.OneRecvShortIsEOF),
    ("BackendReader", "waits_for_four_bytes", backend_reader.ReadsLengthEarly),
]


@pytest.mark.parametrize(("task", "name", "model"), CUT_SENSITIVE, ids=lambda x: str(x))
def test_a_broken_answer_replays_as_its_model_on_every_case(task, name, model):
    observed = _observed(task, answer_source(task, "broken", name))
    differ = [check for check, payload, status, report, _ in observed
              if not is_cost_case(payload)
              and simulate(model, payload) != answer_observation(payload, status, report)]
    assert differ == []


def test_a_correct_answer_matches_no_misconception(correct_run):
    task, observed = correct_run
    # A real check name as the "failure": a misconception that behaved like this correct
    # answer on the compared cases would be named.
    found = diagnose(task, observed, [(observed[0][0], "the matcher is asked anyway")])
    assert found.status == "none" and found.compared > 0


def test_a_scripted_peer_hands_out_one_piece_at_a_time():
    peer = ScriptedPeer([b"abc", b"", b"de"], most=None, hold=False)
    assert [peer.recv(10), peer.recv(1), peer.recv(10), peer.recv(10)] == [b"abc", b"d", b"e", b""]
    capped = ScriptedPeer([b"abcdef"], most=2, hold=True)
    into = bytearray(5)
    assert capped.recv_into(into) == 2 and into[:2] == b"ab"
    assert capped.recv(4) == b"cd" and capped.recv(0) == b""
    capped.recv(9)
    with pytest.raises(TimeoutError):
        capped.recv(1)  # the peer holds the connection open
    with pytest.raises(MemoryError):
        capped.recv(1 << 32)  # a buffer over the child's address space


def test_a_stingy_socket_takes_what_its_sizes_allow_and_has_no_sendall():
    sock = StingySocket([3, 1], data_size=10)
    assert [sock.send(b"hello"), sock.send(b"llo"), sock.send(memoryview(b"lo"))] == [3, 1, 2]
    assert sock.received == b"helllo" and sock.calls == 3
    assert not hasattr(sock, "sendall")
