"""The pages people look at from afar, in headless Chromium against the real server, with data present (an open petition
with signatures in several constituencies; sittings scheduled, live and ended):

- the live dashboard (/dashboard): it once threw a TypeError on every render and said "No petitions to show" while a
  petition was open. Each chart has a text alternative and a table, the charts follow the live topic without a
  reload, the page fits 360 px;
- the committee-room screen (/sittings/{id}/screen) in each state, at 1920x1080 and 1024x768 (and a phone): the
  join address and its QR code (read back from a screenshot with zbarimg, as a phone would), "Live" / "Starts at" /
  "Ended at", a panel instead of an empty stage, never "on screen now" once the sitting has ended (also when it ends
  while the screen is open), nothing cut off;
- the newsroom embed (/embed/petitions/{id}) in the snippet's iframe of 320x170, in its three variants: nothing
  clipped, no scrollbar, the button inside, a live mark.

Every page fails the test on any console error, uncaught exception, unhandled rejection, CSP violation or failed
request (page_checks.py) and on any serious or critical axe-core 4 violation. Screenshots: test-artifacts/dashboard-*,
screen-*, embed-*.png.
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import StaffAccount, make_driver, server_with_staff
from page_checks import assert_accessible, assert_clean, watch
from test_hearing_flow import attr_of, find, text_of, wait, wait_live
from test_petition_page import ARTIFACTS, fits_width, http, participant_cookie, screenshot, sign_via_api

ADMIN = StaffAccount("admin", "admin-dash@example.org", "Ad Min", "admin-password-0001")
POSTCODES = ("SW1A 0AA", "SW1A 1AA", "OX4 1AA", "EH9 1PR", "CF24 0AA", "WC1E 6BT")


class Api:
    """The JSON API as staff: a session cookie and the site's Origin (as the pages send it)."""

    def __init__(self, server, account):
        self.server = server
        self.cookie = ""
        status, headers, body = self.call("POST", "/api/v1/session", {"email": account.email, "password": account.password})
        assert status == 200, f"login: {status} {body[:300]!r}"
        self.cookie = "; ".join(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or [])

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json", "Origin": self.server.base_url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        return http(method, self.server.url(path), json.dumps(body if body is not None else {}).encode(), headers)

    def ok(self, method, path, body=None):
        status, _, data = self.call(method, path, body)
        assert 200 <= status < 300, f"{method} {path}: {status} {data[:300]!r}"
        return json.loads(data)


def seed(server) -> dict:
    """Sittings in each state (the demo sitting 1 stays scheduled) and signatures in several regions."""
    api = Api(server, server.staff["admin"])
    made = {}
    for name, states in (("live", ["live"]), ("ended", ["live", "ended"])):
        sitting = api.ok("POST", "/api/v1/sittings", {
            "title": f"Oral evidence: a {name} sitting", "committee": "Transport Committee",
            "scheduled_start": "2026-11-29T14:00:00.000Z",
        })
        for state in states:
            api.ok("POST", f"/api/v1/sittings/{sitting['id']}/state", {"state": state})
        made[name] = sitting["id"]
    for postcode in POSTCODES:
        status, _, body = http(
            "POST", server.url("/api/v1/petitions/1/signatures"),
            json.dumps({"name": "Dash Board", "email": f"dash-{postcode.replace(' ', '')}@example.org", "postcode": postcode}).encode(),
            {"Content-Type": "application/json", "Accept": "application/json"})
        assert status == 201, f"signing with {postcode}: {status} {body[:300]!r}"
    return made


@pytest.fixture(scope="module")
def dashboard_server():
    with server_with_staff("dashboard", (ADMIN,)) as srv:
        srv.sittings = seed(srv)
        yield srv


@pytest.fixture
def checked_browser():
    driver = make_driver(network_log=True)
    watch(driver)
    yield driver
    driver.quit()


def petition_count(server, petition=1) -> int:
    with urllib.request.urlopen(server.url(f"/petitions/{petition}/count.json"), timeout=10) as response:
        return json.loads(response.read())["signature_count"]


def test_dashboard_shows_the_open_petition_and_every_sitting(dashboard_server, checked_browser):
    server, driver = dashboard_server, checked_browser
    driver.get(server.url("/dashboard"))
    wait_live(driver, "dashboard")

    card = wait(driver, lambda d: find(d, "#dashboard-petitions > li[data-petition-id='1']"),
                "no card for the open petition 1")
    assert not find(driver, "#dashboard-petitions-empty").is_displayed(), \
        "the dashboard says there are no petitions while one is open"
    count = petition_count(server)
    wait(driver, lambda d: text_of(d, "#dashboard-petitions > li[data-petition-id='1'] [data-stat='signature_count']")
         == f"{count:,}", f"the card does not show the count {count:,}")
    for sitting in (1, server.sittings["live"], server.sittings["ended"]):
        assert find(driver, f"#dashboard-sittings > li[data-sitting-id='{sitting}']"), f"no card for sitting {sitting}"
    assert attr_of(driver, f"#dashboard-sittings > li[data-sitting-id='{server.sittings['live']}']", "data-state") == "live"
    assert not find(driver, "#dashboard-sittings-empty").is_displayed()

    # Every chart is an image with a name and a description, and has its data as a table.
    charts = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "figure.chart"), "no charts")
    assert len(charts) >= 1 + 3 * 2, f"expected a chart per petition and two per sitting, found {len(charts)}"
    for chart in charts:
        svg = chart.find_element(By.CSS_SELECTOR, "svg.chart__svg")
        assert svg.get_attribute("role") == "img"
        labelled = svg.get_attribute("aria-labelledby").split()
        texts = [driver.find_element(By.ID, i).get_attribute("textContent").strip() for i in labelled]
        assert all(texts), f"a chart's name or description is empty: {labelled} -> {texts}"
        assert chart.find_elements(By.CSS_SELECTOR, "table.chart__table caption"), "a chart without its data table"

    # The map of signatures by area, with the signatures just made, and its table.
    wait(driver, lambda d: find(d, "#area-map svg .cartogram__cell[data-code='E14001172'][data-count]")
         and int(attr_of(d, "#area-map svg .cartogram__cell[data-code='E14001172']", "data-count")) >= 2,
         "the map does not show the signatures of Cities of London and Westminster")
    assert find(driver, "#area-map table.chart__table tbody tr[data-code='E14001172']")

    # Someone watches the live sitting: the audience and its chart follow, with the peak marked.
    live_card = f"#dashboard-sittings > li[data-sitting-id='{server.sittings['live']}']"
    viewer = make_driver()
    try:
        viewer.get(server.url(f"/sittings/{server.sittings['live']}"))
        wait(driver, lambda d: text_of(d, f"{live_card} [data-stat='viewers']") == "1", "the dashboard does not count the viewer")
        wait(driver, lambda d: find(d, f"{live_card} #chart-sitting-{server.sittings['live']}-audience-figure .chart__marker"),
             "the audience chart marks no peak", timeout=90)
        desc = text_of(driver, f"#chart-sitting-{server.sittings['live']}-audience-desc")
        assert "the peak was 1 at" in desc, desc
    finally:
        viewer.quit()

    # Live: a new signature moves the count without a reload.
    sign_via_api(server)
    wait(driver, lambda d: text_of(d, "#dashboard-petitions > li[data-petition-id='1'] [data-stat='signature_count']")
         == f"{count + 1:,}", "the count did not follow the live topic")

    assert_clean(driver, "the dashboard")
    screenshot(driver, "dashboard", widths=(1280, 360))
    assert_clean(driver, "the dashboard after the screenshots")


def test_dashboard_fits_a_phone_and_passes_axe(dashboard_server, checked_browser):
    server, driver = dashboard_server, checked_browser
    driver.get(server.url("/dashboard"))
    wait_live(driver, "dashboard")
    wait(driver, lambda d: find(d, "#dashboard-petitions > li[data-petition-id='1'] figure.chart"), "no chart")
    assert_accessible(driver, "the dashboard at 1280 px")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        width = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["width"]
        assert width <= 360.5, f"the dashboard is {width}px wide at 360 px: it scrolls sideways"
        assert_accessible(driver, "the dashboard at 360 px")
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    # A reader who prefers reduced motion gets no transitions.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    durations = driver.execute_script(
        "return [...document.querySelectorAll('.chart *, .cartogram__cell')].map((e) => getComputedStyle(e).transitionDuration)"
        ".filter((d) => d.split(',').some((x) => parseFloat(x) > 0.01));")
    assert not durations, f"transitions under prefers-reduced-motion: {durations[:5]}"
    assert_clean(driver, "the dashboard")


# ---------- the committee-room screen ----------

SCREEN_SIZES = ((1920, 1080), (1024, 768))


def set_viewport(driver, width: int, height: int, mobile: bool = False) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def shot(driver, name: str) -> None:
    """A screenshot of the viewport as it is (test-artifacts/NAME.png)."""
    import base64
    ARTIFACTS.mkdir(exist_ok=True)
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
    (ARTIFACTS / f"{name}.png").write_bytes(base64.b64decode(data))


def visible(driver, css: str) -> bool:
    element = find(driver, css)
    return element is not None and element.is_displayed()


def assert_fits(driver, what: str) -> None:
    """Nothing scrolls, and every visible element of the screen lies inside the viewport."""
    size = driver.execute_script("return [innerWidth, innerHeight, document.documentElement.scrollWidth, document.documentElement.scrollHeight];")
    assert size[2] <= size[0] and size[3] <= size[1], f"{what}: the page is {size[2]}x{size[3]} in a {size[0]}x{size[1]} viewport"
    outside = driver.execute_script("""
        const out = [];
        for (const el of document.querySelectorAll('.screen *')) {
          const r = el.getBoundingClientRect();
          if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
          if (r.right > innerWidth + 1 || r.bottom > innerHeight + 1 || r.left < -1 || r.top < -1) out.push(el.id || el.className);
        }
        return out;""")
    assert not outside, f"{what}: cut off at the edge: {outside[:5]}"


def decode_qr(path) -> list[str]:
    """The QR codes a phone would read in a screenshot (zbarimg, from Debian's zbar-tools: scripts/setup installs it)."""
    import shutil
    import subprocess
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: run scripts/setup --test (it installs zbar-tools)"
    result = subprocess.run([zbarimg, "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=30)
    return [line for line in result.stdout.splitlines() if line.strip()]


def put_on_screen(server, sitting: int, text: str) -> int:
    api = Api(server, server.staff["admin"])
    status, _, body = http("POST", server.url(f"/api/v1/sittings/{sitting}/questions"),
                           json.dumps({"text": text, "name": "Ada", "region": "Wales"}).encode(),
                           {"Content-Type": "application/json", "Origin": server.base_url,
                            "Cookie": participant_cookie(server, sitting)})
    assert status == 201, f"asking: {status} {body[:300]!r}"
    question = json.loads(body)["id"]
    api.ok("POST", f"/api/v1/questions/{question}/moderation", {"action": "approve"})
    api.ok("POST", f"/api/v1/sittings/{sitting}/on-screen", {"question": question})
    return question


def test_the_screen_in_each_state(dashboard_server, checked_browser):
    server, driver = dashboard_server, checked_browser
    live_id, ended_id = server.sittings["live"], server.sittings["ended"]

    # Scheduled (the demo sitting 1): when it starts, and the call to send questions now.
    driver.get(server.url("/sittings/1/screen"))
    wait(driver, lambda d: attr_of(d, "#live-status", "data-state") == "live", "the screen never connected")
    # "Starts at 8:43 PM" today, "Starts on December 8, 2026 at 8:43 PM" on another day (the demo sitting's start
    # is relative to now, so either can be right).
    state = text_of(driver, "#screen-state")
    assert re.match(r"Starts (at|on .+ at) \d{1,2}:\d{2}", state), state
    assert visible(driver, "#screen-scheduled") and not visible(driver, "#on-screen") and not visible(driver, "#screen-waiting")
    assert not visible(driver, "#screen-connection"), "no status line while connected"
    qr = driver.find_element(By.ID, "screen-qr")
    wait(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr), "the QR code did not load")
    assert text_of(driver, "#join-address").endswith("/sittings/1")
    set_viewport(driver, 1024, 768)
    shot(driver, "screen-qr-check")
    assert decode_qr(ARTIFACTS / "screen-qr-check.png") == [server.url("/sittings/1")], "the QR code does not read as the join address"
    for width, height in SCREEN_SIZES:
        set_viewport(driver, width, height)
        assert_fits(driver, f"the scheduled screen at {width}x{height}")
        shot(driver, f"screen-scheduled-{width}x{height}")
    assert_accessible(driver, "the scheduled screen")

    # Live, nothing on screen: the waiting panel, never an empty stage.
    driver.get(server.url(f"/sittings/{live_id}/screen"))
    wait(driver, lambda d: attr_of(d, "#live-status", "data-state") == "live", "the screen never connected")
    assert text_of(driver, "#screen-state") == "Live"
    assert visible(driver, "#screen-waiting") and not visible(driver, "#on-screen")
    for width, height in SCREEN_SIZES:
        set_viewport(driver, width, height)
        assert_fits(driver, f"the waiting screen at {width}x{height}")
        shot(driver, f"screen-waiting-{width}x{height}")

    # A question goes on screen, then the sitting ends while the screen is open: no reload, no "on screen now".
    text = "Will the committee publish the written evidence before the vote on rail fares next month?"
    put_on_screen(server, live_id, text)
    wait(driver, lambda d: visible(d, "#on-screen-text") and text_of(d, "#on-screen-text") == text, "the question did not come on screen")
    assert visible(driver, "#on-screen-heading") and not visible(driver, "#screen-waiting")
    for width, height in SCREEN_SIZES:
        set_viewport(driver, width, height)
        assert_fits(driver, f"the screen with a question at {width}x{height}")
        shot(driver, f"screen-question-{width}x{height}")
    set_viewport(driver, 360, 800, mobile=True)
    shot(driver, "screen-question-360")
    set_viewport(driver, 1920, 1080)
    assert_accessible(driver, "the screen with a question")
    Api(server, server.staff["admin"]).ok("POST", f"/api/v1/sittings/{live_id}/state", {"state": "ended"})
    wait(driver, lambda d: attr_of(d, "#main", "data-state") == "ended", "the screen did not follow the end of the sitting")
    wait(driver, lambda d: text_of(d, "#screen-state").startswith("Ended at "), "the badge does not say when it ended")
    assert not visible(driver, "#on-screen") and not visible(driver, "#on-screen-heading"), "'on screen now' after the end"
    assert visible(driver, "#screen-ended") and not visible(driver, "#top-list")
    shot(driver, "screen-ended-live-1920x1080")

    # Ended from the start (the server's page), at both sizes.
    driver.get(server.url(f"/sittings/{ended_id}/screen"))
    wait(driver, lambda d: attr_of(d, "#live-status", "data-state") == "live", "the screen never connected")
    assert text_of(driver, "#screen-state").startswith("Ended at ")
    assert visible(driver, "#screen-ended") and not visible(driver, "#on-screen")
    for width, height in SCREEN_SIZES:
        set_viewport(driver, width, height)
        assert_fits(driver, f"the ended screen at {width}x{height}")
        shot(driver, f"screen-ended-{width}x{height}")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert_accessible(driver, "the ended screen")
    assert_clean(driver, "the screen")


# ---------- the newsroom embed ----------

EMBED_VARIANTS = (("", "embed-progress"), ("?show=count", "embed-count"), ("?theme=dark", "embed-dark"))


@contextlib.contextmanager
def newsroom(pages: dict):
    """Another site (another origin: localhost on a port of its own) serving `pages` (path -> HTML), as a newsroom's
    page with the snippet pasted in. (A data: URL cannot stand in: `frame-ancestors *` does not match its opaque
    origin.)"""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "").encode())

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


def test_the_embed_fits_its_snippet(dashboard_server, checked_browser):
    server, driver = dashboard_server, checked_browser
    status, _, page = http("GET", server.url("/petitions/1"))
    assert status == 200
    import html as html_lib
    import re
    snippets = [html_lib.unescape(s) for s in re.findall(r'<textarea class="textarea" id="embed-snippet[^"]*" rows="3" readonly>([^<]*)</textarea>', page.decode())]
    assert len(snippets) == 3, f"the petition page offers {len(snippets)} snippets"
    for query, name in EMBED_VARIANTS:
        snippet = next(s for s in snippets if f'/embed/petitions/1{query}"' in s)
        assert 'width="320" height="170"' in snippet
        # The snippet as a newsroom would paste it, in a page of another site (the iframe's default border included).
        host = ("<!doctype html><html lang=en><meta charset=utf-8><title>A newsroom</title><link rel=icon href=data:,>"
                "<body style='margin:8px;background:#f3f2f1'><main>" + snippet + "</main>")
        set_viewport(driver, 360, 200)
        with newsroom({"/story": host}) as site:
            driver.get(site + "/story")
            frame = driver.find_element(By.TAG_NAME, "iframe")
            check_embed(driver, server, frame, name)
        shot(driver, name)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert_clean(driver, "the embeds")

    # The petition page offers the snippets to copy: open, they fit a phone and pass axe.
    driver.get(server.url("/petitions/1"))
    driver.execute_script("document.getElementById('embed').open = true; document.getElementById('embed').scrollIntoView();")
    for id_ in ("embed-snippet", "embed-snippet-count", "embed-snippet-dark"):
        assert visible(driver, f"#{id_}"), f"#{id_} is not shown"
    fits_width(driver, 360)
    assert_accessible(driver, "the petition page with the embed snippets open")
    screenshot(driver, "petition-embed-snippets", widths=(1280, 360))
    assert_clean(driver, "the petition page")


def check_embed(driver, server, frame, name: str) -> None:
    """Inside the snippet's iframe: live, nothing clipped, no scrollbar, its own stylesheet, no axe violation."""
    driver.switch_to.frame(frame)
    try:
        wait(driver, lambda d: text_of(d, "#live-status") == "Live", f"{name}: no live mark")
        size = driver.execute_script("return [innerWidth, innerHeight, document.documentElement.scrollWidth, document.documentElement.scrollHeight];")
        assert size[2] <= size[0] and size[3] <= size[1], f"{name}: content {size[2]}x{size[3]} in a {size[0]}x{size[1]} frame"
        assert size[0] >= 310 and size[1] >= 160, f"{name}: the frame is {size[0]}x{size[1]}"
        main = driver.execute_script("const m = document.getElementById('main'); return [m.scrollHeight, m.clientHeight, m.scrollWidth, m.clientWidth];")
        assert main[0] <= main[1] and main[2] <= main[3], f"{name}: the content overflows its box (scroll {main[2]}x{main[0]}, box {main[3]}x{main[1]})"
        for css in ("#embed-sign", "#signature-count", "#live-status", "#embed-link"):
            inside = driver.execute_script(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                "return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;", css)
            assert inside, f"{name}: {css} is clipped"
        if "count" in name:
            assert not visible(driver, "#embed-progress")
        else:
            assert visible(driver, "#embed-progress")
        if "dark" in name:
            assert driver.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(11, 12, 12)"
        links = driver.execute_script("return [...document.styleSheets].map((s) => s.href)")
        # Its own small stylesheet only, at its versioned address (/static/{version}/css/embed.css).
        assert len(links) == 1 and re.fullmatch(re.escape(server.url("/static/")) + r"[0-9a-f]{12}/css/embed\.css", links[0]), links
        assert_accessible(driver, f"the embed ({name})")
    finally:
        driver.switch_to.default_content()
