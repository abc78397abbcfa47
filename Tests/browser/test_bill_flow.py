"""End-to-end test of a consultation on draft legislation (issue 16) against the real server, in headless Chromium.

The server has its own data dir and the demo bill 1 (the SAFE BOTs Act, open for comments); a moderator and a chair
are assigned to it with `hemicycle staff add … --bill 1`. Four separate sessions (own cookies):

- the reader, on a 360 px wide window with touch emulated (a phone), selects the passage "3 hours" in (c)(1) and
  comments on it through the "Comment on this passage" button: the comment is sent, waiting for moderation;
- a second reader has /bills/1 open from the start;
- the moderator, logged in, has /bills/1/moderate open: the comment arrives in the queue live and is approved with
  the `a` key;
- the second reader sees the comment appear under (c)(1), with the passage quoted, and the clause's count move,
  without a reload;
- the second reader supports it, and the first sees the clause's supports move;
- the chair moves the "now discussing" marker to (c): the second reader sees it move without a reload;
- the clerk publishes version 2 with the command line (`hemicycle bills import --bill 1 --publish`, "3 hours" became
  "2 hours"); once the server has read it (within 30 s), the second reader, still on version 1, is told so live (a
  polite notice "Version 2 of this bill has been published." with a link to reload); the reader's reloaded page shows their approved comment
  carried to version 2 with its status (moved, now quoting "2 hours"), the clause's diff (3 struck, 2 inserted, said in
  words), "This clause changed in version 2" on their comment with a link to the changes page, which shows it too.

Until version 2, no page is reloaded (a marker on `window` must survive); no page shows a CSP violation or an error.
"""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from conftest import REPO_ROOT, StaffAccount, make_driver, publish_bill_version, server_with_staff
from page_checks import assert_clean, watch
from test_hearing_flow import LIVE_TIMEOUT_S, UPDATE_TIMEOUT_S, attr_of, find, log_in, press, text_of, wait
from test_petition_page import assert_not_reloaded, mark_page

CLAUSE = "sec_2__subsec_c__para_1"
SECTION = "sec_2__subsec_c"
ACCOUNTS = (
    StaffAccount("moderator", "billmod@example.org", "Bill Moderator", "moderator-password-1", (), (1,)),
    StaffAccount("chair", "billchair@example.org", "Bill Chair", "chair-password-0001", (), (1,)),
)


@pytest.fixture(scope="module")
def bill_server():
    with server_with_staff("bills", ACCOUNTS) as srv:
        yield srv


def phone(browsers, name: str):
    """A 360 px wide window with touch events, as on a phone."""
    driver = browsers.open(name, width=360, height=740, network_log=True)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    watch(driver)
    return driver


def wait_live(driver, what: str) -> None:
    wait(driver, lambda d: attr_of(d, "#live-status", "data-state") == "live", f"{what} never went live", LIVE_TIMEOUT_S)


def select_passage(driver, eId: str, words: str) -> None:
    """Selects `words` inside the provision's text as a long press and the drag of the handles leave it: a DOM
    selection (touch selection ends as one), then the `selectionchange` the page listens to."""
    found = driver.execute_script(
        """
        const [eId, words] = arguments;
        const box = document.querySelector(`[data-text-of="${eId}"]`);
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.data.indexOf(words);
          if (at >= 0) {
            document.getSelection().setBaseAndExtent(node, at, node, at + words.length);
            return true;
          }
        }
        return false;
        """, eId, words)
    assert found, f"{words!r} is not in {eId}"


def test_a_phone_reader_comments_on_a_passage_and_everyone_sees_it_live(bill_server, browsers):
    reader = phone(browsers, "reader")
    second = phone(browsers, "second")
    moderator = browsers.open("moderator", network_log=True)
    chair = browsers.open("chair", network_log=True)
    for driver in (moderator, chair):
        watch(driver)

    second.get(bill_server.url("/bills/1"))
    wait_live(second, "the second reader's page")
    second_mark = mark_page(second)
    count_before = int(text_of(second, f"#counts-{CLAUSE} [data-count='total']"))

    log_in(moderator, bill_server, "moderator")
    moderator.get(bill_server.url("/bills/1/moderate"))
    wait_live(moderator, "the moderation console")

    reader.get(bill_server.url("/bills/1"))
    wait_live(reader, "the reader's page")
    reader_mark = mark_page(reader)
    select_passage(reader, CLAUSE, "3 hours")
    wait(reader, lambda d: find(d, "#passage-button") is not None and find(d, "#passage-button").is_displayed(),
         "the 'Comment on this passage' button did not appear for the selection")
    reader.find_element(By.ID, "passage-button").click()
    wait(reader, lambda d: find(d, "#passage-form").is_displayed(), "the passage form did not open")
    assert "3 hours" in text_of(reader, "#passage-quote")
    reader.find_element(By.ID, "passage-text").send_keys("Two hours would protect children better.")
    reader.find_element(By.ID, "passage-send").click()
    wait(reader, lambda d: "moderator approves" in (text_of(d, "#passage-result") or ""),
         f"the comment was not sent: {text_of(reader, '#passage-result')!r}")

    wait(moderator, lambda d: find(d, "#queue-list [data-comment-id]") is not None,
         "the comment did not reach the moderator's queue live", UPDATE_TIMEOUT_S)
    assert "Two hours would protect" in text_of(moderator, "#queue-list")
    press(moderator, "a")
    wait(moderator, lambda d: find(d, "#queue-list [data-comment-id]") is None, "the approved comment stayed in the queue")

    wait(second, lambda d: "Two hours would protect" in (text_of(d, f"#comments-{CLAUSE}") or ""),
         "the second reader did not see the approved comment without a reload", UPDATE_TIMEOUT_S)
    assert "3 hours" in text_of(second, f"#comments-{CLAUSE} .bill-comment__quote"), "the passage is quoted"
    wait(second, lambda d: int(text_of(d, f"#counts-{CLAUSE} [data-count='total']")) == count_before + 1,
         "the clause's count did not move", UPDATE_TIMEOUT_S)

    # The second reader supports it: the button says so, and the clause's supports move for the first reader too.
    second.find_element(By.CSS_SELECTOR, f"#comments-{CLAUSE} button[data-stance='support']").click()
    wait(second, lambda d: attr_of(d, f"#comments-{CLAUSE} button[data-stance='support']", "aria-pressed") == "true",
         "the support button did not take", UPDATE_TIMEOUT_S)
    wait(reader, lambda d: int(text_of(d, f"#counts-{CLAUSE} [data-count='supports']")) == 1,
         "the support did not reach the other reader without a reload", UPDATE_TIMEOUT_S)

    log_in(chair, bill_server, "chair")
    chair.get(bill_server.url("/bills/1/moderate"))
    wait_live(chair, "the chair's console")
    chair.find_element(By.CSS_SELECTOR, f"#marker-select option[value='{SECTION}']").click()
    chair.find_element(By.ID, "marker-move").click()
    wait(second, lambda d: "provision--discussing" in (attr_of(d, f"#{SECTION}", "class") or ""),
         "the marker did not reach the second reader", UPDATE_TIMEOUT_S)
    assert find(second, "#bill-marker").is_displayed()
    assert text_of(second, "#bill-marker-link") == "Section 2 (c)", "the marker names the provision with its section"
    wait(reader, lambda d: "provision--discussing" in (attr_of(d, f"#{SECTION}", "class") or ""),
         "the marker did not reach the reader", UPDATE_TIMEOUT_S)

    assert_not_reloaded(second, second_mark)
    assert_not_reloaded(reader, reader_mark)

    # A new version carries the comment with its status.
    published = publish_bill_version(bill_server.data_dir, 1, REPO_ROOT / "Protocol" / "examples" / "legislation" / "sample-bill-v2.txt")
    assert "version 2 published" in published.lower() or "Published" in published, published
    # Readers still on version 1 hear of it live (`version` on bill:1, sent when the server next reads its bills, every
    # 30 s): a polite notice with a link to reload, without a reload.
    wait(second, lambda d: (text_of(d, "#bill-new-version") or "").startswith("Version 2 of this bill has been published."),
         "the reader was not told of version 2 live", 45)
    assert (attr_of(second, "#bill-new-version-reload", "href") or "").endswith("/bills/1")
    assert attr_of(second, "#bill-new-version", "aria-live") == "polite"
    assert_not_reloaded(second, second_mark)
    deadline = time.monotonic() + 45
    while True:
        reader.get(bill_server.url("/bills/1"))
        if (attr_of(reader, "main", "data-version") or "") == "2" or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert attr_of(reader, "main", "data-version") == "2", "the server did not show version 2 within 45 s"
    wait_live(reader, "the reader's page on version 2")
    comment = f"#comments-{CLAUSE} .bill-comment"
    wait(reader, lambda d: "Two hours would protect" in (text_of(d, f"#comments-{CLAUSE}") or ""),
         "the approved comment was not carried to version 2")
    assert "2 hours" in text_of(reader, f"{comment} .bill-comment__quote"), "its passage, found again in version 2"
    assert "moved from an earlier version" in text_of(reader, f"{comment} .bill-comment__meta"), "its carried status"
    assert "This clause changed in version 2" in text_of(reader, f"{comment} .bill-comment__changed"), "the author is told"
    assert attr_of(reader, f"{comment} .bill-comment__changed a", "href").endswith(f"/bills/1/versions/2/changes#change-{CLAUSE}")
    # The clause's diff, opened like a reader would (a details element: no script needed).
    reader.find_element(By.CSS_SELECTOR, f"#diff-{CLAUSE} summary").click()
    assert "Changed in version 2" in text_of(reader, f"#diff-{CLAUSE} summary")
    assert reader.execute_script(
        "const p = document.querySelector(arguments[0]);"
        "return [Array.from(p.querySelectorAll('del')).map(e => e.textContent).join('|'),"
        " Array.from(p.querySelectorAll('ins')).map(e => e.textContent).join('|')];",
        f"#diff-{CLAUSE} .clause-change__text") == ["Deleted: 3 (end of deletion)", "Inserted: 2 (end of insertion)"]
    # The second reader (not the author) sees the carried comment but no notice meant for its author.
    second.get(bill_server.url("/bills/1"))
    wait_live(second, "the second reader's page on version 2")
    assert "moved from an earlier version" in text_of(second, f"{comment} .bill-comment__meta")
    assert find(second, f"{comment} .bill-comment__changed") is None
    reader.find_element(By.CSS_SELECTOR, f"{comment} .bill-comment__changed a").click()
    wait(reader, lambda d: "/versions/2/changes" in d.current_url, "the notice's link did not open the changes page")
    assert "Two hours" not in (text_of(reader, "main") or "")
    assert find(reader, f"#change-{CLAUSE}") is not None, "the changes page shows the clause"

    for name, driver in browsers.items():
        assert_clean(driver, f"the {name}'s page")
