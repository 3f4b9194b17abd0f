"""Helpers for the lessons' visible-test cells: a time limit, the stdlib rule, the pass line.

API (what a visible-test cell imports)::

    from grader.visible import passed, standard_library_only, time_limit

    standard_library_only(encode_frame)            # first line of every visible-test cell
    standard_library_only(on_bytes, provided={"handle"})   # names the grader brings itself
    with time_limit(2, "on_bytes(b'...')"):        # a call that must return in 2 s
        on_bytes(chunk)
    ...asserts...
    passed("encode_frame")                         # last line: prints the pass line and the
                                                   # pointer to the self-check cell below

- ``time_limit(seconds, what)``: a context manager; if its body still runs after ``seconds``
  it raises ``AssertionError("<what> still running after <seconds> s: does a loop never
  end?")``. It works on Linux, macOS and Windows (a timer thread and
  ``_thread.interrupt_main``, no ``SIGALRM``). It stops Python code that loops; it cannot
  stop a single C call that blocks (a ``recv()`` with no timeout), so sockets in tests keep
  their own timeouts. Outside the main thread it runs the body without a limit.
- ``standard_library_only(answer, provided=())``: raises ``AssertionError`` naming each line
  of the answer's cell that imports something outside Python's standard library (for
  example "line 3 imports framinglib"), and each name the answer takes from another cell
  (an import or a helper defined elsewhere: the grader runs the answer's cell on its own).
  ``provided`` lists names the grader supplies (lesson 3's ``handle``). ``answer`` is the
  learner's function or class; when its cell's source cannot be found (code run by
  ``exec`` without a file), it checks nothing.
- ``passed(task)``: prints "``<task>`` passed the visible tests" and ``CHECK_YOUR_ANSWER``,
  the one wording of what the self-check cell that follows does.
- ``foreign_imports(source)``: the pure check behind ``standard_library_only``, a list of
  ``ForeignImport(line, module)``; the grader can call it on an answer's source to say the
  same thing in its feedback.

Strategy: this module ships to learners and runs inside their kernel, so it imports only the
standard library, never ``grader``'s other modules, IPython or ipywidgets. The answer's cell is
found through the code object's file name: IPython registers every cell's source in
``linecache`` under that name, so the whole cell (with its imports) is available without
asking IPython. Change the wording of the pass line here, once, for all six lessons.
"""

from __future__ import annotations

import _thread
import ast
import builtins
import linecache
import signal
import sys
import threading
import types
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHECK_YOUR_ANSWER",
    "ForeignImport",
    "foreign_imports",
    "passed",
    "standard_library_only",
    "time_limit",
]

CHECK_YOUR_ANSWER = (
    "The visible tests try only a few cases. Next, check your answer with the course's own "
    "checks: the cell below runs them in a separate process, draws each failing case as a "
    "picture and never shows the hidden tests. Run it as often as you like; when several "
    "cases fail, fix the first one first."
)

STANDARD_LIBRARY_RULE = (
    "answers may use only Python's standard library, imported in the answer's own cell "
    "(the grader runs that cell on its own)"
)


# --- the pass line ---------------------------------------------------------------------------


def passed(task: str) -> None:
    """Print that ``task`` passed the visible tests, and what to do next."""
    print(f"{task} passed the visible tests.")
    print(CHECK_YOUR_ANSWER)


# --- the time limit --------------------------------------------------------------------------


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise ``AssertionError`` if the body is still running after ``seconds``.

    A timer thread interrupts the main thread (``_thread.interrupt_main``), and a SIGINT
    handler installed for the duration turns that interrupt into the assertion; a Ctrl-C
    or a Jupyter "interrupt kernel" during the body still arrives as ``KeyboardInterrupt``.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # interrupt_main would hit the wrong thread; run unbounded instead
        return

    lock = threading.Lock()
    state = {"fired": False, "done": False}
    message = f"{what} still running after {seconds:g} s: does a loop never end?"

    def on_interrupt(signum: int, frame: types.FrameType | None) -> None:
        if not state["fired"]:
            raise KeyboardInterrupt  # a real interrupt from the learner
        if not state["done"]:
            raise AssertionError(message)
        # The timer fired as the body finished: swallow the late interrupt.

    def fire() -> None:
        with lock:
            if state["done"]:
                return
            state["fired"] = True
        _thread.interrupt_main()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:
            _let_pending_handlers_run()
        signal.signal(signal.SIGINT, previous)


def _let_pending_handlers_run() -> None:
    # Python runs a pending signal handler at its next check between bytecodes, so a few
    # calls make sure a late interrupt meets ``on_interrupt`` (which swallows it) and not
    # the previous handler (which would raise KeyboardInterrupt after the test passed).
    for _ in range(1000):
        _nothing()


def _nothing() -> None:
    return None


# --- the standard-library rule ---------------------------------------------------------------


@dataclass(frozen=True)
class ForeignImport:
    """An import outside the standard library: the cell's line number and the module."""

    line: int
    module: str

    def __str__(self) -> str:
        return f"line {self.line} imports {self.module}"


def _is_standard(module: str) -> bool:
    top = module.partition(".")[0]
    return top in sys.stdlib_module_names or top in sys.builtin_module_names


def foreign_imports(source: str) -> list[ForeignImport]:
    """Each import in ``source`` of a module outside the standard library, in line order.

    ``import x``, ``from x import y``, relative imports (``from . import y``: never the
    standard library) and the literal forms ``__import__("x")`` and
    ``importlib.import_module("x")`` all count. ``source`` that does not parse gives ``[]``:
    Python itself reports a syntax error better.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found: list[ForeignImport] = []
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                modules = ["." * node.level + (node.module or "")]
            else:
                modules = [node.module or ""]
        elif isinstance(node, ast.Call) and _is_import_call(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                modules = [first.value]
        for module in modules:
            if module.startswith(".") or not _is_standard(module):
                found.append(ForeignImport(node.lineno, module))
    return sorted(found, key=lambda item: item.line)


def _is_import_call(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in {"__import__", "import_module"}
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def standard_library_only(answer: Any, provided: Collection[str] = ()) -> None:
    """Fail with a message naming every way ``answer``'s cell breaks the standard-library rule."""
    located = _cell_of(answer)
    if located is None:
        return
    source, namespace = located
    problems = [str(item) for item in foreign_imports(source)]
    problems += _names_from_elsewhere(source, namespace, set(provided))
    if problems:
        raise AssertionError(
            f"{_name(answer)}'s cell breaks the rule ({STANDARD_LIBRARY_RULE}): "
            + "; ".join(problems)
        )


def _name(answer: Any) -> str:
    return getattr(answer, "__qualname__", None) or type(answer).__name__


def _functions_of(answer: Any) -> Iterator[types.FunctionType]:
    if isinstance(answer, types.MethodType):
        answer = answer.__func__
    if isinstance(answer, types.FunctionType):
        yield answer
    elif isinstance(answer, type):
        for value in vars(answer).values():
            if isinstance(value, staticmethod | classmethod):
                value = value.__func__
            elif isinstance(value, property):
                value = value.fget
            if isinstance(value, types.FunctionType):
                yield value
    elif callable(answer) and not isinstance(answer, type):
        yield from _functions_of(type(answer))


def _cell_of(answer: Any) -> tuple[str, dict[str, Any]] | None:
    """The full source of the cell (or file) that defined ``answer``, and its globals."""
    for function in _functions_of(answer):
        filename = function.__code__.co_filename
        lines = linecache.getlines(filename)
        if lines:
            return "".join(lines), function.__globals__
    return None


def _bound_names(tree: ast.AST) -> set[str]:
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).partition(".")[0])
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            bound.update(node.names)
    return bound


def _annotations(tree: ast.AST) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            yield node.annotation
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            yield node.returns


def _origin(value: Any) -> str:
    if isinstance(value, types.ModuleType):
        return value.__name__
    return getattr(value, "__module__", None) or "__main__"


def _names_from_elsewhere(
    source: str, namespace: dict[str, Any], provided: set[str]
) -> list[str]:
    """Names the cell reads but never binds, found in the kernel: they come from other cells."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    bound = _bound_names(tree)
    in_annotations = {id(name) for annotation in _annotations(tree)
                      for name in ast.walk(annotation)}
    read: dict[str, int] = {}
    for node in ast.walk(tree):
        if id(node) in in_annotations:
            continue  # never evaluated under ``from __future__ import annotations``
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            read[node.id] = min(read.get(node.id, node.lineno), node.lineno)
    problems = []
    for name, line in sorted(read.items(), key=lambda item: item[1]):
        if name in bound or name in provided or hasattr(builtins, name) or name not in namespace:
            continue
        origin = _origin(namespace[name])
        if origin == "__main__":
            where = "defined in another cell"
        elif _is_standard(origin):
            where = f"imported from {origin} in another cell: import it in this cell"
        else:
            where = f"from {origin.partition('.')[0]}, imported in another cell"
        problems.append(f"line {line} uses {name} ({where})")
    return problems
