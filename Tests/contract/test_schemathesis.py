"""Schemathesis (issue 17) against a live server, from Protocol/openapi.yaml, for a bounded time: requests generated
from the document (its examples, its boundaries and random data, positive and negative), with an admin's staff
session and a participant cookie, then with none. Every answer must conform to the document (status, content type,
headers, schema), no answer may be a 5xx, and a refused request must change nothing (`schemathesis_hooks.py`: the
whole database and the public lists read before and after).

HEMICYCLE_SCHEMATHESIS_SECONDS sets each run's time budget (default 75 s: two runs, about 2.5 minutes in all).
The number of generated requests and their statuses are printed and written to
test-artifacts/schemathesis-<run>.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import openapi_support as support
from conftest import hostile_server, origin

HERE = support.REPO_ROOT / "Tests" / "contract"
ARTIFACTS = support.REPO_ROOT / "test-artifacts"
SECONDS = int(os.environ.get("HEMICYCLE_SCHEMATHESIS_SECONDS", "75"))
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "nothing_changed_when_refused",
])


@pytest.fixture(scope="module")
def srv():
    with hostile_server("contract-schemathesis", ("--sponsors-required", "1")) as server:
        yield server


def run_schemathesis(srv, name: str, cookies: dict, extra: list[str]) -> dict:
    ARTIFACTS.mkdir(exist_ok=True)
    counts_file = ARTIFACTS / f"schemathesis-{name}.json"
    counts_file.unlink(missing_ok=True)
    env = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks", PYTHONPATH=f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
               HEMICYCLE_CONTRACT_DB=str(srv.server.data_dir / "hemicycle.sqlite"), HEMICYCLE_CONTRACT_BASE=srv.origin,
               HEMICYCLE_CONTRACT_COUNTS=str(counts_file))
    command = [sys.executable, "-m", "schemathesis.cli", "run", str(support.OPENAPI_PATH), "--url", srv.origin,
               "--checks", CHECKS, "--max-time", str(SECONDS), "--workers", "1", "--phases", "examples,coverage,fuzzing,stateful",
               "--generation-with-security-parameters", "false", "--generation-database", "none", "--no-color", "--request-timeout", "30",
               "--report", "junit", "--report-junit-path", str(ARTIFACTS / f"schemathesis-{name}.xml"), *extra]
    if cookies:
        command += ["--header", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())]
    # From test-artifacts/: schemathesis keeps a cache folder (.schemathesis/) in its working directory.
    result = subprocess.run(command, cwd=ARTIFACTS, env=env, capture_output=True, text=True, timeout=SECONDS + 300)
    output = result.stdout + result.stderr
    (ARTIFACTS / f"schemathesis-{name}.log").write_text(output)
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    print(f"\nschemathesis {name}: {counts.get('calls')} requests, statuses {counts.get('by_status')}, "
          f"{counts.get('refused_checked')} refused ones checked for changes\n" + output[-3000:])
    assert result.returncode == 0, f"schemathesis ({name}) found problems:\n{output[-12000:]}"
    return counts


def test_schemathesis_with_staff_and_participant_sessions(srv):
    admin = srv.staff_client("admin")
    chair = srv.staff_client("chair")
    assert chair.post("/api/v1/sittings/1/state", headers=origin(srv), json_body={"state": "live"}).status == 200
    viewer = srv.client()
    assert viewer.get("/sittings/1").status == 200 and "hc_participant" in viewer.cookies
    # What the document's examples (id 1) and the generated ids reach: questions 1-3 (one approved), a note.
    for text in ("Will off-peak fares return?", "What about season tickets?", "And railcards?"):
        assert viewer.post("/api/v1/sittings/1/questions", headers=origin(srv), json_body={"text": text}).status == 201
    assert admin.post("/api/v1/questions/1/moderation", headers=origin(srv), json_body={"action": "approve"}).status == 200
    assert admin.post("/api/v1/sittings/1/notes", headers=origin(srv), json_body={"text": "Next: railcards"}).status == 201
    cookies = {"hc_session": admin.cookies["hc_session"], "hc_participant": viewer.cookies["hc_participant"]}
    # Not with this session: logging it out or changing its password would leave the rest of the run without one
    # (the run without cookies below sends them).
    counts = run_schemathesis(srv, "staff", cookies, [
        "--exclude-path", "/api/v1/session", "--exclude-path", "/api/v1/session/password"])
    assert counts["calls"] > 100, counts
    # The session held: the run was not answered 401 throughout.
    assert srv.client().get("/api/v1/session", headers={"Cookie": f"hc_session={cookies['hc_session']}"}).status == 200
    assert sum(v for k, v in counts["by_status"].items() if k.startswith("2")) > 20, counts


def test_schemathesis_without_a_session(srv):
    counts = run_schemathesis(srv, "public", {}, [])
    assert counts["calls"] > 100, counts
