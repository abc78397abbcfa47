"""A throwaway PostgreSQL cluster for the Python tests (the counterpart of HemicyclePostgresTesting's TestCluster).

`PostgresCluster.start()` runs `initdb` in a temporary folder and `pg_ctl start` on a free port of 127.0.0.1 (its unix
socket in that folder), without fsync (tests need speed, not crash safety); `new_database()` creates an empty database
and returns its postgres:// URL; `stop()` stops the server and deletes the folder. The binaries are looked for on PATH,
then in /usr/lib/postgresql/*/bin. `initdb` refuses to run as root: as root the cluster belongs to the `postgres` user
and its commands run through `runuser -u postgres --`.

`postgres_or_skip()` gives a started cluster, or skips the test with the reason when PostgreSQL is absent (a failure
instead when HEMICYCLE_REQUIRE_POSTGRES=1, as CI sets).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ABSENT = ("PostgreSQL is not installed (no initdb, pg_ctl and psql on PATH or in /usr/lib/postgresql/*/bin): "
          "the PostgreSQL runs are SKIPPED. Install it (Debian: apt-get install postgresql); CI sets "
          "HEMICYCLE_REQUIRE_POSTGRES=1, which makes its absence a failure.")


def binaries() -> Path | None:
    tools = ("initdb", "pg_ctl", "psql")
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and all(os.access(os.path.join(folder, tool), os.X_OK) for tool in tools):
            return Path(folder)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0, reverse=True)
    for folder in versions:
        if all(os.access(os.path.join(folder, tool), os.X_OK) for tool in tools):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresCluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="hemicycle-pg-py-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self._names = itertools.count(1)

    def _command(self, tool: str, *arguments: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / tool), *arguments]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        command = [*prefix, *command]
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120, cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"`{' '.join(command)}` exited with {result.returncode}:\n{result.stdout}{result.stderr}")
        return result

    def start(self, durable: bool = False, prefix: tuple[str, ...] = ()) -> "PostgresCluster":
        """Starts the cluster: without fsync for tests; `durable` keeps PostgreSQL's defaults (fsync, full page
        writes) as a benchmark needs. `prefix` goes before `pg_ctl` (e.g. `taskset -c 0`: the server inherits it)."""
        if self.as_root:
            shutil.chown(self.folder, user="postgres")
        self._command("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=300"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._options, self._prefix = options, prefix
        self._command("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w", "-t", "60", "start",
                      prefix=prefix)
        return self

    def restart(self) -> None:
        """Stops the server in fast mode (open sessions are ended, not waited for: clients connected to it, such as
        running servers, do not hold it) and starts it again on the same port with the same options. Both with `-l`:
        a server started without a log file inherits pg_ctl's output, and `_command` would wait for that pipe to close
        (that is, for the server to stop) until its timeout."""
        self._command("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        self._command("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", self._options, "-w", "-t", "60",
                      "start", prefix=self._prefix)

    def new_database(self) -> str:
        name = f"pytest_{os.getpid()}_{next(self._names)}"
        self.psql("postgres", f"CREATE DATABASE {name}")
        return self.url(name)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def psql(self, database: str, sql: str) -> str:
        """Runs `sql` with psql (unaligned, tuples only) and returns its output."""
        return self._command("psql", "-X", "-q", "-A", "-t", "-h", str(self.folder), "-p", str(self.port), "-U", "postgres",
                             "-d", database, "-c", sql).stdout

    def stop(self) -> None:
        try:
            self._command("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        except Exception:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def postgres_or_skip() -> PostgresCluster:
    import pytest

    folder = binaries()
    if folder is None:
        if os.environ.get("HEMICYCLE_REQUIRE_POSTGRES") == "1":
            pytest.fail(ABSENT.replace("SKIPPED", "REQUIRED (HEMICYCLE_REQUIRE_POSTGRES=1)"), pytrace=False)
        pytest.skip(ABSENT)
    return PostgresCluster(folder).start()
