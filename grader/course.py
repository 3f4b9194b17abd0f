"""Where a course lives on disk, and the options that shape its grading.

``Course`` is the one description of a course every part of the grader is handed: its
directories in nbgrader's layout, its gradebook URL and its options (the kernel's cell
timeout and sandbox, the memory limit of both sandboxes). nbgrader's configuration is built
from it in code (``grader.autograde.config``), so that the command line, the parallel workers
and an instructor's plain `nbgrader` commands (through the generated `nbgrader_config.py`)
all grade the same way.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from traitlets.config import Config

from grader import settings
from grader.errors import WorkflowError
from grader.settings import DEFAULT_COURSE_DIR, DEFAULT_SOURCE_DIR, REPO_ROOT

__all__ = ["DEFAULT_COURSE_DIR", "DEFAULT_SOURCE_DIR", "REPO_ROOT", "Course", "put_venv_on_path",
           "subprocess_env"]

CONFIG_FILE_TEXT = '''\
# Written by `python -m grader`: every setting comes from grader/course.py, so plain `nbgrader`
# commands run from this directory (and the formgrader) grade exactly like `python -m grader`.
from grader.course import Course

Course.from_config_file(__file__).apply_to(c)  # noqa: F821 (c is nbgrader's config object)
'''


def sqlite_file(db_url: str) -> Path | None:
    """The file of a ``sqlite:///PATH`` URL, else None (another database, or in memory)."""
    prefix = "sqlite:///"
    return Path(db_url[len(prefix):]) if db_url.startswith(prefix) and db_url != prefix else None


@dataclass(frozen=True)
class Course:
    """A course directory in nbgrader's standard layout, plus the options that shape grading.

    `root` holds release/, submitted/STUDENT/LESSON/, autograded/, feedback/ and gradebook.db;
    the lessons' sources stay in `source_dir` (the repository's notebooks/ by default).
    """

    root: Path = DEFAULT_COURSE_DIR
    source_dir: Path = DEFAULT_SOURCE_DIR
    db_url_override: str | None = None
    #: Seconds a learner's cell may run in the kernel (``--timeout``).
    cell_timeout_s: int = settings.DEFAULT_CELL_TIMEOUT_S
    #: Run the kernel under bwrap (``--no-kernel-sandbox`` turns it off; the checks always are).
    sandbox_kernel: bool = True
    #: Address space of the kernel and of the checks' child alike (``--memory-limit``).
    memory_limit_bytes: int = settings.DEFAULT_MEMORY_LIMIT_BYTES

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())
        object.__setattr__(self, "source_dir", Path(self.source_dir).resolve())

    @classmethod
    def from_config_file(cls, config_path: str) -> Course:
        """The course whose root holds `config_path` (used by the generated nbgrader_config.py)."""
        from grader.gradebook.url import normalize_db_url

        root = Path(config_path).resolve().parent
        # The same normalisation as --db-url: a bare postgresql:// URL would
        # otherwise make SQLAlchemy look for a driver the course does not install.
        url = os.environ.get(settings.ENV_DB_URL)
        return cls(root=root, db_url_override=normalize_db_url(url, base_dir=root) if url else None)

    @property
    def db_url(self) -> str:
        """The gradebook: SQLite inside the course unless a database URL was given."""
        return self.db_url_override or f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def uses_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        """The gradebook's file when it is SQLite (wherever --db-url put it), else None."""
        return sqlite_file(self.db_url)

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    @property
    def reports_dir(self) -> Path:
        """The instructor's per-student reports (trusted scores, tricks found, repairs made)."""
        return self.root / "reports"

    @property
    def preflight_dir(self) -> Path:
        """Checked (and where needed repaired) copies of submissions; nbgrader reads these."""
        return self.root / "preflight"

    def lessons(self) -> list[str]:
        """Assignment ids: the lesson folders in the source directory, in course order."""
        if not self.source_dir.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.source_dir.iterdir()
            if entry.is_dir() and not entry.name.startswith(".") and any(entry.glob("*.ipynb"))
        )

    def ensure_layout(self) -> None:
        """Create the course directory and, unless one exists, its nbgrader_config.py.

        An existing config file is the instructor's and is never overwritten.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        config_file = self.root / "nbgrader_config.py"
        if not config_file.exists():
            config_file.write_text(CONFIG_FILE_TEXT)
        from grader.deployment.secret import load_or_create

        load_or_create(self.root)  # seeds the graded cases; the instructor's only

    def nbgrader_config(self, *, submitted_dir: str = "submitted") -> Config:
        """nbgrader's configuration for this course, as a traitlets Config."""
        config = Config()
        self.apply_to(config, submitted_dir=submitted_dir)
        return config

    def apply_to(self, c: Config, *, submitted_dir: str = "submitted") -> None:
        """Fill nbgrader's config object `c` (in place) with this course's settings."""
        # Imported here so `python -m grader check` never pays for nbgrader's import.
        from grader.autograde.config import apply_course_config

        apply_course_config(self, c, submitted_dir=submitted_dir)

    def check_lesson(self, lesson: str) -> None:
        """Raise WorkflowError unless `lesson` is one of the course's lessons."""
        if lesson not in self.lessons():
            known = ", ".join(self.lessons()) or "none"
            raise WorkflowError(f"no lesson {lesson!r} in {self.source_dir} (lessons: {known})")

    def to_json(self) -> dict[str, Any]:
        """The course as plain JSON (for the worker processes' command line)."""
        return {
            field.name: str(value) if isinstance(value, Path) else value
            for field in fields(self)
            for value in [getattr(self, field.name)]
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Course:
        """The course ``to_json`` describes."""
        return cls(**data)


def subprocess_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for nbgrader and its helpers: the venv's bin first on PATH.

    nbgrader runs `alembic` as a program for gradebook migrations; without the venv's bin on
    PATH the first gradebook access fails.
    """
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    path = env.get("PATH", "")
    if bin_dir not in path.split(os.pathsep):
        env["PATH"] = bin_dir + os.pathsep + path if path else bin_dir
    env.update(extra or {})
    return env


def put_venv_on_path() -> None:
    """Make this process's own PATH suitable for nbgrader (see `subprocess_env`)."""
    os.environ["PATH"] = subprocess_env()["PATH"]
