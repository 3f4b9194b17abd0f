"""Autograding on top of nbgrader: its configuration, the preprocessors, and the parallel run.

- ``config``: nbgrader's whole configuration for a course, built in code;
- ``preprocessors/``: one preprocessor per module, as nbgrader's own are: keep the hidden
  checks out of the kernel, execute without dying with the kernel, score from the answer's
  source in the checks' sandbox; ``tricks``: what the instructor's report says was tried;
- ``kernel_manager``: nbgrader's kernel, started in the kernel sandbox (``grader.sandbox``);
- ``collecting`` (``python -m grader collect``: nbgrader's collect, then a record of what it
  copied), ``collected`` (that record, and the check that refuses a submission changed since),
  ``inbound`` (the exchange's copy of a submission, found as nbgrader finds it);
- ``preflight``: check and repair a submission before nbgrader sees it;
- ``release``: the student version of a lesson;
- ``run`` (the run: selection, workers, progress), ``selection``, ``worker``, ``progress``,
  ``outcome``: grading every selected student, `jobs` at a time;
- ``reports``: the per-student files beside the gradebook (reports, preflight, attempts).

Strategy: nothing the learner's kernel prints or returns counts. Scores come from the
trusted preprocessor, which grades each answer's source with ``grader.grading`` after the
kernel is gone.
"""
