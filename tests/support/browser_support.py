"""Running a throwaway JupyterLab server for browser tests, and always stopping it.

The server runs in its own process group, with its config, data, runtime and
settings directories inside the test's temp dir, so a test neither reads nor
writes the user's Jupyter state. On the way out its kernels are shut down
through the REST API, then the whole group is terminated (killed if it does
not go). Kernels live in sessions of their own, so the API call is what stops
them; ipykernel also exits by itself once its parent server has gone.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Debian's Chromium; Playwright cannot download its own browser here.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: JupyterLab settings for the test: no news toast, no update checks.
_LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url: str, method: str = "GET", timeout: float = 2.0) -> bytes:
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def _write_lab_settings(settings_dir: Path) -> None:
    for name, values in _LAB_SETTINGS.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@contextmanager
def jupyter_lab(root: Path, state_dir: Path, startup_timeout: float = 60.0) -> Iterator[str]:
    """Serve ``root`` with JupyterLab on a free local port, no token; yield the base URL."""
    bin_dir = Path(sys.executable).parent
    port = free_port()
    for name in ("config", "data", "runtime", "settings", "workspaces", "ipython"):
        (state_dir / name).mkdir(parents=True, exist_ok=True)
    _write_lab_settings(state_dir / "settings")
    env = dict(os.environ)
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(state_dir / "config"),
        JUPYTER_DATA_DIR=str(state_dir / "data"),
        JUPYTER_RUNTIME_DIR=str(state_dir / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(state_dir / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state_dir / "workspaces"),
        IPYTHONDIR=str(state_dir / "ipython"),
    )
    command = [
        str(bin_dir / "jupyter"), "lab", "--no-browser", "--ip", "127.0.0.1",
        "--port", str(port), "--IdentityProvider.token=", "--ServerApp.password=",
        "--allow-root", f"--ServerApp.root_dir={root}",
        "--ServerApp.disable_check_xsrf=True", "--LabApp.news_url=",
    ]
    log_path = state_dir / "jupyter-lab.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                  cwd=root, start_new_session=True)
    try:
        _wait_until_up(server, base, log_path, startup_timeout)
        yield base
    finally:
        _stop(server, base)


def _wait_until_up(
    server: subprocess.Popen[bytes], base: str, log_path: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {server.returncode}:\n"
                               f"{log_path.read_text()[-3000:]}")
        try:
            _request(f"{base}/api/status")
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n"
                       f"{log_path.read_text()[-3000:]}")


def _stop(server: subprocess.Popen[bytes], base: str) -> None:
    """Shut the kernels down, then the server's whole process group."""
    if server.poll() is None:
        try:
            for kernel in json.loads(_request(f"{base}/api/kernels")):
                _request(f"{base}/api/kernels/{kernel['id']}", method="DELETE", timeout=10)
        except (OSError, urllib.error.URLError, ValueError, KeyError):
            pass  # the group is terminated below whatever the API said
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
