"""Start the dashboard as a real `streamlit run app.py` on a free local port, for browser tests, benchmarks and load tests.

Only 127.0.0.1 is ever used: the server binds there and callers talk to it there.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def rss_bytes(self) -> int:
        return rss_bytes(self.pid)

    def peak_rss_bytes(self) -> int:
        return peak_rss_bytes(self.pid)


def _status_field(pid: int, field: str) -> int:
    """A `kB` field of /proc/PID/status in bytes (Linux); 0 where it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def rss_bytes(pid: int) -> int:
    return _status_field(pid, "VmRSS")


def peak_rss_bytes(pid: int) -> int:
    """The process's high-water mark of resident memory since it started."""
    return _status_field(pid, "VmHWM")


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    raise TimeoutError(f"{url}/_stcore/health did not answer 200 within {timeout:.0f} s ({last})")


@contextmanager
def streamlit_server(
    plan: str | Path | None = None,
    *,
    port: int | None = None,
    extra: list[str] | None = None,
    app: Path = APP,
    env: dict[str, str] | None = None,
    progress: str | Path | None = None,
) -> Iterator[Server]:
    """`streamlit run app.py [-- --plan PLAN --progress LOG]` on 127.0.0.1, waited for on /_stcore/health, stopped afterwards.
    `env` adds to this process's environment (e.g. the server's own database URL)."""
    port = port or free_port()
    url = f"http://{HOST}:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        HOST,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",  # other people's edits must not restart the app mid-test
        "--server.runOnSave",
        "false",
        *(extra or []),
    ]
    options = (["--plan", str(plan)] if plan is not None else []) + (["--progress", str(progress)] if progress is not None else [])
    if options:
        command += ["--", *options]
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)  # noqa: SIM115 (the server writes it until it stops)
    environment = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, cwd=app.parent, stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True)
    server = Server(url=url, process=process, log_path=Path(log.name))
    try:
        try:
            wait_healthy(url, process)
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}\n--- server log ---\n{server.log_tail()}") from None
        yield server
    finally:
        stop(process)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def stop(process: subprocess.Popen) -> None:
    """Stop the server we started (its own process group only)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
