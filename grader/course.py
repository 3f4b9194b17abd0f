"""Where a course lives on disk and how nbgrader is configured for it.

The whole nbgrader configuration is built here, in code, so that the command line, the parallel
workers and an instructor's plain `nbgrader` commands (through the generated
`nbgrader_config.py`) all grade the same way.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COURSE_DIR = REPO_ROOT / "course"
DEFAULT_SOURCE_DIR = REPO_ROOT / "notebooks"

# A learner's cell gets this long before nbgrader interrupts it. The course checks do not run in
# the kernel, so this only bounds the learner's own cells and the lesson's demos.
DEFAULT_CELL_TIMEOUT_S = 30
DEFAULT_MEMORY_LIMIT_BYTES = 1 << 30

CONFIG_FILE_TEXT = '''\
# Written by `python -m grader`: every setting lives in grader/course.py, so plain `nbgrader`
# commands run from this directory (and the formgrader) grade exactly like `python -m grader`.
from grader.course import Course

Course.from_config_file(__file__).apply_to(c)  # noqa: F821 (c is nbgrader's config object)
'''


@dataclass(frozen=True)
class Course:
    """A course directory in nbgrader's standard layout, plus the options that shape grading.

    `root` holds release/, submitted/STUDENT/LESSON/, autograded/, feedback/ and gradebook.db;
    the lessons' sources stay in `source_dir` (the repository's notebooks/ by default).
    """

    root: Path = DEFAULT_COURSE_DIR
    source_dir: Path = DEFAULT_SOURCE_DIR
    db_url_override: str | None = None
    cell_timeout_s: int = DEFAULT_CELL_TIMEOUT_S
    sandbox_kernel: bool = True
    memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())
        object.__setattr__(self, "source_dir", Path(self.source_dir).resolve())

    @classmethod
    def from_config_file(cls, config_path: str) -> Course:
        """The course whose root holds `config_path` (used by the generated nbgrader_config.py)."""
        from grader.gradebook_db import normalize_db_url

        root = Path(config_path).resolve().parent
        # The same normalisation as --db-url: a bare postgresql:// URL would
        # otherwise make SQLAlchemy look for a driver the course does not install.
        url = os.environ.get("FRAMING_COURSE_DB_URL")
        return cls(root=root, db_url_override=normalize_db_url(url, base_dir=root) if url else None)

    @property
    def db_url(self) -> str:
        """The gradebook: SQLite inside the course unless a database URL was given."""
        return self.db_url_override or f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def uses_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

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

    def nbgrader_config(self, *, submitted_dir: str = "submitted") -> Config:
        """nbgrader's configuration for this course, as a traitlets Config."""
        config = Config()
        self.apply_to(config, submitted_dir=submitted_dir)
        return config

    def apply_to(self, c: Config, *, submitted_dir: str = "submitted") -> None:
        """Fill nbgrader's config object `c` (in place) with this course's settings."""
        # Imported here so `python -m grader check` never pays for nbgrader's import.
        from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
        from nbgrader.preprocessors import (
            AssignLatePenalties,
            CheckCellMetadata,
            ClearHiddenTests,
            ClearOutput,
            DeduplicateIds,
            GetGrades,
            IgnorePattern,
            LimitOutput,
            OverwriteCells,
            OverwriteKernelspec,
            SaveAutoGrades,
        )

        from grader.preprocessors import GuardedExecute, HideChecksFromKernel, TrustedChecks

        c.CourseDirectory.root = str(self.root)
        # An absolute source directory: nbgrader joins it onto the root, which keeps it as is.
        c.CourseDirectory.source_directory = str(self.source_dir)
        c.CourseDirectory.submitted_directory = submitted_dir
        c.CourseDirectory.db_url = self.db_url
        c.CourseDirectory.ignore = [
            ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*",
        ]

        c.Autograde.sanitize_preprocessors = [
            ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata,
        ]
        # The kernel never sees the hidden checks; the trusted preprocessor computes every
        # check cell's score from the answer source after the kernel is gone.
        c.Autograde.autograde_preprocessors = [
            HideChecksFromKernel,
            GuardedExecute,
            IgnorePattern,
            ClearMetadataPreprocessor,
            LimitOutput,
            TrustedChecks,
            SaveAutoGrades,
            AssignLatePenalties,
            CheckCellMetadata,
        ]
        # A course's own preprocessor is silently skipped unless enabled.
        c.HideChecksFromKernel.enabled = True
        c.TrustedChecks.enabled = True
        c.TrustedChecks.report_dir = str(self.reports_dir)
        c.TrustedChecks.source_dir = str(self.source_dir)
        c.GuardedExecute.timeout = self.cell_timeout_s
        if self.sandbox_kernel:
            c.GuardedExecute.kernel_manager_class = (
                "grader.kernel_sandbox.SandboxedKernelManager"
            )
            c.SandboxedKernelManager.hidden_paths = [str(self.root)]
            c.SandboxedKernelManager.memory_limit_bytes = self.memory_limit_bytes

        c.GenerateAssignment.create_assignment = True
        # For instructors who still press "generate feedback" in the formgrader: nbgrader's own
        # feedback copies hidden tests (issue #917). The check cells carry only the trusted
        # summary and score (no tracebacks), so clearing the hidden source leaves nothing.
        c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
        c.ClearHiddenTests.enforce_metadata = False


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
