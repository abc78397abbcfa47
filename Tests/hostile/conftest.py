"""Fixtures of the hostile-client suite: a server started as a parliament would start it (default options, a
sendmail stand-in that keeps each message in a folder), staff accounts, and plain HTTP and WebSocket clients that
send exactly the bytes an attacker would (any Host, any Origin, no cookies, forged forms).

Each test makes one attack and checks both that it fails (the answer) and that nothing changed (no mail, no count,
no stored row), by reading the server's public and staff views before and after.

Environment: HEMICYCLE_HOSTILE_BIN (default HEMICYCLE_BIN, default .build/debug/hemicycle).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import http.client
import importlib.util
import json
import os
import re
import socket
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("hemicycle_browser_conftest", HERE.parent / "browser" / "conftest.py")
browser_support = importlib.util.module_from_spec(_spec)
# Registered before it runs: its dataclasses look their module up in sys.modules (Python 3.11 fails otherwise).
sys.modules[_spec.name] = browser_support
_spec.loader.exec_module(browser_support)

REPO_ROOT = browser_support.REPO_ROOT
StaffAccount = browser_support.StaffAccount

if os.environ.get("HEMICYCLE_HOSTILE_BIN"):
    os.environ["HEMICYCLE_BIN"] = os.environ["HEMICYCLE_HOSTILE_BIN"]

HOSTILE_STAFF = (
    StaffAccount("admin", "root@example.org", "Ad Min", "admin-password-0001"),
    StaffAccount("moderator", "mod@example.org", "Mo Derator", "moderator-password-1", (1,)),
    StaffAccount("chair", "chair@example.org", "Cha Irwoman", "chair-password-0001", (1,)),
    StaffAccount("petitions-moderator", "pm@example.org", "Pe Titions", "petitions-password-1"),
)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    @property
    def error_code(self):
        try:
            return self.json()["error"]["code"]
        except Exception:
            return None


@dataclass
class Client:
    """A raw HTTP client: every header is the caller's (Host and Origin included), cookies only when given."""

    host: str
    port: int
    cookies: dict = field(default_factory=dict)
    # The local address the connection comes from (any 127.x.y.z reaches a server on 127.0.0.1): a different
    # "client address" for the server's per-address limits, as many machines would be.
    source_address: tuple | None = None

    def request(self, method: str, path: str, body=None, headers=None, *, host_header=None, form=None,
                json_body=None, keep_cookies=True, timeout=30) -> Answer:
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        if self.cookies and "Cookie" not in headers:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout, source_address=self.source_address)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host_header if host_header is not None else f"{self.host}:{self.port}")
            for name, value in headers.items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            data = response.read()
            answer_headers = {}
            for name, value in response.getheaders():
                key = name.lower()
                answer_headers[key] = answer_headers[key] + "\n" + value if key in answer_headers else value
            if keep_cookies:
                for name, value in response.getheaders():
                    if name.lower() == "set-cookie":
                        pair = value.split(";", 1)[0]
                        cookie_name, _, cookie_value = pair.partition("=")
                        self.cookies[cookie_name.strip()] = cookie_value.strip()
            return Answer(response.status, answer_headers, data)
        finally:
            connection.close()

    def get(self, path, **options) -> Answer:
        return self.request("GET", path, **options)

    def post(self, path, **options) -> Answer:
        return self.request("POST", path, **options)

    def fresh(self) -> "Client":
        """Another client from the same address with no cookies."""
        return Client(self.host, self.port)

    def from_address(self, address: str) -> "Client":
        """Another client with no cookies, connecting from the loopback `address` (e.g. "127.0.0.7")."""
        return Client(self.host, self.port, source_address=(address, 0))


@dataclass
class HostileServer:
    server: object  # browser_support.Server
    mail_dir: Path

    @property
    def port(self) -> int:
        return int(self.server.base_url.rsplit(":", 1)[1])

    @property
    def origin(self) -> str:
        return self.server.base_url

    def client(self) -> Client:
        return Client("127.0.0.1", self.port)

    def staff_client(self, role: str) -> Client:
        """A client logged in as the staff member of `role` (through the JSON login)."""
        account = self.server.staff[role]
        client = self.client()
        answer = client.post("/api/v1/session", json_body={"email": account.email, "password": account.password},
                             headers={"Origin": self.origin})
        assert answer.status == 200, f"login as {role}: {answer.status} {answer.text}"
        return client

    def mails(self) -> list[dict]:
        """Every message the server handed to sendmail so far: {"argv", "message"}."""
        out = []
        for path in sorted(self.mail_dir.glob("*.json")):
            with contextlib.suppress(ValueError, OSError):
                out.append(json.loads(path.read_text()))
        return out

    def wait_for_mail_count(self, count: int, timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            mails = self.mails()
            if len(mails) >= count:
                return mails
            time.sleep(0.1)
        return self.mails()

    def log_tail(self, lines: int = 200) -> str:
        return self.server.log_tail(lines)

    @property
    def log_path(self):
        return self.server.log_path


@contextlib.contextmanager
def hostile_server(name: str, extra_args: tuple[str, ...] = (), accounts=HOSTILE_STAFF):
    """A server of its own started with the default options plus `extra_args`, a sendmail stand-in and `accounts`."""
    import tempfile

    mail_dir = Path(tempfile.mkdtemp(prefix=f"hemicycle-hostile-mail-{name}-"))
    sendmail = f"python3 {HERE / 'fake_sendmail.py'} {mail_dir}"
    with browser_support.server_with_staff(f"hostile-{name}", accounts,
                                           extra_args=("--sendmail", sendmail,
                                                       *extra_args)) as srv:
        yield HostileServer(srv, mail_dir)


@pytest.fixture(scope="module")
def default_server():
    """Default options (signatures count on submit), the sendmail stand-in and the HOSTILE_STAFF accounts."""
    with hostile_server("default") as srv:
        yield srv


@pytest.fixture(scope="module")
def email_server():
    """As a parliament should run it: signatures confirmed by email."""
    with hostile_server("email", ("--signature-confirmation", "email")) as srv:
        yield srv


LINK = re.compile(r"/confirm/([A-Za-z0-9_-]+)")


def origin(srv: HostileServer) -> dict:
    """The `Origin` header of the server's own pages (what a browser sends with a state-changing request)."""
    return {"Origin": srv.origin}


def mail_text(entry: dict) -> tuple[str, str]:
    """(recipients, body) of a message the server handed to sendmail, whatever its transfer encoding."""
    message = email.message_from_string(entry["message"], policy=email.policy.default)
    recipients = " ".join(entry.get("argv", [])) + " " + str(message.get("To", ""))
    try:
        part = message.get_body(preferencelist=("plain",)) or message
        body = part.get_content()
    except Exception:
        body = entry["message"]
    return recipients, body


def confirmation_links(srv: HostileServer, to: str) -> list[str]:
    """Every `/confirm/TOKEN` token emailed to `to` so far, oldest first."""
    links = []
    for entry in srv.mails():
        recipients, body = mail_text(entry)
        if to in recipients:
            links += LINK.findall(body)
    return links


def wait_for_link(srv: HostileServer, to: str, timeout: float = 20) -> str:
    """The newest confirmation token emailed to `to`, waiting for it up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        links = confirmation_links(srv, to)
        if links:
            return links[-1]
        time.sleep(0.1)
    pytest.fail(f"no confirmation mail to {to} within {timeout} s", pytrace=False)


def open_petition(srv: HostileServer, moderator, action: str, n: int) -> int:
    """A petition started (from 127.0.n.1, by creator{n}@example.org), confirmed by its creator and published, all
    through the public and staff API. The server needs `--sponsors-required 0`; `moderator` is a petitions
    moderator's client."""
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


def ws_connect(port: int, *, origin: str | None = None, cookies: dict | None = None, host_header: str | None = None):
    """A WebSocket on /live (websocket-client), with the given Origin and cookies."""
    import websocket

    headers = []
    if cookies:
        headers.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/live", origin=origin or f"http://127.0.0.1:{port}", header=headers, timeout=10,
        host=host_header or f"127.0.0.1:{port}")
    return ws


def ws_receive_json(ws, timeout: float = 5):
    ws.settimeout(timeout)
    return json.loads(ws.recv())


def ws_until(ws, predicate, timeout: float = 5):
    """Reads messages until `predicate(message)` holds; returns that message (or fails after `timeout`)."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            message = ws_receive_json(ws, max(0.05, deadline - time.monotonic()))
        except Exception:
            break
        seen.append(message)
        if predicate(message):
            return message
    pytest.fail(f"no matching message within {timeout} s; saw {seen[-5:]}", pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed or report.when not in ("setup", "call"):
        return
    for name, value in (item.funcargs.items() if hasattr(item, "funcargs") else ()):
        if isinstance(value, HostileServer):
            report.sections.append((f"server log of `{name}` ({value.log_path})", value.log_tail()))
