"""Everything the grader raises on purpose, under one base: ``GraderError``.

A ``GraderError``'s message is written for the person at the keyboard: it says
what is wrong and, where there is one, what to do. The command line prints it
as one line on stderr and exits with the error's ``exit_status``; it never shows
a traceback for one. Anything else that escapes is a bug in the grader.
"""

from __future__ import annotations

__all__ = [
    "CannotGrade",
    "GraderError",
    "GradebookURLError",
    "GradebookUnreachableError",
    "GradingInterrupted",
    "SandboxError",
    "SandboxUnavailableError",
    "SubmissionError",
    "WorkflowError",
]


class GraderError(Exception):
    """The base of every error the grader raises on purpose (the message says why)."""

    #: The command line's exit status for this error, and what it puts before the message.
    exit_status = 2
    prefix = "error: "


class WorkflowError(GraderError):
    """An instructor command cannot run (the message says why and what to do)."""


class GradingInterrupted(GraderError):
    """Autograde was interrupted (Ctrl-C); the message says how far it got."""

    exit_status = 130  # the shell's code for "ended by Ctrl-C"
    prefix = "\n"  # after the ^C the terminal shows


class CannotGrade(GraderError):
    """``python -m grader check`` cannot grade the file it was given."""

    prefix = "cannot grade: "


class SandboxError(GraderError, RuntimeError):
    """The checks' child could not be started (twice): grading is impossible, through no
    fault of the answer. Callers report the answer as not graded rather than score it."""


class SandboxUnavailableError(GraderError, RuntimeError):
    """bubblewrap, prlimit or setpriv is missing: the grading kernel cannot be sandboxed."""


class SubmissionError(GraderError):
    """A submission that cannot be graded at all (the message says why)."""


class GradebookURLError(GraderError, ValueError):
    """A database URL the gradebook cannot use; the message says what is wrong and what works."""


class GradebookUnreachableError(GradebookURLError):
    """The URL is well formed but its database cannot be reached (down, wrong port, no access)."""
