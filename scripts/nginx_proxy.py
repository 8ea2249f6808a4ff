"""Debian's nginx in front of local dashboard replicas, run with the configuration `docs/deploy.md` documents.

The documented file (`docs/nginx-replicas.conf`) is used as it is: only its two example replica addresses and its
`listen` line are replaced by local ones. nginx runs as a process of its own with a private prefix folder (its
logs, temporary files and pid), in the foreground, on a free 127.0.0.1 port; no system service is used.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.local_server import HOST, free_port

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTED = ROOT / "docs" / "nginx-replicas.conf"
EXAMPLE_REPLICAS = ("10.0.0.11:8501", "10.0.0.12:8501")
EXAMPLE_LISTEN = "listen 80;"
INSTALL_HINT = "nginx is not installed: apt-get install -y nginx (make system-deps does it)"
COOKIE = "dashboard_replica"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found is None:
        raise RuntimeError(INSTALL_HINT)
    return found


def more_replicas(text: str, count: int) -> str:
    """The documented file for `count` replicas (example addresses 10.0.0.11, .12, .13, …), as its header says to
    extend it: each address in the first map, in `upstream dashboard`, in a block of its own and as a `backup`
    in the others'."""
    addresses = [f"10.0.0.{11 + i}:8501" for i in range(count)]
    sticky = "".join(f"    {address}  dashboard_{i + 1};\n" for i, address in enumerate(addresses))
    pool = "".join(f"    server {address} max_fails=1 fail_timeout=10s;\n" for address in addresses)
    own = "\n".join(
        f"upstream dashboard_{i + 1} {{\n    server {address} max_fails=1 fail_timeout=10s;\n"
        + "".join(f"    server {other} backup;\n" for other in addresses if other != address)
        + "}\n"
        for i, address in enumerate(addresses)
    )
    text, maps = re.subn(
        r"(map \$cookie_dashboard_replica \$dashboard_upstream \{\n    default[^\n]*\n)(?:    10\.[^\n]*\n)+", lambda m: m[1] + sticky, text
    )
    text, pools = re.subn(r"(upstream dashboard \{\n)(?:    server[^\n]*\n)+", lambda m: m[1] + pool, text)
    text, blocks = re.subn(r"upstream dashboard_1 \{.*?\n\}\n\nupstream dashboard_2 \{.*?\n\}\n", lambda _: own, text, flags=re.S)
    if (maps, pools, blocks) != (1, 1, 1):
        raise ValueError(f"{DOCUMENTED.name} no longer has the blocks a replica is added to")
    return text


def local_config(replicas: tuple[str, ...], port: int, documented: str | None = None) -> str:
    """The documented `conf.d` file with local addresses, inside the few main-context lines a private nginx needs
    (more than two replicas: the documented file extended as its header says)."""
    text = documented if documented is not None else DOCUMENTED.read_text(encoding="utf-8")
    examples = EXAMPLE_REPLICAS
    if len(replicas) != len(EXAMPLE_REPLICAS):
        text = more_replicas(text, len(replicas))
        examples = tuple(f"10.0.0.{11 + i}:8501" for i in range(len(replicas)))
    for example, local in zip(examples, replicas, strict=True):
        if example not in text:
            raise ValueError(f"{DOCUMENTED.name} no longer names the example replica {example}")
        text = text.replace(example, local)
    if text.count(EXAMPLE_LISTEN) != 1:
        raise ValueError(f"{DOCUMENTED.name} should have exactly one '{EXAMPLE_LISTEN}'")
    text = text.replace(EXAMPLE_LISTEN, f"listen {HOST}:{port};")
    body = "\n".join("    " + line if line else "" for line in text.splitlines())
    # Debian builds nginx with its temporary folders in /var/lib/nginx, which only root may create: they go in the prefix.
    temporary = "".join(f"    {kind}_temp_path temp/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        "worker_processes 1;\n"
        "pid nginx.pid;\n"
        "error_log logs/error.log info;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        "    access_log logs/access.log;\n"
        f"{temporary}"
        f"{body}\n"
        "}\n"
    )


@dataclass
class Proxy:
    url: str
    process: subprocess.Popen
    prefix: Path

    def log_tail(self, chars: int = 4000) -> str:
        parts = []
        for name in ("error.log", "access.log"):
            path = self.prefix / "logs" / name
            if path.exists():
                parts.append(f"--- nginx {name} ---\n" + path.read_text(errors="replace")[-chars:])
        return "\n".join(parts)


def _wait_listening(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with code {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nginx did not listen on {HOST}:{port} within {timeout:.0f} s")


@contextmanager
def nginx_proxy(replicas: tuple[str, ...]) -> Iterator[Proxy]:
    """nginx on a free local port in front of the replicas (`host:port` each); stopped afterwards."""
    binary = nginx_binary()
    prefix = Path(tempfile.mkdtemp(prefix="dashboard-nginx-"))
    (prefix / "logs").mkdir()
    (prefix / "temp").mkdir()
    port = free_port()
    config = prefix / "nginx.conf"
    config.write_text(local_config(replicas, port), encoding="utf-8")
    check = subprocess.run(
        [binary, "-t", "-q", "-p", str(prefix), "-e", "logs/error.log", "-c", str(config)], capture_output=True, text=True
    )
    if check.returncode != 0:
        shutil.rmtree(prefix, ignore_errors=True)
        raise RuntimeError(f"nginx refused the configuration:\n{check.stderr}")
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-e", "logs/error.log", "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    proxy = Proxy(f"http://{HOST}:{port}", process, prefix)
    try:
        try:
            _wait_listening(port, process)
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}\n{proxy.log_tail()}") from None
        yield proxy
    finally:
        _stop(process)
        shutil.rmtree(prefix, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """nginx's master and its worker: the process group this helper started."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # nginx: fast shutdown
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
