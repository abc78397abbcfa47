"""Hostile clients against draft legislation (Protocol/LEGISLATION.md §9): each attack goes through real sockets,
fails, and leaves nothing stored (the queue read by an admin, the public open data, the moderation log).

The default server seeds the demo bill 1; none of HOSTILE_STAFF is assigned to it (the moderator and the chair work
on sitting 1 only), so they stand for staff of another committee.
"""

from __future__ import annotations

import hashlib
import json
import re

from conftest import ws_connect, ws_until
from test_live import subscribe

BILL = 1
CLAUSE = "sec_2__subsec_c__para_1"


def reader(srv):
    client = srv.client()
    page = client.get(f"/bills/{BILL}")
    assert page.status == 200
    assert "hc_participant" in client.cookies, "the reading page issues a participant"
    return client


def queue(srv) -> list:
    answer = srv.staff_client("admin").get(f"/api/v1/bills/{BILL}/moderation")
    assert answer.status == 200, answer.text
    return answer.json()["comments"]


def public_state(srv) -> tuple:
    open_data = srv.client().get(f"/bills/{BILL}.json").json()
    log = srv.client().get(f"/bills/{BILL}/moderation-log.json").json()["entries"]
    return json.dumps(open_data["provisions"], sort_keys=True), open_data["marker"], len(log)


def test_comments_from_another_site_or_without_a_participant_are_refused(default_server):
    srv = default_server
    before_queue, before = queue(srv), public_state(srv)
    client = reader(srv)
    body = {"eId": CLAUSE, "text": "Cross-site"}
    answer = client.request("POST", f"/api/v1/bills/{BILL}/comments", json_body=body, headers={"Origin": "https://evil.example"})
    assert answer.status == 403 and answer.error_code == "origin_not_allowed"
    answer = srv.client().request("POST", f"/api/v1/bills/{BILL}/comments", json_body=body, headers={"Origin": srv.origin})
    assert answer.status == 403 and answer.error_code == "participant_required"
    answer = client.request("POST", f"/api/v1/bills/{BILL}/comments", json_body=body,
                            headers={"Origin": srv.origin, "Content-Type": "text/plain"})
    assert answer.status == 415
    forged = client.request("POST", f"/bills/{BILL}/comments", form={"eId": CLAUSE, "text": "Forged", "csrf_token": "x" * 43})
    assert forged.status == 403
    no_token = client.request("POST", f"/bills/{BILL}/comments", form={"eId": CLAUSE, "text": "No token"})
    assert no_token.status == 403
    assert queue(srv) == before_queue, "nothing reached the moderators"
    assert public_state(srv) == before


def test_bad_anchors_markup_and_oversized_fields_store_nothing(default_server):
    srv = default_server
    before_queue = queue(srv)
    client = reader(srv)
    cases = [
        ({"eId": CLAUSE, "text": "<script>alert(1)</script>"}, 422, "invalid_text"),
        ({"eId": CLAUSE, "text": "Hi", "quote": {"exact": "x" * 2001}}, 422, "quote_too_long"),
        ({"eId": CLAUSE, "text": "Hi", "quote": {"exact": "3 hours", "prefix": "p" * 201}}, 422, "quote_too_long"),
        ({"eId": CLAUSE, "text": "Hi", "quote": {"exact": "not in the clause"}}, 422, "quote_not_found"),
        ({"eId": "sec_2__subsec_zz", "text": "Hi"}, 422, "unknown_provision"),
        ({"eId": "sec_2" * 60, "text": "Hi"}, 422, "invalid_input"),
        ({"eId": CLAUSE, "text": "Hi", "position": {"start": -1, "end": 4}, "quote": {"exact": "3 hours"}}, 422, "invalid_input"),
        ({"eId": CLAUSE, "text": "Hi", "position": {"start": 0, "end": 10 ** 12}, "quote": {"exact": "3 hours"}}, 422, "invalid_input"),
        ({"eId": CLAUSE, "kind": "rewording", "text": "Hi", "proposed_text": "\u0007bell"}, 422, "invalid_text"),
        ({"eId": CLAUSE, "text": "Hi", "name": "x" * 500}, 422, "invalid_text"),
    ]
    for body, status, code in cases:
        answer = client.request("POST", f"/api/v1/bills/{BILL}/comments", json_body=body, headers={"Origin": srv.origin})
        assert (answer.status, answer.error_code) == (status, code), f"{json.dumps(body)[:80]}: {answer.status} {answer.text[:200]}"
    assert queue(srv) == before_queue


def test_participants_and_other_committees_cannot_moderate_or_move_the_marker(default_server):
    srv = default_server
    author = reader(srv)
    answer = author.request("POST", f"/api/v1/bills/{BILL}/comments", json_body={"eId": CLAUSE, "text": "A fair point."},
                            headers={"Origin": srv.origin})
    assert answer.status == 201, answer.text
    comment = answer.json()["id"]
    before_queue, before = queue(srv), public_state(srv)
    for client, expected in ((author, 401), (srv.staff_client("moderator"), 403), (srv.staff_client("chair"), 403),
                             (srv.staff_client("petitions-moderator"), 403)):
        moderated = client.request("POST", f"/api/v1/bill-comments/{comment}/moderation", json_body={"action": "approve"},
                                   headers={"Origin": srv.origin})
        assert moderated.status == expected, moderated.text
        marker = client.request("POST", f"/api/v1/bills/{BILL}/marker", json_body={"eId": "sec_1"}, headers={"Origin": srv.origin})
        assert marker.status == expected, marker.text
    other = reader(srv)
    withdrawn = other.request("DELETE", f"/api/v1/bill-comments/{comment}", headers={"Origin": srv.origin})
    assert withdrawn.status == 403 and withdrawn.error_code == "not_author"
    assert queue(srv) == before_queue
    assert public_state(srv) == before


def test_the_moderation_topic_is_refused_to_the_public_and_to_other_committees(default_server):
    srv = default_server
    for cookies in ({}, srv.staff_client("moderator").cookies):
        live = ws_connect(srv.port, cookies=cookies)
        try:
            ws_until(live, lambda m: m["type"] == "welcome")
            answer = subscribe(live, [f"bill:{BILL}:moderation"], ref="staff")
            assert answer["type"] == "error" and answer["code"] == "forbidden_topic", answer
            public = subscribe(live, [f"bill:{BILL}"], ref="public")
            assert public["type"] == "subscribed", public
        finally:
            live.close()
    admin = ws_connect(srv.port, cookies=srv.staff_client("admin").cookies)
    try:
        ws_until(admin, lambda m: m["type"] == "welcome")
        assert subscribe(admin, [f"bill:{BILL}:moderation"], ref="admin")["type"] == "subscribed"
    finally:
        admin.close()


def frozen_reports(srv) -> list:
    """The frozen reports the live report page lists (their addresses)."""
    page = srv.client().get(f"/bills/{BILL}/report")
    assert page.status == 200
    return sorted(set(re.findall(rf'href="(/bills/{BILL}/reports/\d+)"', page.text)))


def test_only_the_bills_clerks_freeze_its_report_and_a_frozen_report_matches_its_hash(default_server):
    srv = default_server
    before = frozen_reports(srv)
    # A participant, staff of other committees, a cross-site page and a forged body freeze nothing.
    for client, headers, expected in ((reader(srv), {"Origin": srv.origin}, 401),
                                      (srv.staff_client("moderator"), {"Origin": srv.origin}, 403),
                                      (srv.staff_client("chair"), {"Origin": srv.origin}, 403),
                                      (srv.staff_client("admin"), {"Origin": "https://evil.example"}, 403)):
        answer = client.request("POST", f"/api/v1/bills/{BILL}/report/freeze", json_body={}, headers=headers)
        assert answer.status == expected, answer.text
    admin = srv.staff_client("admin")
    answer = admin.request("POST", f"/api/v1/bills/{BILL}/report/freeze", body="{", headers={"Origin": srv.origin, "Content-Type": "application/json"})
    assert answer.status == 400
    assert frozen_reports(srv) == before, "nothing frozen"
    # The bill's admin freezes it: the bytes served are the ones hashed, and stay so.
    answer = admin.request("POST", f"/api/v1/bills/{BILL}/report/freeze", json_body={}, headers={"Origin": srv.origin})
    assert answer.status == 201, answer.text
    report = answer.json()["report"]
    frozen = srv.client().get(report["url"] + ".json")
    assert frozen.status == 200
    assert hashlib.sha256(frozen.body).hexdigest() == report["sha256"]
    assert frozen.headers.get("etag") == f'"{report["sha256"]}"'
    assert json.loads(frozen.body)["bill"]["id"] == BILL
    assert report["url"] in frozen_reports(srv)
    # Report addresses that are not numbers or not this bill's are 404, never another bill's report.
    for path in (f"/bills/{BILL}/reports/../../etc", f"/bills/{BILL}/reports/-1.json", f"/bills/{BILL}/reports/1e3.json",
                 f"/bills/{BILL + 1}/reports/{report['url'].rsplit('/', 1)[1]}.json"):
        assert srv.client().get(path).status == 404, path
