"""The course directory is found the way nbgrader finds it: --course, $FRAMING_COURSE_DIR,
CourseDirectory.root in nbgrader's config, the current directory when it holds
nbgrader_config.py, else the default."""

from __future__ import annotations

from pathlib import Path

from grader.deployment.discovery import ENV_COURSE_DIR, find_course_dir, missing_course_message


def _dirs(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    option, named, here, default = (tmp_path / name for name in ("opt", "env", "here", "dflt"))
    for folder in (option, named, here):
        folder.mkdir()
    (here / "nbgrader_config.py").write_text("c = get_config()\n")
    return option, named, here, default


def test_course_option_wins(tmp_path: Path) -> None:
    option, named, here, default = _dirs(tmp_path)
    choice = find_course_dir(option, default=default, environ={ENV_COURSE_DIR: str(named)},
                             cwd=here)
    assert choice.path == option.resolve() and "--course" in choice.reason


def test_environment_variable_comes_next(tmp_path: Path) -> None:
    _, named, here, default = _dirs(tmp_path)
    choice = find_course_dir(None, default=default, environ={ENV_COURSE_DIR: str(named)},
                             cwd=here)
    assert choice.path == named.resolve() and ENV_COURSE_DIR in choice.reason


def test_current_directory_with_nbgrader_config(tmp_path: Path) -> None:
    _, _, here, default = _dirs(tmp_path)
    choice = find_course_dir(None, default=default, environ={}, cwd=here)
    assert choice.path == here.resolve()
    assert "current directory" in choice.describe() and str(here) in choice.describe()


def test_default_when_nothing_names_one(tmp_path: Path) -> None:
    option, _, _, default = _dirs(tmp_path)
    choice = find_course_dir(None, default=default, environ={ENV_COURSE_DIR: "  "}, cwd=option)
    assert choice.path == default.resolve() and choice.reason.startswith("the default")
    message = missing_course_message(choice)
    assert str(default) in message and "--course" in message and ENV_COURSE_DIR in message


def test_course_directory_root_in_nbgrader_config_comes_before_the_current_directory(
    tmp_path: Path,
) -> None:
    _, named, here, default = _dirs(tmp_path)
    system, user = tmp_path / "etc-jupyter", tmp_path / "home-jupyter"
    for folder, root in ((system, tmp_path / "system-course"), (user, tmp_path / "my-course")):
        folder.mkdir()
        (folder / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.root = {str(root)!r}\n")
    choice = find_course_dir(None, default=default, environ={}, cwd=here,
                             config_dirs=[user, system])  # highest priority first
    assert choice.path == (tmp_path / "my-course").resolve()
    assert choice.reason == f"CourseDirectory.root in {user / 'nbgrader_config.py'}"
    # The current directory's own file wins over both, as in nbgrader; relative to it.
    (here / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.root = 'sub'\n")
    choice = find_course_dir(None, default=default, environ={}, cwd=here,
                             config_dirs=[user, system])
    assert choice.path == (here / "sub").resolve()
    # --course and the environment variable still come first.
    assert find_course_dir(None, default=default, environ={ENV_COURSE_DIR: str(named)}, cwd=here,
                           config_dirs=[user]).path == named.resolve()


def test_a_broken_nbgrader_config_is_passed_over(tmp_path: Path) -> None:
    _, _, here, default = _dirs(tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "nbgrader_config.py").write_text("c = get_config(\n")
    choice = find_course_dir(None, default=default, environ={}, cwd=here, config_dirs=[broken])
    assert choice.path == here.resolve()


def test_the_courses_own_generated_config_is_the_current_directory_rule(tmp_path: Path) -> None:
    from grader.course import CONFIG_FILE_TEXT

    here = tmp_path / "course"
    here.mkdir()
    (here / "nbgrader_config.py").write_text(CONFIG_FILE_TEXT)
    choice = find_course_dir(None, default=tmp_path / "dflt", environ={}, cwd=here,
                             config_dirs=[])
    assert choice.path == here.resolve()
    assert choice.reason == "the current directory: it holds nbgrader_config.py"
