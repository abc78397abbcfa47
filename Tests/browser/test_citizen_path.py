"""The citizen path on a phone (360 px, touch emulation) and at 1280, in headless Chromium against the real server:

- the petition page: the sign form right after the count (on a phone, within a screen of it), deadline and creator,
  share links (the platforms' addresses percent-encoded by the server, "Copy link", "Share…" where navigator.share
  exists), the country typed as a name in the page's language;
- the sitting page: "Ask a question" at the top of the first screen; a vote does not move the list under the finger
  (the new order waits for a calm moment or the "N questions moved" button, and is announced);
- without JavaScript: asking lands (303) on the sitting page with the notice and the asker's own pending question;
  signing lands on /petitions/1/signed with its share links; a reload posts nothing again;
- `?lang=fr` on every citizen page: French, with the language switcher.

Every page fails on console errors, CSP violations, failed requests and serious/critical axe-core violations
(page_checks.py). Screenshots: test-artifacts/citizen-*.png.
"""

from __future__ import annotations

import json
import re
import time
import uuid

import pytest
from selenium.webdriver.common.by import By

from conftest import StaffAccount, make_driver, server_with_staff
from page_checks import assert_accessible, assert_clean, watch
from test_hearing_flow import find, text_of, wait
from test_petition_page import http, participant_cookie
from test_public_displays import Api, set_viewport, shot

ADMIN = StaffAccount("admin", "admin-citizen@example.org", "Ad Min", "admin-password-0001")
QUESTIONS = ("Will the bus lanes open by spring?", "How much will the new tram line cost?", "Who pays for the station repairs?")


@pytest.fixture(scope="module")
def citizen_server():
    with server_with_staff("citizen", (ADMIN,)) as srv:
        api = Api(srv, srv.staff["admin"])
        srv.question_ids = []
        cookie = participant_cookie(srv, 1)
        for text in QUESTIONS:
            status, _, body = http("POST", srv.url("/api/v1/sittings/1/questions"), json.dumps({"text": text, "name": "Ada"}).encode(),
                                   {"Content-Type": "application/json", "Origin": srv.base_url, "Cookie": cookie})
            assert status == 201, f"asking: {status} {body[:300]!r}"
            question = json.loads(body)["id"]
            api.ok("POST", f"/api/v1/questions/{question}/moderation", {"action": "approve"})
            srv.question_ids.append(question)
        yield srv


def phone(driver) -> None:
    set_viewport(driver, 360, 740, mobile=True)
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})


def desktop(driver) -> None:
    set_viewport(driver, 1280, 900)
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


@pytest.fixture
def checked_browser():
    driver = make_driver(network_log=True)
    watch(driver)
    yield driver
    driver.quit()


def top(driver, css: str) -> float:
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.getBoundingClientRect().top + scrollY : -1;", css)


def fits(driver, what: str) -> None:
    width = driver.execute_script("return [innerWidth, document.documentElement.scrollWidth];")
    assert width[1] <= width[0], f"{what}: the page is {width[1]} px wide in a {width[0]} px viewport"


def test_petition_page_on_a_phone_and_at_1280(citizen_server, checked_browser):
    driver = checked_browser
    for size, setup in (("360", phone), ("1280", desktop)):
        setup(driver)
        driver.get(citizen_server.url("/petitions/1"))
        wait(driver, lambda d: find(d, "#live-status") and d.find_element(By.ID, "live-status").get_attribute("data-state") == "live",
             "the petition page did not go live")
        count, form = top(driver, "#signature-count"), top(driver, "#sign-form")
        assert 0 < form - count < 400, f"at {size}: the sign form starts {form - count} px below the count"
        assert "Created by" in text_of(driver, "#petition-creator")
        assert text_of(driver, "#petition-deadline").startswith("Closes on ")
        facebook = driver.find_element(By.ID, "share-facebook").get_attribute("href")
        assert facebook.startswith("https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F") and "%2Fpetitions%2F1" in facebook
        assert driver.find_element(By.ID, "share-copy").is_displayed(), "Copy link is shown with JavaScript"
        assert driver.find_element(By.ID, "share-url").get_attribute("value").endswith("/petitions/1")
        fits(driver, f"the petition page at {size}")
        shot(driver, f"citizen-petition-{size}")
        driver.execute_script("document.getElementById('sign-form').scrollIntoView()")
        shot(driver, f"citizen-petition-form-{size}")
        assert_clean(driver, f"the petition page at {size}")
        assert_accessible(driver, f"the petition page at {size}")


def test_web_share_button_where_the_browser_shares(citizen_server, checked_browser):
    driver = checked_browser
    phone(driver)
    # A browser with the Web Share API (as phones have): the button appears and shares the title and address.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source":
        "window.__shared = []; navigator.share = (d) => { window.__shared.push(d); return Promise.resolve(); };"})
    driver.get(citizen_server.url("/petitions/1"))
    button = wait(driver, lambda d: d.find_element(By.ID, "share-native") if d.find_element(By.ID, "share-native").is_displayed() else None,
                  "no Share button where navigator.share exists")
    driver.execute_script("arguments[0].scrollIntoView(); arguments[0].click();", button)
    shared = wait(driver, lambda d: d.execute_script("return window.__shared.length ? window.__shared[0] : null;"), "nothing shared")
    assert shared["url"].endswith("/petitions/1") and shared["title"]
    assert_clean(driver, "the petition page with Web Share")


def test_signing_with_a_country_name_in_french(citizen_server, checked_browser):
    driver = checked_browser
    phone(driver)
    driver.get(citizen_server.url("/petitions/1?lang=fr"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert driver.find_element(By.ID, "sign-heading").text == "Signer cette pétition"
    options = driver.execute_script("return Array.from(document.querySelectorAll('#sign-country-list option')).map(o => o.value);")
    assert "Royaume-Uni" in options
    driver.find_element(By.ID, "sign-name").send_keys("Marie Curie")
    driver.find_element(By.ID, "sign-email").send_keys(f"marie-{uuid.uuid4().hex[:8]}@example.org")
    driver.find_element(By.ID, "sign-country").send_keys("Royaume-Uni")
    driver.execute_script("document.querySelector('#sign-form button[type=submit]').click()")
    wait(driver, lambda d: d.find_element(By.ID, "sign-result").get_attribute("data-outcome") == "counted",
         f"signing with the country 'Royaume-Uni' was not counted: {text_of(driver, '#sign-result')!r}")
    shot(driver, "citizen-petition-signed-fr-360")
    assert_clean(driver, "the French petition page after signing")


def test_the_vote_does_not_move_the_list_under_the_finger(citizen_server, checked_browser):
    driver = checked_browser
    phone(driver)
    driver.get(citizen_server.url("/sittings/1"))
    wait(driver, lambda d: d.find_element(By.ID, "live-status").get_attribute("data-state") == "live", "the sitting page did not go live")
    ask = top(driver, "#ask-jump")
    assert 0 < ask < 740, f"'Ask a question' is {ask} px down on a phone"
    shot(driver, "citizen-sitting-360")
    order = lambda: driver.execute_script(  # noqa: E731
        "return Array.from(document.querySelectorAll('#question-list > li')).map(li => Number(li.dataset.questionId));")
    before = order()
    assert len(before) == len(QUESTIONS), before
    assert not driver.find_element(By.ID, "questions-empty").is_displayed(), "'No questions' shown over a list of questions"
    last = before[-1]
    button = driver.find_element(By.CSS_SELECTOR, f"#question-{last} .vote-button")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    y_before = driver.execute_script("return arguments[0].getBoundingClientRect().top;", button)
    button.click()  # a pointer interaction on the list, then the vote puts this question first
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f"#question-{last} .vote-button").get_attribute("aria-pressed") == "true", "the vote was not taken")
    moved = wait(driver, lambda d: d.find_element(By.ID, "reorder") if d.find_element(By.ID, "reorder").is_displayed() else None,
                 "no 'questions moved' button after the vote")
    assert order() == before, "the list moved under the finger"
    y_after = driver.execute_script("return arguments[0].getBoundingClientRect().top;", driver.find_element(By.CSS_SELECTOR, f"#question-{last} .vote-button"))
    assert abs(y_after - y_before) < 2, f"the voted question moved from {y_before} to {y_after}"
    assert "moved" in moved.text
    assert not driver.find_element(By.ID, "questions-empty").is_displayed(), "'No questions' shown with the 'moved' bar"
    shot(driver, "citizen-sitting-vote-held-360")
    # The calm moment: the new order is applied and announced.
    deadline = time.monotonic() + 15
    while order()[0] != last and time.monotonic() < deadline:
        time.sleep(0.2)
    assert order()[0] == last, f"the new order was not applied after a calm moment: {order()}"
    assert not driver.find_element(By.ID, "reorder").is_displayed()
    assert "order" in driver.find_element(By.ID, "live-announcer").get_attribute("textContent")
    assert_clean(driver, "the sitting page after a vote")
    assert_accessible(driver, "the sitting page at 360")
    desktop(driver)
    driver.get(citizen_server.url("/sittings/1"))
    shot(driver, "citizen-sitting-1280")
    assert_clean(driver, "the sitting page at 1280")


def test_without_javascript_the_asker_sees_the_pending_question(citizen_server):
    driver = make_driver(javascript=False, width=360, height=740)
    try:
        driver.get(citizen_server.url("/sittings/1"))
        assert driver.find_element(By.ID, "live-status").get_attribute("data-state") == "static"
        driver.find_element(By.ID, "ask-text").send_keys("Will the library stay open on Sundays?")
        driver.find_element(By.ID, "ask-name").send_keys("Sam")
        driver.find_element(By.ID, "ask-submit").click()
        wait(driver, lambda d: find(d, "#flash"), "no notice after asking without JavaScript")
        assert "/sittings/1?asked=1" in driver.current_url, driver.current_url
        mine = driver.find_element(By.ID, "my-questions")
        assert mine.is_displayed() and "Will the library stay open on Sundays?" in mine.text
        shot(driver, "citizen-sitting-asked-nojs-360")
        driver.refresh()  # a reload shows the page again and asks nothing twice
        texts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#my-question-list .my-question__text")]
        assert texts.count("Will the library stay open on Sundays?") == 1, texts

        driver.get(citizen_server.url("/petitions/1"))
        driver.find_element(By.ID, "sign-name").send_keys("Grace Hopper")
        driver.find_element(By.ID, "sign-email").send_keys(f"grace-{uuid.uuid4().hex[:8]}@example.org")
        driver.find_element(By.ID, "sign-postcode").send_keys("SW1A 0AA")
        driver.find_element(By.ID, "sign-country").send_keys("United Kingdom")
        driver.find_element(By.CSS_SELECTOR, "#sign-form button[type=submit]").click()
        wait(driver, lambda d: d.current_url.endswith("/petitions/1/signed"), f"not on /signed: {driver.current_url}")
        assert driver.find_element(By.ID, "share-whatsapp").get_attribute("href").startswith("https://wa.me/?text=")
        count = driver.find_element(By.ID, "signature-count").get_attribute("value")
        driver.refresh()
        assert driver.find_element(By.ID, "signature-count").get_attribute("value") == count, "a reload signed again"
        shot(driver, "citizen-signed-nojs-360")
        # The area tables are in the page from the start, with names (no script to fill them here).
        driver.get(citizen_server.url("/petitions/1"))
        names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#areas-regions-body .areas__name")]
        assert names, "no region row rendered by the server"
        assert not any(re.fullmatch(r"[EWSNK]\d{8}", n) for n in names), f"codes on screen: {names}"
    finally:
        driver.quit()


def test_a_french_form_posted_without_javascript_says_what_is_wrong_in_french(citizen_server):
    """The sign and ask forms refused without JavaScript: the page comes back in French, each field's message in
    French, tied to its field; nothing is signed or asked."""
    driver = make_driver(javascript=False, width=360, height=740)
    try:
        driver.get(citizen_server.url("/petitions/1?lang=fr"))
        count = driver.find_element(By.ID, "signature-count").get_attribute("value")
        driver.find_element(By.ID, "sign-email").send_keys("pas-une-adresse")
        driver.find_element(By.ID, "sign-country").send_keys("Atlantide")
        driver.find_element(By.CSS_SELECTOR, "#sign-form button[type=submit]").click()
        wait(driver, lambda d: find(d, "#error-summary"), "no error summary after a refused signature")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        assert "Saisissez votre nom." in text_of(driver, "#sign-name-error")
        assert "au bon format" in text_of(driver, "#sign-email-error")
        assert "Saisissez un pays de la liste" in text_of(driver, "#sign-country-error")
        summary = text_of(driver, "#error-summary")
        assert "Enter" not in summary, f"English left in the summary: {summary!r}"
        assert driver.find_element(By.ID, "signature-count").get_attribute("value") == count, "nothing signed"
        shot(driver, "citizen-sign-refused-nojs-fr-360")

        driver.get(citizen_server.url("/sittings/1?lang=fr"))
        driver.find_element(By.ID, "ask-region").send_keys("<b>Leeds</b>")
        driver.find_element(By.ID, "ask-submit").click()
        wait(driver, lambda d: find(d, "#error-summary"), "no error summary after a refused question")
        assert "Ce champ ne peut pas être vide." in text_of(driver, "#ask-text-error")
        assert "balisage" in text_of(driver, "#ask-region-error")
        shot(driver, "citizen-ask-refused-nojs-fr-360")
    finally:
        driver.quit()


@pytest.mark.parametrize("path", ["/", "/petitions/1", "/petitions/1/signed", "/sittings", "/sittings/1", "/sittings/1/moderation-log", "/petitions/new"])
def test_every_citizen_page_in_french(citizen_server, checked_browser, path):
    driver = checked_browser
    driver.get(citizen_server.url(path + ("&" if "?" in path else "?") + "lang=fr"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr", f"{path} is not in French"
    current = driver.find_elements(By.CSS_SELECTOR, ".language-switcher__link[aria-current='true']")
    assert current and current[0].get_attribute("hreflang") == "fr", f"{path} has no language switcher"
    english = driver.find_element(By.CSS_SELECTOR, ".language-switcher__link[hreflang='en']").get_attribute("href")
    assert "lang=en" in english
    assert_clean(driver, f"{path} in French")
