"""Attacks on the committee-room screen's join address and QR code, and on the embed's variants: a Host header built
to break out of the page or the SVG, and variant values built to inject markup. Each must fail (escaped, or refused)
and change nothing."""

from __future__ import annotations

HOSTILE_HOSTS = ('a"><script>alert(1)</script>', "evil.example/<svg onload=alert(1)>", "x" * 300)


def test_a_hostile_host_never_reaches_the_screen_or_the_qr_code(default_server):
    client = default_server.client()
    before = client.get("/api/v1/sittings/1").json()
    for host in HOSTILE_HOSTS:
        for path in ("/sittings/1/screen", "/sittings/1/qr.svg"):
            answer = client.get(path, host_header=host)
            # The site knows its own address: a foreign or malformed Host is refused (421 or 400), never obeyed.
            assert answer.status in (400, 421), f"{path} with Host {host[:40]!r}: {answer.status}"
            body = answer.body.decode(errors="replace")
            assert "<script>" not in body and "<svg onload" not in body, f"{path} with Host {host[:40]!r} echoes markup"
    # With the site's own Host, the join address is the site's address (never a Host), so the code may be cached.
    qr = client.get("/sittings/1/qr.svg")
    assert qr.status == 200 and qr.headers.get("content-type", "").startswith("image/svg+xml")
    assert f"<title>{default_server.origin}/sittings/1</title>" in qr.text
    assert client.get("/api/v1/sittings/1").json() == before


def test_the_embed_refuses_unknown_variants_without_echoing_them(default_server):
    client = default_server.client()
    for query in ("show=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", "theme=%3Cstyle%3E", "show=all&theme=dark", "theme="):
        answer = client.get(f"/embed/petitions/1?{query}")
        assert answer.status == 422, f"?{query}: {answer.status}"
        assert "<script>" not in answer.body.decode(errors="replace")
        assert "<style>" not in answer.body.decode(errors="replace")
    ok = client.get("/embed/petitions/1?show=count&theme=dark")
    assert ok.status == 200 and 'data-theme="dark"' in ok.text
