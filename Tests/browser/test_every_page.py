"""Every page, public and staff, with data present, at 1280 and 360 px: no console error, uncaught exception, CSP
violation or failed request (page_checks.py), and no serious or critical axe-core 4 violation.

The data: petition 1 open (the demo), 2 closed, 3 rejected; sitting 1 scheduled (the demo), 2 live with a question on
screen, 3 ended with an answered question. Staff pages are opened logged in with the role each one is for.

The routes come from the controllers (`router.get` in Sources/HemicycleApp); `ROUTES_NOT_PAGES` lists those that
are not HTML pages (feeds, data, probes, /live), fetched once each for a 200. `test_every_route_is_listed` fails
when a controller gains a route this file does not know, so none is missed.

Screenshots of every page go to test-artifacts/pages/ (for people to look at; nothing compares them).
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import sqlite3
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import (ARTIFACTS, REPO_ROOT, StaffAccount, _free_port, _stop, add_staff, make_driver, publish_bill_version,
                      start_server, TEST_BCRYPT_COST)
from page_checks import assert_accessible, assert_clean, watch

WIDTHS = (1280, 360)
SHOTS = ARTIFACTS / "pages"

ACCOUNTS = (
    StaffAccount("admin", "admin@example.org", "Ada Admin", "admin-password-0001"),
    StaffAccount("clerk", "clerk@example.org", "Cle Rk", "clerk-password-0001"),
    StaffAccount("moderator", "mod@example.org", "Mo Derator", "moderator-password-1", (1,)),
    StaffAccount("chair", "chair@example.org", "Cha Irwoman", "chair-password-0001", (1,)),
    StaffAccount("petitions-moderator", "pmod@example.org", "Pet Mod", "pmod-password-0001"),
)

# Routes that are not pages a person looks at: each is fetched once for a 200 (or the code given).
ROUTES_NOT_PAGES = {
    "/feeds/petitions.atom": 200, "/feeds/responses.atom": 200, "/feeds/sittings.atom": 200, "/feeds/thresholds.atom": 200,
    "/health": 200, "/ready": 200, "/petitions.csv": 200, "/petitions.json": 200, "/petitions/:id/count.json": 200,
    "/petitions/:id/history.json": 200, "/petitions/:id/integrity.json": 200, "/sittings/:id/chapters.txt": 200,
    "/sittings/:id/moderation-log.csv": 200, "/sittings/:id/moderation-log.json": 200, "/sittings/:id/qr.svg": 200,
    "/sittings/:id/record.csv": 200, "/sittings/:id/record.json": 200,
    "/live": 426,  # a plain GET, not a WebSocket upgrade: 426 Upgrade Required
    "/metrics": 200,  # the test reads it from loopback, which --metrics-allow lets in by default
    "/bills.json": 200, "/bills/:id/provisions.csv": 200, "/bills/:id/comments.json": 200, "/bills/:id/comments.csv": 200,
    "/bills/:id/moderation-log.json": 200, "/bills/:id/report.json": 200, "/bills/:id/report.csv": 200,
    "/bills/:id/versions/:version/changes.json": 200,
}

# (route, path, role or None, what is allowed to fail (URL substrings), expected status)
PUBLIC_PAGES = [
    ("/", "/", None), ("/petitions/:id", "/petitions/1", None), ("/petitions/:id", "/petitions/2", None),
    ("/petitions/:id", "/petitions/3", None), ("/petitions/new", "/petitions/new", None),
    ("/sittings", "/sittings", None), ("/sittings/:id", "/sittings/1", None), ("/sittings/:id", "/sittings/2", None),
    ("/sittings/:id", "/sittings/3", None), ("/sittings/:id/screen", "/sittings/1/screen", None),
    ("/sittings/:id/screen", "/sittings/2/screen", None), ("/sittings/:id/screen", "/sittings/3/screen", None),
    ("/sittings/:id/record", "/sittings/2/record", None), ("/sittings/:id/record", "/sittings/3/record", None),
    ("/sittings/:id/moderation-log", "/sittings/3/moderation-log", None), ("/dashboard", "/dashboard", None),
    ("/embed/petitions/:id", "/embed/petitions/1", None), ("/embed/petitions/:id", "/embed/petitions/2", None),
    ("/staff/login", "/staff/login", None), ("/confirm/:token", "/confirm/not-a-real-token", None),
    # Where the no-JavaScript sign form lands (303): they say only what any visitor could know.
    ("/petitions/:id/signed", "/petitions/1/signed", None),
    ("/petitions/:id/signature-pending", "/petitions/1/signature-pending", None),
    ("/petitions/:id/signature-held", "/petitions/1/signature-held", None),
    # Draft legislation: the list and the demo bill's reading page (bill 1, open for comments).
    ("/bills", "/bills", None), ("/bills/:id", "/bills/1", None),
    # Its committee report as of now, and the one frozen by _add_bill_activity (report 1).
    ("/bills/:id/report", "/bills/1/report", None), ("/bills/:id/reports/:report", "/bills/1/reports/1", None),
    # Version 2 of the demo bill (published in `site`): what changed from version 1, clause by clause.
    ("/bills/:id/versions/:version/changes", "/bills/1/versions/2/changes", None),
]
# Pages whose answer is an error page on purpose.
ERROR_PAGES = [
    ("/petitions/:id/support/:token", "/petitions/1/support/not-a-real-token"), (None, "/no/such/page"),
    # "Check your email" after starting or supporting a petition: 404 without that browser's hc_sent cookie (the
    # petition is not public yet). test_petition_lifecycle.py opens both with the cookie.
    ("/petitions/:id/created", "/petitions/1/created"), ("/petitions/:id/supported", "/petitions/1/supported"),
]
STAFF_PAGES = [
    ("/staff", "/staff", "admin"), ("/staff/accounts", "/staff/accounts", "admin"),
    ("/staff/accounts/:id", "/staff/accounts/{clerk_id}", "admin"), ("/staff/password", "/staff/password", "admin"),
    ("/staff/sittings/new", "/staff/sittings/new", "clerk"), ("/sittings/:id/edit", "/sittings/1/edit", "clerk"),
    ("/sittings/:id/edit", "/sittings/2/edit", "clerk"), ("/staff", "/staff", "clerk"),
    ("/sittings/:id/moderate", "/sittings/1/moderate", "moderator"), ("/sittings/:id/moderate", "/sittings/2/moderate", "moderator"),
    ("/sittings/:id/moderate", "/sittings/3/moderate", "moderator"), ("/sittings/:id/chair", "/sittings/1/chair", "chair"),
    ("/sittings/:id/chair", "/sittings/2/chair", "chair"), ("/sittings/:id/chair", "/sittings/3/chair", "chair"),
    ("/staff/petitions", "/staff/petitions", "petitions-moderator"),
    ("/staff/signatures", "/staff/signatures", "petitions-moderator"), ("/staff", "/staff", "petitions-moderator"),
    ("/bills/:id/moderate", "/bills/1/moderate", "admin"),
]


class Api:
    """JSON calls with a cookie jar (one per person)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Origin": self.base})
        try:
            with self.opener.open(request, timeout=10) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text.startswith(("{", "[")) else text)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def ok(self, method: str, path: str, body=None):
        status, answer = self.call(method, path, body)
        assert 200 <= status < 300, f"{method} {path}: {status} {answer}"
        return answer


def _add_petitions(data_dir: Path) -> None:
    """Petitions 2 (closed) and 3 (rejected), copies of the demo's petition 1, written while the server is stopped."""
    db = sqlite3.connect(data_dir / "hemicycle.sqlite")
    try:
        now = int(time.time() * 1000)
        columns = [row[1] for row in db.execute("PRAGMA table_info(petitions)")]
        copied = ", ".join(c for c in columns if c not in ("id", "action", "state"))
        for pid, action, state in ((2, "Keep the night trains running", "closed"), (3, "Ban all trains", "rejected")):
            db.execute(f"INSERT INTO petitions (id, action, state, {copied}) SELECT ?, ?, ?, {copied} FROM petitions WHERE id = 1",
                       (pid, action, state))
        db.execute("UPDATE petitions SET closed_at = ?, opened_at = ? - 86400000 WHERE id = 2", (now, now))
        db.execute("UPDATE petitions SET rejected_at = ?, rejection_code = 'duplicate', opened_at = NULL WHERE id = 3", (now,))
        db.commit()
    finally:
        db.close()


@pytest.fixture(scope="module")
def site():
    """The server with the data of the module's docstring; `site.ids` has the clerk's staff id."""
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="hemicycle-every-page-"))
    log = ARTIFACTS / "server-every-page.log"
    args = ("--bcrypt-cost", TEST_BCRYPT_COST)
    try:
        srv = start_server(port, data_dir, log, extra_args=args)  # migrates and seeds the demo
        for account in ACCOUNTS:
            add_staff(data_dir, account)
        _stop(srv.process)
        srv._log_file.close()
        _add_petitions(data_dir)
        srv = start_server(port, data_dir, log, append=True, extra_args=args)
        srv.staff = {a.role: a for a in ACCOUNTS}
        try:
            _add_sittings(srv)
            _add_bill_activity(srv)
            # Version 2 of the bill, published by the clerk's command line while the server is stopped (a running
            # server reads it within 30 s): the reading page then shows each clause's changes and the carried comments.
            _stop(srv.process)
            srv._log_file.close()
            publish_bill_version(data_dir, 1, REPO_ROOT / "Protocol" / "examples" / "legislation" / "sample-bill-v2.txt")
            ids = srv.ids
            srv = start_server(port, data_dir, log, append=True, extra_args=args)
            srv.staff, srv.ids = {a.role: a for a in ACCOUNTS}, ids
            yield srv
        finally:
            _stop(srv.process)
            srv._log_file.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _logged_in(srv, role: str) -> Api:
    account = srv.staff[role]
    api = Api(srv.url("").rstrip("/"))
    api.ok("POST", "/api/v1/session", {"email": account.email, "password": account.password})
    return api


def _add_sittings(srv) -> None:
    """Sittings 2 (live, a question on screen) and 3 (ended, a question answered); the moderator and the chair of
    sitting 1 are given 2 and 3 too (through the admins' API)."""
    clerk, admin = _logged_in(srv, "clerk"), _logged_in(srv, "admin")
    for title in ("Rail fares: the minister", "Night trains: the operators"):
        clerk.ok("POST", "/api/v1/sittings", {"title": title, "committee": "Transport", "scheduled_start": "2026-12-01T10:00:00Z"})
    staff = admin.ok("GET", "/api/v1/staff")["staff"]
    by_email = {s["email"]: s for s in staff}
    for role in ("moderator", "chair"):
        member = by_email[srv.staff[role].email]
        admin.ok("PATCH", f"/api/v1/staff/{member['id']}", {"sittings": [1, 2, 3]})
    srv.ids = {"clerk_id": by_email[srv.staff["clerk"].email]["id"]}
    moderator, chair = _logged_in(srv, "moderator"), _logged_in(srv, "chair")
    for sitting in (2, 3):
        viewer = Api(srv.url("").rstrip("/"))
        viewer.call("GET", f"/sittings/{sitting}")  # the participant cookie
        asked = viewer.ok("POST", f"/api/v1/sittings/{sitting}/questions", {"text": f"When will sitting {sitting} hear from passengers?"})
        moderator.ok("POST", f"/api/v1/questions/{asked['id']}/moderation", {"action": "approve"})
        chair.ok("POST", f"/api/v1/sittings/{sitting}/state", {"state": "live"})
        chair.ok("POST", f"/api/v1/sittings/{sitting}/on-screen", {"question": asked["id"]})
        if sitting == 3:
            chair.ok("POST", f"/api/v1/questions/{asked['id']}/answered", {})
            chair.ok("POST", f"/api/v1/sittings/{sitting}/state", {"state": "ended"})
    # One question waiting for the moderators (the chair's backlog, the moderation queue).
    viewer = Api(srv.url("").rstrip("/"))
    viewer.call("GET", "/sittings/2")
    viewer.ok("POST", "/api/v1/sittings/2/questions", {"text": "Will the fares go down next year?"})


def _add_bill_activity(srv) -> None:
    """The demo bill with published comments (a rewording, a question, one written during the mark-up), a rejected
    one, the marker on a clause, and its report frozen (report 1) by an admin."""
    admin = _logged_in(srv, "admin")
    reader = Api(srv.url("").rstrip("/"))
    reader.call("GET", "/bills/1")
    ids = [
        reader.ok("POST", "/api/v1/bills/1/comments", {"eId": "sec_2__subsec_c__para_1", "kind": "rewording", "text": "Two hours is enough.",
                                                        "proposed_text": "2 hours", "quote": {"exact": "3 hours"}, "name": "Ana", "region": "Wales"})["id"],
        reader.ok("POST", "/api/v1/bills/1/comments", {"eId": "sec_1", "kind": "question", "text": "Who chose this short title?"})["id"],
    ]
    for comment in ids:
        admin.ok("POST", f"/api/v1/bill-comments/{comment}/moderation", {"action": "approve"})
    admin.ok("POST", "/api/v1/bills/1/marker", {"eId": "sec_2__subsec_c"})
    during = Api(srv.url("").rstrip("/"))
    during.call("GET", "/bills/1")
    written = during.ok("POST", "/api/v1/bills/1/comments", {"eId": "sec_2__subsec_c__para_2", "kind": "comment", "text": "Weekends need a rule too."})
    admin.ok("POST", f"/api/v1/bill-comments/{written['id']}/moderation", {"action": "approve"})
    spam = during.ok("POST", "/api/v1/bills/1/comments", {"eId": "sec_1", "kind": "comment", "text": "Cheap watches here"})
    admin.ok("POST", f"/api/v1/bill-comments/{spam['id']}/moderation", {"action": "reject", "reason": "advertising"})
    frozen = admin.ok("POST", "/api/v1/bills/1/report/freeze", {})
    assert frozen["report"]["url"] == "/bills/1/reports/1", frozen


def _log_in(driver, srv, role: str) -> None:
    from selenium.webdriver.common.by import By
    account = srv.staff[role]
    driver.get(srv.url("/staff/login"))
    driver.find_element(By.ID, "login-email").send_keys(account.email)
    driver.find_element(By.ID, "login-password").send_keys(account.password)
    driver.find_element(By.ID, "login-submit").click()
    deadline = time.monotonic() + 10
    while "/staff/login" in driver.current_url and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "/staff/login" not in driver.current_url, f"{role} could not log in"
    driver.get_log("performance")  # the login's own requests are not the pages' business
    driver.get_log("browser")


def _settle(driver) -> None:
    """Waits until a live page is live (or says it cannot be), then a moment for late requests."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = driver.execute_script("const s = document.getElementById('live-status'); return s ? (s.dataset.state || '') : 'none';")
        if state in ("live", "none", "offline", "ended"):
            break
        time.sleep(0.1)
    time.sleep(0.3)


def _check(driver, srv, path: str, width: int, name: str, *, allowed=()) -> None:
    driver.set_window_size(width, 1000)
    driver.get(srv.url(path))
    _settle(driver)
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000);")
    driver.set_window_size(width, max(height, 600))
    driver.save_screenshot(str(SHOTS / f"{name}-{width}.png"))
    driver.set_window_size(width, 1000)
    what = f"{path} at {width} px"
    assert_clean(driver, what, allowed_failures=allowed)
    assert_accessible(driver, what)


def _shot_name(path: str, role: str | None) -> str:
    return (role + "_" if role else "") + (re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home")


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_are_clean_and_accessible(site, width):
    driver = make_driver(network_log=True, width=width)
    try:
        watch(driver)
        failures = []
        for _, path, _ in PUBLIC_PAGES:
            try:
                _check(driver, site, path, width, _shot_name(path, None))
            except AssertionError as error:
                failures.append(str(error))
        for _, path in ERROR_PAGES:
            try:
                _check(driver, site, path, width, _shot_name(path, None), allowed=(path,))
            except AssertionError as error:
                failures.append(str(error))
        assert not failures, "\n\n".join(failures)
    finally:
        driver.quit()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["admin", "clerk", "moderator", "chair", "petitions-moderator"])
def test_staff_pages_are_clean_and_accessible(site, role, width):
    pages = [(route, path) for route, path, who in STAFF_PAGES if who == role]
    driver = make_driver(network_log=True, width=width)
    try:
        watch(driver)
        _log_in(driver, site, role)
        failures = []
        for _, path in pages:
            path = path.format(**site.ids)
            try:
                _check(driver, site, path, width, _shot_name(path, role))
            except AssertionError as error:
                failures.append(str(error))
        assert not failures, "\n\n".join(failures)
    finally:
        driver.quit()


def test_routes_that_are_not_pages_answer(site):
    failures = []
    for route, status in ROUTES_NOT_PAGES.items():
        path = route.replace(":id", "1").replace(":version", "2")
        try:
            with urllib.request.urlopen(site.url(path), timeout=10) as response:
                got = response.status
        except urllib.error.HTTPError as error:
            got = error.code
        if got != status:
            failures.append(f"{path}: {got}, expected {status}")
    assert not failures, "\n".join(failures)


def test_every_route_is_listed():
    """A GET route of a controller that is neither a page checked here nor in ROUTES_NOT_PAGES fails this test."""
    routes = set()
    for source in (REPO_ROOT / "Sources" / "HemicycleApp").rglob("*.swift"):
        routes.update(re.findall(r'router\.get\("([^"]+)"', source.read_text(encoding="utf-8")))
    routes = {r for r in routes if not r.startswith("/api/")}
    known = ({r for r, _, _ in PUBLIC_PAGES} | {r for r, _ in ERROR_PAGES if r} | {r for r, _, _ in STAFF_PAGES}
             | set(ROUTES_NOT_PAGES))
    assert routes - known == set(), f"routes no test opens: {sorted(routes - known)}"



def _wait_for(driver, condition, what: str, timeout: float = 10):
    """Polls `condition(driver)` until it is truthy; fails saying `what` and where the browser is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition(driver)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} (after {timeout} s; the browser is at {driver.current_url})")


def test_clerk_sets_up_a_sitting_from_the_staff_home(site):
    """One way to create a sitting: the staff home links to the sitting form page (no inline form). A refused post
    answers the form again with a GOV.UK error summary that has the focus, links to each refused field and says the
    field's message by it; a good one lands on the new sitting's edit page, and the sitting is public."""
    from selenium.webdriver.common.by import By
    driver = make_driver(network_log=True, width=360)
    try:
        watch(driver)
        _log_in(driver, site, "clerk")
        driver.get(site.url("/staff"))
        assert not driver.find_elements(By.ID, "new-sitting-form"), "the staff home still has the inline form"
        assert not driver.find_elements(By.CSS_SELECTOR, 'script[src*="staff-home"]'), "the staff home still loads its script"
        driver.find_element(By.ID, "new-sitting-page-link").click()
        _wait_for(driver, lambda d: d.current_url.endswith("/staff/sittings/new"), "the link did not open the sitting form")
        form = driver.find_element(By.ID, "sitting-form")
        driver.find_element(By.ID, "sitting-submit").click()  # nothing typed: refused, with the form's errors
        # The click may return before the answer replaces the page: wait for the old form to go.
        _wait_for(driver, lambda d: _is_stale(form), "the empty form was not posted")
        summary = _wait_for(driver, lambda d: d.find_elements(By.ID, "error-summary"), "no error summary after the empty post")[0]
        links = [a.get_attribute("href").rsplit("#", 1)[-1] for a in summary.find_elements(By.CSS_SELECTOR, "a")]
        assert "sitting-title" in links and "sitting-committee" in links, f"the summary links to {links}"
        focused = _wait_for(driver, lambda d: d.execute_script("return document.activeElement && document.activeElement.id;") == "error-summary"
                            and "error-summary", "the error summary does not have the focus")
        assert focused
        assert driver.title.startswith("Error: "), driver.title
        for field in ("title", "committee"):
            message = driver.find_element(By.ID, f"sitting-{field}-error").text
            assert message.strip(), f"no message by the {field} field"
            assert driver.find_element(By.ID, f"sitting-{field}").get_attribute("aria-invalid") == "true"
        summary.find_element(By.CSS_SELECTOR, 'a[href="#sitting-title"]').click()  # the summary's link takes the clerk to the field
        _wait_for(driver, lambda d: d.execute_script("return document.activeElement && document.activeElement.id;") == "sitting-title",
                  "the summary's link did not move the focus to the title field")
        driver.find_element(By.ID, "sitting-title").send_keys("Buses: the regulator")
        driver.find_element(By.ID, "sitting-committee").send_keys("Transport")
        driver.find_element(By.ID, "sitting-submit").click()
        _wait_for(driver, lambda d: "saved=created" in d.current_url or "/staff/sittings/new" not in d.current_url,
                  "the second post did not leave the form")
        match = re.search(r"/sittings/(\d+)/edit\?saved=created$", driver.current_url)
        summary = driver.find_elements(By.ID, "error-summary")
        assert match, (f"the form did not land on the new sitting's edit page: {driver.current_url}; "
                       f"the page says: {summary[0].get_attribute('innerHTML') if summary else driver.find_element(By.TAG_NAME, 'main').text[:600]}")
        assert driver.find_element(By.ID, "flash").text.strip(), "no flash saying the sitting was created"
        assert_clean(driver, "the sitting form", allowed_failures=("/staff/sittings/new",))  # the refused post is a 422 page
        with urllib.request.urlopen(site.url(f"/sittings/{match.group(1)}"), timeout=10) as response:
            assert "Buses: the regulator" in response.read().decode()
    finally:
        driver.quit()


def _is_stale(element) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True


# Pages whose tables became stacked rows on a phone (site.css .table--stack), and the bill console's staff bar.
PHONE_TABLE_PAGES = (("/sittings/2/record", "record-table"), ("/sittings/3/record", "record-table"),
                     ("/sittings/3/moderation-log", "log-table"))


def test_tables_read_on_a_phone_and_the_bill_console_has_the_staff_bar(site):
    """At 360 px nothing scrolls sideways: not the page (document.documentElement.scrollWidth <= 360) and not the
    tables' own scrolling boxes (.table-wrap), which is where the record and the moderation log used to overflow. Each
    row is stacked (its cells one under the other, each with its column's name shown), the table keeps its roles for
    screen readers and axe finds nothing serious. The bill console has the staff bar of the other staff pages."""
    from selenium.webdriver.common.by import By
    driver = make_driver(network_log=True, width=360)
    try:
        watch(driver)
        driver.set_window_size(360, 1000)
        for path, table_id in PHONE_TABLE_PAGES:
            driver.get(site.url(path))
            _settle(driver)
            widths = driver.execute_script(
                "const d = document.documentElement;"
                "return {page: d.scrollWidth, view: d.clientWidth,"
                " boxes: [...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])};")
            assert widths["page"] <= 360 and widths["page"] <= widths["view"], f"{path} scrolls sideways at 360 px: {widths}"
            for scroll, client in widths["boxes"]:
                assert scroll <= client, f"a table of {path} scrolls sideways in its box at 360 px: {widths}"
            table = driver.find_element(By.ID, table_id)
            assert table.get_attribute("role") == "table"
            assert table.find_elements(By.CSS_SELECTOR, 'thead th[role="columnheader"]'), f"{path}: the header row is gone"
            row = table.find_element(By.CSS_SELECTOR, "tbody tr")
            cells = [c for c in row.find_elements(By.CSS_SELECTOR, "td") if c.is_displayed()]
            assert len(cells) >= 3, f"{path}: the row shows {len(cells)} cells"
            tops = [c.rect["y"] for c in cells]
            assert tops == sorted(tops) and len(set(tops)) == len(tops), f"{path}: the cells are not stacked: {tops}"
            labels = [label.text for label in row.find_elements(By.CSS_SELECTOR, ".table__label") if label.is_displayed()]
            assert labels, f"{path}: no column name is shown in the stacked row"
            assert all(label.get_attribute("aria-hidden") == "true" for label in row.find_elements(By.CSS_SELECTOR, ".table__label"))
            assert_clean(driver, f"{path} at 360 px")
            assert_accessible(driver, f"{path} at 360 px")
        driver.set_window_size(1280, 1000)
        driver.get(site.url("/sittings/3/record"))
        assert not any(label.is_displayed() for label in driver.find_elements(By.CSS_SELECTOR, ".table__label")), \
            "at 1280 px the table is a table: the column names are in its header only"

        driver.set_window_size(360, 1000)
        _log_in(driver, site, "admin")
        driver.get(site.url("/bills/1/moderate"))
        _settle(driver)
        name = driver.find_element(By.ID, "staff-name")
        assert name.is_displayed() and name.text == site.staff["admin"].name, name.text
        assert driver.find_element(By.CSS_SELECTOR, ".staff-bar__role").text == "(Admin)"
        assert driver.find_element(By.CSS_SELECTOR, "#logout-form button").is_displayed()
        assert driver.execute_script("return document.documentElement.scrollWidth;") <= 360
        assert_clean(driver, "/bills/1/moderate at 360 px")
        assert_accessible(driver, "/bills/1/moderate at 360 px")
    finally:
        driver.quit()
