"""Every limit, timeout, default and environment-variable name of the grader, with its reason.

Changing a limit is one line here. The command-line options (``--memory-limit``,
``--timeout``) override the defaults marked so, and reach every sandbox they
name; nothing else in the grader writes a number of its own for these.
"""

from __future__ import annotations

from pathlib import Path

# --- where things are ---------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The instructor's course directory unless ``--course`` names another.
DEFAULT_COURSE_DIR = REPO_ROOT / "course"
#: The lessons' source notebooks (one folder per lesson).
DEFAULT_SOURCE_DIR = REPO_ROOT / "notebooks"
#: A self-paced learner's copies of the lessons (``make lab``).
DEFAULT_WORKSPACE = REPO_ROOT / "work"

# --- environment variables ----------------------------------------------------------------------

#: Set (to anything) to run learner code without bubblewrap, with resource limits only.
ENV_NO_BWRAP = "GRADER_NO_BWRAP"
#: The seed of a learner's random cases in a notebook's self-check; defaults to a practice seed
#: made from the next one (never the graded seed: that needs the course secret).
ENV_SEED = "GRADER_SEED"
#: JupyterHub's user name (else the login name): what a learner's practice seed is made from.
ENV_HUB_USER = "JUPYTERHUB_USER"
#: Names the course directory when --course does not (see grader.deployment.discovery).
ENV_COURSE_DIR = "FRAMING_COURSE_DIR"
#: The learners' environment `doctor` inspects unless --learners-env names one.
ENV_LEARNERS_ENV = "FRAMING_LEARNERS_ENV"
#: ... and the one it inspects when neither names one: where the README's step 2 builds it
#: (deploy/learners/install.sh).
DEFAULT_LEARNERS_ENV = Path("/opt/framing-learners")
#: The gradebook URL for plain `nbgrader` commands run in a course directory.
ENV_DB_URL = "FRAMING_COURSE_DB_URL"

# --- one learner process (the checks' child and the kernel alike) -------------------------------

#: Address space of the process running learner code (``--memory-limit`` overrides it, for the
#: kernel and the checks' sandbox both). The lessons' largest case (lesson 6's 16 MiB frame,
#: copied a few times) needs well under 256 MiB; 1 GiB leaves room for Python itself and a
#: wasteful but correct answer, and stops a runaway allocation long before the machine swaps.
DEFAULT_MEMORY_LIMIT_BYTES = 1 << 30
#: A private /tmp is a tmpfs, which lives in memory outside RLIMIT_AS: unbounded, it would be
#: a way around the memory limit. No lesson writes files; 64 MiB is room for accidents.
TMP_BYTES = 64 << 20
#: Open files: Python and a few sockets need some dozens; a leak in a loop hits 256 quickly.
OPEN_FILES = 256

# --- the checks' child ---------------------------------------------------------------------------

#: CPU seconds for one child. A child runs one batch of cases (a few seconds of CPU for the
#: largest task); the wall-clock limits below end it first, this catches what they cannot see.
CHECK_CPU_SECONDS = 60
#: Processes and threads of the child's uid (nobody). Answers need one; a fork bomb stops here.
CHECK_PROCESSES = 32
#: Size of a file the child may write: nothing needs one, 16 MiB catches a runaway writer.
CHECK_FILE_BYTES = 16 << 20
#: The unprivileged user the checks' child runs learner code as.
NOBODY_UID = 65534
#: Recursion depth in the child: Python's 1,000 is tight for a recursive but correct decoder
#: on the lessons' longest cases; much deeper would overflow the C stack before the limit.
CHILD_RECURSION_LIMIT = 3000
#: Frames longer than this are reported by length and SHA-256, not in full (report size).
CHILD_FULL_FRAME_BYTES = 1 << 17
#: A child may not send more than this in reports (learner code can write to the pipe).
MAX_REPORT_BYTES = 256 << 20

#: Seconds one case may take. A case needs about a millisecond; the margin is for busy
#: grading machines, where a false timeout would cost a learner points they earned.
CASE_TIMEOUT_S = 2.0
#: Seconds for running the answer once to see that it defines the task (the first case).
LOAD_TIMEOUT_S = 5.0
#: Seconds a child has to start and say it is ready (bwrap and Python on a loaded machine).
CHILD_STARTUP_TIMEOUT_S = 30.0
#: Children replaced (after a timeout or a crash) before the rest of an answer is not run:
#: an answer that hangs on every check costs a few timeouts, not one per check.
MAX_CHILD_RESTARTS = 3
#: Seconds for all of one answer's cases: a merely slow answer on thousands of cases costs
#: this much, not hours (a correct one needs a few seconds).
ANSWER_TIMEOUT_S = 90.0

#: Rounds of shrinking per failure (each round is one child process); the result does not
#: depend on the machine's speed. The time budget only guards against pathological cases.
SHRINK_ROUNDS = 12
SHRINK_BUDGET_S = 6.0
#: Candidates tried per shrinking round (one child process per round).
SHRINK_BATCH = 80

# --- the autograding kernel ----------------------------------------------------------------------

#: Seconds a learner's cell may run in the kernel before nbgrader interrupts it (``--timeout``
#: overrides it). The course checks do not run in the kernel, so this only bounds the learner's
#: own cells and the lessons' demos, which take a few seconds at most.
DEFAULT_CELL_TIMEOUT_S = 30
#: Processes and threads of the kernel's uid: a Jupyter kernel has about a dozen threads.
KERNEL_PROCESSES = 256
#: Largest file the kernel may write: the lessons write none; this stops a runaway writer long
#: before the disk fills, and is larger than the checks' limit because a notebook runs longer.
KERNEL_FILE_BYTES = 64 << 20
#: The empty tmpfs mounts that hide paths from the kernel: a little room is plenty.
KERNEL_MASK_BYTES = 1 << 20
#: RLIMIT_NPROC counts every process and thread of a uid, machine-wide. The checks' sandbox
#: runs as nobody; if kernels did too, a few busy kernels would use up the checks' small
#: allowance. Each grading worker's kernel gets a uid of its own above this base instead,
#: outside the range of real accounts.
KERNEL_UID_BASE = 64000
#: Repository folders the kernel may import from; the rest of the repository (lesson sources
#: with solutions, tests, git history, the grader's checks) stays hidden.
KERNEL_IMPORTABLE_REPO_DIRS = ("framinglib",)

# --- autograding ---------------------------------------------------------------------------------

#: Names nbgrader leaves out when it copies a submission (``CourseDirectory.ignore``, matched
#: against every path component): notebook checkpoints, bytecode, a fetched feedback folder and
#: hidden files are the learner's editor's, not their work. The record of what `collect`
#: copied, and its comparison with the exchange's copy, leave out the same names.
SUBMISSION_IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*")
#: Folder of the course directory holding, per lesson and student, what `collect` copied
#: (a SHA-256 per file and nbgrader's timestamp; ``grader.autograde.collected``). The
#: instructor's only, like everything the grader writes; outside submitted/, which
#: `nbgrader collect --update` replaces and other users could once write.
COLLECT_RECORDS_DIR = "collected"
#: Folder of the course directory where `python -m grader collect --update` keeps a
#: submission that changed after collect before collecting it again: nothing is deleted.
SET_ASIDE_DIR = "set-aside"
#: Seconds a worker is given to finish its student and exit once told to stop.
WORKER_STOP_TIMEOUT_S = 30
#: Attempts at a gradebook transaction that failed with a transient error (a busy SQLite
#: file, a PostgreSQL serialization failure), and the first pause between them (doubling).
DB_RETRY_ATTEMPTS = 6
DB_RETRY_FIRST_DELAY_S = 0.05

# --- feedback ------------------------------------------------------------------------------------

#: Failures drawn open; later ones keep their name and message in view but fold their picture
#: away, since a learner fixes the first failure first and the rest often share its cause.
OPEN_FAILURES = 2
