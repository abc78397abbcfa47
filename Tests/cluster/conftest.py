"""Two Hemicycle nodes on one PostgreSQL behind haproxy, on loopback (issue 15).

`cluster` (module scope) starts a throwaway PostgreSQL (Tests/browser/pg_cluster.py), node `a` (which migrates and
seeds the demo petition and sitting), the staff accounts (through `hemicycle staff add`), node `b`, and haproxy with
the configuration of docs/deploying.md (read from the page: only the listening and server addresses are changed).
Every node runs with `--public-url` the balancer's address, so one origin is the site's own on every node.

Needs Debian's `haproxy` (scripts/setup --test installs it) and PostgreSQL; without either the tests are skipped with
the reason (a failure with HEMICYCLE_REQUIRE_POSTGRES=1, as CI sets).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("hemicycle_hostile_conftest", HERE.parent / "hostile" / "conftest.py")
hostile = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = hostile
_spec.loader.exec_module(hostile)
browser_support = hostile.browser_support
sys.path.append(str(HERE.parent / "browser"))  # pg_cluster.py

REPO_ROOT = browser_support.REPO_ROOT
ARTIFACTS = browser_support.ARTIFACTS
DEPLOYING = REPO_ROOT / "docs" / "deploying.md"
STAFF = hostile.HOSTILE_STAFF
Client = hostile.Client
ws_until = hostile.ws_until
ws_receive_json = hostile.ws_receive_json


def haproxy_config(front: int, backends: list[int]) -> str:
    """The haproxy configuration of docs/deploying.md, listening on `front` and balancing over `backends`."""
    text = DEPLOYING.read_text()
    match = re.search(r"```haproxy\n(.*?)```", text, re.S)
    assert match, "docs/deploying.md has no ```haproxy block"
    config = match.group(1)
    config, binds = re.subn(r"bind 127\.0\.0\.1:\d+", f"bind 127.0.0.1:{front}", config)
    assert binds == 1, "one bind in the documented configuration"
    ports = iter(backends)
    config, servers = re.subn(r"(server node\d+) 127\.0\.0\.1:\d+", lambda m: f"{m.group(1)} 127.0.0.1:{next(ports)}", config)
    assert servers == len(backends), f"the documented configuration lists {servers} nodes"
    return config


@dataclass
class Node:
    name: str
    port: int
    data_dir: Path
    args: tuple
    server: object = None  # browser_support.Server

    @property
    def process(self):
        return self.server.process


@dataclass
class Cluster:
    pg: object
    database: str
    lb_port: int
    nodes: dict = field(default_factory=dict)
    haproxy: subprocess.Popen | None = None
    haproxy_log: Path | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.lb_port}"

    def port(self, where: str) -> int:
        return self.lb_port if where == "lb" else self.nodes[where].port

    def client(self, where: str, source: str | None = None) -> Client:
        client = Client("127.0.0.1", self.port(where))
        if source:
            client.source_address = (source, 0)
        return client

    def post(self, client: Client, path: str, body: dict):
        return client.request("POST", path, json_body=body, headers={"Origin": self.origin})

    def staff(self, role: str, where: str) -> Client:
        account = next(a for a in STAFF if a.role == role)
        client = self.client(where)
        answer = self.post(client, "/api/v1/session", {"email": account.email, "password": account.password})
        assert answer.status == 200, f"login as {role} on {where}: {answer.status} {answer.text}"
        return client

    def participant(self, where: str, source: str | None = None) -> Client:
        client = self.client(where, source)
        assert client.get("/sittings/1").status == 200
        assert "hc_participant" in client.cookies
        return client

    def ws(self, where: str, source: str | None = None, cookies: dict | None = None):
        import websocket

        headers = ["Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())] if cookies else []
        options = {}
        if source:
            # From another loopback address: another client address for the balancer's hash and the limits.
            import socket

            options["socket"] = socket.create_connection(("127.0.0.1", self.port(where)), timeout=10, source_address=(source, 0))
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port(where)}/live", origin=self.origin, header=headers, timeout=10,
            host=f"127.0.0.1:{self.port(where)}", **options)
        assert ws_receive_json(ws)["type"] == "welcome"
        return ws

    def ready(self, where: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port(where)}/ready", timeout=3) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (urllib.error.URLError, OSError) as error:
            return 0, {"error": str(error)}

    def wait_ready(self, where: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        status, body = 0, {}
        while time.monotonic() < deadline:
            status, body = self.ready(where)
            if status == 200:
                return body
            time.sleep(0.2)
        pytest.fail(f"{where} not ready within {timeout} s: {status} {body}\n{self.logs()}", pytrace=False)

    def start(self, name: str) -> Node:
        node = self.nodes[name]
        node.server = browser_support.start_server(node.port, node.data_dir, ARTIFACTS / f"cluster-{name}.log", append=True,
                                                   extra_args=node.args)
        return node

    def kill(self, name: str) -> None:
        """SIGKILL: no graceful close, no last write."""
        node = self.nodes[name]
        node.process.send_signal(signal.SIGKILL)
        node.process.wait(timeout=10)

    def logs(self, lines: int = 60) -> str:
        out = []
        for node in self.nodes.values():
            if node.server:
                out.append(f"--- node {node.name} ---\n{node.server.log_tail(lines)}")
        if self.haproxy_log and self.haproxy_log.exists():
            out.append(f"--- haproxy ---\n{self.haproxy_log.read_text(errors='replace')[-3000:]}")
        return "\n".join(out)


def _free_port() -> int:
    return browser_support._free_port()


@contextlib.contextmanager
def running_cluster(name: str = "cluster"):
    from pg_cluster import postgres_or_skip

    if shutil.which("haproxy") is None:
        message = "haproxy is not installed (Debian: apt-get install haproxy; scripts/setup --test installs it)"
        if os.environ.get("HEMICYCLE_REQUIRE_POSTGRES") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    pg = postgres_or_skip()
    ARTIFACTS.mkdir(exist_ok=True)
    cluster = Cluster(pg, pg.new_database(), _free_port())
    try:
        ports = {"a": _free_port(), "b": _free_port()}
        hosts = ",".join(f"127.0.0.1:{port}" for port in ports.values())
        for node_name, port in ports.items():
            data_dir = Path(tempfile.mkdtemp(prefix=f"hemicycle-{name}-{node_name}-"))
            args = ("--database", cluster.database, "--node-name", node_name, "--bcrypt-cost", "4",
                    "--public-url", cluster.origin, "--allowed-hosts", hosts, "--trusted-proxy", "127.0.0.1",
                    "--sendmail", "/bin/true")
            cluster.nodes[node_name] = Node(node_name, port, data_dir, args)
            (ARTIFACTS / f"cluster-{node_name}.log").write_text("")
        cluster.start("a")
        for account in STAFF:
            browser_support.add_staff(cluster.nodes["a"].data_dir, account, cluster.database)
        cluster.start("b")
        config = Path(tempfile.mkdtemp(prefix=f"hemicycle-{name}-haproxy-")) / "haproxy.cfg"
        config.write_text(haproxy_config(cluster.lb_port, [ports["a"], ports["b"]]))
        cluster.haproxy_log = ARTIFACTS / "cluster-haproxy.log"
        cluster.haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=open(cluster.haproxy_log, "w"),
                                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        for where in ("a", "b", "lb"):
            cluster.wait_ready(where)
        yield cluster
    finally:
        if cluster.haproxy and cluster.haproxy.poll() is None:
            cluster.haproxy.terminate()
            cluster.haproxy.wait(timeout=10)
        for node in cluster.nodes.values():
            if node.server:
                browser_support._stop(node.server.process)
                node.server._log_file.close()
            shutil.rmtree(node.data_dir, ignore_errors=True)
        pg.stop()


@pytest.fixture(scope="module")
def cluster():
    with running_cluster() as c:
        yield c


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed or report.when not in ("setup", "call"):
        return
    for value in (item.funcargs.items() if hasattr(item, "funcargs") else ()):
        if isinstance(value[1], Cluster):
            report.sections.append(("cluster logs", value[1].logs()))
