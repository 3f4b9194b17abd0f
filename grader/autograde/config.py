"""nbgrader's configuration for a course, built in code from ``grader.course.Course``.

The command line, the parallel workers and an instructor's plain `nbgrader` commands
(through the generated `nbgrader_config.py`, which calls ``Course.apply_to``) all get it
from here, so they all grade the same way.
"""

from __future__ import annotations

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
    OverwriteKernelspec,
    SaveAutoGrades,
)
from traitlets.config import Config

from grader import settings
from grader.autograde.preprocessors import (
    GuardedExecute,
    HideChecksFromKernel,
    QuietOverwriteCells,
    TrustedChecks,
)
from grader.course import Course
from grader.deployment.secret import SECRET_FILE

__all__ = ["apply_course_config"]


def apply_course_config(course: Course, c: Config, *, submitted_dir: str = "submitted") -> None:
    """Fill nbgrader's config object `c` (in place) with ``course``'s settings."""
    c.CourseDirectory.root = str(course.root)
    # An absolute source directory: nbgrader joins it onto the root, which keeps it as is.
    c.CourseDirectory.source_directory = str(course.source_dir)
    c.CourseDirectory.submitted_directory = submitted_dir
    c.CourseDirectory.db_url = course.db_url
    c.CourseDirectory.ignore = list(settings.SUBMISSION_IGNORE)

    c.Autograde.sanitize_preprocessors = [
        ClearOutput, DeduplicateIds, OverwriteKernelspec, QuietOverwriteCells, CheckCellMetadata,
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
    c.TrustedChecks.report_dir = str(course.reports_dir)
    c.TrustedChecks.source_dir = str(course.source_dir)
    c.TrustedChecks.secret_file = str(course.root / SECRET_FILE)
    # The checks' sandbox gets the same memory limit as the kernel (``--memory-limit``).
    c.TrustedChecks.memory_limit_bytes = course.memory_limit_bytes
    c.GuardedExecute.timeout = course.cell_timeout_s
    if course.sandbox_kernel:
        c.GuardedExecute.kernel_manager_class = (
            "grader.autograde.kernel_manager.SandboxedKernelManager"
        )
        c.SandboxedKernelManager.hidden_paths = [str(course.root)]
        c.SandboxedKernelManager.memory_limit_bytes = course.memory_limit_bytes

    c.GenerateAssignment.create_assignment = True
    # For instructors who still press "generate feedback" in the formgrader: nbgrader's own
    # feedback copies hidden tests (issue #917). The check cells carry only the trusted
    # summary and score (no tracebacks), so clearing the hidden source leaves nothing.
    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
    c.ClearHiddenTests.enforce_metadata = False
