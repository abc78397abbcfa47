"""Two Chromium windows on two nodes (issue 15): a viewer on node a asks a question on the sitting's page; the
moderator, logged in on node b, sees it arrive in the queue live, claims it and approves it with the keyboard; both
windows show the approved question without a reload.
"""

from __future__ import annotations

import time
import uuid

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from conftest import STAFF, browser_support

TIMEOUT_S = 20


def wait(driver, condition, message: str, timeout: float = TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition(driver)
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{message} (at {driver.current_url})")


def find(driver, css: str):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0] if found else None


def attr(driver, css: str, name: str):
    element = find(driver, css)
    return element.get_attribute(name) if element else None


def live(driver) -> None:
    wait(driver, lambda d: attr(d, "#live-status", "data-state") == "live", "the page never went live")


def press(driver, keys: str) -> None:
    ActionChains(driver).send_keys(keys).perform()


@pytest.fixture
def windows():
    drivers = []

    def open_window():
        driver = browser_support.make_driver()
        drivers.append(driver)
        return driver

    yield open_window
    for driver in drivers:
        try:
            driver.quit()
        except Exception:
            pass


def test_ask_on_one_node_approve_on_the_other(cluster, windows):
    base_a, base_b = f"http://127.0.0.1:{cluster.port('a')}", f"http://127.0.0.1:{cluster.port('b')}"
    text = f"Will the reports be published on both nodes? ({uuid.uuid4().hex[:8]})"

    moderator = windows()
    account = next(a for a in STAFF if a.role == "moderator")
    moderator.get(base_b + "/staff/login")
    moderator.find_element(By.ID, "login-email").send_keys(account.email)
    moderator.find_element(By.ID, "login-password").send_keys(account.password)
    moderator.find_element(By.ID, "login-submit").click()
    wait(moderator, lambda d: attr(d, "#main", "data-page") == "staff-home", "the moderator did not log in on node b")
    moderator.get(base_b + "/sittings/1/moderate")
    live(moderator)
    moderator.execute_script("window.__clusterMarker = 1")

    viewer = windows()
    viewer.get(base_a + "/sittings/1")
    live(viewer)
    viewer.execute_script("window.__clusterMarker = 1")
    viewer.find_element(By.ID, "ask-text").send_keys(text)
    viewer.find_element(By.ID, "ask-submit").click()
    mine = wait(viewer, lambda d: [li for li in d.find_elements(By.CSS_SELECTOR, "#my-question-list > li[data-question-id]")
                                   if text in li.text], "the question is not under 'Your questions' on node a")[0]
    qid = int(mine.get_attribute("data-question-id"))

    item = f"#queue-list > li#mod-q-{qid}"
    wait(moderator, lambda d: find(d, item), "the question asked on node a did not reach the queue on node b live")
    for _ in range(50):
        press(moderator, "j")
        if find(moderator, f"{item}[aria-current='true']"):
            break
    press(moderator, "c")
    wait(moderator, lambda d: attr(d, item, "data-claim") == "mine", "`c` did not claim the question on node b")
    press(moderator, "a")
    wait(moderator, lambda d: attr(d, f"#approved-list > li#mod-q-{qid}", "data-state") == "approved",
         "the moderator on node b does not see the question approved")

    wait(viewer, lambda d: attr(d, f"#question-list > li#question-{qid}", "data-state") == "approved",
         "the viewer on node a does not see the approved question live")
    for driver in (viewer, moderator):
        assert driver.execute_script("return window.__clusterMarker") == 1, "a page was reloaded"
