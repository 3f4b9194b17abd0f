"""Answers to lesson 3's `on_bytes` task: one correct, classic bugs, and tricks.

Each trick is paired with the honest code beside it, so that a test can check that the trick
earns no more than that honest code would on its own.
"""

from answers import answer_source

# The classic answers come from the answer corpus (tests/answers/on_bytes/), which also says
# which checks each must fail, so that one copy of each answer serves every test.
CORRECT = answer_source("on_bytes", "correct", "bytearray_del")
# Also right, in another style: the header read apart from the payload.
CORRECT_HEADER_APART = answer_source("on_bytes", "correct", "header_kept_apart")
# Right frames, but immutable bytes rebuilt on every call: quadratic on one giant frame.
QUADRATIC = answer_source("on_bytes", "broken", "bytes_global")
# Takes at most one frame out per chunk: coalesced frames wait for the next recv().
NO_WHILE_LOOP = answer_source("on_bytes", "broken", "no_while_loop")
# Remembers an offset instead of deleting: right frames, but the buffer grows forever.
NEVER_TRIMS = answer_source("on_bytes", "broken", "never_trims")
LITTLE_ENDIAN = answer_source("on_bytes", "broken", "little_endian")

UNANSWERED = '''\
buffer = bytearray()


def on_bytes(chunk):
    raise NotImplementedError()
'''

# --- tricks, each placed in an extra cell after the answer cell ---------------------------------
BLANK_LATER_CELLS = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])'
SWALLOW_ERRORS = (
    "get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)"
)
HIDE_RESULTS = 'get_ipython().ast_node_interactivity = "none"'
FAKE_DISPLAYHOOK = '''\
import sys
sys.displayhook = lambda value: print(6)
'''
WRITE_NEXT_TO_GRADEBOOK = '''\
import os
for depth in range(1, 6):
    folder = os.path.join(*[".."] * depth)
    for name in ("pwned.txt", "gradebook.db"):
        try:
            with open(os.path.join(folder, name), "wb") as planted:
                planted.write(b"planted by a learner")
        except OSError:
            pass
'''
ALWAYS_EQUAL_BYTES = '''\
class bytes(bytes):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


buffer = bytearray()


def on_bytes(chunk):
    handle(bytes(b"x"))
'''
EXIT_IN_ANSWER = UNANSWERED.replace("raise NotImplementedError()", "raise SystemExit(0)")
KILL_KERNEL = "import os\nos._exit(0)"
INTERRUPT = "raise KeyboardInterrupt"
IGNORE_SIGNALS_AND_LOOP = '''\
import signal, time
for number in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
    signal.signal(number, signal.SIG_IGN)
time.time = lambda: 0.0
while True:
    pass
'''
HANDLE_WITHOUT_END = '''\
buffer = bytearray()


def on_bytes(chunk):
    while True:
        handle(b"spam")
'''
ALLOCATE_GIGABYTES = '''\
buffer = bytearray(3 * 1024 ** 3)


def on_bytes(chunk):
    pass
'''
PATCH_THE_GRADER = '''\
import sys
for name in ("grader.grading", "grader.notebook", "nbgrader.utils"):
    try:
        module = __import__(name, fromlist=["x"])
    except ImportError:
        continue
    for attribute in ("grade_source", "graded", "determine_grade"):
        if hasattr(module, attribute):
            setattr(module, attribute, lambda *args, **kwargs: 6)
'''
WALK_FRAMES = '''\
import sys

buffer = bytearray()


def on_bytes(chunk):
    frame = sys._getframe(1)
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(value, list) and value and all(isinstance(v, bytes) for v in value):
                for expected in value:
                    handle(expected)
                return
        frame = frame.f_back
'''
SKIP_THE_TESTS = "import unittest\nraise unittest.SkipTest('nothing to grade here')"
