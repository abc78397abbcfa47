"""The HTTP edge, attacked through real sockets: Host, Origin and CSRF, login redirects and bursts, /metrics, slow
clients (slowloris) and connections per address. Each test makes the attack, checks that it fails, and checks that
nothing changed (no mail, no count, no session).

Servers: `default_server` and `email_server` (conftest: default options), and servers of this module's own for the
options an attack needs (`--trusted-proxy 127.0.0.1`, so that X-Forwarded-For makes a request come from elsewhere;
short request deadlines; a connection limit).
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import socket
import threading
import time
import urllib.parse

import pytest

from conftest import Client, hostile_server, ws_connect

EVIL = "evil.example"
CREATE = {"action": "Plant a tree for every newborn", "background": "Cities need shade.", "name": "Ada Lovelace",
          "email": "ada@example.org"}


def count(client: Client, petition: int = 1) -> int:
    return client.get(f"/petitions/{petition}/count.json").json()["signature_count"]


def settle_mail(server, before: int, wait: float = 2.5) -> list[dict]:
    """The mail after `wait` seconds (the outbox is read every second), checked to be no more than before."""
    time.sleep(wait)
    return server.mails()[before:]


def page_token(text: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert match, "the page renders a CSRF token"
    return match.group(1)


def raw_exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Sends `data` on a fresh socket and reads until the server closes or `timeout`."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def trickle_until_closed(sock: socket.socket, data: bytes, every: float = 0.5, limit: float = 60) -> float | None:
    """Sends `data` a few bytes every `every` seconds; returns the seconds until the server closed the connection, or
    None if it sent everything and the connection is still open."""
    started = time.monotonic()
    sock.settimeout(every)
    for offset in range(0, len(data), 3):
        try:
            sock.sendall(data[offset:offset + 3])
        except OSError:
            return time.monotonic() - started
        try:
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except socket.timeout:
            pass
        except OSError:
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            return None
    return None


# ---------- Host: the site knows its own address ----------


def test_a_foreign_host_is_421_and_mails_nothing(email_server):
    client = email_server.client()
    mails_before = len(email_server.mails())
    count_before = count(client)
    for method, path, options in [
        ("POST", "/api/v1/petitions", {"json_body": CREATE}),
        ("POST", "/api/v1/petitions/1/signatures", {"json_body": {"name": "Eve", "email": "victim@example.org"}}),
        ("GET", "/", {}),
        ("GET", "/petitions/1", {}),
        ("GET", "/feeds/petitions.atom", {}),
        ("GET", "/petitions.json", {}),
    ]:
        for host in (EVIL, f"{EVIL}:{email_server.port}", f"127.0.0.1.{EVIL}"):
            answer = client.fresh().request(method, path, host_header=host, **options)
            assert answer.status == 421, (method, path, host, answer.status, answer.text)
            assert answer.error_code == "host_not_allowed"
            assert EVIL not in answer.text
    assert settle_mail(email_server, mails_before) == [], "no mail for a misdirected request"
    assert count(client) == count_before


def test_a_missing_or_malformed_host_is_400(default_server):
    port = default_server.port
    for head in (b"GET / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: evil example\r\n\r\n", b"GET / HTTP/1.1\r\nHost: user@127.0.0.1\r\n\r\n"):
        answer = raw_exchange(port, head)
        assert answer.startswith(b"HTTP/1.1 400"), (head, answer[:200])
        assert b'"invalid_host"' in answer


def test_links_in_mail_use_the_sites_own_address(email_server):
    """`localhost` is an allowed name for a loopback server, but the link says what the server listens on."""
    client = email_server.client()
    before = len(email_server.mails())
    answer = client.post("/api/v1/petitions", json_body=dict(CREATE, email="creator-link@example.org"),
                         host_header="localhost:1")
    assert answer.status == 201, answer.text
    mails = email_server.wait_for_mail_count(before + 1)[before:]
    assert len(mails) == 1
    message = mails[0]["message"]
    assert f"http://127.0.0.1:{email_server.port}/confirm/" in message
    body = re.split(r"\r?\n\r?\n", message, maxsplit=1)[-1]
    assert "localhost" not in body
    assert EVIL not in message


def test_the_live_upgrade_checks_host_and_origin(default_server):
    import websocket

    port = default_server.port
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        ws_connect(port, host_header=f"{EVIL}:{port}", origin=f"http://{EVIL}:{port}")
    assert refused.value.status_code == 421
    # Host and Origin agreeing (a DNS-rebound page) no longer makes the origin "own".
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        ws_connect(port, origin=f"http://{EVIL}:{port}")
    assert refused.value.status_code == 403
    ws = ws_connect(port, origin=default_server.origin)
    assert json.loads(ws.recv())["type"] == "welcome"
    ws.close()


# ---------- Origin and CSRF: forms from other sites sign nothing ----------


def test_a_cross_site_sign_form_signs_nothing(default_server):
    client = default_server.client()
    before = count(client)
    form = {"name": "Victim Visitor", "email": "victim@example.org"}
    # What a form on another site makes the visitor's browser send: a foreign Origin, no token.
    answer = client.fresh().post("/api/v1/petitions/1/signatures", form=form, headers={"Origin": "https://evil.example"})
    assert answer.status == 403 and answer.error_code == "origin_not_allowed"
    answer = client.fresh().post("/api/v1/petitions/1/signatures", form=form, headers={"Origin": "null"})
    assert answer.status == 403 and answer.error_code == "origin_not_allowed"
    # Without Origin (older browsers, privacy tools): the missing token refuses it.
    answer = client.fresh().post("/api/v1/petitions/1/signatures", form=form)
    assert answer.status == 403 and 'data-error-code="csrf_failed"' in answer.text
    # The visitor's own token with the visitor's cookie, but from the attacker's page: Origin refuses it.
    visitor = client.fresh()
    token = page_token(visitor.get("/petitions/1").text)
    answer = visitor.post("/api/v1/petitions/1/signatures", form=dict(form, csrf_token=token),
                          headers={"Origin": "https://evil.example"})
    assert answer.status == 403 and answer.error_code == "origin_not_allowed"
    # A token the attacker fetched for themselves, without the cookie it is bound to (the victim has none).
    attacker = client.fresh()
    stolen = page_token(attacker.get("/petitions/1").text)
    answer = client.fresh().post("/api/v1/petitions/1/signatures", form=dict(form, csrf_token=stolen))
    assert answer.status == 403 and 'data-error-code="csrf_failed"' in answer.text
    # A JSON body sent as text/plain (what a form can send without a preflight).
    answer = client.fresh().post("/api/v1/petitions/1/signatures", body=json.dumps(form),
                                 headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert answer.status in (403, 415)
    assert count(client) == before, "nothing counted"

    # The page itself still signs, without JavaScript: its token, its cookie, the site's own Origin.
    answer = visitor.post("/api/v1/petitions/1/signatures", form=dict(form, csrf_token=token),
                          headers={"Origin": default_server.origin})
    # Redirect after post (issue 12): the signed page at its own URL, so a reload signs nothing again.
    assert answer.status == 303 and answer.headers.get("location") == "/petitions/1/signed", (answer.status, answer.headers)
    assert count(client) == before + 1


def test_every_form_refuses_a_foreign_origin(default_server):
    """Every state-changing form of the site, posted from another site with a valid token: 403, nothing stored."""
    visitor = default_server.client()
    sitting = visitor.get("/sittings/1").text
    token = page_token(sitting)
    new_petition = page_token(visitor.get("/petitions/new").text)
    login_client = default_server.client()
    login_token = page_token(login_client.get("/staff/login").text)
    cases = [
        (visitor, "/sittings/1/questions", {"text": "Cross-site question?", "csrf_token": token}),
        (visitor, "/petitions/new", dict(CREATE, csrf_token=new_petition)),
        (login_client, "/staff/login", {"email": "mod@example.org", "password": "moderator-password-1", "csrf_token": login_token}),
    ]
    for client, path, form in cases:
        answer = client.post(path, form=form, headers={"Origin": "https://evil.example", "Accept": "application/json"})
        assert answer.status == 403 and answer.error_code == "origin_not_allowed", (path, answer.status, answer.text[:200])
    assert "Cross-site question?" not in visitor.get("/sittings/1").text
    assert "hc_session" not in login_client.cookies, "no session from a cross-site login form"


# ---------- after login, next stays on the site ----------


@pytest.mark.parametrize("next_value", ["/\t/evil.example", "//evil", "/\\evil", "https://evil", "/\\/evil.example",
                                        "/\r\nLocation: https://evil", " /staff"])
def test_login_next_never_leaves_the_site(default_server, next_value):
    account = default_server.server.staff["moderator"]
    client = default_server.client()
    # The attacker's link: /staff/login?next=/%09/evil.example
    page = client.get("/staff/login?next=" + urllib.parse.quote(next_value, safe=""))
    assert 'name="next" value="/staff"' in page.text
    answer = client.post("/staff/login", form={"email": account.email, "password": account.password,
                                               "csrf_token": page_token(page.text), "next": next_value})
    assert answer.status == 303, answer.text[:300]
    assert answer.headers["location"] == "/staff"


# ---------- a server that believes 127.0.0.1's X-Forwarded-For: requests from anywhere ----------


@pytest.fixture(scope="module")
def proxied_server():
    with hostile_server("edge-proxied", ("--trusted-proxy", "127.0.0.1")) as srv:
        yield srv


def login_from(server, address: str, email: str, password: str) -> "Answer":
    return server.client().post("/api/v1/session", json_body={"email": email, "password": password},
                                headers={"X-Forwarded-For": address, "Origin": server.origin})


def test_a_login_burst_is_cut_before_bcrypt_and_the_member_still_logs_in(proxied_server):
    account = proxied_server.server.staff["moderator"]
    start = threading.Barrier(64)

    def attempt(_):
        start.wait()
        return login_from(proxied_server, "203.0.113.66", account.email, "wrong password, guess")

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        answers = list(pool.map(attempt, range(64)))
    statuses = {}
    for answer in answers:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    print(f"login burst: {statuses}, 429 codes {sorted({a.error_code for a in answers if a.status == 429})}")
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.get(401, 0) <= 5, f"at most the per-(email, address) limit is verified: {statuses}"
    refused = [a for a in answers if a.status == 429]
    assert len(refused) >= 59
    assert all(a.error_code in ("rate_limited", "login_busy") and "retry-after" in a.headers for a in refused)

    # The attacker's address cannot lock the member out: from another address the real password works.
    answer = login_from(proxied_server, "198.51.100.20", account.email, account.password)
    assert answer.status == 200, answer.text
    # And the audit log holds no more failures than were verified.
    admin = proxied_server.server.staff["admin"]
    admin_client = proxied_server.client()
    assert admin_client.post("/api/v1/session", json_body={"email": admin.email, "password": admin.password},
                             headers={"Origin": proxied_server.origin}).status == 200
    log = admin_client.get("/api/v1/audit-log?limit=1000").json()["entries"]
    failures = [e for e in log if e["action"] == "login_failed" and e["subject"] == f"email:{account.email}"]
    assert len(failures) == statuses.get(401, 0)


def test_metrics_answer_only_allowed_addresses(proxied_server):
    client = proxied_server.client()
    remote = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert remote.status == 403
    assert "hemicycle_" not in remote.text
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9", "Accept": "application/json"}).error_code \
        == "metrics_not_allowed"
    # A DNS-rebound page in a browser on the server's machine comes from loopback but names its own host.
    assert client.get("/metrics", host_header=f"{EVIL}:{proxied_server.port}").status == 421
    local = client.get("/metrics")
    assert local.status == 200 and "hemicycle_" in local.text


def test_a_password_change_ends_the_members_other_sessions(proxied_server):
    account = proxied_server.server.staff["petitions-moderator"]
    laptop, phone = proxied_server.client(), proxied_server.client()
    for client in (laptop, phone):
        assert client.post("/api/v1/session", json_body={"email": account.email, "password": account.password},
                           headers={"Origin": proxied_server.origin}).status == 200
    assert phone.get("/api/v1/session").status == 200
    new_password = account.password + "-changed"
    answer = laptop.post("/api/v1/session/password", json_body={"current": account.password, "new": new_password},
                         headers={"Origin": proxied_server.origin})
    assert answer.status == 200, answer.text
    assert phone.get("/api/v1/session").error_code == "not_logged_in", "the other session ended"
    assert laptop.get("/api/v1/session").status == 200
    # Put the fixture's password back (this ends no session but the laptop's own is kept).
    assert laptop.post("/api/v1/session/password", json_body={"current": new_password, "new": account.password},
                       headers={"Origin": proxied_server.origin}).status == 200


# ---------- slow clients and connections ----------


def test_a_slowloris_head_is_closed_with_the_default_deadline(default_server):
    head = b"GET /petitions/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(
        b"X-Slow-%d: loris\r\n" % n for n in range(400)) + b"\r\n"
    with socket.create_connection(("127.0.0.1", default_server.port)) as sock:
        closed_after = trickle_until_closed(sock, head, every=0.5, limit=40)
    assert closed_after is not None, "a head trickled for 40 s is never answered"
    assert closed_after < 30


@pytest.fixture(scope="module")
def strict_server():
    with hostile_server("edge-strict", ("--request-head-timeout-s", "2", "--request-body-timeout-s", "2",
                                        "--max-connections-per-address", "3")) as srv:
        yield srv


def test_a_slowloris_body_is_closed_and_signs_nothing(strict_server):
    client = strict_server.client()
    before = count(client)
    body = json.dumps({"name": "Slow Loris", "email": "slow@example.org"}).encode() + b" " * 200
    head = (b"POST /api/v1/petitions/1/signatures HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body))
    with socket.create_connection(("127.0.0.1", strict_server.port)) as sock:
        sock.sendall(head)
        closed_after = trickle_until_closed(sock, body, every=0.3, limit=30)
    assert closed_after is not None and closed_after < 15
    assert count(client) == before


def test_a_kept_alive_connection_must_send_its_next_head_in_time(strict_server):
    with socket.create_connection(("127.0.0.1", strict_server.port)) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        closed_after = trickle_until_closed(sock, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: 1\r\n" * 100,
                                            every=0.3, limit=30)
    assert closed_after is not None and closed_after < 15


def test_live_sockets_outlive_the_http_deadlines(strict_server):
    ws = ws_connect(strict_server.port)
    assert json.loads(ws.recv())["type"] == "welcome"
    time.sleep(5)  # well past both deadlines of this server
    ws.send(json.dumps({"type": "subscribe", "ref": "s1", "topics": ["petition:1"]}))
    messages = [json.loads(ws.recv()) for _ in range(2)]
    assert any(m["type"] == "subscribed" for m in messages), messages
    ws.close()


def test_connections_per_address_are_limited_when_set(strict_server):
    port = strict_server.port
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    try:
        time.sleep(0.2)
        answer = raw_exchange(port, b"", timeout=5)
        assert answer.startswith(b"HTTP/1.1 429"), answer[:200]
        assert b"too_many_connections" in answer
        # The held ones are served.
        held[0].sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        held[0].settimeout(5)
        assert held[0].recv(65536).startswith(b"HTTP/1.1 200")
    finally:
        for sock in held:
            sock.close()
    # Places come back once they close.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if raw_exchange(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                        timeout=5).startswith(b"HTTP/1.1 200"):
            break
        time.sleep(0.2)
    else:
        pytest.fail("no place came back after the connections closed")


def test_connections_are_not_limited_by_default(default_server):
    held = [socket.create_connection(("127.0.0.1", default_server.port)) for _ in range(40)]
    try:
        for sock in held:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        for sock in held:
            sock.settimeout(10)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    finally:
        for sock in held:
            sock.close()
