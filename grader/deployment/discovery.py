"""Which course directory an instructor command uses, found the way nbgrader finds it.

In order: `--course DIR`; else the environment variable `FRAMING_COURSE_DIR`; else the current
directory when it holds an `nbgrader_config.py` (where `nbgrader` itself would run); else the
default, `course/` beside the grader's checkout. Every instructor command prints the choice and
why, so a command run from the wrong folder says so before it does anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.settings import ENV_COURSE_DIR

__all__ = ["ENV_COURSE_DIR", "CourseDirChoice", "find_course_dir", "missing_course_message"]

#: The file that marks a folder as an nbgrader course directory.
COURSE_CONFIG_FILE = "nbgrader_config.py"


@dataclass(frozen=True)
class CourseDirChoice:
    """The course directory a command will use, and the rule that chose it."""

    path: Path
    reason: str

    def describe(self) -> str:
        return f"course directory: {self.path} ({self.reason})"


def find_course_dir(
    option: Path | str | None,
    *,
    default: Path,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> CourseDirChoice:
    """The course directory for `--course option` (None when not given)."""
    environ = os.environ if environ is None else environ
    here = Path.cwd() if cwd is None else cwd
    if option is not None:
        return CourseDirChoice(Path(option).expanduser().resolve(), "from --course")
    named = environ.get(ENV_COURSE_DIR, "").strip()
    if named:
        return CourseDirChoice(Path(named).expanduser().resolve(), f"from ${ENV_COURSE_DIR}")
    if (here / COURSE_CONFIG_FILE).is_file():
        return CourseDirChoice(here.resolve(),
                               f"the current directory: it holds {COURSE_CONFIG_FILE}")
    return CourseDirChoice(default.resolve(), f"the default: no --course, no ${ENV_COURSE_DIR}, "
                           f"no {COURSE_CONFIG_FILE} in the current directory")


def missing_course_message(choice: CourseDirChoice) -> str:
    """What to say when a command that needs an existing course directory finds none."""
    return (f"no course directory at {choice.path} ({choice.reason}): run the command in a "
            f"course directory (one holding {COURSE_CONFIG_FILE}), pass --course DIR, or set "
            f"{ENV_COURSE_DIR}; `python -m grader release LESSON --course DIR` creates one")
