"""grader: nbgrader-based autograding that hammers learners' code and cannot be fooled by it.

Packages by role (each opening docstring says what it owns and its strategy):

- ``lessons/``: one module per notebook folder, each with its tasks, points, checks, hints;
- ``checks/``: the machinery the lessons' checks share (deliveries, cuttings, probes, reports);
- ``grading``: grade one answer's source: run its task's checks in the sandbox, judge, shrink,
  score (``TaskResult``); ``cells``: what a cell or a source says about the tasks;
- ``sandbox/``: one bwrap builder for the checks' child and the kernel, the runner, the child;
- ``autograde/``: nbgrader's configuration, its preprocessors (one per module), tricks,
  collect and the record of what it copied, preflight, release, the parallel run and its
  workers, the per-student reports, the demo;
- ``diagnosis/``: the known misconceptions of every task (trusted implementations) and the
  matcher that names the one an answer behaves exactly like, from the checks' own run;
- ``insight/``: the class picture of a lesson (scores, misconceptions, failed checks, time);
- ``gradebook/``: the database URL, schema, locks and queries (and the SQLite session lock);
- ``feedback/``: what learners see: a task's report, the feedback pages;
- ``deployment/``: running the course on a shared machine: where a command finds its course
  directory, private modes, the course secret and graded seeds, ``doctor``'s checks;
- ``cli/``: ``python -m grader COMMAND``, one module per command; ``notebook``: ``check`` and
  ``graded`` for the lessons' cells; ``workspace``: ``make lab``'s learner copies;
- ``settings``: every limit, timeout, default and environment variable; ``errors``:
  ``GraderError`` and its kinds; ``course``: where a course lives and its options;
  ``formatting``: how bytes and scores are written for people.

Where to change what:

- a limit, a timeout, a default: one line in ``settings``;
- a check of a task: one entry in that lesson's module in ``lessons/`` (a case a real peer
  sends that every task should meet: ``checks/real_streams.py``);
- a known misconception: one implementation and one entry in ``diagnosis/library/``;
- a new lesson: ``lessons/lessonNN.py`` plus its notebook (see ``grader.lessons``);
- a new kind of probe (a new way to drive learner code): ``checks/`` and a driver in
  ``sandbox/child.py`` (socket drivers: ``sandbox/child_sockets.py``; how a case's JSON
  becomes inputs, shared with the diagnosis: ``sandbox/child_protocol.py``);
- sandbox hardening: ``sandbox/bwrap.py`` (both sandboxes), or a view in ``sandbox/kernel.py``;
- nbgrader's configuration: ``autograde/config.py``; a preprocessor: ``autograde/preprocessors/``;
- what counts as a submission changed after collect: ``autograde/collected.py``;
- a command: ``cli/<command>.py`` and its entry in ``cli.COMMANDS``;
- what a learner's report or feedback page shows: ``feedback/``;
- how a course directory is found, what is private, what ``doctor`` checks: ``deployment/``.
"""
