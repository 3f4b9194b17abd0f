"""A real JupyterHub for a test: the learners' environment, Linux users, the Hub, REST calls.

Everything is built with the project's own recipe (deploy/learners/install.sh,
deploy/jupyterhub_config.py, deploy/nbgrader_config.py) and stopped or removed again:

- the learners' environment is a venv made from /usr/bin/python3 (every user must be able to run
  it; the pyenv Python under /root is 0700). Installing JupyterHub, JupyterLab, Notebook 7 and
  nbgrader into it takes minutes, so the venv is kept between runs in a world-readable folder
  under /tmp, keyed by the recipe's files; each run re-installs the freshly built learners'
  wheel into it (seconds);
- Linux users get names unique to the run and are removed with their homes, after any process
  still running as them (a server the Hub did not stop) is killed by pid;
- the Hub runs in its own session, so SIGTERM to its process group ends it and its proxy; users'
  servers (their own sessions) are stopped through the REST API first.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
SYSTEM_PYTHON = Path("/usr/bin/python3")
ENV_CACHE_ROOT = Path(tempfile.gettempdir()) / "framing-course-hub-envs"
#: The recipe files whose change means the learners' venv must be built afresh.
ENV_RECIPE = (DEPLOY / "learners" / "install.sh", DEPLOY / "learners" / "requirements.txt")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure raise with its output (the test log then says why)."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {result.returncode}:\n"
                           f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


# --- the learners' environment -----------------------------------------------------------------


def learners_env() -> tuple[Path, float]:
    """The learners' venv, built or brought up to date by install.sh; (prefix, seconds taken)."""
    digest = hashlib.sha256(run([str(SYSTEM_PYTHON), "--version"]).stdout.encode())
    for path in ENV_RECIPE:
        digest.update(path.read_bytes())
    key = digest.hexdigest()[:12]
    ENV_CACHE_ROOT.mkdir(exist_ok=True)
    info = ENV_CACHE_ROOT.lstat()
    if info.st_uid != os.getuid() or ENV_CACHE_ROOT.is_symlink():
        raise RuntimeError(f"{ENV_CACHE_ROOT} is not ours (uid {info.st_uid}): remove it")
    ENV_CACHE_ROOT.chmod(0o755)
    for stale in ENV_CACHE_ROOT.iterdir():
        if stale.name != key:
            shutil.rmtree(stale, ignore_errors=True)
    folder = ENV_CACHE_ROOT / key
    folder.mkdir(mode=0o755, exist_ok=True)
    prefix = folder / "env"
    started = time.monotonic()
    run(["bash", str(DEPLOY / "learners" / "install.sh"), str(prefix), str(SYSTEM_PYTHON)],
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return prefix, time.monotonic() - started


# --- Linux users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinuxUser:
    name: str
    uid: int
    gid: int
    home: Path


def create_user(prefix: str) -> LinuxUser:
    """A new Linux user with a home (Debian's default mode), named uniquely for this run."""
    name = f"{prefix}{uuid.uuid4().hex[:8]}"
    run(["useradd", "--create-home", "--shell", "/bin/bash", name])
    entry = pwd.getpwnam(name)
    return LinuxUser(name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


def _pids_of(uid: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("Uid:"):
                    if int(line.split()[1]) == uid:
                        pids.append(int(status.parent.name))
                    break
        except (OSError, ValueError):
            continue
    return pids


def remove_user(user: LinuxUser) -> None:
    """Kill what still runs as `user` (by pid), then delete the user and their home."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _pids_of(user.uid)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if pids:
            time.sleep(1.0)
    subprocess.run(["userdel", "--remove", user.name], capture_output=True)
    if user.home.exists():
        shutil.rmtree(user.home, ignore_errors=True)


def as_user(user: LinuxUser, command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    """Run `command` as `user` (uid, gid and groups), from the user's home."""
    return subprocess.run(["setpriv", f"--reuid={user.uid}", f"--regid={user.gid}",
                           "--init-groups", *command], capture_output=True, text=True,
                          cwd=user.home, **kwargs)


# --- the Hub -----------------------------------------------------------------------------------

SERVICE_NAME = "course-test"
SERVICE_SCOPES = ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"]


class Hub:
    """JupyterHub started from the sample config with the few changes a test needs."""

    def __init__(self, state: Path, env_prefix: Path, users: list[LinuxUser],
                 environment: dict[str, str]) -> None:
        self.state, self.env_prefix, self.users = state, env_prefix, users
        self.environment = environment
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.service_token = secrets.token_hex(24)
        self.password = secrets.token_urlsafe(12)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = state / "jupyterhub.log"

    def _config_text(self) -> str:
        usernames = sorted(user.name for user in self.users)
        return f"""\
# The sample config, then only what a test must change.
load_subconfig({str(DEPLOY / "jupyterhub_config.py")!r})  # noqa: F821
c.JupyterHub.bind_url = {self.url!r}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.JupyterHub.cookie_secret_file = {str(self.state / "cookie_secret")!r}
c.JupyterHub.db_url = "sqlite:///{self.state / 'jupyterhub.sqlite'}"
c.JupyterHub.pid_file = {str(self.state / "jupyterhub.pid")!r}
# No PAM passwords for throwaway users: one shared password, these users only.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {self.password!r}
c.Authenticator.allowed_users = {set(usernames)!r}
c.JupyterHub.services = [{{"name": {SERVICE_NAME!r}, "api_token": {self.service_token!r}}}]
c.JupyterHub.load_roles = [{{"name": {SERVICE_NAME!r}, "scopes": {SERVICE_SCOPES!r},
                            "services": [{SERVICE_NAME!r}]}}]
c.Spawner.environment = {self.environment!r}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""

    def start(self, timeout: float = 60.0) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        config = self.state / "jupyterhub_config.py"
        config.write_text(self._config_text())
        env = {**os.environ, "FRAMING_LEARNERS_ENV": str(self.env_prefix),
               "PATH": f"{self.env_prefix / 'bin'}{os.pathsep}/usr/local/bin:/usr/bin:/bin"}
        env.pop("VIRTUAL_ENV", None)
        env.pop("PYTHONPATH", None)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(self.env_prefix / "bin" / "jupyterhub"), "-f", str(config)],
                cwd=self.state, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited {self.process.returncode}:\n{self.log()}")
            try:
                self.api("GET", "/")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise RuntimeError(f"jupyterhub did not answer within {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        """A Hub REST call as the test's service; (status, decoded JSON or None)."""
        status, data = http(method, f"{self.url}/hub/api{path}", self.service_token,
                            json_body=body)
        try:
            return status, (json.loads(data) if data.strip() else None)
        except ValueError:  # an error page (the proxy's "Not Found", say)
            return status, data.decode(errors="replace")

    def start_servers(self, users: list[LinuxUser], timeout: float = 120.0) -> None:
        """Start these users' servers (all at once: they start in parallel) and wait for them."""
        for user in users:
            status, _ = self.api("POST", f"/users/{user.name}/server")
            if status not in (201, 202, 400):  # 400: already running
                raise RuntimeError(f"starting {user.name}'s server: HTTP {status}\n{self.log()}")
        deadline = time.monotonic() + timeout
        waiting = list(users)
        while waiting and time.monotonic() < deadline:
            waiting = [user for user in waiting
                       if not _servers(self.api("GET", f"/users/{user.name}")[1])
                       .get("", {}).get("ready")]
            time.sleep(0.5)
        if waiting:
            raise RuntimeError(f"servers of {[user.name for user in waiting]} were not ready in "
                               f"{timeout:.0f} s:\n{self.log()}")

    def user_token(self, user: LinuxUser) -> str:
        status, model = self.api("POST", f"/users/{user.name}/tokens",
                                 {"note": "course test", "expires_in": 3600})
        if status != 201 or not isinstance(model, dict):
            raise RuntimeError(f"token for {user.name}: HTTP {status} {model}")
        return model["token"]

    def stop(self) -> None:
        """Stop users' servers through the API, then the Hub's process group. Never raises:
        it runs while a failure may be on its way out, which must not be masked."""
        if self.process is None:
            return
        try:
            self._stop_servers()
        except Exception as error:  # the group is ended below whatever the API did
            print(f"stopping users' servers through the API failed: {error!r}")
        for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        self.process = None
        # The proxy runs in a session of its own; the Hub stops it on SIGTERM, but not when
        # it had to be killed. JupyterHub keeps its pid in the state folder.
        proxy_pid = self.state / "jupyterhub-proxy.pid"
        with contextlib.suppress(OSError, ValueError):
            pid = int(proxy_pid.read_text().strip())
            if b"configurable-http-proxy" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)

    def _stop_servers(self) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            for user in self.users:
                try:
                    self.api("DELETE", f"/users/{user.name}/server")
                except (OSError, urllib.error.URLError):
                    pass
            deadline = time.monotonic() + 30
            pending = list(self.users)
            while pending and time.monotonic() < deadline:
                try:
                    pending = [user for user in pending
                               if _servers(self.api("GET", f"/users/{user.name}")[1])]
                except (OSError, urllib.error.URLError):
                    break
                time.sleep(0.5)


def _servers(model: object) -> dict:
    return model.get("servers") or {} if isinstance(model, dict) else {}


# --- HTTP and a kernel, as a user --------------------------------------------------------------


def http(method: str, url: str, token: str | None = None, *, json_body: dict | None = None,
         form: dict | None = None, raw: bytes | None = None,
         timeout: float = 120.0) -> tuple[int, bytes]:
    """One HTTP request; (status, body). HTTP errors are returned, not raised."""
    headers = {"Authorization": f"token {token}"} if token else {}
    data = raw
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class UserServer:
    """A learner's single-user server, reached through the Hub's proxy with their own token."""

    def __init__(self, hub: Hub, user: LinuxUser, token: str) -> None:
        self.hub, self.user, self.token = hub, user, token
        self.base = f"{hub.url}/user/{user.name}"

    def request(self, method: str, path: str, **kwargs) -> tuple[int, bytes]:
        # nbgrader names feedback folders by timestamp: "2026-12-01 22:30:20.399711 UTC".
        return http(method, self.base + urllib.parse.quote(path, safe="/?&=%"), self.token,
                    **kwargs)

    def get_json(self, path: str) -> object:
        status, body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} as {self.user.name}: HTTP {status} {body[:500]!r}")
        return json.loads(body)

    def assignment_action(self, action: str, course_id: str, lesson: str) -> object:
        """nbgrader's Assignments tab: fetch, submit or fetch_feedback, as this learner."""
        status, body = self.request("POST", f"/assignments/{action}",
                                    form={"course_id": course_id, "assignment_id": lesson})
        if status != 200:
            raise RuntimeError(f"{action} {lesson} as {self.user.name}: HTTP {status} "
                               f"{body[:2000]!r}")
        result = json.loads(body)
        if isinstance(result, dict) and result.get("success") is False:
            raise RuntimeError(f"{action} {lesson} as {self.user.name}: {result}")
        return result

    def run_in_kernel(self, code: str, timeout: float = 60.0) -> str:
        """Run `code` in a fresh kernel of this learner's server; return its stdout.

        The kernel runs as the learner (their uid, their server): what it can read is what a
        learner can read. An error in the code is raised here with its traceback.
        """
        status, body = self.request("POST", "/api/kernels", json_body={"name": "python3"})
        if status != 201:
            raise RuntimeError(f"starting a kernel as {self.user.name}: HTTP {status} {body!r}")
        kernel_id = json.loads(body)["id"]
        try:
            return asyncio.run(self._execute(kernel_id, code, timeout))
        finally:
            self.request("DELETE", f"/api/kernels/{kernel_id}")

    async def _execute(self, kernel_id: str, code: str, timeout: float) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = self.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        connection = await websocket_connect(
            HTTPRequest(url, headers={"Authorization": f"token {self.token}"}))
        msg_id = uuid.uuid4().hex
        connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        output: list[str] = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"kernel of {self.user.name} did not finish in time")
                message = await asyncio.wait_for(connection.read_message(), left)
                if message is None:
                    raise RuntimeError("the kernel's websocket closed")
                reply = json.loads(message)
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = reply["header"]["msg_type"]
                if kind == "stream":
                    output.append(reply["content"]["text"])
                elif kind == "error":
                    raise RuntimeError("\n".join(reply["content"]["traceback"]))
                elif kind == "status" and reply["content"]["execution_state"] == "idle":
                    return "".join(output)
        finally:
            connection.close()


def executable_dir() -> Path:
    """The bin folder of the Python running the tests (nbgrader needs it on PATH)."""
    return Path(sys.executable).parent
