"""Fixtures of the contract tests (issue 17): a real server as the hostile suite starts one (default options, a
sendmail stand-in, the staff accounts of Tests/hostile), and the helpers to reach it.

Run on their own (`python3 -m pytest Tests/contract`): this conftest would shadow the browser and hostile suites'.
Environment: HEMICYCLE_BIN (default .build/debug/hemicycle).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

_spec = importlib.util.spec_from_file_location("hemicycle_hostile_conftest", HERE.parent / "hostile" / "conftest.py")
hostile = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = hostile
_spec.loader.exec_module(hostile)

hostile_server = hostile.hostile_server
HostileServer = hostile.HostileServer
Client = hostile.Client
pytest_runtest_makereport = hostile.pytest_runtest_makereport

LINK = re.compile(r"/confirm/([A-Za-z0-9_-]+)")


def origin(srv) -> dict:
    return {"Origin": srv.origin}


def wait_for_link(srv, to: str, timeout: float = 20) -> str:
    """The newest emailed confirmation token sent to `to`."""
    import email
    import email.policy

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        links = []
        for entry in srv.mails():
            message = email.message_from_string(entry["message"], policy=email.policy.default)
            if to in " ".join(entry.get("argv", [])):
                part = message.get_body(preferencelist=("plain",)) or message
                links += LINK.findall(part.get_content())
        if links:
            return links[-1]
        time.sleep(0.1)
    pytest.fail(f"no confirmation mail to {to} within {timeout} s", pytrace=False)


def open_petition(srv, moderator, action: str, n: int) -> int:
    """A petition started, confirmed by its creator and published through the API (the server needs
    `--sponsors-required 0`)."""
    creator = srv.client().from_address(f"127.0.{n}.1")
    address = f"creator{n}@example.org"
    answer = creator.post("/api/v1/petitions", headers=origin(srv), json_body={
        "action": action, "background": "A background that explains it.", "name": f"Creator Number{n}", "email": address})
    assert answer.status == 201, answer.text
    petition = answer.json()["id"]
    answer = creator.post(f"/confirm/{wait_for_link(srv, address)}", headers=origin(srv), json_body={})
    assert answer.status == 200 and answer.json()["petition"]["state"] == "sponsored", answer.text
    answer = moderator.post(f"/api/v1/petitions/{petition}/moderation", headers=origin(srv), json_body={"action": "publish"})
    assert answer.status == 200 and answer.json()["state"] == "open", answer.text
    return petition
