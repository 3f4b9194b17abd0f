"""The child process that runs a learner's answer: it reports what the code did, never a verdict.

The runner puts ``child_protocol.py`` (how a case's JSON becomes the learner's inputs, which
the diagnosis reads too) and ``child_sockets.py`` (the socket drivers of lesson 6) in front of
this file and runs the three as one source (``python -I -c <source> RESULT_FD``), inside the
sandbox; none imports anything from the grader, and this file alone is not a module. It
reads one job (plain JSON) from stdin, drops to the unprivileged uid and sets its resource
limits if the job says so, points stdin/stdout/stderr at /dev/null, says it is ready, and
then, for each case, runs the answer's source afresh in a new module namespace and drives it
as the case says. One line of plain JSON per case goes to RESULT_FD.

Nothing here knows what the right answer is: the parent sends only inputs, and
compares what comes back with its own expected values. Every builtin the
reporting relies on is saved before learner code runs, so shadowing ``bytes``
or patching ``json`` changes nothing in what is reported. The content of a
returned or handed-over object is read only when its type is exactly
``bytes``, ``bytearray`` or ``memoryview`` (the parent then judges the type);
any other object, whatever its class is called, is reported as foreign, and
marked ``builtin`` when its type is one of Python's own (an ``int`` type byte is
a mistake of the learner's, but not a class of their own).
"""

# KNOWN_ERRORS, frame_room, materialise, chunks_of, convert and reuse come from
# child_protocol.py, and
# _SOCKET_DRIVERS from child_sockets.py: the parts before this one in the child's source.
# ruff: noqa: F821

import builtins
import hashlib
import json
import os
import sys

_bytes = bytes
_bytearray = bytearray
_memoryview = memoryview
_int = int
_bool = bool
_str = str
_list = list
_tuple = tuple
_dict = dict
_type = type
_len = len
_issubclass = issubclass
_getattr = getattr
_exec = exec
_compile = compile
_range = range
_hex = bytes.hex
_tobytes = memoryview.tobytes
_str_join = str.join
_isalnum = str.isalnum
_sha256 = hashlib.sha256
_write = os.write
_sum = sum
_ord = ord
_type_name = type.__dict__["__name__"].__get__
#: Python's own types a learner's code commonly returns where bytes belong, kept before
#: learner code runs (compared by identity: a learner class named ``int`` is not one).
_BUILTIN_TYPES = (int, bool, float, complex, str, list, tuple, dict, set, frozenset,
                  type(None), range)
_traceback_of = BaseException.__dict__["__traceback__"].__get__
_BaseException = BaseException
_Exception = Exception
_LEARNER_FILE = "<answer>"
#: Frames longer than this are reported by length and SHA-256, not in full (the job says how
#: long: ``settings.CHILD_FULL_FRAME_BYTES``; set before any learner code runs).
_full_frame_limit = [0]


class _TooManyFrames(BaseException):
    """Raised by the injected ``handle`` once a case has emitted more frames than it can hold."""


# ---------------------------------------------------------------- plain JSON out


def _encode(value):
    """JSON for the few value kinds the child reports (no learner object reaches here)."""
    kind = _type(value)
    if value is None:
        return "null"
    if kind is _bool:
        return "true" if value else "false"
    if kind is _int:
        return _int.__repr__(value)
    if kind is _str:
        if _isalnum(value):  # hex digests and most names: nothing to escape
            return '"' + value + '"'
        return '"' + _str_join("", [_escape_char(c) for c in value]) + '"'
    if kind is _list:
        return "[" + _str_join(",", [_encode(item) for item in value]) + "]"
    if kind is _dict:
        parts = [_encode(key) + ":" + _encode(item) for key, item in _dict.items(value)]
        return "{" + _str_join(",", parts) + "}"
    return '"?"'


def _escape_char(char):
    code = _ord(char)
    if 0x20 <= code < 0x7F and char not in '"\\':
        return char
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _safe_text(get, limit=500):
    """``str`` of a learner object, or a placeholder if producing it fails."""
    try:
        text = get()
        if _type(text) is not _str:
            return "<not text>"
        return text[:limit]
    except _BaseException:
        return "<unprintable>"


# ---------------------------------------------------------------- describing learner values


def _foreign(kind):
    """Report an object whose content is not read: its type's name, and whether it is Python's."""
    report = {"type": _safe_text(lambda: _type_name(kind), 80), "foreign": True}
    for builtin in _BUILTIN_TYPES:
        if kind is builtin:
            report["builtin"] = True
    return report


def _describe_bytes(value):
    """Report a frame: its type, and its content when the type is a plain byte sequence."""
    kind = _type(value)
    try:
        if kind is _bytes:
            data = value
        elif kind is _bytearray:
            data = _bytes(value)
        elif kind is _memoryview:
            data = _tobytes(value)
        else:
            # Not a built-in byte type, whatever its class is called: no content is read.
            return _foreign(kind)
    except _Exception:
        return {"type": _type_name(kind), "unreadable": True}
    report = {"type": _type_name(kind), "len": _len(data)}
    if _len(data) <= _full_frame_limit[0]:
        report["hex"] = _hex(data)
    else:
        report["sha256"] = _sha256(data).hexdigest()
    return report


def _describe_item(item):
    """Report one item of a returned list: a frame, or a tuple of frames (a message's parts)."""
    if _type(item) is _tuple:
        return {"type": "tuple", "items": [_describe_bytes(part) for part in item[:8]],
                "len": _len(item)}
    return _describe_bytes(item)


def _describe_value(value):
    """Report a return value: frames lists, ints, None, bytes; anything else by type name."""
    kind = _type(value)
    if value is None:
        return {"type": "NoneType"}
    if kind is _int:
        return {"type": "int", "int": _int.__repr__(value)}
    if kind is _list or kind is _tuple:
        return {"type": _type_name(kind), "items": [_describe_item(item) for item in value]}
    if kind is _bytes or kind is _bytearray or kind is _memoryview:
        return _describe_bytes(value)
    return _foreign(kind)


def _describe_length(namespace, name):
    """Report the length of a module-level byte buffer, without trusting a learner ``__len__``."""
    if name not in namespace:
        return {"missing": True}
    value = namespace[name]
    kind = _type(value)
    if kind is _bytes or kind is _bytearray:
        return {"len": _len(value)}
    if kind is _memoryview:
        return {"len": value.nbytes}
    return {"type": _safe_text(lambda: _type_name(kind), 80)}


def _describe_error(error):
    """The error's kind (by the saved builtin classes), its text and the learner's own frames."""
    kind = _type(error)
    known = None
    for name, cls in KNOWN_ERRORS:
        if _issubclass(kind, cls):
            known = name
            break
    frames = []
    tb = _traceback_of(error, kind)
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == _LEARNER_FILE:
            frames.append([tb.tb_lineno, _safe_text(lambda code=code: code.co_name, 80)])
        tb = tb.tb_next
    return {
        "kind": known,
        "name": _safe_text(lambda: _type_name(kind), 80),
        "message": _safe_text(lambda: _str(error)),
        "frames": frames[-20:],
    }


# ---------------------------------------------------------------- drivers


class _Job:
    def __init__(self, job):
        self.answer = _compile(job["source"], _LEARNER_FILE, "exec")

    def fresh_namespace(self, extra):
        """Run the answer afresh; ``extra`` names exist before and after."""
        namespace = {"__name__": "answer", "__builtins__": builtins}
        namespace.update(extra)
        _exec(self.answer, namespace)
        namespace.update(extra)
        return namespace


def _run_stream(job, case):
    """Feed chunks to a module-level function that reports frames through ``handle``."""
    chunks = chunks_of(case)
    limit = frame_room(case, chunks)
    received = []
    counter = [0]

    def handle(frame):
        counter[0] += 1
        if counter[0] > limit:
            raise _TooManyFrames()
        received.append(_describe_bytes(frame))

    result = {"calls": [], "error": None, "overflow": False}
    try:
        namespace = job.fresh_namespace({"handle": handle})
    except _BaseException as error:
        result["error"] = _describe_error(error)
        result["stage"] = "load"
        return result
    received.clear()
    counter[0] = 0
    function_name = case["function"]
    buffer_name = case.get("buffer")
    for chunk in chunks:
        call = {"frames": received}
        result["calls"].append(call)
        try:
            function = namespace[function_name]
            function(convert(chunk, case.get("as", "bytes")))
        except _TooManyFrames:
            result["overflow"] = True
            return result
        except _BaseException as error:
            result["error"] = _describe_error(error)
            result["stage"] = "call"
            return result
        finally:
            received = []
        if buffer_name:
            call["buffer"] = _describe_length(namespace, buffer_name)
    return result


def _run_call(job, case):
    """Call a module-level function once with byte arguments; report what it returned."""
    try:
        namespace = job.fresh_namespace({})
    except _BaseException as error:
        return {"error": _describe_error(error), "stage": "load"}
    args = [convert(materialise(arg), case.get("as", "bytes")) for arg in case["args"]]
    try:
        value = namespace[case["function"]](*args)
    except _BaseException as error:
        return {"error": _describe_error(error), "stage": "call"}
    return {"error": None, "value": _describe_value(value)}


def _run_object(job, case):
    """Build an instance of a learner class and apply operations; report each result."""
    try:
        namespace = job.fresh_namespace({})
        instance = namespace[case["class"]](**case.get("kwargs", {}))
    except _BaseException as error:
        return {"error": _describe_error(error), "stage": "load", "ops": []}
    results = []
    report = {"error": None, "ops": results}
    for op in case["ops"]:
        try:
            results.append(_apply(instance, op))
        except _BaseException as error:
            report["error"] = _describe_error(error)
            report["stage"] = "call"
            report["error_frames"] = _describe_carried(error, "frames")
            break
    return report


def _describe_carried(error, name):
    """What an exception carries as attribute ``name`` (lesson 6: the frames before it)."""
    try:
        value = _getattr(error, name)
    except _BaseException:
        return {"missing": True}
    return _describe_value(value)


def _apply(instance, op):
    action = op[0]
    if action == "feed":
        chunk = convert(materialise(op[1]), op[2])
        report = _describe_value(instance.feed(chunk))
        reuse(chunk, op[2])
        return report
    if action == "close":
        return _describe_value(instance.close())
    if action == "attr":
        return _describe_value(_getattr(instance, op[1]))
    if action == "feed_every":
        # One op for a long stream in many feeds (the linear-time check): report the frames only.
        stream = materialise(op[1])
        size = op[2]
        frames = []
        for pos in _range(0, _len(stream), size):
            value = instance.feed(convert(stream[pos : pos + size], op[3]))
            if _type(value) is not _list:
                return _describe_value(value)
            frames.extend(value)
        return _describe_value(frames)
    raise RuntimeError("unknown operation")


def _run_load(job, case):
    """Run the answer once and say whether it defines the task's name."""
    try:
        namespace = job.fresh_namespace({"handle": lambda frame: None})
    except _BaseException as error:
        return {"error": _describe_error(error), "stage": "load"}
    return {"error": None, "defined": case["name"] in namespace}


_DRIVERS = {
    "stream": _run_stream,
    "call": _run_call,
    "object": _run_object,
    "load": _run_load,
    **_SOCKET_DRIVERS,
}


def main():
    result_fd = _int(sys.argv[1])
    raw = b""
    while True:
        piece = os.read(0, 1 << 20)
        if not piece:
            break
        raw += piece
    request = json.loads(raw)
    if request.get("drop_to_uid") is not None and os.getuid() == 0:
        # Inside the sandbox the child starts as root; learner code never does.
        os.setgroups([])
        os.setgid(request["drop_to_uid"])
        os.setuid(request["drop_to_uid"])
    import resource

    for name, value in request.get("rlimits", {}).items():
        # Soft and hard alike: learner code cannot raise them again.
        resource.setrlimit(_getattr(resource, name), (value, value))
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    job = _Job(request)
    _full_frame_limit[0] = request["full_frame_bytes"]
    sys.setrecursionlimit(request["recursion_limit"])
    _send(result_fd, {"ready": True})
    for case in request["cases"]:
        report = _DRIVERS[case["driver"]](job, case)
        report["id"] = case["id"]
        _send(result_fd, report)


def _send(fd, report):
    view = _memoryview((_encode(report) + "\n").encode())
    while view:
        written = _write(fd, view)
        view = view[written:]


if __name__ == "__main__":
    main()
