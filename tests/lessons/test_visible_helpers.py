"""grader.visible: the time limit stops a runaway loop without SIGALRM, the standard-library
rule names the line and the module, and the module itself imports only the standard library."""

from __future__ import annotations

import ast
import linecache
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grader.visible import (
    CHECK_YOUR_ANSWER,
    ForeignImport,
    foreign_imports,
    passed,
    standard_library_only,
    time_limit,
)

VISIBLE = Path(__file__).resolve().parents[2] / "grader" / "visible.py"


def as_cell(source: str, name: str, cell_number: int) -> dict[str, object]:
    """Run ``source`` the way IPython runs a cell: its text is in linecache under its file."""
    filename = f"/tmp/ipykernel_0/{cell_number}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


# --- the time limit ------------------------------------------------------------------------------


def test_time_limit_stops_a_loop_that_never_ends_with_an_assertion() -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"on_bytes\(b'x'\) still running after 0.3 s"):
        with time_limit(0.3, "on_bytes(b'x')"):
            while True:
                pass
    assert time.monotonic() - started < 5


def test_time_limit_leaves_a_quick_body_and_the_sigint_handler_alone() -> None:
    import signal

    before = signal.getsignal(signal.SIGINT)
    with time_limit(5, "a quick call"):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getsignal(signal.SIGINT) is before


def test_a_real_interrupt_during_the_body_is_still_a_keyboard_interrupt() -> None:
    import _thread

    with pytest.raises(KeyboardInterrupt):
        with time_limit(30, "the tests"):
            _thread.interrupt_main()
            for _ in range(10_000):
                pass


def test_time_limit_needs_no_sigalrm() -> None:
    # Windows has no SIGALRM; the helper must not touch it.
    tree = ast.parse(VISIBLE.read_text())
    names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not {"SIGALRM", "setitimer", "alarm"} & names


def test_time_limit_works_where_sigalrm_is_gone() -> None:
    script = textwrap.dedent(
        """
        import signal
        del signal.SIGALRM, signal.setitimer, signal.alarm   # as on Windows
        from grader.visible import time_limit
        try:
            with time_limit(0.3, "the spin"):
                while True:
                    pass
        except AssertionError as error:
            print("stopped:", error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
        cwd=VISIBLE.parents[1],
    )
    assert "stopped: the spin still running after 0.3 s" in done.stdout, done.stderr


# --- the standard-library rule -------------------------------------------------------------------


def test_foreign_imports_name_the_line_and_the_module() -> None:
    source = (
        "import struct\n"
        "from collections import deque\n"
        "import framinglib\n"
        "from framinglib.core import LengthPrefixDecoder\n"
        "from . import helpers\n"
        "mod = __import__('numpy')\n"
        "import importlib\n"
        "other = importlib.import_module('os.path')\n"
    )
    assert foreign_imports(source) == [
        ForeignImport(3, "framinglib"),
        ForeignImport(4, "framinglib.core"),
        ForeignImport(5, "."),
        ForeignImport(6, "numpy"),
    ]
    assert str(foreign_imports(source)[0]) == "line 3 imports framinglib"


def test_foreign_imports_of_unparsable_source_is_empty() -> None:
    assert foreign_imports("def broken(:\n") == []


def test_an_answer_importing_framinglib_is_told_so_by_line_and_module() -> None:
    source = (
        "import struct\n"
        "\n"
        "from framinglib import LengthPrefixDecoder\n"
        "\n"
        "def encode_frame(payload):\n"
        "    return struct.pack('>I', len(payload)) + payload\n"
    )
    namespace = as_cell(source, "encode_frame", 1)
    with pytest.raises(AssertionError, match="line 3 imports framinglib") as raised:
        standard_library_only(namespace["encode_frame"])
    assert "standard library" in str(raised.value)


def test_a_standard_library_answer_passes() -> None:
    source = (
        "import struct\n"
        "buffer = bytearray()\n"
        "def on_bytes(chunk):\n"
        "    buffer.extend(chunk)\n"
        "    while len(buffer) >= 4:\n"
        "        (n,) = struct.unpack('>I', buffer[:4])\n"
        "        if len(buffer) < 4 + n:\n"
        "            return\n"
        "        frame = bytes(buffer[4:4 + n])\n"
        "        del buffer[:4 + n]\n"
        "        handle(frame)\n"
    )
    namespace = as_cell(source, "on_bytes", 2)
    namespace["handle"] = print  # what the lesson defines in another cell
    standard_library_only(namespace["on_bytes"], provided={"handle"})


def test_a_class_answer_is_checked_through_its_methods() -> None:
    source = (
        "import framinglib\n"
        "class LineDecoder:\n"
        "    def feed(self, data):\n"
        "        return []\n"
    )
    namespace = as_cell(source, "LineDecoder", 3)
    with pytest.raises(AssertionError, match="line 1 imports framinglib"):
        standard_library_only(namespace["LineDecoder"])


def test_names_taken_from_other_cells_are_named() -> None:
    import struct

    import framinglib

    source = (
        "def read_header(header):\n"
        "    if len(header) != HEADER_SIZE:\n"
        "        raise ValueError('4 bytes')\n"
        "    framinglib.LengthPrefixDecoder\n"
        "    return struct.unpack('>I', header)[0]\n"
    )
    namespace = as_cell(source, "read_header", 4)
    namespace.update(HEADER_SIZE=4, framinglib=framinglib, struct=struct)
    with pytest.raises(AssertionError) as raised:
        standard_library_only(namespace["read_header"])
    message = str(raised.value)
    assert "line 2 uses HEADER_SIZE (defined in another cell)" in message
    assert "line 4 uses framinglib (from framinglib, imported in another cell)" in message
    assert "line 5 uses struct (imported from struct in another cell" in message


def test_annotations_naming_other_cells_types_are_not_held_against_the_answer() -> None:
    from collections.abc import Sequence as Buffer

    source = (
        "from __future__ import annotations\n"
        "def encode_frame(payload: Buffer) -> Frame:\n"
        "    return bytes(payload)\n"
    )
    namespace = as_cell(source, "encode_frame", 5)
    namespace.update(Buffer=Buffer, Frame=bytes)
    standard_library_only(namespace["encode_frame"])


def test_an_answer_without_a_known_cell_is_not_judged() -> None:
    namespace: dict[str, object] = {}
    exec("import framinglib\ndef f():\n    return 1\n", namespace)  # file "<string>"
    standard_library_only(namespace["f"])


def test_passed_prints_the_task_and_the_check_your_answer_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    passed("encode_frame")
    printed = capsys.readouterr().out
    assert printed.startswith("encode_frame passed the visible tests.")
    assert CHECK_YOUR_ANSWER in printed


# --- it ships to learners: standard library only -------------------------------------------------


def test_visible_imports_only_the_standard_library() -> None:
    assert foreign_imports(VISIBLE.read_text()) == []
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; before = set(sys.modules); import grader.visible; "
         "extra = {m.partition('.')[0] for m in set(sys.modules) - before} "
         "- set(sys.stdlib_module_names) - {'grader'}; print(sorted(extra))"],
        capture_output=True, text=True, timeout=60, cwd=VISIBLE.parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"grader.visible pulled in {done.stdout.strip()}"
