"""The course secret: created 0600, refused when others can read it; seeds derived from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.deployment.secret import (
    CourseSecretError,
    graded_seed,
    load_or_create,
    practice_seed,
    secret_path,
)


def test_secret_is_created_private_and_kept(tmp_path: Path) -> None:
    first = load_or_create(tmp_path)
    assert secret_path(tmp_path).stat().st_mode & 0o777 == 0o600
    assert load_or_create(tmp_path) == first
    assert load_or_create(tmp_path / ".." / tmp_path.name) == first


def test_secret_others_can_read_is_refused(tmp_path: Path) -> None:
    load_or_create(tmp_path)
    secret_path(tmp_path).chmod(0o644)
    with pytest.raises(CourseSecretError, match=r"chmod 600 .*course-secret"):
        load_or_create(tmp_path)


def test_graded_seed_needs_the_secret(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, other = load_or_create(tmp_path / "a"), load_or_create(tmp_path / "b")
    assert one != other
    assert graded_seed(one, "ada") != graded_seed(other, "ada")
    assert graded_seed(one, "ada") != graded_seed(one, "ben")
    assert graded_seed(one, "ada") == graded_seed(one, "ada")
    assert re.fullmatch(r"[0-9a-f]{64}", graded_seed(one, "ada"))
    assert "ada" not in graded_seed(one, "ada")


def test_practice_seed_is_never_a_graded_seed(tmp_path: Path) -> None:
    secret = load_or_create(tmp_path)
    for student in ("ada", "", "practice/ada", graded_seed(secret, "ada")):
        assert practice_seed(student) != graded_seed(secret, student)
        assert practice_seed(student) != student
