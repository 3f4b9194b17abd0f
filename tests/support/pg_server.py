"""A throwaway PostgreSQL server for tests: its own data directory, port and socket, always stopped.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
``postgres`` system user (created by Debian's ``postgresql`` package), falling back to ``nobody``.
Binaries come from PATH or from Debian's versioned directory ``/usr/lib/postgresql/*/bin``;
``scripts/install-system-deps.sh`` installs them when neither has them.

Usage::

    with PostgresServer() as server:
        url = server.create_database("gradebook")   # postgresql://postgres@127.0.0.1:PORT/gradebook
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SUPERUSER = "postgres"
# The server's own account when we are root; the first one that exists is used.
SERVER_ACCOUNTS = ("postgres", "nobody")
START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """The machine has no PostgreSQL server binaries (or no account that may run them)."""


def find_pg_bin() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``: PATH first, else the newest Debian one."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    versions = [Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    versions.sort(key=lambda bin_dir: _version_number(bin_dir))
    if versions:
        return versions[-1]
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) are neither on PATH nor in"
        " /usr/lib/postgresql/*/bin; `make system-deps` (scripts/install-system-deps.sh)"
        " installs Debian's postgresql"
    )


def _version_number(bin_dir: Path) -> int:
    """15 for /usr/lib/postgresql/15/bin (0 when the folder is not a plain number)."""
    name = bin_dir.parent.name
    return int(name) if name.isdigit() else 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_ACCOUNTS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresUnavailable(f"running as root and none of the accounts {SERVER_ACCOUNTS} exists")


class PostgresServer:
    """One PostgreSQL cluster in a temp directory, on 127.0.0.1 and a private socket directory."""

    def __init__(self) -> None:
        self.bin_dir = find_pg_bin()
        self.account = _server_account()
        self.port = 0
        self.root: Path | None = None
        self._running = False

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        """Create the cluster and start the server; raises with the server log if it won't start."""
        self.root = Path(tempfile.mkdtemp(prefix="pg-test-", dir=self._parent_dir()))
        # mkdtemp makes a 0700 dir owned by us; the server account must own it to write there.
        if self.account is not None:
            os.chown(self.root, self.account.pw_uid, self.account.pw_gid)
        self._run(
            "initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )
        last_error = ""
        for _ in range(START_ATTEMPTS):  # another process may take the port between probe and bind
            self.port = free_port()
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", "30",
                    "-o", self._server_options(), "start",
                )
            except subprocess.CalledProcessError as error:
                last_error = f"{error.stderr}\n{self.log_text()}"
                continue
            self._running = True
            return self
        self.stop()
        raise RuntimeError(
            f"PostgreSQL did not start after {START_ATTEMPTS} attempts:\n{last_error}"
        )

    def stop(self) -> None:
        """Stop the server at once (nothing in it needs to survive) and delete its directory."""
        if self._running:
            self._run(
                "pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", check=False
            )
            self._running = False
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- use -----------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root

    @property
    def log_file(self) -> Path:
        assert self.root is not None, "server not started"
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg2 driver) for one database of this server, over TCP."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def psql(self, database: str, sql: str) -> str:
        """Run SQL through the psql client found next to the server (unaligned, tuples only)."""
        psql = self.bin_dir / "psql"
        program = str(psql) if psql.exists() else "psql"
        result = subprocess.run(
            [program, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", SUPERUSER, "-d", database, "-c", sql],
            capture_output=True, text=True, check=True,
        )
        return result.stdout

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    # --- internals -----------------------------------------------------------------------------

    def _parent_dir(self) -> str:
        """Where to make the server's directory: the usual temp dir when the server account can
        reach it and the socket path stays short (Unix sockets allow about 100 bytes), else /tmp."""
        parent = Path(tempfile.gettempdir()).resolve()
        too_long = len(str(parent)) > 60
        unreachable = self.account is not None and any(
            not folder.stat().st_mode & 0o001 for folder in (parent, *parent.parents)
        )
        return "/tmp" if too_long or unreachable else str(parent)

    def _server_options(self) -> str:
        # fsync off: a test database never needs to survive a crash, and it makes writes cheap.
        return (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / program), *args]
        if self.account is not None:
            # setpriv drops to the account without a login shell or PAM; PostgreSQL refuses root.
            command = [
                "setpriv", f"--reuid={self.account.pw_uid}", f"--regid={self.account.pw_gid}",
                "--clear-groups", "--", *command,
            ]
        return subprocess.run(
            command, capture_output=True, text=True, check=check, cwd=self.root,
            env={**os.environ, "LC_ALL": "C"},
        )


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[PostgresServer]:
    """A running server for the module's tests; skips them when PostgreSQL is not installed."""
    try:
        server = PostgresServer()
    except PostgresUnavailable as missing:
        pytest.skip(str(missing))
    with server:
        yield server
