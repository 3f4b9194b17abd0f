"""The part of the case format that the child and the grader's process must read alike.

How a case's plain JSON becomes the bytes the learner's code is given (``materialise``,
``chunks_of``, ``convert``, ``reuse``), and which exception kinds a report names
(``KNOWN_ERRORS``). The child runs these to build its inputs; the diagnosis
(``grader.diagnosis.simulate``) imports this module to give its trusted implementations
the very same inputs. One definition, so the two can never drift apart.

The runner puts this file first in the child's one source (see ``runner.CHILD_PARTS``), so it
imports nothing and saves the builtins it uses before any learner code runs, as the rest of
the child does; imported as a module it works alone.
"""

_bytes = bytes
_bytearray = bytearray
_memoryview = memoryview
_str = str
_type = type
_len = len
_range = range
_from_hex = bytes.fromhex
_join = bytes.join

#: Exception classes a check may expect, most specific first.
KNOWN_ERRORS = (
    ("EOFError", EOFError),
    ("ValueError", ValueError),
    ("TypeError", TypeError),
    ("NotImplementedError", NotImplementedError),
    ("RecursionError", RecursionError),
    ("MemoryError", MemoryError),
    ("NameError", NameError),
    ("AttributeError", AttributeError),
)


def frame_room(case, chunks):
    """How many frames a call may hand over before the child stops counting: the case's
    ``max_frames``, else more than the chunks could hold (a frame costs at least 4 bytes)."""
    room = case.get("max_frames")
    if room is None:
        room = 0
        for chunk in chunks:
            room += _len(chunk)
        room = room // 4 + 8
    return room


def materialise(spec):
    """Bytes from a part list: hex strings and ``[byte, count]`` fills."""
    if _type(spec) is _str:
        return _from_hex(spec)
    pieces = []
    for part in spec:
        if _type(part) is _str:
            pieces.append(_from_hex(part))
        else:
            pieces.append(_bytes([part[0]]) * part[1])
    return _join(b"", pieces)


def chunks_of(case):
    """The chunks a case delivers: explicit hex chunks, or a stream cut at positions or evenly."""
    if "chunks" in case:
        return [_from_hex(chunk) for chunk in case["chunks"]]
    stream = materialise(case["stream"])
    if "every" in case:
        size = case["every"]
        return [stream[pos : pos + size] for pos in _range(0, _len(stream), size)]
    bounds = [0, *case.get("cuts", []), _len(stream)]
    return [stream[bounds[i] : bounds[i + 1]] for i in _range(_len(bounds) - 1)]


def convert(data, as_type):
    """``data`` as the type a case feeds it as (``reused``: a bytearray the caller reuses)."""
    if as_type == "bytearray" or as_type == "reused":
        return _bytearray(data)
    if as_type == "memoryview":
        return _memoryview(data)
    return data


def reuse(chunk, as_type):
    """After a ``reused`` chunk was fed, overwrite it, as a caller's next ``recv_into`` would."""
    if as_type == "reused":
        chunk[:] = _bytes([0xEE]) * _len(chunk)
