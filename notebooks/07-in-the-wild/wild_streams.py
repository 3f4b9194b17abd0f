"""Real byte streams for lesson 7, made by real implementations, and their recorded copies.

Each ``make_*`` function lets a real implementation talk to itself and returns
a ``Capture``: the bytes one side wrote, in the pieces it wrote them, plus what
that implementation says it sent (its own parser's or its own API's view), to
check decoded frames against.

- TLS: Python's ``ssl`` client and server over ``MemoryBIO`` (no network);
- HTTP/2: an ``h2`` client and server (the server's side of the stream);
- WebSocket: a ``wsproto`` client and server (the client's masked frames);
- PostgreSQL: a real server started on a free 127.0.0.1 port in a temporary
  directory, spoken to with a socket; ``load_capture("postgres")`` reads the
  copy recorded by ``scripts/record_captures.py`` for machines without one;
- protobuf: ``google.protobuf.proto.serialize_length_prefixed``.

Nothing here decodes frames: that is the learner's job (and framinglib's).
Only the standard library is needed to import this module; each maker
imports its library when called and raises ``Unavailable`` without it.
"""

from __future__ import annotations

import base64
import glob
import json
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Capture",
    "DATA",
    "Unavailable",
    "load_capture",
    "make_h2",
    "make_postgres",
    "make_protobuf",
    "make_tls",
    "make_websocket",
    "save_capture",
]

#: Where the recorded captures live, beside the lesson.
DATA = Path(__file__).resolve().parent / "data"


class Unavailable(RuntimeError):
    """The implementation that makes a stream is missing here (a library, or a server)."""


@dataclass
class Capture:
    """One direction of a real conversation.

    ``writes`` are the pieces the sender handed to its transport, in order;
    ``said`` is what the producing implementation reports it sent, one entry
    per frame where it can tell (a list of JSON-friendly values);
    ``recorded_with`` names the implementation and its version.
    """

    protocol: str
    writes: list[bytes]
    said: list[Any] = field(default_factory=list)
    recorded_with: str = ""
    notes: str = ""

    @property
    def stream(self) -> bytes:
        """Everything that was sent, as one byte string."""
        return b"".join(self.writes)


# --- TLS ----------------------------------------------------------------------------------------

def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for ``localhost``, made by the openssl program."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise Unavailable("the openssl program is not installed, so no test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )
    return cert, key


def make_tls(message: bytes = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
             reply_size: int = 20_000) -> Capture:
    """A TLS handshake and a reply, the server's side: every byte it wrote.

    ``said`` holds the 5-byte record headers OpenSSL reports writing (through
    ``SSLContext._msg_callback``, CPython's hook for its own tests), as
    ``[content_type, version, length]``.
    """
    with tempfile.TemporaryDirectory() as folder:
        cert, key = _self_signed_certificate(Path(folder))
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(cert, key)
        client_context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        client_context.load_verify_locations(cert)
    said: list[Any] = []

    def on_message(conn: Any, direction: str, version: Any, content_type: Any,
                   msg_type: Any, data: bytes) -> None:
        if direction == "write" and content_type == ssl._TLSContentType.HEADER:  # type: ignore[attr-defined]
            said.append([data[0], int.from_bytes(data[1:3], "big"),
                         int.from_bytes(data[3:5], "big")])

    server_context._msg_callback = on_message  # type: ignore[attr-defined]
    to_server, to_client = ssl.MemoryBIO(), ssl.MemoryBIO()
    client_in, server_in = ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_context.wrap_bio(client_in, to_server, server_hostname="localhost")
    server = server_context.wrap_bio(server_in, to_client, server_side=True)
    writes: list[bytes] = []

    def pump() -> None:
        """Move what each side wrote to the other side's incoming BIO."""
        if to_server.pending:
            server_in.write(to_server.read())
        if to_client.pending:
            piece = to_client.read()
            writes.append(piece)
            client_in.write(piece)

    done = {"client": False, "server": False}
    for _ in range(20):
        for name, side in (("client", client), ("server", server)):
            if not done[name]:
                try:
                    side.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
            pump()
        if all(done.values()):
            break
    else:
        raise RuntimeError("the TLS handshake did not finish")
    client.write(message)
    pump()
    request = server.read(len(message))
    server.write(b"R" * reply_size)
    pump()
    received = b""
    while len(received) < reply_size:
        received += client.read(reply_size)
    assert request == message and received == b"R" * reply_size
    return Capture("tls", writes, said,
                   recorded_with=f"Python {_python()} ssl, {ssl.OPENSSL_VERSION}",
                   notes=f"server to client: handshake, then {reply_size} bytes of reply")


# --- HTTP/2 -------------------------------------------------------------------------------------

def make_h2(body: bytes = b"hello, h2! " * 1500) -> Capture:
    """An HTTP/2 response, the server's side: SETTINGS, HEADERS, DATA frames and the rest.

    ``said`` lists each frame as the ``hyperframe`` parser (h2's own) reads it:
    ``[type, flags, stream_id, length]``.
    """
    try:
        import h2
        import h2.config
        import h2.connection
        from hyperframe.frame import Frame
    except ImportError as missing:
        raise Unavailable(f"h2 is not installed ({missing})") from None
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    client.initiate_connection()
    client.send_headers(1, [(":method", "GET"), (":path", "/"), (":scheme", "https"),
                            (":authority", "localhost")], end_stream=True)
    server.receive_data(client.data_to_send())
    server.initiate_connection()
    writes = [server.data_to_send()]
    server.send_headers(1, [(":status", "200"), ("content-type", "text/plain"),
                            ("content-length", str(len(body)))])
    window = server.local_flow_control_window(1)
    size = server.max_outbound_frame_size
    sent = 0
    while sent < len(body) and window > 0:
        piece = body[sent : sent + min(size, window)]
        server.send_data(1, piece, end_stream=sent + len(piece) == len(body))
        sent += len(piece)
        window -= len(piece)
        writes.append(server.data_to_send())
    writes.append(server.data_to_send())
    writes = [piece for piece in writes if piece]
    stream = b"".join(writes)
    said: list[Any] = []
    pos = 0
    while pos < len(stream):
        frame, length = Frame.parse_frame_header(memoryview(stream[pos : pos + 9]))
        said.append([frame.type, sorted(frame.flags), frame.stream_id, length])
        pos += 9 + length
    client.receive_data(stream)  # the client accepts every byte: a well-formed stream
    return Capture("h2", writes, said, recorded_with=f"h2 {h2.__version__}",
                   notes=f"server to client: a {len(body)}-byte response")


# --- WebSocket ----------------------------------------------------------------------------------

def make_websocket(messages: tuple[Any, ...] = (
        "hello", b"\x00\x01" * 100, "x" * 70_000, b"ping!")) -> Capture:
    """WebSocket frames a ``wsproto`` client sends after its handshake (masked, as clients must).

    ``messages`` are sent in order (str as text, bytes as binary; the last as
    a Ping), then a Close. ``said`` lists what the ``wsproto`` server made of
    them, one event per frame: ``[event name, payload length]``.
    """
    try:
        import wsproto
        from wsproto import ConnectionType, WSConnection
        from wsproto.events import (
            AcceptConnection,
            BytesMessage,
            CloseConnection,
            Message,
            Ping,
            Request,
            TextMessage,
        )
    except ImportError as missing:
        raise Unavailable(f"wsproto is not installed ({missing})") from None
    client = WSConnection(ConnectionType.CLIENT)
    server = WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="localhost", target="/chat")))
    for event in server.events():
        if isinstance(event, Request):
            client.receive_data(server.send(AcceptConnection()))
    list(client.events())
    writes = []
    *data_messages, ping = messages
    for message in data_messages:
        event = (TextMessage(data=message) if isinstance(message, str)
                 else BytesMessage(data=message))
        writes.append(client.send(event))
    writes.append(client.send(Ping(payload=ping)))
    writes.append(client.send(CloseConnection(code=1000, reason="done")))
    said: list[Any] = []
    for piece in writes:
        server.receive_data(piece)
        for event in server.events():
            if isinstance(event, Message):
                size = len(event.data.encode() if isinstance(event.data, str) else event.data)
                said.append([type(event).__name__, size])
            elif isinstance(event, Ping):
                said.append(["Ping", len(event.payload)])
            elif isinstance(event, CloseConnection):
                said.append(["CloseConnection", int(event.code)])
    return Capture("websocket", writes, said, recorded_with=f"wsproto {wsproto.__version__}",
                   notes="client to server, after the HTTP upgrade: masked frames")


# --- PostgreSQL ---------------------------------------------------------------------------------

#: The query the PostgreSQL capture runs (a few rows, a few types, no table needed).
QUERY = ("SELECT n, repeat('ab', n) AS text, n * 1.5 AS half "
         "FROM generate_series(1, 3) AS n")


def _pg_bin() -> Path:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise Unavailable("no PostgreSQL server here (initdb and pg_ctl not found)")
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _message(kind: bytes, body: bytes) -> bytes:
    return kind + (4 + len(body)).to_bytes(4, "big") + body


def _read_until_ready(sock: socket.socket, writes: list[bytes]) -> None:
    """Receive until the stream ends with a ReadyForQuery message ('Z', length 5, status)."""
    seen = b""
    while not (seen.endswith(b"Z\x00\x00\x00\x05I") or seen.endswith(b"Z\x00\x00\x00\x05T")):
        piece = sock.recv(65536)
        if not piece:
            raise RuntimeError("the server closed the connection")
        writes.append(piece)
        seen = (seen + piece)[-6:]


class _Server:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (as an unprivileged user when we are root)."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.account = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            for name in ("postgres", "nobody"):
                try:
                    self.account = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            else:
                raise Unavailable("running as root with no postgres or nobody account")
        self.root = Path(tempfile.mkdtemp(prefix="pg-wild-", dir="/tmp"))
        if self.account is not None:
            os.chown(self.root, self.account.pw_uid, self.account.pw_gid)
        self.port = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.account is not None:
            command = ["setpriv", f"--reuid={self.account.pw_uid}",
                       f"--regid={self.account.pw_gid}", "--clear-groups", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60, cwd=self.root,
                       env={**os.environ, "LC_ALL": "C"})

    def start(self) -> None:
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        self.port = _free_port()
        self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "log"), "-w", "-t", "30",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off", "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)


#: More queries for the grader's capture: a row bigger than 64 KiB, a NULL, an error, an
#: empty query (whose EmptyQueryResponse has no body at all), a notice.
GRADING_QUERIES = (
    "SELECT repeat('x', 70000) AS big, NULL AS nothing",
    "SELECT 1 / 0",
    "",
    "DO $$ BEGIN RAISE NOTICE 'hello from the server'; END $$",
    "SELECT g, md5(g::text) FROM generate_series(1, 40) AS g",
)


def make_postgres(query: str = QUERY, more: tuple[str, ...] = (),
                  protocol: str = "postgres") -> Capture:
    """Start a real PostgreSQL server, log in, run ``query``, and record what the server sent.

    The client side is a plain socket speaking protocol 3.0 (StartupMessage,
    Query, Terminate); the queries in ``more`` follow ``query``, one Query
    message each. ``said`` holds the rows the server returned for ``query``
    through psycopg2 (libpq), each value as text, when psycopg2 is installed.
    The server is stopped and its directory removed afterwards.
    """
    server = _Server()
    started = time.monotonic()
    try:
        try:
            server.start()
        except (subprocess.SubprocessError, OSError) as error:
            detail = getattr(error, "stderr", b"") or b""
            text = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
            raise Unavailable(f"the PostgreSQL server did not start: {error} {text[-300:]}"
                              ) from error
        writes: list[bytes] = []
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            params = (b"user\x00postgres\x00database\x00postgres\x00"
                      b"application_name\x00lesson7\x00\x00")
            body = (196608).to_bytes(4, "big") + params  # protocol 3.0
            sock.sendall((4 + len(body)).to_bytes(4, "big") + body)
            _read_until_ready(sock, writes)
            for text in (query, *more):
                sock.sendall(_message(b"Q", text.encode() + b"\x00"))
                _read_until_ready(sock, writes)
            sock.sendall(_message(b"X", b""))
        said: list[Any] = []
        try:
            import psycopg2
        except ImportError:
            pass
        else:
            with psycopg2.connect(host="127.0.0.1", port=server.port, user="postgres",
                                  dbname="postgres") as connection, connection.cursor() as cursor:
                cursor.execute(query)
                # str() of psycopg2's int, str and Decimal is PostgreSQL's own text form.
                said = [[str(value) for value in row] for row in cursor.fetchall()]
            connection.close()
        version = subprocess.run([str(server.bin / "postgres"), "--version"],
                                 capture_output=True, text=True).stdout.strip()
    finally:
        server.stop()
    queries = f"{query!r}" + (f" and {len(more)} more queries" if more else "")
    return Capture(protocol, writes, said, recorded_with=version,
                   notes=f"server to client: login, then {queries}; "
                         f"{time.monotonic() - started:.1f} s with the server's start and stop")


# --- protobuf -----------------------------------------------------------------------------------

def make_protobuf(count: int = 5) -> Capture:
    """Varint-delimited protobuf messages (``google.protobuf.Struct``), as protobuf writes them.

    ``said`` holds each message as protobuf parses it back (a JSON object).
    """
    try:
        import io

        import google.protobuf
        from google.protobuf import json_format, proto, struct_pb2
    except ImportError as missing:
        raise Unavailable(f"protobuf is not installed ({missing})") from None
    writes, said = [], []
    for number in range(count):
        message = struct_pb2.Struct()
        message.update({"seq": number, "text": "frame " * (number * 12 + 1)})
        out = io.BytesIO()
        proto.serialize_length_prefixed(message, out)
        writes.append(out.getvalue())
        said.append(json_format.MessageToDict(message))
    return Capture("protobuf", writes, said,
                   recorded_with=f"protobuf {google.protobuf.__version__}",
                   notes="serialize_length_prefixed, one call per message")


# --- recorded copies ----------------------------------------------------------------------------

def save_capture(capture: Capture, folder: Path = DATA) -> Path:
    """Write ``capture`` as JSON (the pieces in base64) to ``folder/<protocol>.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{capture.protocol}.json"
    record = {
        "protocol": capture.protocol,
        "recorded_with": capture.recorded_with,
        "notes": capture.notes,
        "writes": [base64.b64encode(piece).decode() for piece in capture.writes],
        "said": capture.said,
    }
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def load_capture(protocol: str, folder: Path = DATA) -> Capture:
    """Read a capture saved by ``save_capture`` (``scripts/record_captures.py``)."""
    record = json.loads((folder / f"{protocol}.json").read_text())
    return Capture(record["protocol"], [base64.b64decode(p) for p in record["writes"]],
                   record["said"], record["recorded_with"], record["notes"])


def _python() -> str:
    import platform

    return platform.python_version()
