"""The child's socket drivers (lesson 6's socket side): real socket pairs, adversarial peers.

Part of the child's source (the runner joins it between ``child_protocol.py`` and
``child.py``), so it imports nothing from the grader either. A ``recv`` case gives the
learner's function one end of a ``socket.socketpair()``; a peer thread on the other end
sends the case's pieces one at a time, each only once every earlier byte has been read (so
every ``recv()`` sees at most one piece, whatever the machine's timing), and then closes or
holds the connection open. A ``send`` case hands the learner's ``send_all`` a socket whose
``send()`` accepts at most the next of the case's sizes, and has no ``sendall``; a reader
thread collects what arrives. The socket functions are saved before learner code runs, as
the other drivers save builtins.
"""

# The child's own helpers (_describe_value, the saved builtins ...) are defined in child.py,
# which follows this part in the one source the runner runs; materialise in child_protocol.py,
# which comes first.
# ruff: noqa: F821

import socket as _socket_module
import threading as _threading_module

_socketpair = _socket_module.socketpair
_SHUT_WR = _socket_module.SHUT_WR
_sock_send = _socket_module.socket.send
_sock_sendall = _socket_module.socket.sendall
_sock_recv = _socket_module.socket.recv
_sock_recv_into = _socket_module.socket.recv_into
_sock_settimeout = _socket_module.socket.settimeout
_sock_shutdown = _socket_module.socket.shutdown
_sock_close = _socket_module.socket.close
_Thread = _threading_module.Thread
_Condition = _threading_module.Condition
_min = min
#: Seconds the learner's end waits in recv() for bytes that will not come (a held peer).
_RECV_WAIT = 1.0
#: Bytes a send case's reader takes beyond the data before it stops reading (a runaway).
_SEND_SLACK = 1 << 16


class _SequencedPeer:
    """The far end: sends each piece once everything before it was read, then closes or holds."""

    def __init__(self, sock, pieces, hold):
        self.sock = sock
        self.pieces = pieces
        self.hold = hold
        self.read = 0
        self.done = False
        self.ready = _Condition()

    def consumed(self, count):
        with self.ready:
            self.read += count
            self.ready.notify_all()

    def finish(self):
        with self.ready:
            self.done = True
            self.ready.notify_all()

    def run(self):
        sent = 0
        try:
            for piece in self.pieces:
                with self.ready:
                    while self.read < sent and not self.done:
                        self.ready.wait(0.05)
                    if self.done:
                        return
                _sock_sendall(self.sock, piece)
                sent += _len(piece)
            if self.hold:
                with self.ready:
                    while not self.done:
                        self.ready.wait(0.05)
        except OSError:
            pass
        finally:
            _sock_close(self.sock)


class PeerSocket:
    """The learner's end of the pair: recv() and recv_into() take at most ``most`` bytes a call."""

    def __init__(self, sock, peer, most):
        self._sock = sock
        self._peer = peer
        self._most = most

    def _limit(self, wanted):
        return wanted if self._most is None else _min(wanted, self._most)

    def recv(self, bufsize, flags=0):
        data = _sock_recv(self._sock, self._limit(bufsize), flags)
        self._peer.consumed(_len(data))
        return data

    def recv_into(self, buffer, nbytes=0, flags=0):
        wanted = nbytes or _len(_memoryview(buffer).cast("B"))
        count = _sock_recv_into(self._sock, buffer, self._limit(wanted), flags)
        self._peer.consumed(count)
        return count


class StingySocket:
    """A socket whose send() accepts at most the next of ``sizes`` bytes; it has no sendall."""

    def __init__(self, sock, sizes):
        self._sock = sock
        self._sizes = sizes
        self.calls = 0

    def send(self, data, flags=0):
        most = self._sizes[self.calls % _len(self._sizes)]
        self.calls += 1
        return _sock_send(self._sock, _memoryview(data).cast("B")[:most], flags)


def _run_recv(job, case):
    """Call the learner's function on one end of a socket pair, as often as the case says."""
    try:
        namespace = job.fresh_namespace({})
        function = namespace[case["function"]]
    except _BaseException as error:
        return {"error": _describe_error(error), "stage": "load", "calls": []}
    ours, theirs = _socketpair()
    _sock_settimeout(ours, case.get("wait", _RECV_WAIT))
    pieces = [materialise(piece) for piece in case["pieces"]]
    peer = _SequencedPeer(theirs, pieces, case.get("hold", False))
    thread = _Thread(target=peer.run, daemon=True)
    thread.start()
    sock = PeerSocket(ours, peer, case.get("most"))
    calls = []
    try:
        for args in case["calls"]:
            try:
                calls.append({"value": _describe_value(function(sock, *args))})
            except _BaseException as error:
                calls.append({"error": _describe_error(error)})
                break
    finally:
        peer.finish()
        _sock_close(ours)  # first: a peer blocked in sendall() then stops at once
        thread.join(5)
    return {"error": None, "calls": calls}


def _run_send(job, case):
    """Call the learner's send_all with a stingy socket; report what the peer received."""
    try:
        namespace = job.fresh_namespace({})
        function = namespace[case["function"]]
    except _BaseException as error:
        return {"error": _describe_error(error), "stage": "load"}
    data = materialise(case["data"])
    ours, theirs = _socketpair()
    _sock_settimeout(ours, 2.0)
    _sock_settimeout(theirs, 2.0)
    received = _bytearray()
    limit = _len(data) + _SEND_SLACK

    def read():
        try:
            while _len(received) < limit:
                piece = _sock_recv(theirs, 1 << 16)
                if not piece:
                    return
                received.extend(piece)
        except OSError:
            pass

    reader = _Thread(target=read, daemon=True)
    reader.start()
    stingy = StingySocket(ours, case["sizes"])
    report = {"error": None}
    try:
        report["value"] = _describe_value(function(stingy, data))
    except _BaseException as error:
        report["error"] = _describe_error(error)
    finally:
        try:
            _sock_shutdown(ours, _SHUT_WR)
        except OSError:
            pass
        reader.join(5)
        _sock_close(ours)
        _sock_close(theirs)
    report["received"] = _describe_bytes(_bytes(received))
    report["sends"] = stingy.calls
    return report


_SOCKET_DRIVERS = {"recv": _run_recv, "send": _run_send}
