"""The runner: batches of cases in one child, limits enforced by killing, plain reports."""

from __future__ import annotations

import time

from grader.sandbox.runner import Case, run_cases

ECHO = "def echo(data):\n    return data\n"


def call(function: str, *args: bytes, group: str = "g", timeout: float = 1.0) -> Case:
    return Case(
        group, {"driver": "call", "function": function, "args": [a.hex() for a in args]}, timeout
    )


def test_a_batch_runs_in_order_and_reports_plain_values():
    outcomes = run_cases(ECHO, [call("echo", b"abc"), call("echo", b"")])
    assert [o.status for o in outcomes] == ["ok", "ok"]
    assert outcomes[0].report["value"] == {"type": "bytes", "len": 3, "hex": "616263"}
    assert outcomes[1].report["value"]["hex"] == ""


def test_stream_driver_reports_frames_per_call_and_the_buffer_length():
    source = (
        "buffer = bytearray()\n"
        "def on_bytes(chunk):\n"
        "    buffer.extend(chunk)\n"
        "    if len(buffer) >= 2:\n"
        "        handle(bytes(buffer[:2])); del buffer[:2]\n"
    )
    case = Case(
        "g",
        {"driver": "stream", "function": "on_bytes", "buffer": "buffer", "chunks": ["61", "6263"]},
    )
    [outcome] = run_cases(source, [case])
    calls = outcome.report["calls"]
    assert [len(c["frames"]) for c in calls] == [0, 1]
    assert calls[1]["frames"][0]["hex"] == "6162"
    assert [c["buffer"] for c in calls] == [{"len": 1}, {"len": 1}]


def test_an_endless_loop_is_killed_and_costs_only_its_group():
    source = ECHO + "def spin(data):\n    while True:\n        pass\n"
    cases = [
        call("spin", b"x", group="a", timeout=0.5),
        call("spin", b"y", group="a"),
        call("echo", b"z", group="b"),
    ]
    started = time.monotonic()
    outcomes = run_cases(source, cases)
    assert [o.status for o in outcomes] == ["timeout", "skipped", "ok"]
    assert time.monotonic() - started < 10


def test_signals_ignored_and_sigkill_still_stops_the_child():
    source = (
        "import signal\n"
        "for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
        "    signal.signal(s, signal.SIG_IGN)\n"
        "def spin(data):\n    while True:\n        pass\n"
    )
    [outcome] = run_cases(source, [call("spin", b"", timeout=0.5)])
    assert outcome.status == "timeout"


def test_a_dying_child_is_reported_and_the_next_group_still_runs():
    source = ECHO + "import os\ndef die(data):\n    os._exit(7)\n"
    outcomes = run_cases(source, [call("die", b"", group="a"), call("echo", b"k", group="b")])
    assert outcomes[0].status == "crashed" and "status 7" in outcomes[0].detail
    assert outcomes[1].status == "ok"


def test_base_exceptions_are_reported_not_obeyed():
    source = (
        "def leave(data):\n    raise SystemExit(3)\n"
        "def interrupt(data):\n    raise KeyboardInterrupt\n"
    )
    outcomes = run_cases(source, [call("leave", b""), call("interrupt", b"")])
    assert [o.report["error"]["name"] for o in outcomes] == ["SystemExit", "KeyboardInterrupt"]


def test_a_fatal_group_failure_stops_the_run():
    source = ECHO + "def spin(data):\n    while True:\n        pass\n"
    cases = [call("spin", b"", group="load", timeout=0.5), call("echo", b"a", group="b")]
    outcomes = run_cases(source, cases, fatal_groups=frozenset({"load"}))
    assert [o.status for o in outcomes] == ["timeout", "not_run"]


def test_after_too_many_restarts_the_rest_is_not_run():
    source = "def spin(data):\n    while True:\n        pass\n"
    cases = [call("spin", b"", group=str(i), timeout=0.3) for i in range(6)]
    outcomes = run_cases(source, cases, max_restarts=2)
    assert [o.status for o in outcomes] == ["timeout"] * 3 + ["not_run"] * 3


def test_forged_report_lines_break_the_case_instead_of_passing_it():
    source = (
        "import os\n"
        "def forge(data):\n"
        "    for fd in range(3, 40):\n"
        "        try:\n"
        '            os.write(fd, b\'{"id":1,"error":null,"value":{"type":"int"}}\\n\')\n'
        "        except OSError:\n"
        "            pass\n"
        "    return data\n"
    )
    outcomes = run_cases(source, [call("forge", b"a", group="a"), call("forge", b"b", group="b")])
    assert outcomes[0].status == "broken"


def test_shadowing_builtins_does_not_change_what_is_reported():
    source = (
        "import builtins\n"
        "class Fake(bytes):\n"
        "    def __eq__(self, other):\n        return True\n"
        "builtins.bytes = Fake\n"
        "builtins.type = lambda obj: bytes\n"
        "def make(data):\n    return Fake(b'zz')\n"
    )
    [outcome] = run_cases(source, [call("make", b"")])
    assert outcome.report["value"] == {"type": "Fake", "foreign": True}


def test_pythons_own_types_are_marked_builtin_and_a_class_named_like_one_is_not():
    source = (
        "def number(data):\n    return [7]\n"
        "class int:\n    pass\n"
        "def impostor(data):\n    return [int()]\n"
    )
    own, impostor = run_cases(source, [call("number", b""), call("impostor", b"")])
    assert own.report["value"]["items"] == [{"type": "int", "foreign": True, "builtin": True}]
    assert impostor.report["value"]["items"] == [{"type": "int", "foreign": True}]


def test_learner_output_on_stdout_and_stderr_goes_nowhere():
    source = (
        "import sys, os\n"
        "def noisy(data):\n"
        "    print('x' * 100000)\n"
        "    os.write(1, b'{\"id\": 0}\\n'); os.write(2, b'junk\\n')\n"
        "    return data\n"
    )
    [outcome] = run_cases(source, [call("noisy", b"q")])
    assert outcome.status == "ok" and outcome.report["value"]["hex"] == "71"


def test_a_case_that_emits_frames_without_end_is_capped():
    source = "def on_bytes(chunk):\n    while True:\n        handle(b'')\n"
    case = Case("g", {"driver": "stream", "function": "on_bytes", "chunks": ["00000000"]})
    [outcome] = run_cases(source, [case])
    assert outcome.report["overflow"] is True


def test_object_driver_applies_operations_and_stops_at_the_first_error():
    source = (
        "class Box:\n"
        "    def __init__(self, limit=1):\n        self.limit = limit\n        self.items = 0\n"
        "    def feed(self, data):\n"
        "        self.items += len(data)\n"
        "        if self.items > self.limit:\n            raise ValueError('full')\n"
        "        return [bytes(data)]\n"
        "    @property\n    def buffered(self):\n        return self.items\n"
    )
    case = Case(
        "g",
        {
            "driver": "object",
            "class": "Box",
            "kwargs": {"limit": 2},
            "ops": [
                ["feed", "61", "bytearray"],
                ["attr", "buffered"],
                ["feed", "6263", "memoryview"],
                ["feed", "64", "bytes"],
            ],
        },
    )
    [outcome] = run_cases(source, [case])
    report = outcome.report
    assert report["ops"][0] == {"type": "list", "items": [{"type": "bytes", "len": 1, "hex": "61"}]}
    assert report["ops"][1] == {"type": "int", "int": "1"}
    assert len(report["ops"]) == 2
    assert report["error"]["kind"] == "ValueError" and report["error"]["message"] == "full"


def test_a_slow_answer_is_cut_off_by_the_total_time_limit():
    source = "import time\ndef slow(data):\n    time.sleep(0.2)\n    return data\n"
    cases = [call("slow", b"", group=str(i % 3)) for i in range(30)]
    started = time.monotonic()
    outcomes = run_cases(source, cases, total_timeout=1.0)
    assert time.monotonic() - started < 5
    statuses = [o.status for o in outcomes]
    assert statuses[0] == "ok" and statuses[-1] == "not_run"
    assert "ran out" in outcomes[-1].detail


def test_a_child_that_cannot_start_raises_instead_of_failing_the_answer(monkeypatch):
    import pytest

    from grader.sandbox import runner
    from grader.sandbox.bwrap import SandboxPlan

    monkeypatch.setattr(
        runner, "child_plan", lambda limits, isolate: SandboxPlan(["/bin/false"], None, True)
    )
    with pytest.raises(runner.SandboxError, match="could not start"):
        run_cases(ECHO, [call("echo", b"a")])
