"""The grading kernel's sandbox, probed directly: a notebook run by nbclient, as nbgrader does."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from grader.autograde.kernel_manager import SandboxedKernelManager
from grader.course import REPO_ROOT
from grader.sandbox.kernel import kernel_uid, sandbox_tools_available

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sandbox_tools_available(), reason="bwrap/prlimit/setpriv missing"),
]

PROBES = {
    "uid": "import os\nprint(os.getuid())",
    "course": "print(sorted(os.listdir({course!r})))",
    "repo": "print(sorted(os.listdir({repo!r})))",
    "grader": "import grader.grading",
    "self-check": "from grader.notebook import check\ncheck('on_bytes')",
    "network": "import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=2)",
    "write": "open({target!r}, 'w').write('planted')",
    "memory": "block = bytearray(3 * 1024 ** 3)",
    "processes": "import subprocess\n"
                 "children = [subprocess.Popen(['sleep', '5']) for _ in range(400)]",
    "tmpfs": "chunk = b'x' * (8 << 20)\n"
             "for number in range(64):\n"
             "    open(f'/tmp/fill{{number}}', 'wb').write(chunk)",
    "environment": "print(sorted(os.environ))",
    "alive": "print('still here')",
}


SECRET_NAME = "GRADER_TEST_DATABASE_PASSWORD"


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    os.environ[SECRET_NAME] = "hunter2"  # what an instructor's shell might hold
    course = tmp_path_factory.mktemp("kernel") / "course"
    work = course / "autograded" / "someone" / "lesson"
    work.mkdir(parents=True)
    (course / "gradebook.db").write_text("secret grades")
    target = course / "planted.txt"
    sources = [code.format(course=str(course), repo=str(REPO_ROOT), target=str(target))
               for code in PROBES.values()]
    nb = new_notebook(cells=[new_code_cell(source) for source in sources])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", allow_errors=True,
        kernel_manager_class=SandboxedKernelManager,
        resources={"metadata": {"path": str(work)}},
    )
    client.km = client.create_kernel_manager()
    client.km.hidden_paths = [str(course)]
    try:
        client.execute()
    finally:
        del os.environ[SECRET_NAME]
    results = {}
    for name, cell in zip(PROBES, nb.cells, strict=True):
        text = "".join(output.get("text", "") for output in cell.outputs)
        error = next((output.ename for output in cell.outputs if output.output_type == "error"),
                     None)
        results[name] = (text.strip(), error)
    return {"results": results, "target": target, "course": course}


def test_kernel_runs_unprivileged_with_a_uid_of_its_own(probed) -> None:
    # Not nobody: the checks' sandbox runs as nobody, and RLIMIT_NPROC counts per uid.
    assert probed["results"]["uid"] == (str(kernel_uid()), None)
    assert kernel_uid() not in (0, 65534)


def test_course_and_repository_are_hidden(probed) -> None:
    results = probed["results"]
    assert "gradebook.db" not in results["course"][0]
    assert set(ast.literal_eval(results["repo"][0])) <= {".venv", "framinglib"}
    assert results["grader"][1] == "ModuleNotFoundError"


def test_lesson_self_checks_explain_themselves(probed) -> None:
    text, error = probed["results"]["self-check"]
    assert error is None and "skipped" in text


def test_no_network_not_even_loopback(probed) -> None:
    assert probed["results"]["network"][1] in {"OSError", "ConnectionRefusedError"}


def test_writes_do_not_reach_the_course(probed) -> None:
    assert not Path(probed["target"]).exists()
    assert (probed["course"] / "gradebook.db").read_text() == "secret grades"


def test_memory_and_process_limits(probed) -> None:
    results = probed["results"]
    assert results["memory"][1] == "MemoryError"
    assert results["tmpfs"][1] == "OSError"  # the private /tmp is small: no way around memory
    assert results["processes"][1] == "BlockingIOError"
    assert results["alive"] == ("still here", None)


def test_kernel_gets_a_fresh_environment(probed) -> None:
    names = ast.literal_eval(probed["results"]["environment"][0])
    assert SECRET_NAME not in names and "HOME" in names
