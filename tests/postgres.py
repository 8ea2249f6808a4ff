"""A throw-away PostgreSQL cluster for the tests: Debian's `initdb` and `pg_ctl`, a private Unix socket, no TCP.

No system service is used or needed. As root, the cluster runs as the `postgres` user (`initdb` refuses root);
otherwise as the user running the tests. The binaries are found by a version-agnostic glob over Debian's
`/usr/lib/postgresql/*/bin`, then on PATH. Missing PostgreSQL is an error, never a skip: `make test` installs it.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "PostgreSQL is not installed: apt-get install -y postgresql (make system-deps does it)"
_names = itertools.count(1)


def _version(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name))


def bin_dir() -> Path:
    """The newest Debian PostgreSQL's bin folder, else the folder of an `initdb` on PATH."""
    found = sorted((p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if (p.parent / "pg_ctl").exists()), key=_version)
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    raise RuntimeError(INSTALL_HINT)


def _free_port() -> int:
    """A number for the socket's name (`.s.PGSQL.<port>`) and the server's shared-memory key; no TCP port is opened."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    root: Path
    bin: Path
    port: int
    as_postgres: bool

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-3000:] if (self.root / "server.log").exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}\n{log}")

    @classmethod
    def start(cls) -> Cluster:
        binaries = bin_dir()
        as_postgres = os.geteuid() == 0
        root = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
        cluster = cls(root, binaries, _free_port(), as_postgres)
        cluster.socket_dir.mkdir()
        if as_postgres:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(INSTALL_HINT + " (there is no postgres user)") from None
            for path in (root, cluster.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        cluster._run(str(binaries / "initdb"), "-D", str(cluster.data_dir), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale")
        cluster.start_server()
        return cluster

    def start_server(self) -> None:
        """Start the server of this cluster (again, after `stop_server`): same socket, same data."""
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop_server(self) -> None:
        """What an operator's restart does: `pg_ctl stop -m fast` ends every connection and rolls back open transactions."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def new_database(self) -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_names)}"
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres", dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
