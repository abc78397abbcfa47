"""End-to-end tests of the petition page against the real server, in headless Chromium.

(a) the count moves live, without a reload, when a signature arrives through the API;
(b) without JavaScript, the form posts, lands on the thank-you page, and shows errors with the values kept;
(c) with JavaScript, the form is sent with fetch: success message, inline errors, the count moves;
(d) no CSP violations in the console, and the security headers on every HTML page.

Fixtures (the server, the browsers) are in conftest.py. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

PETITION = "/petitions/1"
SIGN_API = "/api/v1/petitions/1/signatures"
LIVE_TIMEOUT_S = 15
UPDATE_TIMEOUT_S = 10
WIDTHS = (1280, 375)
CSP_PATTERN = re.compile(r"content.security.policy|refused to (load|execute|apply|connect|frame)", re.I)


# ---------- helpers ----------


def unique_email() -> str:
    return f"browser-test-{uuid.uuid4().hex[:16]}@example.org"


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    """(status, headers, body bytes); HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def participant_cookie(server, sitting: int) -> str:
    """The `Cookie` header of a new participant of `sitting`: asking and voting need the cookie its page sets."""
    status, headers, _ = http("GET", server.url(f"/sittings/{sitting}"))
    assert status == 200, f"GET /sittings/{sitting} answered {status}"
    for value in headers.get_all("Set-Cookie") or []:
        pair = value.split(";", 1)[0]
        if pair.startswith("hc_participant="):
            return pair
    raise AssertionError(f"/sittings/{sitting} set no participant cookie")


def sign_via_api(server, name: str = "Browser Test") -> dict:
    status, _, body = http(
        "POST", server.url(SIGN_API),
        json.dumps({"name": name, "email": unique_email(), "postcode": "SW1A 0AA"}).encode(),
        {"Content-Type": "application/json", "Accept": "application/json"},
    )
    assert status == 201, f"POST {SIGN_API} answered {status}: {body[:500]!r}"
    return json.loads(body)


def wait(driver, condition, message: str, timeout: float = UPDATE_TIMEOUT_S):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d), message)


def displayed_count(driver) -> int:
    element = driver.find_element(By.ID, "signature-count")
    return int(element.get_attribute("value"))


def count_text(driver) -> str:
    return driver.find_element(By.ID, "signature-count").text


def wait_live(driver) -> None:
    def is_live(d):
        status = d.find_element(By.ID, "live-status")
        return status.get_attribute("data-state") == "live" and status.text.strip() == "Live"

    wait(driver, is_live, "#live-status never said Live", LIVE_TIMEOUT_S)


def mark_page(driver) -> str:
    """Sets a marker on window: it survives only if the page is not reloaded."""
    marker = uuid.uuid4().hex
    driver.execute_script("window.__hemicycleTestMarker = arguments[0];", marker)
    return marker


def assert_not_reloaded(driver, marker: str) -> None:
    assert driver.execute_script("return window.__hemicycleTestMarker;") == marker, "the page was reloaded"
    navigation = driver.execute_script("return performance.getEntriesByType('navigation')[0].type;")
    assert navigation == "navigate", navigation


def fill(driver, **values) -> None:
    for name, value in values.items():
        field = driver.find_element(By.CSS_SELECTOR, f"#sign-form [name='{name}']")
        field.clear()
        field.send_keys(value)


def submit(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "#sign-form button[type='submit']").click()


def screenshot(driver, name: str, widths: tuple[int, ...] = WIDTHS) -> None:
    """Full-page screenshots at each of widths (WIDTHS by default), with the viewport emulated exactly (mobile for
    narrow ones)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in widths:
        metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        layout = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        height = int(layout["cssContentSize"]["height"])
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": max(height, 900), "scale": 1},
        })
        (ARTIFACTS / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def fits_width(driver, width: int) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        layout = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        content = layout["cssContentSize"]["width"]
        assert content <= width + 0.5, f"the page is {content}px wide at a {width}px viewport: horizontal scrolling"
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def console_entries(driver) -> list[dict]:
    return driver.get_log("browser")


# ---------- (a) the count moves live ----------


def test_count_updates_live_without_reload(server, browser):
    browser.get(server.url(PETITION))
    marker = mark_page(browser)
    wait_live(browser)
    before = displayed_count(browser)
    assert count_text(browser) == f"{before:,}"

    sign_via_api(server)

    wait(browser, lambda d: displayed_count(d) >= before + 1,
         f"#signature-count did not move from {before} within {UPDATE_TIMEOUT_S} s")
    after = displayed_count(browser)
    assert after == before + 1
    assert count_text(browser) == f"{after:,}", "the text is the formatted value"
    assert_not_reloaded(browser, marker)

    # The live region says it too (the first change after a quiet period is announced at once).
    wait(browser, lambda d: d.find_element(By.ID, "live-announcer").get_attribute("textContent").strip()
         in (f"{after:,} signatures", f"{after:,} signature"), "the change was not announced")

    # Progress bars stay consistent with the count: values 0..100, integers.
    for bar in browser.find_elements(By.CSS_SELECTOR, "progress[data-threshold]"):
        assert bar.get_attribute("max") == "100"
        assert 0 <= int(float(bar.get_attribute("value"))) <= 100

    # A second signature, to see a second update on the same connection.
    sign_via_api(server)
    wait(browser, lambda d: displayed_count(d) >= after + 1, "the second signature did not show")
    assert_not_reloaded(browser, marker)
    screenshot(browser, "petition-live")
    fits_width(browser, 320)


# ---------- (b) no JavaScript ----------


def test_form_without_javascript(server, nojs_browser):
    driver = nojs_browser
    driver.get(server.url(PETITION))
    status = driver.find_element(By.ID, "live-status")
    assert status.get_attribute("data-state") == "static", "JavaScript ran: this browser must have it disabled"
    before = displayed_count(driver)

    fill(driver, name="Grace Hopper", email=unique_email(), postcode="SW1A 0AA")
    submit(driver)
    wait(driver, lambda d: "Thank you" in d.find_element(By.TAG_NAME, "h1").text, "no thank-you page after the form post")
    panel = driver.find_element(By.ID, "signed-panel")
    assert panel.find_element(By.CSS_SELECTOR, "[role='status']").text.strip(), "the thank-you page has no status text"
    assert displayed_count(driver) >= before + 1, "the thank-you page shows the new count"
    assert driver.find_element(By.LINK_TEXT, "Back to the petition").get_attribute("href").endswith(PETITION)
    screenshot(driver, "signed-nojs")

    # An invalid email: the petition page again, with the error summary and the entered values.
    driver.get(server.url(PETITION))
    fill(driver, name="Ada Lovelace", email="not-an-email")
    submit(driver)
    summary = wait(driver, lambda d: d.find_elements(By.ID, "error-summary"), "no error summary after an invalid email")[0]
    assert "There is a problem" in summary.text
    links = summary.find_elements(By.CSS_SELECTOR, "a[href='#sign-email']")
    assert links and links[0].text.strip(), "the summary links to the email field"
    assert driver.title.startswith("Error: ")
    assert driver.find_element(By.ID, "sign-name").get_attribute("value") == "Ada Lovelace"
    email = driver.find_element(By.ID, "sign-email")
    assert email.get_attribute("value") == "not-an-email"
    assert email.get_attribute("aria-invalid") == "true"
    described = (email.get_attribute("aria-describedby") or "").split()
    assert "sign-email-error" in described, f"the email error is not tied to the field: aria-describedby={described}"
    assert driver.find_element(By.ID, "sign-email-error").text.strip()
    screenshot(driver, "petition-errors-nojs")


# ---------- (c) the enhanced form ----------


def test_form_with_javascript(server, browser):
    browser.get(server.url(PETITION))
    marker = mark_page(browser)
    wait_live(browser)
    before = displayed_count(browser)
    email = unique_email()

    fill(browser, name="Katherine Johnson", email=email, postcode="SW1A 0AA")
    submit(browser)
    result = browser.find_element(By.ID, "sign-result")
    wait(browser, lambda d: "Thank you" in result.text, "no success message in #sign-result")
    assert "sign-result--success" in result.get_attribute("class")
    wait(browser, lambda d: displayed_count(d) >= before + 1, "the count did not move after signing")
    assert browser.find_element(By.ID, "sign-name").get_attribute("value") == "", "the form is cleared"
    assert_not_reloaded(browser, marker)
    screenshot(browser, "petition-signed-js")

    # Field errors from the JSON body, inline and in a summary; no reload.
    count = displayed_count(browser)
    fill(browser, name="Dorothy Vaughan", email="not-an-email")
    submit(browser)
    wait(browser, lambda d: d.find_elements(By.ID, "sign-email-error"), "no inline error for the email field")
    field = browser.find_element(By.ID, "sign-email")
    assert field.get_attribute("aria-invalid") == "true"
    assert "sign-email-error" in field.get_attribute("aria-describedby").split()
    assert "There is a problem" in result.text
    assert result.find_elements(By.CSS_SELECTOR, "a[href='#sign-email']")
    assert browser.find_element(By.ID, "sign-name").get_attribute("value") == "Dorothy Vaughan", "values are kept"
    assert_not_reloaded(browser, marker)
    screenshot(browser, "petition-errors-js")

    # Signing twice with the same email: the server's message, no new count.
    fill(browser, name="Katherine Johnson", email=email)
    submit(browser)
    wait(browser, lambda d: "sign-result--error" in result.get_attribute("class") and "problem" not in result.text,
         "no error for a duplicate signature")
    assert not browser.find_elements(By.ID, "sign-email-error") or browser.find_element(By.ID, "sign-email-error").text
    assert displayed_count(browser) == count
    assert_not_reloaded(browser, marker)


# ---------- (d) CSP and headers ----------


@pytest.mark.parametrize("path", [PETITION, "/", "/petitions/999999"])
def test_security_headers(server, path):
    status, headers, _ = http("GET", server.url(path))
    assert status == (404 if "999999" in path else 200), f"GET {path}: {status}"
    assert headers.get("Content-Type", "").startswith("text/html")
    csp = headers.get("Content-Security-Policy")
    assert csp, f"no Content-Security-Policy on {path}"
    directives = {d.strip().split()[0]: d.strip().split()[1:] for d in csp.split(";") if d.strip()}
    for name in ("default-src", "script-src", "style-src", "connect-src"):
        assert directives.get(name) == ["'self'"], f"{name} in {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"


def test_static_files_are_served_with_their_types(server):
    for path, kind in (("/static/js/petition-page.js", "javascript"), ("/static/js/live-socket.js", "javascript"),
                       ("/static/css/site.css", "text/css")):
        status, headers, _ = http("GET", server.url(path))
        assert status == 200, f"GET {path}: {status}"
        assert kind in headers.get("Content-Type", ""), f"{path}: {headers.get('Content-Type')}"


def test_no_csp_violations_or_script_errors_in_the_console(server, browser):
    console_entries(browser)  # drop what earlier tests left
    browser.get(server.url(PETITION))
    wait_live(browser)
    browser.get(server.url("/"))
    entries = console_entries(browser)
    csp = [e for e in entries if CSP_PATTERN.search(e.get("message", ""))]
    assert not csp, "CSP violations:\n" + "\n".join(e["message"] for e in csp)
    severe = [e for e in entries if e.get("level") == "SEVERE"]
    assert not severe, "console errors:\n" + "\n".join(e["message"] for e in severe)
    screenshot(browser, "home")


def test_no_csp_violations_without_javascript(server, nojs_browser):
    console_entries(nojs_browser)
    for path in (PETITION, "/"):
        nojs_browser.get(server.url(path))
    entries = console_entries(nojs_browser)
    csp = [e for e in entries if CSP_PATTERN.search(e.get("message", ""))]
    assert not csp, "CSP violations:\n" + "\n".join(e["message"] for e in csp)
