"""Graded cases are seeded from the course secret; a learner's kernel never uses that seed."""

from __future__ import annotations

from pathlib import Path

from grader.autograde.preprocessors.trusted_checks import student_seed
from grader.course import Course
from grader.deployment.secret import SECRET_FILE, graded_seed, load_or_create


def test_a_learners_self_check_uses_a_practice_seed(monkeypatch, tmp_path: Path) -> None:
    from grader import notebook

    monkeypatch.delenv("GRADER_SEED", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    seed = notebook._seed()
    assert seed == "practice/ada"
    assert seed != "ada" and seed != graded_seed(load_or_create(tmp_path), "ada")


def test_autograding_seeds_from_the_course_secret(tmp_path: Path) -> None:
    course = Course(root=tmp_path / "course")
    course.ensure_layout()
    secret_file = course.root / SECRET_FILE
    assert secret_file.stat().st_mode & 0o777 == 0o600
    seed = student_seed(str(secret_file), "ada")
    assert seed == graded_seed(secret_file.read_text().strip().encode(), "ada")
    assert seed != "ada" and seed != student_seed(str(secret_file), "ben")
    assert student_seed("", "ada") == "ada"  # no secret configured: the id, as before


def test_the_course_config_names_the_secret_and_the_quiet_overwrite(tmp_path: Path) -> None:
    from grader.autograde.preprocessors import QuietOverwriteCells

    config = Course(root=tmp_path / "course").nbgrader_config()
    assert config.TrustedChecks.secret_file == str((tmp_path / "course" / SECRET_FILE).resolve())
    assert QuietOverwriteCells in config.Autograde.sanitize_preprocessors
