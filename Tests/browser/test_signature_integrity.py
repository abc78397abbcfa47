"""End-to-end test of signature integrity (Protocol/PETITIONS.md §3-§5, PROTOCOL.md §6.1 and §6.5) in headless
Chromium against the real server.

The server runs with `--sign-rate-limit 2/3600`: every signature of this test comes from 127.0.0.1, so the first two
count and the third is held for review. A petitions moderator is added with `hemicycle staff add`. The demo
petition (id 1, open) and the demo's sample regions (Protocol/examples/regions/: "SW1A 1AA" is in constituency
E14001172, region E15000007 London; "OX4 1AA" in E14001398, region E15000008 South East) are used.

Separate Chromium sessions (own cookies), never reloaded while they watch:

1. the watcher opens /petitions/1; two signatures are sent through the JSON API (201, postcodes in two regions):
   the count and the region and constituency tables follow without a reload; a reader who opens the page afterwards
   sees the areas' names (the watcher's from the live events, a new reader's with the page);
2. a third signature answers 202 {"state":"held"}: the watcher's count does not move;
3. the moderator logs in, follows the staff home's link to /staff/signatures, sees 1 held for petition 1 and releases
   it: the watcher's count goes up by one, live;
4. the moderator searches by the email domain of two of the signatures, sees the preview (2 counted) and the
   signatures, opens the invalidate dialog (an empty reason is refused), gives a reason and confirms: the record is
   shown, the past invalidations list it, the watcher's count goes down by 2 and the region table follows (London
   leaves it);
5. /petitions/1/integrity.json shows held 1, invalidated 2 and the invalidation's reason;
6. (second test) the preview changes between the search and the confirmation: 409 preview_changed shows the new
   preview in the dialog and asks again; the second confirmation invalidates what it shows;
7. (third test) staff reject the petition: the watcher's signing form gives way to "This petition was rejected",
   live (the `state` event);

and no CSP violation or console error in any session. Screenshots (1280 and 360 px wide) go to
test-artifacts/integrity-*.png; the server's log to test-artifacts/server-signature-integrity.log.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid

import pytest
from selenium.webdriver.common.by import By

from conftest import ARTIFACTS, Browsers, StaffAccount, server_with_staff
from test_hearing_flow import attr_of, console_problems, find, log_in, text_of, wait
from test_petition_page import assert_not_reloaded, fits_width, http, mark_page, screenshot

PETITION = 1
PAGE = f"/petitions/{PETITION}"
SIGN_API = f"/api/v1/petitions/{PETITION}/signatures"
MODERATOR = StaffAccount("petitions-moderator", "integrity@example.org", "Ivy Integrity", "integrity-moderator-pw-1")
RATE_LIMIT = "2/3600"
LONDON, SOUTH_EAST = "E15000007", "E15000008"
WESTMINSTER, OXFORD_EAST = "E14001172", "E14001398"
SHOT_WIDTHS = (1280, 360)
# Upper bounds, never sleeps (except QUIET_S): a debug server and several Chromiums share 2 cores.
LIVE_TIMEOUT_S = 30
UPDATE_TIMEOUT_S = 20
PAGE_TIMEOUT_S = 30
# How long a count that must NOT move is watched: many conflation ticks (100 ms) and areas ticks (1 s).
QUIET_S = 3


# ---------- the server and the sessions ----------


@pytest.fixture(scope="module")
def integrity_server():
    """A server of its own: signing limited to 2 an hour per address, and a petitions moderator."""
    with server_with_staff("signature-integrity", [MODERATOR], ("--sign-rate-limit", RATE_LIMIT)) as srv:
        yield srv


@pytest.fixture(scope="module")
def browsers():
    """The sessions of this module's tests (the watcher keeps its page open from one test to the next)."""
    sessions = Browsers()
    yield sessions
    sessions.quit_all()


# ---------- helpers ----------


def sign(server, name: str, email: str, postcode: str) -> tuple[int, dict]:
    status, headers, body = http("POST", server.url(SIGN_API), json.dumps({"name": name, "email": email, "postcode": postcode}).encode(),
                                 {"Content-Type": "application/json", "Accept": "application/json"})
    assert "application/json" in headers.get("Content-Type", ""), f"POST {SIGN_API}: {status} {headers.get('Content-Type')}"
    return status, json.loads(body)


def get_json(server, path: str) -> dict:
    status, headers, body = http("GET", server.url(path))
    assert status == 200, f"GET {path}: {status} {body[:300]!r}"
    return json.loads(body)


def count_of(driver) -> int:
    return int(attr_of(driver, "#signature-count", "value"))


def area_rows(driver, kind: str) -> dict[str, tuple[str, int]]:
    """The rows of #areas-{kind}-body: code -> (name shown, count)."""
    rows = driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map((tr) => "
        "[tr.dataset.code, tr.querySelector('.areas__name').textContent, Number(tr.dataset.count), "
        "tr.querySelector('.areas__count').textContent]);", f"#areas-{kind}-body > tr")
    for code, _, count, text in rows:
        assert text == f"{count:,}", f"{kind} {code}: the count cell says {text!r}, data-count {count}"
    return {code: (name, count) for code, name, count, _ in rows}


def counts_only(rows: dict[str, tuple[str, int]]) -> dict[str, int]:
    return {code: count for code, (_, count) in rows.items()}


def open_petition(browsers: Browsers, name: str, server):
    driver = browsers.open(name)
    driver.get(server.url(PAGE))
    assert attr_of(driver, "#main", "data-petition-id") == str(PETITION), f"{PAGE} did not load for the {name}"
    wait(driver, lambda d: attr_of(d, "#live-status", "data-state") == "live",
         f"#live-status of the {name}'s petition page never went live", LIVE_TIMEOUT_S)
    wait(driver, lambda d: find(d, "#areas").is_displayed(), f"the {name}'s #areas section never showed", LIVE_TIMEOUT_S)
    return driver


def staff_fetch(driver, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    """A JSON request from the staff browser's page, as its scripts send them (same origin, session cookie)."""
    result = driver.execute_async_script("""
        const [method, path, body, done] = arguments;
        fetch(path, {method, credentials: 'same-origin', headers: {'Content-Type': 'application/json', Accept: 'application/json'},
                     body: body === null ? undefined : JSON.stringify(body)})
          .then(async (r) => done([r.status, await r.text()]), (e) => done([0, String(e)]));
    """, method, path, body)
    status, text = result
    return status, (json.loads(text) if text.startswith("{") else {"raw": text})


def viewport_shot(driver, name: str) -> None:
    """What a person sees (no full-page capture): a modal dialog stays within the viewport and scrolls inside it.
    At 1280x900 and 360x740 (a phone), into test-artifacts/{name}-{width}.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 900), (360, 740)):
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        (ARTIFACTS / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def expect_no_console_problems(browsers: Browsers, expected: tuple[str, ...] = ()) -> None:
    """No CSP violation and no console error since the last call, except the `expected` ones (regular expressions:
    Chromium logs every 4xx answer to fetch as an error, even one the page handles)."""
    for name, driver in browsers.items():
        csp, severe = console_problems(driver)
        assert not csp, f"CSP violations in the {name}'s session:\n" + "\n".join(csp)
        severe = [line for line in severe if not any(re.search(pattern, line) for pattern in expected)]
        assert not severe, f"console errors in the {name}'s session:\n" + "\n".join(severe)


# ---------- the flow ----------


def test_held_release_and_bulk_invalidation(integrity_server, browsers):
    server = integrity_server
    tag = uuid.uuid4().hex[:6]
    bulk_domain = f"bulk-{tag}.example"
    other_domain = f"fine-{tag}.example"

    # 1. The watcher opens the petition; two signatures in two regions arrive through the JSON API.
    watcher = open_petition(browsers, "watcher", server)
    marker = mark_page(watcher)
    before = count_of(watcher)
    assert before == 0, f"the demo petition should start without signatures: {before}"
    wait(watcher, lambda d: find(d, "#areas-empty").is_displayed(), "no 'no signature yet' line in the empty #areas")
    assert not find(watcher, "#areas-regions-wrap").is_displayed()
    assert not find(watcher, "#sign-closed")

    status, body = sign(server, "Ann Alpha", f"ann@{bulk_domain}", "SW1A 1AA")
    assert status == 201, f"first signature: {status} {body}"
    status, body = sign(server, "Ben Beta", f"ben@{other_domain}", "OX4 1AA")
    assert status == 201, f"second signature: {status} {body}"

    wait(watcher, lambda d: count_of(d) == 2, f"the watcher's count did not reach 2 live (shows {text_of(watcher, '#signature-count')!r})")
    wait(watcher, lambda d: counts_only(area_rows(d, "regions")) == {LONDON: 1, SOUTH_EAST: 1},
         f"the region table did not show both regions live: {area_rows(watcher, 'regions')}")
    wait(watcher, lambda d: counts_only(area_rows(d, "constituencies")) == {WESTMINSTER: 1, OXFORD_EAST: 1},
         f"the constituency table did not follow: {area_rows(watcher, 'constituencies')}")
    assert not find(watcher, "#areas-empty").is_displayed()
    assert find(watcher, "#areas-regions-wrap").is_displayed() and find(watcher, "#areas-constituencies-wrap").is_displayed()
    assert not find(watcher, "#areas-constituencies-more").is_displayed(), "a note about more constituencies with only 2"
    assert_not_reloaded(watcher, marker)

    # The watcher's page came without any area: the names of the new ones came with the live events, at once (no
    # name fetch: the page fetched /petitions/1.json once, when it opened without areas, and not again for a minute).
    wait(watcher, lambda d: area_rows(d, "regions") == {LONDON: ("London", 1), SOUTH_EAST: ("South East", 1)},
         f"the watcher's region table shows codes, not the names the events carry: {area_rows(watcher, 'regions')}", timeout=5)
    assert area_rows(watcher, "constituencies")[WESTMINSTER] == ("Cities of London and Westminster", 1)
    assert "Member for Cities of London and Westminster" in text_of(watcher, f"#areas-constituencies-body > tr[data-code='{WESTMINSTER}']")
    # A reader who opens the page now gets the areas' names with the page.
    reader = open_petition(browsers, "reader", server)
    wait(reader, lambda d: area_rows(d, "regions") == {LONDON: ("London", 1), SOUTH_EAST: ("South East", 1)},
         f"the reader's region table has no names: {area_rows(reader, 'regions')}")
    assert area_rows(reader, "constituencies")[WESTMINSTER] == ("Cities of London and Westminster", 1)
    assert "Member for Cities of London and Westminster" in text_of(reader, f"#areas-constituencies-body > tr[data-code='{WESTMINSTER}']")
    for name, (shown, _) in area_rows(watcher, "regions").items():
        assert shown in (name, {LONDON: "London", SOUTH_EAST: "South East"}[name]), shown
    screenshot(reader, "integrity-petition-areas", SHOT_WIDTHS)
    fits_width(reader, 320)

    # 2. The third signature from the same address is held: 202, and nothing moves.
    status, body = sign(server, "Cat Gamma", f"cat@{bulk_domain}", "SW1A 1AA")
    assert status == 202 and body.get("state") == "held", f"third signature: {status} {body}"
    assert isinstance(body.get("id"), int) and body.get("message"), body
    time.sleep(QUIET_S)  # nothing must arrive: watch a few ticks
    assert count_of(watcher) == 2, f"a held signature moved the watcher's count to {count_of(watcher)}"
    assert counts_only(area_rows(watcher, "regions")) == {LONDON: 1, SOUTH_EAST: 1}, "a held signature moved the regions"
    assert get_json(server, f"/petitions/{PETITION}/count.json")["signature_count"] == 2
    integrity = get_json(server, f"/petitions/{PETITION}/integrity.json")
    assert integrity["now"]["held"] == 1 and integrity["totals"]["held"] == 1, integrity

    # 3. The moderator finds the held signature and releases it.
    moderator = browsers.open("moderator")
    log_in(moderator, server, MODERATOR.role)
    link = find(moderator, "#staff-signatures-link")
    assert link is not None, "the staff home has no link to /staff/signatures for a petitions moderator"
    link.click()
    wait(moderator, lambda d: attr_of(d, "#main", "data-page") == "staff-signatures",
         f"#staff-signatures-link did not open the page (at {moderator.current_url}, title {moderator.title!r})", PAGE_TIMEOUT_S)
    assert moderator.title.startswith("Held and invalidated signatures")
    held_css = f"#held-list > li#held-{PETITION}"
    assert attr_of(moderator, held_css, "data-held") == "1", text_of(moderator, "#held-list")
    assert text_of(moderator, f"{held_css} .held-item__number") == "1"
    assert not find(moderator, "#held-empty").is_displayed()
    wait(moderator, lambda d: find(d, "#invalidations-empty").is_displayed(), "the past invalidations never loaded")
    moderator_marker = mark_page(moderator)
    screenshot(moderator, "integrity-staff-held", SHOT_WIDTHS)
    fits_width(moderator, 360)

    moderator.find_element(By.CSS_SELECTOR, f"{held_css} button[data-action='release']").click()
    wait(moderator, lambda d: find(d, held_css) is None, "the released petition stayed in the held list")
    wait(moderator, lambda d: "Released 1 signature of petition 1" in (text_of(d, "#release-result") or ""),
         f"no confirmation of the release: {text_of(moderator, '#release-result')!r}")
    assert find(moderator, "#held-empty").is_displayed()
    assert text_of(moderator, "#signatures-alert") == "", text_of(moderator, "#signatures-alert")
    wait(watcher, lambda d: count_of(d) == 3, f"the release did not move the watcher's count from 2 to 3 live "
                                              f"(shows {text_of(watcher, '#signature-count')!r})")
    wait(watcher, lambda d: counts_only(area_rows(d, "regions")) == {LONDON: 2, SOUTH_EAST: 1},
         f"the released signature did not reach the region table: {area_rows(watcher, 'regions')}")

    # 4. The moderator searches by the email domain of two of the signatures and invalidates them.
    domain_field = moderator.find_element(By.ID, "search-email_domain")
    domain_field.send_keys(bulk_domain)
    moderator.find_element(By.ID, "search-submit").click()
    wait(moderator, lambda d: find(d, "#preview-section").is_displayed(), "no preview after searching")
    expected_summary = "2 signatures match: 2 counted, 0 waiting for email confirmation, 0 held for review."
    wait(moderator, lambda d: text_of(d, "#preview-summary") == expected_summary,
         f"preview: {text_of(moderator, '#preview-summary')!r}")
    assert bulk_domain in text_of(moderator, "#preview-condition")
    row = f"#preview-petitions-body > tr[data-petition-id='{PETITION}']"
    assert [text_of(moderator, f"{row} [data-stat='{s}']") for s in ("counted", "pending", "held")] == ["2", "0", "0"]
    emails = [td.text for td in moderator.find_elements(By.CSS_SELECTOR, "#matches-body .matches__email")]
    assert sorted(emails) == sorted([f"ann@{bulk_domain}", f"cat@{bulk_domain}"]), emails
    states = {tr.get_attribute("data-state") for tr in moderator.find_elements(By.CSS_SELECTOR, "#matches-body > tr")}
    assert states == {"counted"}, states
    ips = {td.text for td in moderator.find_elements(By.CSS_SELECTOR, "#matches-body .matches__ip")}
    assert ips == {"127.0.0.1"}, ips
    assert moderator.switch_to.active_element.get_attribute("id") == "preview-heading", "focus did not move to the preview"
    open_button = moderator.find_element(By.ID, "invalidate-open")
    assert open_button.is_enabled() and open_button.text == "Invalidate these 2 signatures", open_button.text
    screenshot(moderator, "integrity-staff-preview", SHOT_WIDTHS)
    fits_width(moderator, 360)

    open_button.click()
    dialog = moderator.find_element(By.ID, "invalidate-dialog")
    wait(moderator, lambda d: dialog.is_displayed(), "the invalidate dialog did not open")
    assert moderator.switch_to.active_element.get_attribute("id") == "invalidate-reason", "focus is not on the reason"
    assert "2 signatures (2 counted) will stop counting" in text_of(moderator, "#invalidate-dialog-summary")
    confirm = moderator.find_element(By.ID, "invalidate-confirm")
    assert confirm.text == "Invalidate 2 signatures", confirm.text
    confirm.click()  # no reason yet: refused here, nothing sent
    wait(moderator, lambda d: find(d, "#invalidate-reason-error"), "an empty reason was not refused")
    assert attr_of(moderator, "#invalidate-reason", "aria-invalid") == "true"
    assert "invalidate-reason-error" in attr_of(moderator, "#invalidate-reason", "aria-describedby").split()
    assert dialog.is_displayed() and count_of(watcher) == 3
    reason = f"Bulk sign-ups from a throwaway domain ({tag})."
    moderator.find_element(By.ID, "invalidate-reason").send_keys(reason)
    viewport_shot(moderator, "integrity-staff-dialog")
    confirm.click()
    wait(moderator, lambda d: not dialog.is_displayed(), f"the dialog stayed open: {text_of(moderator, '#invalidate-error')!r}")
    wait(moderator, lambda d: "2 signatures invalidated (2 counted)" in (text_of(d, "#invalidate-result") or ""),
         f"no record after invalidating: {text_of(moderator, '#invalidate-result')!r}")
    assert reason in text_of(moderator, "#invalidate-result")
    record_id = attr_of(moderator, "#invalidate-result", "data-invalidation-id")
    assert record_id and record_id.isdigit()
    wait(moderator, lambda d: find(d, f"#invalidations-body > tr[data-invalidation-id='{record_id}']"),
         "the past invalidations do not list the new record")
    record_row = text_of(moderator, f"#invalidations-body > tr[data-invalidation-id='{record_id}']")
    assert reason in record_row and bulk_domain in record_row, record_row
    wait(moderator, lambda d: text_of(d, "#preview-summary").startswith("0 signatures match"),
         f"the search was not refreshed after invalidating: {text_of(moderator, '#preview-summary')!r}")
    assert not moderator.find_element(By.ID, "invalidate-open").is_enabled()
    assert_not_reloaded(moderator, moderator_marker)
    screenshot(moderator, "integrity-staff-invalidated", SHOT_WIDTHS)

    # The watcher's count goes down by 2, live, and the areas follow: London has none left.
    wait(watcher, lambda d: count_of(d) == 1, f"the invalidation did not take the watcher's count from 3 to 1 live "
                                              f"(shows {text_of(watcher, '#signature-count')!r})")
    assert text_of(watcher, "#signature-count") == "1" and text_of(watcher, "#signature-count-unit") == "signature"
    wait(watcher, lambda d: counts_only(area_rows(d, "regions")) == {SOUTH_EAST: 1},
         f"the region table did not follow the invalidation: {area_rows(watcher, 'regions')}")
    wait(watcher, lambda d: counts_only(area_rows(d, "constituencies")) == {OXFORD_EAST: 1},
         f"the constituency table did not follow the invalidation: {area_rows(watcher, 'constituencies')}")
    assert_not_reloaded(watcher, marker)
    wait(reader, lambda d: count_of(d) == 1 and counts_only(area_rows(d, "regions")) == {SOUTH_EAST: 1},
         "the reader's page did not follow the invalidation")
    screenshot(watcher, "integrity-petition-after", SHOT_WIDTHS)

    # 5. The public integrity figures: one held, two invalidated, the reason; no personal data.
    integrity = get_json(server, f"/petitions/{PETITION}/integrity.json")
    assert integrity["petition_id"] == PETITION and integrity["signature_count"] == 1, integrity
    assert integrity["totals"]["held"] == 1, integrity["totals"]
    assert integrity["totals"]["invalidated"] == 2, integrity["totals"]
    assert integrity["totals"]["created"] == 3, integrity["totals"]
    assert integrity["now"] == {"pending": 0, "counted": 1, "held": 0, "invalidated": 2}, integrity["now"]
    assert [(i["reason"], i["signatures"], i["counted"]) for i in integrity["invalidations"]] == [(reason, 2, 2)], integrity["invalidations"]
    public = json.dumps(integrity)
    for private in (bulk_domain, other_domain, "127.0.0.1", "SW1A", "Ann Alpha"):
        assert private not in public, f"{private} in the public integrity figures"
    assert get_json(server, f"/petitions/{PETITION}.json")["data"]["attributes"]["signature_count"] == 1

    expect_no_console_problems(browsers)


def test_search_shows_the_servers_errors_per_field_and_sends_times_in_utc(integrity_server, browsers):
    """A bad condition: the server's messages next to their fields and in a summary. Local times go out as UTC."""
    moderator = dict(browsers.items())["moderator"]
    moderator.find_element(By.ID, "search-clear").click()
    moderator.find_element(By.ID, "search-email_domain").send_keys("no-dot")
    moderator.find_element(By.ID, "search-ip_range").send_keys("999.1.2.3/99")
    moderator.find_element(By.ID, "search-submit").click()
    wait(moderator, lambda d: find(d, "#search-ip_range-error") and find(d, "#search-email_domain-error"),
         f"no field errors after a bad search: {text_of(moderator, '#search-errors')!r} {text_of(moderator, '#signatures-alert')!r}")
    assert "203.0.113.0/24" in text_of(moderator, "#search-ip_range-error"), text_of(moderator, "#search-ip_range-error")
    assert "example.com" in text_of(moderator, "#search-email_domain-error")
    for field in ("ip_range", "email_domain"):
        assert attr_of(moderator, f"#search-{field}", "aria-invalid") == "true"
        assert f"search-{field}-error" in attr_of(moderator, f"#search-{field}", "aria-describedby").split()
    summary = text_of(moderator, "#search-errors")
    assert summary.startswith("There is a problem"), summary
    assert find(moderator, "#search-errors a[href='#search-ip_range']"), "the summary does not link to the field"
    assert moderator.switch_to.active_element.get_attribute("id") == "search-errors", "focus did not go to the summary"
    screenshot(moderator, "integrity-staff-search-errors", SHOT_WIDTHS)

    moderator.find_element(By.ID, "search-clear").click()
    assert not find(moderator, "#search-ip_range-error"), "Clear left the errors"
    local = "2026-01-02T03:04"
    moderator.execute_script("document.getElementById('search-from').value = arguments[0];", local)
    expected = moderator.execute_script("return new Date(arguments[0]).toISOString();", local)
    moderator.find_element(By.ID, "search-petition_id").send_keys(str(PETITION))
    moderator.find_element(By.ID, "search-submit").click()
    wait(moderator, lambda d: f"from {expected}" in (text_of(d, "#preview-condition") or ""),
         f"the local time did not go out as {expected}: {text_of(moderator, '#preview-condition')!r}")
    assert f"petition {PETITION}" in text_of(moderator, "#preview-condition")
    expect_no_console_problems(browsers, (r"/api/v1/signatures/search - Failed to load resource: .* 422 ",))


def test_invalidation_asks_again_when_the_preview_changed(integrity_server, browsers):
    """Between the search and the confirmation another signature matches: 409 preview_changed, the dialog shows the
    new numbers, and the second confirmation invalidates what it shows. Held signatures are not counted, so the
    watcher's count does not move."""
    server = integrity_server
    moderator = dict(browsers.items())["moderator"]
    watcher = dict(browsers.items())["watcher"]
    count_before = count_of(watcher)
    invalidated_before = get_json(server, f"/petitions/{PETITION}/integrity.json")["totals"]["invalidated"]
    domain = f"late-{uuid.uuid4().hex[:6]}.example"

    status, body = sign(server, "Dee Delta", f"dee@{domain}", "OX4 1AA")
    assert status == 202 and body["state"] == "held", f"over the limit, this one is held: {status} {body}"

    moderator.find_element(By.ID, "search-clear").click()
    moderator.find_element(By.ID, "search-email_domain").send_keys(domain)
    moderator.find_element(By.ID, "search-submit").click()
    wait(moderator, lambda d: text_of(d, "#preview-summary") == "1 signature matches: 0 counted, 0 waiting for email confirmation, 1 held for review.",
         f"preview: {text_of(moderator, '#preview-summary')!r}")
    assert moderator.find_element(By.ID, "invalidate-open").text == "Invalidate this signature"
    moderator.find_element(By.ID, "invalidate-open").click()
    wait(moderator, lambda d: find(d, "#invalidate-dialog").is_displayed(), "the invalidate dialog did not open")
    moderator.find_element(By.ID, "invalidate-reason").send_keys("Test of a changed preview.")

    status, body = sign(server, "Eve Epsilon", f"eve@{domain}", "OX4 1AA")  # matches the condition too
    assert status == 202 and body["state"] == "held", f"{status} {body}"

    confirm = moderator.find_element(By.ID, "invalidate-confirm")
    confirm.click()
    wait(moderator, lambda d: "2 match now" in (text_of(d, "#invalidate-changed") or ""),
         f"no 'changed' message after the 409: {text_of(moderator, '#invalidate-changed')!r} / {text_of(moderator, '#invalidate-error')!r}")
    assert find(moderator, "#invalidate-dialog").is_displayed(), "the dialog closed on preview_changed"
    assert confirm.text == "Invalidate 2 signatures" and confirm.is_enabled(), confirm.text
    assert "2 signatures (0 counted)" in text_of(moderator, "#invalidate-dialog-summary")
    wait(moderator, lambda d: text_of(d, "#preview-summary").startswith("2 signatures match"), "the page's preview was not updated")
    assert get_json(server, f"/petitions/{PETITION}/integrity.json")["totals"]["invalidated"] == invalidated_before, \
        "a 409 invalidated something"
    viewport_shot(moderator, "integrity-staff-preview-changed")

    confirm.click()
    wait(moderator, lambda d: not find(d, "#invalidate-dialog").is_displayed(), f"the dialog stayed open: {text_of(moderator, '#invalidate-error')!r}")
    wait(moderator, lambda d: "2 signatures invalidated (0 counted)" in (text_of(d, "#invalidate-result") or ""),
         f"record: {text_of(moderator, '#invalidate-result')!r}")
    integrity = get_json(server, f"/petitions/{PETITION}/integrity.json")
    assert integrity["totals"]["invalidated"] == invalidated_before + 2, integrity["totals"]
    assert integrity["now"]["held"] == 0, integrity["now"]
    time.sleep(QUIET_S)  # held signatures were never counted: the count must not move
    assert count_of(watcher) == count_before
    # The 409 the page handled is logged by Chromium as a failed load; nothing else may be.
    expect_no_console_problems(browsers, (r"/api/v1/signatures/invalidate - Failed to load resource: .* 409 \(Conflict\)$",))


def test_a_rejection_closes_the_signing_form_live(integrity_server, browsers):
    """Staff reject the open petition: the `state` event replaces the watcher's form with a notice, without a
    reload."""
    server = integrity_server
    sessions = dict(browsers.items())
    watcher, moderator = sessions["watcher"], sessions["moderator"]
    marker = mark_page(watcher)
    assert find(watcher, "#sign-form").is_displayed()
    watcher.find_element(By.ID, "sign-name").send_keys("Fay Zeta")  # someone is typing when it closes

    status, body = staff_fetch(moderator, "POST", f"/api/v1/petitions/{PETITION}/moderation",
                               {"action": "reject", "code": "duplicate", "details": "Sign petition 12 instead."})
    assert status == 200, f"rejecting petition {PETITION}: {status} {body}"

    wait(watcher, lambda d: find(d, "#sign-closed") and find(d, "#sign-closed").is_displayed(),
         "no notice replaced the signing form after the rejection")
    notice = text_of(watcher, "#sign-closed")
    assert notice.startswith("This petition was rejected.") and "Sign petition 12 instead." in notice, notice
    assert attr_of(watcher, "#sign-closed", "data-state") == "rejected"
    assert not find(watcher, "#sign-form").is_displayed(), "the form is still offered"
    assert text_of(watcher, "#petition-state") == "Rejected"
    assert "tag--rejected" in attr_of(watcher, "#petition-state", "class")
    assert watcher.switch_to.active_element.get_attribute("id") == "sign-closed", "focus was left on a hidden field"
    assert_not_reloaded(watcher, marker)
    screenshot(watcher, "integrity-petition-rejected", SHOT_WIDTHS)
    fits_width(watcher, 320)
    expect_no_console_problems(browsers)
