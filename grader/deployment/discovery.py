"""Which course directory an instructor command uses, found the way nbgrader finds it.

In order: `--course DIR`; else the environment variable `FRAMING_COURSE_DIR`; else
`c.CourseDirectory.root` when nbgrader's own configuration sets it (Jupyter's config folders,
then the current directory's `nbgrader_config.py`, read as nbgrader reads them: an instructor
who told nbgrader where the course is once need not tell the grader again); else the current
directory when it holds an `nbgrader_config.py` (where `nbgrader` itself would run); else the
default, `course/` beside the grader's checkout. Every instructor command prints the choice and
why, so a command run from the wrong folder says so before it does anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
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
    config_dirs: Sequence[Path] | None = None,
) -> CourseDirChoice:
    """The course directory for `--course option` (None when not given).

    ``config_dirs``: Jupyter's config folders, highest priority first (default: Jupyter's own).
    """
    environ = os.environ if environ is None else environ
    here = Path.cwd() if cwd is None else cwd
    if option is not None:
        return CourseDirChoice(Path(option).expanduser().resolve(), "from --course")
    named = environ.get(ENV_COURSE_DIR, "").strip()
    if named:
        return CourseDirChoice(Path(named).expanduser().resolve(), f"from ${ENV_COURSE_DIR}")
    configured = _configured_root(here, config_dirs)
    # The course's own generated config names the folder it is in: the current-directory rule.
    if configured is not None and configured[0] != here.resolve():
        root, source = configured
        return CourseDirChoice(root, f"CourseDirectory.root in {source}")
    if (here / COURSE_CONFIG_FILE).is_file():
        return CourseDirChoice(here.resolve(),
                               f"the current directory: it holds {COURSE_CONFIG_FILE}")
    return CourseDirChoice(default.resolve(), f"the default: no --course, no ${ENV_COURSE_DIR}, "
                           f"no {COURSE_CONFIG_FILE} in the current directory")


def _configured_root(here: Path, config_dirs: Sequence[Path] | None) -> tuple[Path, Path] | None:
    """``CourseDirectory.root`` as nbgrader's config files set it, and the file that set it.

    A config file that cannot be read is passed over here: nbgrader itself will say what is
    wrong with it when the instructor runs it.
    """
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    if config_dirs is None:
        from jupyter_core.paths import jupyter_config_path

        config_dirs = [Path(folder) for folder in jupyter_config_path()]
    found: tuple[Path, Path] | None = None
    # Lowest priority first, so a later file wins, as nbgrader merges them.
    for folder in [*reversed(list(config_dirs)), here]:
        try:
            config = PyFileConfigLoader(COURSE_CONFIG_FILE, path=str(folder)).load_config()
        except ConfigFileNotFound:
            continue
        except Exception:  # a broken file: nbgrader reports it in its own words
            continue
        root = config.get("CourseDirectory", {}).get("root")
        if isinstance(root, str) and root.strip():
            found = ((here / Path(root).expanduser()).resolve(), folder / COURSE_CONFIG_FILE)
    return found


def missing_course_message(choice: CourseDirChoice) -> str:
    """What to say when a command that needs an existing course directory finds none."""
    return (f"no course directory at {choice.path} ({choice.reason}): run the command in a "
            f"course directory (one holding {COURSE_CONFIG_FILE}), pass --course DIR, or set "
            f"{ENV_COURSE_DIR}; `python -m grader release LESSON --course DIR` creates one")
