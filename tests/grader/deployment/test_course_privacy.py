"""Private by default: the umask, the repair of collect's 0777 folders, the warnings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from grader.deployment.privacy import exposure_warnings, repair_submitted, use_private_umask


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_umask_makes_new_files_the_users_only(tmp_path: Path) -> None:
    before = use_private_umask()
    try:
        (tmp_path / "report.json").write_text("{}")
        (tmp_path / "logs").mkdir()
    finally:
        os.umask(before)
    assert _mode(tmp_path / "report.json") == 0o600
    assert _mode(tmp_path / "logs") == 0o700


def test_repair_closes_what_collect_left_open(tmp_path: Path) -> None:
    lesson = tmp_path / "submitted" / "ada" / "03-reassembly"
    lesson.mkdir(parents=True)
    notebook = lesson / "03-reassembly.ipynb"
    notebook.write_text("{}")
    lesson.chmod(0o777)
    notebook.chmod(0o644)
    (tmp_path / "submitted").chmod(0o755)
    changed = repair_submitted(tmp_path / "submitted")
    assert lesson in changed and notebook in changed
    assert _mode(lesson) == 0o700 and _mode(notebook) == 0o600
    assert _mode(tmp_path / "submitted") == 0o700
    assert repair_submitted(tmp_path / "submitted") == []


def test_warnings_name_the_path_and_the_fix(tmp_path: Path) -> None:
    course = tmp_path / "course"
    course.mkdir(mode=0o700)
    gradebook = course / "gradebook.db"
    gradebook.write_text("")
    gradebook.chmod(0o600)
    assert exposure_warnings(course, gradebook) == []
    course.chmod(0o755)
    gradebook.chmod(0o644)
    warnings = exposure_warnings(course, gradebook)
    assert len(warnings) == 2
    assert f"chmod 700 {course}" in warnings[0] and "755" in warnings[0]
    assert f"chmod 600 {gradebook}" in warnings[1]
