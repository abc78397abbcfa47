"""Attacks on the staff pages of issue 12: the admins' staff accounts (forms and API) and the clerks' sitting form.
Each attack fails and changes nothing: the accounts (read through the admin's API) and the sitting (its JSON) are the
same before and after, and no one-time password leaks.
"""

from __future__ import annotations

import re

import pytest

from conftest import hostile_server


@pytest.fixture(scope="module")
def srv():
    with hostile_server("staff-pages") as server:
        yield server


def _origin(srv) -> dict:
    return {"Origin": srv.origin}


def _accounts(srv) -> list:
    admin = srv.staff_client("admin")
    answer = admin.get("/api/v1/staff")
    assert answer.status == 200, answer.text
    return answer.json()["staff"]


def _csrf(answer) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', answer.text)
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_a_cross_site_form_cannot_create_an_account(srv):
    before = _accounts(srv)
    admin = srv.staff_client("admin")
    form = {"name": "Mallory", "email": "mallory@example.org", "role": "admin"}
    # The admin's browser, driven by another site: the cookie goes along, the token cannot.
    for headers, extra in (({"Origin": "https://evil.example"}, {}), ({}, {}), ({}, {"csrf_token": "forged"})):
        answer = admin.post("/staff/accounts", form={**form, **extra}, headers=headers)
        assert answer.status == 403, f"{headers} {extra}: {answer.status}"
        assert "one-time-password" not in answer.text
    # The JSON API from another origin, and a form body sent to it (no preflight needed for a form).
    answer = admin.post("/api/v1/staff", json_body=form, headers={"Origin": "https://evil.example"})
    assert answer.status == 403 and answer.json()["error"]["code"] == "origin_not_allowed"
    answer = admin.post("/api/v1/staff", form=form)
    assert answer.status == 415
    assert _accounts(srv) == before


def test_other_staff_and_strangers_cannot_manage_accounts(srv):
    before = _accounts(srv)
    target = next(a for a in before if a["role"] == "moderator")
    for role in ("moderator", "chair", "petitions-moderator"):
        client = srv.staff_client(role)
        assert client.get("/api/v1/staff").status == 403
        assert client.post("/api/v1/staff", json_body={"email": "x@example.org", "name": "X", "role": "admin"},
                           headers=_origin(srv)).status == 403
        assert client.request("PATCH", f"/api/v1/staff/{target['id']}", json_body={"role": "admin"},
                              headers=_origin(srv)).status == 403
        assert client.post(f"/api/v1/staff/{target['id']}/password", json_body={}, headers=_origin(srv)).status == 403
        page = client.get("/staff/accounts")
        assert page.status == 403, f"{role}: {page.status}"
    stranger = srv.client()
    assert stranger.get("/api/v1/staff").status == 401
    assert stranger.get("/staff/accounts").status == 303
    assert _accounts(srv) == before


def test_a_moderator_cannot_make_itself_admin_with_its_own_token(srv):
    before = _accounts(srv)
    moderator = srv.staff_client("moderator")
    token = _csrf(moderator.get("/staff"))
    me = next(a for a in before if a["role"] == "moderator")
    answer = moderator.post(f"/staff/accounts/{me['id']}", form={"role": "admin", "csrf_token": token}, headers=_origin(srv))
    assert answer.status == 403
    assert _accounts(srv) == before


def test_a_name_with_a_line_break_or_markup_is_refused(srv):
    before = _accounts(srv)
    admin = srv.staff_client("admin")
    for name in ("Eve\r\nBcc: all@example.org", "Eve\u2028Admin", "<script>alert(1)</script>"):
        answer = admin.post("/api/v1/staff", json_body={"email": "eve@example.org", "name": name, "role": "clerk"},
                            headers=_origin(srv))
        assert answer.status == 422 and "name" in answer.json()["error"]["fields"], name
    assert _accounts(srv) == before


def test_the_sitting_form_refuses_forged_and_foreign_posts(srv):
    admin = srv.staff_client("admin")
    before = admin.get("/api/v1/sittings/1").text
    form = {"title": "Hijacked", "committee": "X", "scheduled_start": "2026-12-24T09:30"}
    for headers, extra in (({"Origin": "https://evil.example"}, {}), ({}, {}), ({}, {"csrf_token": "forged"})):
        answer = admin.post("/sittings/1/edit", form={**form, **extra}, headers=headers)
        assert answer.status == 403, f"{headers} {extra}: {answer.status}"
    moderator = srv.staff_client("moderator")
    token = _csrf(moderator.get("/staff"))
    assert moderator.post("/sittings/1/edit", form={**form, "csrf_token": token}, headers=_origin(srv)).status == 403
    assert srv.client().post("/sittings/1/edit", form=form).status in (401, 403)
    assert admin.get("/api/v1/sittings/1").text == before
