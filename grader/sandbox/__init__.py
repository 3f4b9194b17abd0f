"""Running learner code where it can neither fool nor hang the grader.

- ``bwrap``: the one bubblewrap command builder (``bwrap_argv``) every learner process
  starts behind, and the checks' child's view of the system (``child_plan``);
- ``kernel``: the autograding kernel's view on the same builder (masks over the course and
  the repository, its own uid through setpriv);
- ``limits``: the resource limits of both (numbers from ``grader.settings``);
- ``runner``: runs one answer on a batch of cases in a child, with deadlines, and collects
  the child's plain reports;
- ``child``: the child itself, a script that imports nothing of the grader; the runner puts
  in front of it ``child_protocol`` (how a case's JSON becomes the learner's inputs, and the
  error kinds a report names: the one module the diagnosis shares with the child) and
  ``child_sockets`` (its socket drivers, lesson 6).

Strategy: the child reports what the code did, never a verdict; judging happens in the
grader's process (``grader.checks``) on plain JSON. A hardening fix goes into ``bwrap_argv``
once and reaches both the checks and the kernel.
"""
