"""An answer importing outside the standard library is told which import, by line, and why."""

from __future__ import annotations

import json

from answers import answer_files

from grader.cli import main
from grader.grading import grade_source

CORRECT = answer_files("on_bytes", "correct")[0]

#: A module no machine has: importing it fails in the sandbox as a third-party one would.
MISSING = "framing_helpers_not_installed"


def _with_import(line: str) -> str:
    body = CORRECT.read_text().splitlines()
    return "\n".join([*body[:2], line, *body[2:]]) + "\n"


def test_check_names_the_foreign_import_before_the_error(tmp_path, capsys):
    answer = tmp_path / "answer.py"
    answer.write_text(_with_import(f"import {MISSING}"))
    code = main(["check", str(answer), "--json"])
    task = json.loads(capsys.readouterr().out)["tasks"]["on_bytes"]
    assert code == 1 and task["score"] == 0
    message = task["failures"][0]["message"]
    assert message.startswith(
        f"line 3 imports {MISSING}, which is not in the standard library: answers may use "
        "only the standard library. Running your cell raised ModuleNotFoundError"), message


def test_every_foreign_import_is_named_and_standard_ones_are_not():
    source = _with_import(f"import json\nfrom {MISSING}.parts import x\nimport numpy_nope")
    message = grade_source("on_bytes", source, "s").failures[0].message
    assert message.startswith(f"line 4 imports {MISSING}.parts and line 5 imports numpy_nope, "
                              "which are not in the standard library"), message
    assert "json" not in message.split("Running your cell raised")[0]


def test_a_standard_library_answer_that_raises_is_told_only_the_error():
    source = _with_import("raise RuntimeError('boom')")
    message = grade_source("on_bytes", source, "s").failures[0].message
    assert message.startswith("Running your cell raised RuntimeError"), message
