"""TLS in Hemicycle (issue 17): `--tls-cert` and `--tls-key` serve HTTPS and WSS on one port, with a self-signed
certificate made here with openssl. A page over https (HSTS, Secure cookies), a WSS subscription that sees a
signature's count, the signature itself, a plain-HTTP request on the TLS port refused (no clear-text answer), and a
renewed certificate served after SIGHUP without a restart."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import http.client
from pathlib import Path

import pytest

import openapi_support as support
from conftest import hostile

browser = hostile.browser_support


def make_certificate(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={name}",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def trusting(cert: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(cert))
    return context


@pytest.fixture(scope="module")
def tls_server():
    folder = Path(tempfile.mkdtemp(prefix="hemicycle-tls-"))
    cert, key = make_certificate(folder, "first")
    served_cert, served_key = folder / "served.pem", folder / "served.key"
    shutil.copy(cert, served_cert)
    shutil.copy(key, served_key)
    port = browser._free_port()
    log_path = browser.ARTIFACTS / "server-tls.log"
    browser.ARTIFACTS.mkdir(exist_ok=True)
    log = open(log_path, "w", buffering=1)
    command = [str(browser._server_binary()), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(folder / "data"),
               "--bcrypt-cost", "4", "--tls-cert", str(served_cert), "--tls-key", str(served_key)]
    process = subprocess.Popen(command, cwd=browser.REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True)
    context = trusting(cert)
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, f"the server exited: {log_path.read_text()[-3000:]}"
        try:
            connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, f"no https answer within 60 s: {log_path.read_text()[-3000:]}"
        time.sleep(0.25)
    try:
        yield {"port": port, "cert": cert, "folder": folder, "served": (served_cert, served_key), "process": process, "log": log_path}
    finally:
        browser._stop(process)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def https(server, method, path, *, body=None, headers=None, cert=None):
    connection = http.client.HTTPSConnection("127.0.0.1", server["port"], context=trusting(cert or server["cert"]), timeout=10)
    connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{server['port']}", **(headers or {})})
    response = connection.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.getheaders(), response.read()


def test_a_page_over_https_with_hsts_and_secure_cookies(tls_server):
    status, headers, raw_headers, body = https(tls_server, "GET", "/petitions/1")
    assert status == 200 and b"<html" in body
    assert headers["strict-transport-security"] == "max-age=31536000"
    cookies = [v for k, v in raw_headers if k.lower() == "set-cookie"]
    assert cookies and all("Secure" in c for c in cookies), cookies
    # Links without --public-url name the https address the server listens on.
    status, _, _, body = https(tls_server, "GET", "/petitions/1.json")
    assert status == 200 and json.loads(body)["links"]["self"] == f"https://127.0.0.1:{tls_server['port']}/petitions/1.json"


def test_a_wss_subscription_sees_a_signature_made_over_https(tls_server):
    import websocket

    port = tls_server["port"]
    ws = websocket.create_connection(f"wss://127.0.0.1:{port}/live", origin=f"https://127.0.0.1:{port}", timeout=10,
                                     sslopt={"ca_certs": str(tls_server["cert"])})
    try:
        welcome = json.loads(ws.recv())
        assert welcome["type"] == "welcome"
        ws.send(json.dumps({"type": "subscribe", "topics": ["petition:1"]}))
        before = None
        while before is None:
            message = json.loads(ws.recv())
            if message["type"] == "snapshot" and message["topic"] == "petition:1":
                before = message["data"]["signature_count"]
        status, _, _, body = https(tls_server, "POST", "/api/v1/petitions/1/signatures",
                                   body=json.dumps({"name": "Tessa Tls", "email": "tessa@example.org"}),
                                   headers={"Content-Type": "application/json", "Origin": f"https://127.0.0.1:{port}"})
        assert status == 201, body
        signed = json.loads(body)["signature_count"]
        assert signed == before + 1
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            message = json.loads(ws.recv())
            if message["type"] == "event" and message["topic"] == "petition:1" and message["data"].get("signature_count", 0) >= signed:
                break
        else:
            pytest.fail("no count event over WSS")
    finally:
        ws.close()
    # The foreign origin check holds over https too (the own origin is https://host:port).
    status, _, _, body = https(tls_server, "POST", "/api/v1/petitions/1/signatures",
                               body=json.dumps({"name": "Eve", "email": "eve@example.org"}),
                               headers={"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"})
    assert status == 403 and json.loads(body)["error"]["code"] == "origin_not_allowed"


def test_plain_http_on_the_tls_port_gets_no_answer_in_clear(tls_server):
    before = https(tls_server, "GET", "/petitions/1/count.json")[3]
    with socket.create_connection(("127.0.0.1", tls_server["port"]), timeout=10) as raw:
        raw.sendall(f"GET /petitions/1/count.json HTTP/1.1\r\nHost: 127.0.0.1:{tls_server['port']}\r\n\r\n".encode())
        received = b""
        try:
            while chunk := raw.recv(4096):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    assert b"HTTP/1." not in received and b"signature_count" not in received, received[:200]
    # A plain-HTTP POST changes nothing either.
    with socket.create_connection(("127.0.0.1", tls_server["port"]), timeout=10) as raw:
        body = json.dumps({"name": "Clear Text", "email": "clear@example.org"}).encode()
        raw.sendall(f"POST /api/v1/petitions/1/signatures HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        try:
            while raw.recv(4096):
                pass
        except (ConnectionResetError, TimeoutError):
            pass
    assert https(tls_server, "GET", "/petitions/1/count.json")[3] == before
    assert tls_server["process"].poll() is None


def fingerprint(port: int) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw) as wrapped:
        return hashlib.sha256(wrapped.getpeercert(binary_form=True)).hexdigest()


def test_sighup_serves_a_renewed_certificate_without_a_restart(tls_server):
    port = tls_server["port"]
    first = fingerprint(port)
    assert first == hashlib.sha256(ssl.PEM_cert_to_DER_cert(tls_server["cert"].read_text())).hexdigest()
    # A renewal that is not a certificate keeps the old one.
    served_cert, served_key = tls_server["served"]
    served_cert.write_text("not a certificate")
    os.kill(tls_server["process"].pid, signal.SIGHUP)
    time.sleep(1)
    assert tls_server["process"].poll() is None and fingerprint(port) == first
    renewed, renewed_key = make_certificate(tls_server["folder"], "second")
    shutil.copy(renewed_key, served_key)
    shutil.copy(renewed, served_cert)
    os.kill(tls_server["process"].pid, signal.SIGHUP)
    expected = hashlib.sha256(ssl.PEM_cert_to_DER_cert(renewed.read_text())).hexdigest()
    deadline = time.monotonic() + 10
    while fingerprint(port) != expected:
        assert time.monotonic() < deadline, "the renewed certificate is not served after SIGHUP"
        time.sleep(0.2)
    assert https(tls_server, "GET", "/health", cert=renewed)[0] == 200
    assert tls_server["process"].poll() is None
    log = tls_server["log"].read_text()
    assert "the TLS certificate was not reloaded" in log and "reloaded the TLS certificate" in log
