"""The course directory is found the way nbgrader finds it: --course, $FRAMING_COURSE_DIR,
the current directory when it holds nbgrader_config.py, else the default."""

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
