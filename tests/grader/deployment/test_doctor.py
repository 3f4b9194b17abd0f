"""`python -m grader doctor`'s checks, each on a temporary folder standing in for the machine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.deployment.doctor import (
    INSTRUCTOR_PLUGINS,
    INSTRUCTOR_SERVER_EXTENSIONS,
    check_bubblewrap,
    check_configured_exchange,
    check_course_dir,
    check_database,
    check_exchange,
    check_homes,
    check_learners_env,
    report,
)


def _problems(findings) -> list[str]:
    return [finding.what for finding in findings if not finding.ok]


def test_exchange_must_exist_be_world_writable_and_sticky(tmp_path: Path) -> None:
    root = tmp_path / "exchange"
    assert "does not exist" in _problems(check_exchange(root))[0]
    root.mkdir()
    root.chmod(0o755)
    problems = _problems(check_exchange(root))
    assert any("cannot fetch or submit" in p for p in problems)
    assert any("sticky" in p for p in problems)
    root.chmod(0o777)
    assert _problems(check_exchange(root)) == [p for p in problems if "sticky" in p]
    root.chmod(0o1777)
    assert _problems(check_exchange(root)) == []


def test_exchange_root_is_read_from_nbgrader_config(tmp_path: Path) -> None:
    from grader.autograde.inbound import read_exchange_settings

    low, high, course = tmp_path / "etc", tmp_path / "env", tmp_path / "course"
    for folder, root in ((low, "/srv/low"), (high, "/srv/high")):
        folder.mkdir()
        config = f"c = get_config()\nc.Exchange.root = '{root}'\n"
        (folder / "nbgrader_config.py").write_text(config)
    assert read_exchange_settings(course, [high, low])[0] == "/srv/high"
    # No configuration: nbgrader 0.9's own default (not the /srv path deploy/ configures).
    assert read_exchange_settings(course, [tmp_path / "nothing"])[0] == (
        "/usr/local/share/nbgrader/exchange")
    # The course's own file wins, as for `nbgrader collect` run in the course directory.
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.Exchange.root = '/srv/own'\n")
    assert read_exchange_settings(course, [high, low])[0] == "/srv/own"


def test_a_broken_nbgrader_config_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "etc"
    broken.mkdir()
    (broken / "nbgrader_config.py").write_text("c = get_config(\n")
    [finding] = check_configured_exchange(tmp_path / "course", [broken])
    assert not finding.ok and "nbgrader's configuration cannot be read (SyntaxError" in finding.what


def test_course_dir_and_gradebook_modes(tmp_path: Path) -> None:
    course = tmp_path / "course"
    assert "no course directory" in _problems(check_course_dir(course, None))[0]
    course.mkdir(mode=0o700)
    gradebook = course / "gradebook.db"
    gradebook.write_text("")
    gradebook.chmod(0o600)
    (course / "submitted" / "ada" / "03").mkdir(parents=True, mode=0o700)
    (course / "submitted").chmod(0o700)
    (course / "submitted" / "ada").chmod(0o700)
    assert _problems(check_course_dir(course, gradebook)) == []
    (course / "submitted" / "ada" / "03").chmod(0o777)
    gradebook.chmod(0o644)
    # Unreachable while its parents are closed; reachable as collect leaves them (0755).
    assert len(_problems(check_course_dir(course, gradebook))) == 1
    course.chmod(0o755)
    (course / "submitted").chmod(0o755)
    (course / "submitted" / "ada").chmod(0o755)
    problems = _problems(check_course_dir(course, gradebook))
    assert len(problems) == 3
    assert "course directory" in problems[0] and "gradebook" in problems[1]
    assert "3 path(s)" in problems[2] and "submitted/ada/03 (777)" in problems[2]


def test_feedback_pages_may_be_0644_inside_a_private_folder(tmp_path: Path) -> None:
    folder = tmp_path / "feedback" / "ada" / "03"
    folder.mkdir(parents=True)
    for path in (tmp_path, tmp_path / "feedback", tmp_path / "feedback" / "ada", folder):
        path.chmod(0o700)
    (folder / "03.html").write_text("<p>")
    (folder / "03.html").chmod(0o644)
    assert _problems(check_course_dir(tmp_path, None)) == []


def _fake_env(prefix: Path, *, locked: bool, formgrader: bool) -> None:
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "python").write_text("")
    labconfig = prefix / "etc" / "jupyter" / "labconfig"
    labconfig.mkdir(parents=True)
    plugins = {plugin: True for plugin in INSTRUCTOR_PLUGINS}
    labconfig.joinpath("page_config.json").write_text(json.dumps(
        {"disabledExtensions": plugins, "lockedExtensions": plugins if locked else {}}))
    server = prefix / "etc" / "jupyter" / "jupyter_server_config.d"
    server.mkdir()
    # nbgrader's own install turns its server extensions on; the learners' recipe turns each off.
    server.joinpath("nbgrader.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {n: True for n in INSTRUCTOR_SERVER_EXTENSIONS}}}))
    if not formgrader:
        for name in INSTRUCTOR_SERVER_EXTENSIONS:
            server.joinpath(f"{name}.json").write_text(json.dumps(
                {"ServerApp": {"jpserver_extensions": {name: False}}}))
    (prefix / "lib" / "python3.11" / "site-packages").mkdir(parents=True)


def test_learners_env_instructor_tools(tmp_path: Path) -> None:
    etc = tmp_path / "no-system-etc"
    assert "no learners' environment" in _problems(check_learners_env(tmp_path / "x", etc))[0]
    good, bad = tmp_path / "good", tmp_path / "bad"
    _fake_env(good, locked=True, formgrader=False)
    _fake_env(bad, locked=False, formgrader=True)
    assert _problems(check_learners_env(good, etc)) == []
    problems = _problems(check_learners_env(bad, etc))
    assert sum("disabled but not locked" in p for p in problems) == len(INSTRUCTOR_PLUGINS)
    for name in INSTRUCTOR_SERVER_EXTENSIONS:  # the course list too, not only the formgrader
        assert any(f"server extension {name} answers" in p for p in problems), name


def test_learners_env_with_the_course_checkout_is_a_problem(tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    _fake_env(prefix, locked=True, formgrader=False)
    checkout = tmp_path / "checkout"
    (checkout / "notebooks").mkdir(parents=True)
    site = prefix / "lib" / "python3.11" / "site-packages"
    (site / "__editable__.framing_course-0.1.0.pth").write_text(f"{checkout}\n")
    problems = _problems(check_learners_env(prefix, tmp_path / "no-etc"))
    assert len(problems) == 1 and "whole course installed" in problems[0]


def test_homes_readable_by_others(tmp_path: Path) -> None:
    closed, open_ = tmp_path / "closed", tmp_path / "open"
    closed.mkdir(mode=0o700)
    open_.mkdir()
    open_.chmod(0o755)
    closed.chmod(0o700)
    assert _problems(check_homes([closed])) == []
    problems = _problems(check_homes([closed, open_]))
    assert len(problems) == 1 and f"{open_} (755)" in problems[0]


def test_database_reachable(tmp_path: Path) -> None:
    missing = _problems(check_database(f"sqlite:///{tmp_path / 'gradebook.db'}"))
    assert "no gradebook" in missing[0]
    import sqlite3

    sqlite3.connect(tmp_path / "gradebook.db").close()
    assert _problems(check_database(f"sqlite:///{tmp_path / 'gradebook.db'}")) == []
    down = _problems(check_database("postgresql+psycopg2://nobody@127.0.0.1:9/none"))
    assert "does not answer" in down[0]


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bwrap is not installed")
def test_bubblewrap_usable_here_and_missing_named() -> None:
    assert _problems(check_bubblewrap()) == []
    assert "not installed" in _problems(check_bubblewrap("no-such-bwrap"))[0]


def test_report_exit_status() -> None:
    from grader.deployment.doctor import Finding

    text, status = report([Finding(True, "fine"), Finding(False, "broken", "mend it")])
    assert status == 1 and "PROBLEM  broken" in text and "fix: mend it" in text
    assert report([Finding(True, "fine")])[1] == 0
