"""End-to-end: the petition page survives a server restart without a reload (PROTOCOL.md 7.3, 7.4, 12).

The test runs a server of its own (not the session one), on a fixed free port with a temporary data dir:

1. the page goes Live, and a signature made on this first run shows up live (the page then holds a non-zero offset);
2. SIGTERM: the server closes the socket with 1001 "server restarting, reconnect and resume" and exits by itself
   within 10 s; the page says it is reconnecting (or offline), in the words petition-page.js renders;
3. the server starts again on the same port and data dir (a new epoch): the count it serves is the one from before;
4. a signature posted over HTTP shows up on the page, with no reload, once the client has reconnected (its first
   retry after 1001 is spread over 0-5 s, so up to RECONNECT_TIMEOUT_S is allowed), and the page is Live again;
   one more signature then arrives live on the new connection (the client follows the new epoch).

Throughout, the count the page shows never goes down: every change of #signature-count's `value` is recorded in the
page (a MutationObserver installed before the page's scripts) and the test also polls it and keeps the maximum.
The server log of both runs is test-artifacts/server-restart.log (printed on failure, by conftest.py).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS, LOG_TAIL_LINES, Server, _free_port, _stop, start_server
from test_petition_page import PETITION, assert_not_reloaded, http, mark_page, sign_via_api

COUNT_JSON = "/petitions/1/count.json"
EXIT_TIMEOUT_S = 10        # the server must exit by itself within this after SIGTERM
LIVE_TIMEOUT_S = 15
STATE_TIMEOUT_S = 5        # 1001 arrives while the server shuts down, before it exits: this is generous
RECONNECT_TIMEOUT_S = 20   # first retry after 1001 in 0-5 s, then 0-2 s, 0-4 s, ... while the server is down
GOING_AWAY = 1001
GOING_AWAY_REASON = "server restarting, reconnect and resume"

# What petition-page.js renders in #live-status for each state (STATUS_TEXT there).
STATUS_TEXT = {
    "live": "Live",
    "reconnecting": "Reconnecting…",
    "offline": "Offline — the count may be out of date",
}

# Installed with Page.addScriptToEvaluateOnNewDocument, so it runs before the page's own scripts. It only observes:
# every WebSocket the page opens (its open and close events, with code and reason), and every change of
# #signature-count's `value` and #live-status's `data-state`, in order, with the time.
JOURNAL_SCRIPT = r"""
(() => {
  const journal = [];
  window.__hemicycleJournal = journal;
  const now = () => Math.round(performance.now());
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      journal.push({ t: now(), kind: 'ws-new', url: String(args[0]) });
      this.addEventListener('open', () => journal.push({ t: now(), kind: 'ws-open' }));
      this.addEventListener('close', (e) =>
        journal.push({ t: now(), kind: 'ws-close', code: e.code, reason: e.reason, clean: e.wasClean }));
    }
  };
  const watched = { 'signature-count': ['value', 'count'], 'live-status': ['data-state', 'state'] };
  const observer = new MutationObserver((records) => {
    // A record has the old value only: the new one is the next record's old value, or the current one.
    records.forEach((record, i) => {
      const w = watched[record.target.id];
      if (!w || record.attributeName !== w[0]) return;
      const next = records.slice(i + 1).find((r) => r.target === record.target && r.attributeName === w[0]);
      const value = next ? next.oldValue : record.target.getAttribute(w[0]);
      journal.push({ t: now(), kind: w[1], value });
    });
  });
  observer.observe(document, { subtree: true, attributes: true, attributeOldValue: true,
                               attributeFilter: ['value', 'data-state'] });
})();
"""


class RestartableServer:
    """One server (port, data dir, log) that can be stopped with SIGTERM and started again; one process at a time."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.data_dir = Path(tempfile.mkdtemp(prefix="hemicycle-restart-"))
        self.log_path = ARTIFACTS / "server-restart.log"
        self.current: Server | None = None
        self.runs = 0

    def start(self) -> Server:
        assert self.current is None, "already running"
        self.runs += 1
        self.current = start_server(self.port, self.data_dir, self.log_path, append=self.runs > 1)
        return self.current

    def sigterm(self) -> tuple[int | None, float]:
        """SIGTERM, then waits up to EXIT_TIMEOUT_S: (exit status or None if still running, seconds taken)."""
        srv = self.current
        started = time.monotonic()
        srv.process.send_signal(signal.SIGTERM)
        try:
            status = srv.process.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            status = None
        elapsed = time.monotonic() - started
        if status is not None:
            self._release()
        return status, elapsed

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError as error:
            return f"(could not read {self.log_path}: {error})"
        return "\n".join(tail) if tail else "(empty)"

    def _release(self) -> None:
        if self.current is not None:
            self.current._log_file.close()
            self.current = None

    def close(self) -> None:
        if self.current is not None:
            _stop(self.current.process)
            self._release()
        shutil.rmtree(self.data_dir, ignore_errors=True)


@pytest.fixture
def restartable_server():
    own = RestartableServer()
    try:
        yield own
    finally:
        own.close()


class PageWatch:
    """Reads the page; every read checks that the count shown has not gone down since the highest seen so far."""

    def __init__(self, driver) -> None:
        self.driver = driver
        self.max_count: int | None = None
        self.reads = 0

    def count(self) -> int:
        value = int(self.driver.find_element(By.ID, "signature-count").get_attribute("value"))
        self.reads += 1
        assert self.max_count is None or value >= self.max_count, \
            f"the count shown went down: {value} after {self.max_count}\n{self.journal_text()}"
        self.max_count = value if self.max_count is None else max(self.max_count, value)
        return value

    def status(self) -> tuple[str, str]:
        element = self.driver.find_element(By.ID, "live-status")
        return element.get_attribute("data-state"), element.text.strip()

    def wait(self, condition, message: str, timeout: float):
        def check(_):
            self.count()
            return condition()
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(check)
        except Exception as error:
            if isinstance(error, AssertionError):
                raise
            raise AssertionError(f"{message} (within {timeout} s); page now: count {self.count()}, "
                                 f"status {self.status()}\n{self.journal_text()}") from error

    def journal(self) -> list[dict]:
        return self.driver.execute_script("return window.__hemicycleJournal || null;") or []

    def journal_text(self) -> str:
        try:
            entries = self.journal()
        except Exception as error:  # the browser may be what failed
            return f"(no page journal: {error})"
        return "page journal (ms since navigation):\n" + "\n".join(f"  {json.dumps(e, ensure_ascii=False)}" for e in entries)


def http_count(url: str) -> int:
    status, _, body = http("GET", url)
    assert status == 200, f"GET {url}: {status} {body[:300]!r}"
    return json.loads(body)["signature_count"]


def test_page_reconnects_and_resumes_after_a_server_restart(restartable_server, browser):
    own = restartable_server
    srv = own.start()
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": JOURNAL_SCRIPT})
    page = PageWatch(browser)
    test_started = time.monotonic()
    try:
        # 1. Live on the first run, and one signature seen live.
        browser.get(srv.url(PETITION))
        marker = mark_page(browser)
        assert browser.execute_script("return Array.isArray(window.__hemicycleJournal);"), "the journal is not installed"
        page.wait(lambda: page.status() == ("live", STATUS_TEXT["live"]), "#live-status never said Live", LIVE_TIMEOUT_S)
        initial = page.count()
        sign_via_api(srv)
        page.wait(lambda: page.count() >= initial + 1, "a signature on the first run did not show live", LIVE_TIMEOUT_S)
        before_restart = page.count()
        assert before_restart == initial + 1
        assert http_count(own.url(COUNT_JSON)) == before_restart

        # 2. SIGTERM: 1001 to the page, and the process exits by itself.
        status, took = own.sigterm()
        assert status is not None, \
            f"the server was still running {EXIT_TIMEOUT_S} s after SIGTERM\n--- server log ---\n{own.log_tail()}"
        print(f"server exited with status {status} {took:.2f} s after SIGTERM")
        assert status == 0, f"the server exited with status {status} after SIGTERM\n--- server log ---\n{own.log_tail()}"

        def disconnected():
            state, text = page.status()
            return state in ("reconnecting", "offline") and text == STATUS_TEXT[state]

        page.wait(disconnected, "#live-status did not say Reconnecting… or Offline after SIGTERM", STATE_TIMEOUT_S)
        down_state = page.status()
        print(f"page status with the server down: {down_state}")
        closes = [e for e in page.journal() if e["kind"] == "ws-close"]
        assert closes, f"the page saw no WebSocket close\n{page.journal_text()}"
        assert (closes[0]["code"], closes[0]["reason"]) == (GOING_AWAY, GOING_AWAY_REASON), \
            f"the first close the page saw was not 1001 {GOING_AWAY_REASON!r}: {closes[0]}\n{page.journal_text()}"
        assert page.count() == before_restart, "the count moved while the server was down"

        # 3. The same port and data dir again: a new run, a new epoch, the same count.
        restarted_at = time.monotonic()
        srv = own.start()
        print(f"server up again in {time.monotonic() - restarted_at:.2f} s")
        assert http_count(own.url(COUNT_JSON)) == before_restart, "the restarted server does not serve the count from before"

        # 4. A signature over HTTP reaches the page without a reload, once the client is back.
        sign_via_api(srv)
        expected = before_restart + 1
        page.wait(lambda: page.count() >= expected,
                  f"#signature-count did not show {expected} after the restart", RECONNECT_TIMEOUT_S)
        shown_after = time.monotonic() - restarted_at
        assert page.count() == expected
        page.wait(lambda: page.status() == ("live", STATUS_TEXT["live"]), "#live-status did not say Live again", 5)
        assert browser.find_element(By.ID, "signature-count").text == f"{expected:,}"
        assert_not_reloaded(browser, marker)
        print(f"new count shown {shown_after:.2f} s after the restart began")

        # Back on the new epoch: a further signature arrives as a live event on the new connection.
        sign_via_api(srv)
        expected += 1
        page.wait(lambda: page.count() >= expected, f"#signature-count did not show {expected} live after the reconnect",
                  LIVE_TIMEOUT_S)
        assert page.count() == expected
        assert_not_reloaded(browser, marker)

        # The whole history of the count, as the page recorded it: never down.
        counts = [int(e["value"]) for e in page.journal() if e["kind"] == "count"]
        assert counts == sorted(counts), f"the count shown went down at some point: {counts}\n{page.journal_text()}"
        assert counts and counts[-1] == expected, f"recorded counts {counts}, expected to end at {expected}"
        states = [e["value"] for e in page.journal() if e["kind"] == "state"]
        assert states[-1] == "live" and "live" in states[:-1], states
        print(f"{page.reads} polls, highest count {page.max_count}; states {states}; "
              f"total {time.monotonic() - test_started:.1f} s")
    finally:
        print(page.journal_text())
