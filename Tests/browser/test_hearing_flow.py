"""End-to-end test of a live hearing against the real server, in headless Chromium, with four separate sessions.

The server is `staff_server` (conftest.py): its own data dir, the demo sitting 1, and a moderator and a chair
assigned to it, created with `hemicycle staff add`. Each person has their own Chromium (own cookies):

- the viewer opens /sittings/1 and asks a question (with a name): it is listed under "Your questions", waiting;
- the moderator, logged in through /staff/login, has /sittings/1/moderate open: the question arrives in the queue
  live; it is selected with `j`, claimed with `c` and approved with `a` (keyboard only);
- the screen (/sittings/1/screen) is open before the chair acts: the approved question shows up in "up next";
- the chair, logged in, starts the sitting on /sittings/1/chair, puts the question on screen (#pull-next): the
  screen and the viewer page show it without a reload; the chair marks it answered;
- the record (/sittings/1/record.json) has it answered with its stream offset, and /sittings/1/chapters.txt has it.

No page is ever reloaded during the flow (a marker on `window` must survive), no console shows CSP violations or
errors, and screenshots of each page go to test-artifacts/hearing-*.png (1280 and 375 px wide). A second test renders
the viewer page in French (?lang=fr).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

import pytest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_petition_page import CSP_PATTERN, assert_not_reloaded, http, mark_page, screenshot

SITTING = 1
VIEWER_PAGE = f"/sittings/{SITTING}"
SCREEN_PAGE = f"/sittings/{SITTING}/screen"
MODERATE_PAGE = f"/sittings/{SITTING}/moderate"
CHAIR_PAGE = f"/sittings/{SITTING}/chair"
# The debug server shares 2 cores with four Chromiums: be generous. These are upper bounds, never sleeps.
LIVE_TIMEOUT_S = 30
UPDATE_TIMEOUT_S = 20
PAGE_TIMEOUT_S = 30
MAX_KEY_PRESSES = 20

I18N = Path(__file__).resolve().parents[2] / "WebClient" / "i18n"
EN = json.loads((I18N / "en.json").read_text())
FR = json.loads((I18N / "fr.json").read_text())


# ---------- helpers ----------


def wait(driver, condition, message: str, timeout: float = UPDATE_TIMEOUT_S):
    """Waits until condition(driver) is truthy and returns it. Elements that went stale count as "not yet"."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    def check(d):
        try:
            return condition(d)
        except (StaleElementReferenceException, NoSuchElementException):
            return False

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(check, message)


def find(driver, css: str):
    """The first element matching css, or None."""
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0] if found else None


def text_of(driver, css: str) -> str | None:
    element = find(driver, css)
    return None if element is None else element.get_attribute("textContent").strip()


def attr_of(driver, css: str, name: str) -> str | None:
    element = find(driver, css)
    return None if element is None else element.get_attribute(name)


def wait_live(driver, page: str, strings: dict = EN) -> None:
    def is_live(d):
        status = find(d, "#live-status")
        # textContent, not .text: the screen keeps its status for assistive technology only (visually hidden).
        return status is not None and status.get_attribute("data-state") == "live" \
            and status.get_attribute("textContent").strip() == strings["status_live"]

    wait(driver, is_live, f"#live-status of {page} never said {strings['status_live']!r}", LIVE_TIMEOUT_S)


def open_page(driver, url: str, page: str) -> str:
    """Loads a JS page, waits until it is live, and marks it (to prove later that it was not reloaded)."""
    driver.get(url)
    main = find(driver, "#main")
    assert main is not None and main.get_attribute("data-page") == page, \
        f"{url} is not the {page!r} page (url now {driver.current_url}, title {driver.title!r})"
    wait_live(driver, page)
    return mark_page(driver)


def log_in(driver, server, role: str) -> None:
    """Logs in through the /staff/login form; lands on the staff home."""
    account = server.staff[role]
    driver.get(server.url("/staff/login"))
    driver.find_element(By.ID, "login-email").send_keys(account.email)
    driver.find_element(By.ID, "login-password").send_keys(account.password)
    driver.find_element(By.ID, "login-submit").click()
    wait(driver, lambda d: attr_of(d, "#main", "data-page") == "staff-home",
         f"the {role} did not land on the staff home after logging in (at {driver.current_url}: "
         f"{text_of(driver, '#error-summary')!r})", PAGE_TIMEOUT_S)
    assert account.name in driver.find_element(By.TAG_NAME, "body").text, f"the staff home does not name the {role}"


def press(driver, keys: str) -> None:
    """Key presses sent to whatever has focus, as a person at the keyboard would."""
    ActionChains(driver).send_keys(keys).perform()


def console_problems(driver) -> tuple[list[str], list[str]]:
    """(CSP violations, severe console entries) of everything logged since the last call."""
    entries = driver.get_log("browser")
    csp = [e["message"] for e in entries if CSP_PATTERN.search(e.get("message", ""))]
    severe = [e["message"] for e in entries if e.get("level") == "SEVERE"]
    return csp, severe


def get_json(server, path: str):
    status, headers, body = http("GET", server.url(path))
    assert status == 200, f"GET {path}: {status} {body[:300]!r}"
    assert "application/json" in headers.get("Content-Type", ""), f"GET {path}: {headers.get('Content-Type')}"
    return json.loads(body)


# ---------- the flow ----------


@pytest.mark.parametrize("store", ["staff_server", "postgres_staff_server"], ids=["sqlite", "postgres"])
def test_live_hearing_flow(store, request, browsers):
    server = request.getfixturevalue(store)
    started = time.monotonic()
    question_text = f"Will the committee publish the written evidence before the vote? (test {uuid.uuid4().hex[:8]})"
    asker = "Ada Tester"

    sitting = get_json(server, f"/api/v1/sittings/{SITTING}")
    assert sitting["state"] == "scheduled", f"the demo sitting should start scheduled: {sitting['state']}"

    # The moderator is logged in and watching the queue before anyone asks.
    moderator = browsers.open("moderator")
    log_in(moderator, server, "moderator")
    moderator_marker = open_page(moderator, server.url(MODERATE_PAGE), "moderate")
    wait(moderator, lambda d: find(d, "#queue-empty").is_displayed(), "the queue is not shown as empty at first")

    # 1. The viewer asks a question.
    viewer = browsers.open("viewer")
    viewer_marker = open_page(viewer, server.url(VIEWER_PAGE), "sitting")
    assert attr_of(viewer, "#sitting-state", "data-state") == "scheduled"
    viewer.find_element(By.ID, "ask-text").send_keys(question_text)
    viewer.find_element(By.ID, "ask-name").send_keys(asker)
    viewer.find_element(By.ID, "ask-submit").click()
    wait(viewer, lambda d: "form-result--success" in (attr_of(d, "#ask-result", "class") or "")
         or text_of(d, "#ask-result"), "no answer in #ask-result after asking")
    assert "success" in attr_of(viewer, "#ask-result", "class"), f"asking failed: {text_of(viewer, '#ask-result')!r}"
    mine = wait(viewer, lambda d: [li for li in d.find_elements(By.CSS_SELECTOR, "#my-question-list > li[data-question-id]")
                                   if question_text in li.text],
                "the question is not listed under 'Your questions'")[0]
    question_id = int(mine.get_attribute("data-question-id"))
    assert find(viewer, "#my-questions").is_displayed(), "the 'Your questions' section is hidden"
    assert text_of(viewer, "#my-questions-heading") == EN["my_questions_heading"]
    assert mine.get_attribute("data-state") == "submitted"
    assert EN["question_state_submitted"] in mine.text, f"not shown as waiting: {mine.text!r}"
    assert viewer.find_element(By.ID, "ask-text").get_attribute("value") == "", "the form is cleared after asking"
    assert find(viewer, f"#question-{question_id}") is None, "an unmoderated question is in the public list"
    screenshot(viewer, "hearing-viewer-asked")

    # 2. It reaches the moderation queue live; the moderator claims and approves it with the keyboard only.
    item_css = f"#queue-list > li#mod-q-{question_id}"
    wait(moderator, lambda d: find(d, item_css), "the question did not appear in #queue-list without a reload")
    item = find(moderator, item_css)
    assert item.get_attribute("data-state") == "submitted"
    assert question_text in item.text and asker in item.text, item.text
    assert text_of(moderator, "#queue-count") == "1"
    assert_not_reloaded(moderator, moderator_marker)

    for _ in range(MAX_KEY_PRESSES):  # j until the question is the selected one
        press(moderator, "j")
        if find(moderator, f"{item_css}[aria-current='true']"):
            break
    else:
        raise AssertionError(f"`j` never selected #mod-q-{question_id}")
    assert attr_of(moderator, "#main", "data-active-list") == "queue"
    assert moderator.switch_to.active_element.get_attribute("id") == f"mod-q-{question_id}", "the selection has no focus"

    press(moderator, "c")
    wait(moderator, lambda d: attr_of(d, item_css, "data-claim") == "mine", "`c` did not claim the question")
    assert EN["claimed_by_you"] in find(moderator, item_css).text
    screenshot(moderator, "hearing-moderate-claimed")

    press(moderator, "a")
    approved_css = f"#approved-list > li#mod-q-{question_id}"
    wait(moderator, lambda d: find(d, approved_css) and not find(d, item_css),
         "`a` did not move the question from the queue to the approved list")
    assert attr_of(moderator, approved_css, "data-state") == "approved"
    wait(moderator, lambda d: find(d, "#queue-empty").is_displayed(), "the empty queue is not said to be empty")
    assert text_of(moderator, "#moderation-alert") == "", f"alert: {text_of(moderator, '#moderation-alert')!r}"
    assert_not_reloaded(moderator, moderator_marker)

    # The viewer sees the decision live: published, and in the public list.
    wait(viewer, lambda d: attr_of(d, f"#my-question-list > li[data-question-id='{question_id}']", "data-state")
         == "approved", "the viewer's own question did not turn approved")
    wait(viewer, lambda d: find(d, f"#question-list > li#question-{question_id}"),
         "the approved question did not appear in the viewer's #question-list")
    assert attr_of(viewer, f"#question-{question_id}", "data-state") == "approved"
    assert text_of(viewer, f"#question-{question_id}-text") == question_text

    # 4 (set up). The screen is open before the chair acts; it lists the question in "up next".
    screen = browsers.open("screen")
    screen_marker = open_page(screen, server.url(SCREEN_PAGE), "screen")
    assert find(screen, "body.screen-body"), "the screen page has no body.screen-body"
    wait(screen, lambda d: find(d, f"#top-list > li[data-question-id='{question_id}']"),
         "the approved question is not in the screen's #top-list")
    assert find(screen, "#on-screen-text") is None, "something is on screen before the chair put it there"

    # 3. The chair starts the sitting and puts the question on screen.
    chair = browsers.open("chair")
    log_in(chair, server, "chair")
    chair_marker = open_page(chair, server.url(CHAIR_PAGE), "chair")
    start = chair.find_element(By.ID, "start-sitting")
    wait(chair, lambda d: start.is_displayed() and start.is_enabled(), "#start-sitting is not usable")
    start.click()
    # Starting asks for a confirmation first (issue 12): nothing changes until it is given.
    confirm = chair.find_element(By.ID, "start-confirm")
    wait(chair, lambda d: confirm.is_displayed(), "starting did not ask for a confirmation")
    assert attr_of(chair, "#sitting-state", "data-state") == "scheduled", "the sitting started before the confirmation"
    confirm.click()
    wait(chair, lambda d: attr_of(d, "#sitting-state", "data-state") == "live", "the chair's page did not show live")
    wait(chair, lambda d: re.fullmatch(r"\d+:\d\d(:\d\d)?", text_of(d, "#stream-clock") or ""),
         f"the stream clock does not run: {text_of(chair, '#stream-clock')!r}")
    assert not chair.find_element(By.ID, "start-sitting").is_displayed()
    assert chair.find_element(By.ID, "end-sitting").is_displayed()
    wait(viewer, lambda d: attr_of(d, "#sitting-state", "data-state") == "live",
         "the viewer's page did not follow the sitting going live")
    assert text_of(viewer, "#sitting-state") == EN["sitting_state_live"]
    wait(moderator, lambda d: attr_of(d, "#sitting-state", "data-state") == "live",
         "the moderation page did not follow the sitting going live")

    wait(chair, lambda d: find(d, f"#chair-queue > li[data-question-id='{question_id}']"),
         "the approved question is not in the chair's queue")
    pull = chair.find_element(By.ID, "pull-next")
    wait(chair, lambda d: pull.is_enabled(), "#pull-next stays disabled")
    pull.click()
    wait(chair, lambda d: text_of(d, "#chair-on-screen-text") == question_text,
         "the chair's on-screen panel does not show the question")
    wait(chair, lambda d: find(d, "#answered-button").is_enabled(), "#answered-button stays disabled")
    assert find(chair, f"#chair-queue > li[data-question-id='{question_id}']") is None, "still in the chair's queue"
    assert text_of(chair, "#chair-alert") == "", f"alert: {text_of(chair, '#chair-alert')!r}"

    # 4. The screen and the viewer page show it, without a reload.
    wait(screen, lambda d: text_of(d, "#on-screen-text") == question_text,
         "the screen's #on-screen-text does not show the question")
    assert attr_of(screen, "#on-screen", "data-question-id") == str(question_id)
    assert asker in text_of(screen, "#on-screen-who")
    wait(screen, lambda d: find(d, f"#top-list > li[data-question-id='{question_id}']") is None,
         "the question on screen is still listed as up next")
    assert_not_reloaded(screen, screen_marker)

    wait(viewer, lambda d: text_of(d, "#on-screen-text") == question_text,
         "the viewer's on-screen banner does not show the question")
    assert attr_of(viewer, "#on-screen", "data-question-id") == str(question_id)
    wait(viewer, lambda d: attr_of(d, f"#question-list > li#question-{question_id}", "data-state") == "on_screen",
         "the viewer's #question-list does not show the question as on screen")
    assert EN["question_state_on_screen"] in find(viewer, f"#question-{question_id}").text
    assert_not_reloaded(viewer, viewer_marker)

    screenshot(screen, "hearing-screen")
    screenshot(viewer, "hearing-viewer-on-screen")
    screenshot(chair, "hearing-chair-on-screen")

    # 5. The chair marks it answered.
    chair.find_element(By.ID, "answered-button").click()
    answered_css = f"#answered-list > li[data-question-id='{question_id}']"
    wait(chair, lambda d: find(d, answered_css), "the question is not in the chair's answered list")
    wait(chair, lambda d: re.fullmatch(r"\d+:\d\d(:\d\d)?", text_of(d, f"{answered_css} .answered-item__time") or ""),
         f"no stream time in the answered list: {text_of(chair, answered_css)!r}")
    assert question_text in text_of(chair, answered_css)
    assert text_of(chair, "#chair-alert") == "", f"alert: {text_of(chair, '#chair-alert')!r}"
    wait(viewer, lambda d: attr_of(d, f"#question-{question_id}", "data-state") == "answered",
         "the viewer's list does not show the question answered")
    wait(viewer, lambda d: attr_of(d, f"#my-question-list > li[data-question-id='{question_id}']", "data-state")
         == "answered", "the viewer's own question did not turn answered")
    assert_not_reloaded(viewer, viewer_marker)
    assert_not_reloaded(chair, chair_marker)
    assert_not_reloaded(screen, screen_marker)
    screenshot(chair, "hearing-chair-answered")
    screenshot(viewer, "hearing-viewer-answered")
    screenshot(moderator, "hearing-moderate")

    record = get_json(server, f"/sittings/{SITTING}/record.json")
    assert record["sitting"]["state"] == "live" and record["sitting"]["stream_started_at"], record["sitting"]
    entries = [q for q in record["questions"] if q["id"] == question_id]
    assert entries, f"question {question_id} is not in record.json: {[q['id'] for q in record['questions']]}"
    entry = entries[0]
    assert entry["text"] == question_text and entry["name"] == asker, entry
    assert entry["state"] == "answered", entry
    offset = entry["answered_offset_seconds"]
    assert isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0, entry
    assert offset <= time.monotonic() - started + 1, f"an offset of {offset} s is longer than the test: {entry}"
    assert isinstance(entry["stream_time"], str) and re.fullmatch(r"\d+:\d\d(:\d\d)?", entry["stream_time"]), entry
    minutes, seconds = entry["stream_time"].split(":")[-2:]
    assert int(minutes) * 60 + int(seconds) == offset % 3600, f"stream_time and the offset disagree: {entry}"
    assert any(c["title"] == question_text and c["offset_seconds"] == offset for c in record["chapters"]), \
        record["chapters"]

    status, headers, body = http("GET", server.url(f"/sittings/{SITTING}/chapters.txt"))
    assert status == 200 and headers.get("Content-Type", "").startswith("text/plain"), (status, headers)
    chapters = body.decode()
    assert f"{entry['stream_time']} {question_text}" in chapters.splitlines(), chapters

    # 6. No CSP violations or errors in any console.
    for name, driver in browsers.items():
        csp, severe = console_problems(driver)
        assert not csp, f"CSP violations on the {name} page:\n" + "\n".join(csp)
        assert not severe, f"console errors on the {name} page:\n" + "\n".join(severe)


def test_viewer_page_in_french(staff_server, browsers):
    viewer = browsers.open("viewer-fr")
    viewer.get(staff_server.url(f"{VIEWER_PAGE}?lang=fr"))
    assert viewer.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    wait_live(viewer, "sitting", FR)
    for element_id, key in (("questions-heading", "questions_heading"), ("ask-heading", "ask_heading"),
                            ("on-screen-heading", "on_screen_heading"), ("ask-submit", "ask_submit")):
        shown = text_of(viewer, f"#{element_id}")
        assert shown == FR[key] != EN[key], f"#{element_id}: {shown!r}, expected the French {FR[key]!r}"
    state = attr_of(viewer, "#sitting-state", "data-state")
    assert text_of(viewer, "#sitting-state") == FR[f"sitting_state_{state}"]
    assert viewer.find_element(By.CSS_SELECTOR, "label[for='ask-text']").text.strip() == FR["ask_text_label"]
    # The script's own strings are French too (the character counter is rendered by sitting-page.js).
    viewer.find_element(By.ID, "ask-text").send_keys("Bonjour")
    wait(viewer, lambda d: find(d, "#ask-text-count").is_displayed(), "no character counter")
    expected = FR["characters_left_other"].replace("{n}", str(int(attr_of(viewer, "#main", "data-max-length")) - 7))
    assert text_of(viewer, "#ask-text-count") == expected
    csp, severe = console_problems(viewer)
    assert not csp and not severe, "console problems on the French page:\n" + "\n".join(csp + severe)
    screenshot(viewer, "hearing-viewer-fr")
