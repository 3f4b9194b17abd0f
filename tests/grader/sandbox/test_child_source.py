"""The child's one source: the parts the runner joins define every name they use, only the
case format is shared with the grader's process, and the diagnosis never imports the child."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grader.sandbox import child_protocol, runner

GRADER = Path(runner.__file__).resolve().parents[1]


def test_the_joined_source_defines_every_name_it_uses():
    pytest.importorskip("ruff")
    # The parts silence undefined names one by one (each alone is no module); joined, none is.
    joined = re.sub(r"^# ruff: noqa: F821$", "", runner._CHILD_SOURCE, flags=re.MULTILINE)
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F821,F811",
         "--stdin-filename", "child_script.py", "-"],
        input=joined, capture_output=True, text=True, check=False,
    )
    assert found.returncode == 0, found.stdout


def test_the_case_format_comes_first_and_the_child_last():
    assert runner.CHILD_PARTS[0] == "child_protocol.py" and runner.CHILD_PARTS[-1] == "child.py"
    assert "**globals()" not in runner._CHILD_SOURCE


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.update(f"{'.' * node.level}{node.module or ''}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_parts_import_nothing_of_the_grader():
    for part in runner.CHILD_PARTS:
        imported = _imports(GRADER / "sandbox" / part)
        assert not [name for name in imported if "grader" in name or name.startswith(".")], part


def test_the_diagnosis_reads_the_case_format_not_the_child():
    for path in sorted((GRADER / "diagnosis").rglob("*.py")):
        imported = _imports(path)
        assert not [name for name in imported if name.endswith((".child", "sandbox.child"))
                    or "child_sockets" in name], path.name


def test_the_case_format_builds_the_inputs_the_child_is_given():
    case = {"driver": "call", "function": "echo", "args": [["6869", [0x2A, 3]]], "as": "bytes"}
    [outcome] = runner.run_cases("def echo(data):\n    return data\n",
                                 [runner.Case("g", case)])
    given = child_protocol.convert(child_protocol.materialise(case["args"][0]), "bytes")
    assert given == b"hi***" and outcome.report["value"]["hex"] == given.hex()
    assert child_protocol.chunks_of({"stream": "616263", "cuts": [1]}) == [b"a", b"bc"]
    assert child_protocol.chunks_of({"stream": "616263", "every": 2}) == [b"ab", b"c"]
    reused = child_protocol.convert(b"ab", "reused")
    child_protocol.reuse(reused, "reused")
    assert reused == b"\xee\xee" and type(reused) is bytearray
