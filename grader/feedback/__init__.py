"""What learners are shown: one task's report, and the course's feedback pages.

- ``task_report``: one graded task as HTML (each failed check's message, its smallest failing
  input drawn in the lesson's lanes, the learner's own traceback, a hint) or as plain text;
  used by the notebook's ``check``, the ``check`` command and the trusted preprocessor;
- ``pages``: the feedback page per notebook, built from the trusted reports and the
  gradebook's scores, into feedback/STUDENT/LESSON/ where nbgrader's exchange expects it.

Strategy: feedback shows only what the learner may see; it never copies a notebook cell, so
no hidden test, check code, expected value beyond the failing case or grader traceback can
reach it.
"""

from .task_report import OPEN_FAILURES, render_report_text, render_task_html

__all__ = ["OPEN_FAILURES", "render_report_text", "render_task_html"]
