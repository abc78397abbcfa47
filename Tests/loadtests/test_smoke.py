"""Smoke runs of every hemicycle-load scenario, so that the instrument cannot rot.

A few hundred viewers for a few seconds against the debug Hemicycle server and, when ../shared/peers is there, against
the two peers. Nothing here asserts a time: only that each scenario runs, reports its metrics as JSON, and that what
must hold whatever the speed holds (everything delivered, final counts equal, no missed events after a resume).

    pytest Tests/loadtests        # after `swift build` and `swift build --package-path LoadTests`

Environment: HEMICYCLE_BIN (default .build/debug/hemicycle), HEMICYCLE_LOAD_BIN (default
LoadTests/.build/debug/hemicycle-load), HEMICYCLE_PEERS (default ../shared/peers next to the repository).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PEERS = Path(os.environ.get("HEMICYCLE_PEERS", REPO_ROOT.parent / "shared" / "peers"))
VIEWERS = "200"


def binary(variable: str, default: str) -> Path:
    path = Path(os.environ.get(variable, default))
    path = path if path.is_absolute() else REPO_ROOT / path
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is missing: build it first (see {__file__})", pytrace=False)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(port: int, path: str, process: subprocess.Popen) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode} before answering", pytrace=False)
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no answer on port {port} within 60 s", pytrace=False)


class Server:
    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, probe: str):
        self.name, self.port = name, port
        self.kind = "hemicycle" if name == "hemicycle" else "peer"
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        wait_ready(port, probe, self.process)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="module", params=["hemicycle", "c-epoll", "node-ws"])
def server(request, tmp_path_factory):
    name = request.param
    port = free_port()
    if name == "hemicycle":
        data = tmp_path_factory.mktemp("data")
        command = [str(binary("HEMICYCLE_BIN", ".build/debug/hemicycle")), "serve", "--port", str(port),
                   "--data-dir", str(data), "--log-level", "warning", "--bills-refresh-s", "1"]
        started = Server(name, command, dict(os.environ), port, "/ready")
        started.data_dir = str(data)
    elif name == "c-epoll":
        if not (PEERS / "c-epoll" / "server.c").is_file() or shutil.which("make") is None:
            pytest.skip(f"c-epoll peer not found at {PEERS} (or no make)")
        build = tmp_path_factory.mktemp("c-epoll")
        shutil.copytree(PEERS / "c-epoll", build, dirs_exist_ok=True)
        subprocess.run(["make", "-s", "-C", str(build)], check=True)
        started = Server(name, [str(build / "server"), "-p", str(port), "-q"], dict(os.environ), port, "/stats")
    else:
        if not (PEERS / "node-ws" / "server.js").is_file() or shutil.which("node") is None:
            pytest.skip(f"node-ws peer not found at {PEERS} (or no node)")
        env = dict(os.environ, PORT=str(port), HOST="127.0.0.1")
        started = Server(name, ["node", str(PEERS / "node-ws" / "server.js")], env, port, "/stats")
    yield started
    started.stop()


def run_scenario(server: Server, scenario: str, *args: str) -> dict:
    load = binary("HEMICYCLE_LOAD_BIN", "LoadTests/.build/debug/hemicycle-load")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [str(load), scenario, "--kind", server.kind, "--port", str(server.port), "--label", server.name,
                   "--viewers", VIEWERS, "--viewers-per-process", "120", "--sources", "127.0.0.2-127.0.0.4",
                   "--server-pid", str(server.process.pid), "--json", out.name, *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        report = json.loads(Path(out.name).read_text())
    assert report["scenario"] == scenario and report["label"] == server.name
    assert scenario in result.stdout  # the table for people
    return {m["name"]: m["value"] for m in report["metrics"]} | {"_report": report}


def test_hold(server):
    metrics = run_scenario(server, "hold", "--hold-seconds", "0.5")
    assert metrics["viewers ready"] == 200 and metrics["viewers still held"] == 200
    assert metrics["server RSS per viewer"] > 0


def test_fanout(server):
    metrics = run_scenario(server, "fanout", "--rounds", "3", "--gap-ms", "100", "--rate", "10",
                           "--sustained-seconds", "1")
    assert metrics["rounds delivered"] == metrics["rounds expected"] == 3 * 200
    assert len(metrics["_report"]["rounds"]) == 3
    assert metrics["sustained delivered"] == metrics["sustained expected"] == 10 * 200
    assert metrics["sustained frames"] > 0


def test_sign_spike(server):
    metrics = run_scenario(server, "sign-spike", "--signers", "4", "--seconds", "1")
    assert metrics["acknowledged"] > 0 and metrics["refused"] == 0
    if server.kind == "hemicycle":
        assert metrics["final counts equal"] == 1
        assert metrics["acks no viewer set saw"] == 0


def test_reconnect_storm(server):
    metrics = run_scenario(server, "reconnect-storm", "--rate", "10", "--settle-seconds", "0.5")
    assert metrics["viewers back"] == 200
    if server.kind == "hemicycle":
        assert metrics["missed events"] == 0
        assert metrics["resumed (recovered)"] == 200
        assert metrics["undelivered counts"] == 0


def test_slow_readers(server):
    metrics = run_scenario(server, "slow-readers", "--every", "10", "--rounds", "3", "--rate", "10", "--seconds", "1")
    assert metrics["slow viewers"] == 20
    assert metrics["others delivered"] == metrics["others expected"] == 3 * 180
    assert metrics["_report"]["rssSamples"]


def test_questions(server):
    """Hemicycle only (the peers have no hearings). The staff accounts are made with the real `staff add` command
    while the server runs (it has seeded sitting 1)."""
    if server.kind != "hemicycle":
        pytest.skip("the peers have no hearings")
    data_dir = server.data_dir
    hemicycle = binary("HEMICYCLE_BIN", ".build/debug/hemicycle")
    for email, role, extra in [("clerk@load.test", "clerk", []), ("moderator1@load.test", "moderator", ["--sitting", "1"]),
                               ("moderator2@load.test", "moderator", ["--sitting", "1"])]:
        done = subprocess.run([str(hemicycle), "staff", "add", "--data-dir", data_dir, "--email", email, "--name", role,
                               "--role", role, "--bcrypt-cost", "4", *extra],
                              input="load-test-password\n", capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 or "exists" in done.stderr, done.stderr
    metrics = run_scenario(server, "questions", "--rate", "10", "--seconds", "1", "--moderators", "2")
    assert metrics["questions submitted"] == metrics["questions approved"] == 10
    assert metrics["moderator screens missed"] == 0
    assert metrics["viewer deliveries"] == metrics["viewer deliveries expected"] == 10 * 200


def test_legislation(server, tmp_path):
    """Hemicycle only. A generated bill of 20 sections is imported, published and its limits raised with the real
    `bills import` and `bills settings` commands while the server runs (it reads bills every second here: the
    fixture's --bills-refresh-s 1), the staff assigned to it with `staff add --bill`."""
    if server.kind != "hemicycle":
        pytest.skip("the peers have no bills")
    hemicycle = binary("HEMICYCLE_BIN", ".build/debug/hemicycle")
    load = binary("HEMICYCLE_LOAD_BIN", "LoadTests/.build/debug/hemicycle-load")
    text = subprocess.run([str(load), "legislation-bill", "--clauses", "20"], capture_output=True, text=True, check=True).stdout
    (tmp_path / "bill.txt").write_text(text)
    where = ["--data-dir", server.data_dir]
    imported = subprocess.run([str(hemicycle), "bills", "import", *where, "--file", str(tmp_path / "bill.txt"), "--format", "text",
                               "--publish"], capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr
    bill = imported.stdout.split("\nBill ", 1)[1].split(",", 1)[0]
    settings = subprocess.run([str(hemicycle), "bills", "settings", bill, *where, "--comments-per-minute", "600",
                               "--ip-comments-per-minute", "100000"], capture_output=True, text=True, timeout=60)
    assert settings.returncode == 0, settings.stderr
    for email, role in [("clerk@load.test", "clerk"), ("moderator1@load.test", "moderator"), ("moderator2@load.test", "moderator")]:
        done = subprocess.run([str(hemicycle), "staff", "add", *where, "--email", email, "--name", role, "--role", role,
                               "--bcrypt-cost", "4", "--bill", bill], input="load-test-password\n", capture_output=True, text=True, timeout=60)
        if done.returncode != 0 and "exists" in done.stderr:  # made by test_questions: assign the bill too
            keep = ["--sitting", "1"] if role == "moderator" else []
            done = subprocess.run([str(hemicycle), "staff", "update", *where, "--email", email, "--role", role, *keep, "--bill", bill],
                                  capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    metrics = run_scenario(server, "legislation", "--bill", bill, "--rate", "10", "--seconds", "1", "--marker-every", "0.5",
                           "--moderators", "2")
    assert metrics["comments submitted"] == metrics["comments approved"] == 10
    assert metrics["moderator screens missed"] == 0
    assert metrics["comment deliveries"] == metrics["comment deliveries expected"] == 10 * 200
    assert metrics["comments some reader missed"] == 0
    assert metrics["marker moves"] == 3  # at 0 and 0.5 s, then the closing one
    assert metrics["marker deliveries"] == metrics["marker deliveries expected"] == 3 * 200
    assert metrics["marker moves some reader missed"] == 0


def test_sign_spike_with_email_confirmation(tmp_path):
    """Hemicycle with `--signature-confirmation email`: mail goes through the sendmail interface to files
    (LoadTests/save-mail); the generator confirms every delivered link. Every stored signature must end confirmed
    and counted, and the counts must agree."""
    mails = tmp_path / "mail"
    mails.mkdir()
    port = free_port()
    command = [str(binary("HEMICYCLE_BIN", ".build/debug/hemicycle")), "serve", "--port", str(port),
               "--data-dir", str(tmp_path / "data"), "--log-level", "warning", "--signature-confirmation", "email",
               "--sendmail", f"{REPO_ROOT / 'LoadTests' / 'save-mail'} {mails}",
               # One address signs for every signer: the per-address mail limit would hold them for review.
               "--mail-address-limit", "none"]
    server = Server("hemicycle", command, dict(os.environ), port, "/ready")
    try:
        metrics = run_scenario(server, "sign-spike", "--signers", "4", "--seconds", "1", "--confirm-mail-dir", str(mails))
    finally:
        server.stop()
    assert metrics["acknowledged"] > 0 and metrics["refused"] == 0
    assert metrics["confirmed"] == metrics["acknowledged"] == metrics["emails read"]
    assert metrics["confirmations refused"] == 0
    assert metrics["final counts equal"] == 1


def test_crash(tmp_path):
    """Hemicycle only: the generator starts the server itself, kills it with SIGKILL twice under writers and starts it
    again on the same data. Every acknowledged write must be there exactly once (the scenario's checks), every viewer
    must come back, with a snapshot carrying the stored count (a new epoch: nothing is shared across a restart on
    SQLite). Short backoff here: the web client's (1 s base) is what the benchmark uses."""
    hemicycle = binary("HEMICYCLE_BIN", ".build/debug/hemicycle")
    data, port = tmp_path / "data", free_port()
    command = [str(hemicycle), "serve", "--port", str(port), "--data-dir", str(data), "--log-level", "warning"]
    seeding = Server("hemicycle", command, dict(os.environ), port, "/ready")  # seeds petition 1 and sitting 1
    try:
        for email, role, extra in [("clerk@load.test", "clerk", []), ("moderator1@load.test", "moderator", ["--sitting", "1"])]:
            done = subprocess.run([str(hemicycle), "staff", "add", "--data-dir", str(data), "--email", email, "--name", role,
                                   "--role", role, "--bcrypt-cost", "4", *extra],
                                  input="load-test-password\n", capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr
    finally:
        seeding.stop()
    load = binary("HEMICYCLE_LOAD_BIN", "LoadTests/.build/debug/hemicycle-load")
    out = tmp_path / "crash.json"
    result = subprocess.run(
        [str(load), "crash", "--port", str(port), "--viewers", VIEWERS, "--viewers-per-process", "120",
         "--sources", "127.0.0.2-127.0.0.4", "--json", str(out), "--kills", "2", "--min-seconds", "0.5",
         "--max-seconds", "1", "--signers", "4", "--askers", "2", "--voters", "3", "--backoff-base-ms", "100",
         "--backoff-cap-ms", "1000", "--seed", "17", "--server-log", str(tmp_path / "server.log"), "--", *command],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text())
    metrics = {m["name"]: m["value"] for m in report["metrics"]}
    assert report["scenario"] == "crash" and "crash against hemicycle" in result.stdout
    assert metrics["kills"] == 2
    assert metrics["acknowledged signatures"] > 0 and metrics["acknowledged questions"] > 0
    assert metrics["acknowledged moderation actions"] > 0 and metrics["acknowledged votes"] > 0
    assert metrics["acknowledged writes lost"] == 0, report["notes"]
    assert metrics["writes duplicated"] == 0 and metrics["counts unequal to rows"] == 0, report["notes"]
    assert metrics["in doubt, found stored"] + metrics["in doubt, not stored"] <= metrics["writes in doubt"]
    assert metrics["viewers not back"] == 0
    assert metrics["viewers back with a snapshot"] == 2 * int(VIEWERS) and metrics["viewers resumed from the history"] == 0
    assert metrics["kills with a snapshot unequal to the stored count"] == 0, report["notes"]
    assert metrics["viewers ready (end)"] == int(VIEWERS)
