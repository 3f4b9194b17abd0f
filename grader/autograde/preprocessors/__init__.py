"""nbgrader preprocessors that make autograding immune to the code being graded.

Stock nbgrader runs the hidden tests in the learner's kernel, so learner code can blank them out,
swallow their errors or fake their results. The course instead:

1. `HideChecksFromKernel` swaps each `<task>-check` cell's source for a no-op before execution,
   so the hidden checks never enter the kernel (nothing there to rewrite, walk or read);
2. `GuardedExecute` runs the notebook (in the sandboxed kernel), and when the kernel dies or
   stops answering it stops executing instead of dropping the whole submission;
3. `TrustedChecks`, after the kernel is gone, takes each task's answer source from the notebook,
   grades it with `grader.grading.grade_source` in a fresh sandboxed process, and overwrites the
   check cell's outputs with the points earned (an `execute_result` number, which nbgrader uses
   as partial credit) and a one-line stdout summary. Nothing the kernel printed counts.

`TrustedChecks` also records, for the instructor, the tricks it recognises in the submission
(``grader.autograde.tricks``). One class per module, as nbgrader's own preprocessors are; they
share one dictionary in nbconvert's resources (``state.course_state``).
"""

from .guarded_execute import GuardedExecute, describe_cell
from .hide_checks import KERNEL_PLACEHOLDER, HideChecksFromKernel
from .overwrite_cells import QuietOverwriteCells
from .trusted_checks import TaskOutcome, TrustedChecks, grade_task

__all__ = [
    "KERNEL_PLACEHOLDER",
    "GuardedExecute",
    "HideChecksFromKernel",
    "QuietOverwriteCells",
    "TaskOutcome",
    "TrustedChecks",
    "describe_cell",
    "grade_task",
]

