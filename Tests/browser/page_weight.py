"""What a page costs a first-time visitor, measured in headless Chromium from its network log: the bytes that crossed
the network (compressed bodies and headers, as Chromium's `encodedDataLength` counts them), the number of HTTP
requests, and, optionally, the time until the page is live (its `#live-status` says `data-state="live"`), with or
without a slow network emulated through the DevTools protocol (Network.emulateNetworkConditions).

Used by the budget test (test_page_weight.py: bytes and requests, never time) and by LoadTests/page-weight (which
reports the time on the slow 3G profile too). Each measurement uses a new Chromium: a cold cache, no cookies.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

# The slow 3G profile of issue 12: 400 kbit/s each way, 400 ms round trip.
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}

# Runs before the page's own scripts: notes when #live-status first says "live" (performance.now(), from the start
# of the navigation).
_LIVE_HOOK = r"""
(() => {
  const mark = () => {
    const el = document.getElementById('live-status');
    if (el && el.dataset.state === 'live' && window.__hcLiveAt === undefined) {
      Object.defineProperty(window, '__hcLiveAt', { value: performance.now() });
    }
  };
  new MutationObserver(mark).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'], childList: true });
})();
"""


@dataclass
class Request:
    url: str
    status: int = 0
    encoded_bytes: int = 0
    content_encoding: str = ""
    from_cache: bool = False


@dataclass
class PageWeight:
    url: str
    requests: list[Request] = field(default_factory=list)
    live_ms: float | None = None
    load_ms: float | None = None

    @property
    def bytes(self) -> int:
        return sum(r.encoded_bytes for r in self.requests)

    @property
    def count(self) -> int:
        return len(self.requests)

    def table(self) -> str:
        lines = [f"{self.url}: {self.count} requests, {self.bytes:,} bytes"
                 + (f", live after {self.live_ms:.0f} ms" if self.live_ms is not None else "")]
        for r in sorted(self.requests, key=lambda r: -r.encoded_bytes):
            lines.append(f"  {r.encoded_bytes:>8,}  {r.status}  {r.content_encoding or '-':<5} {r.url}")
        return "\n".join(lines)


def network_requests(log_entries) -> list[Request]:
    """The HTTP requests of a performance log (WebSockets and data: URLs left out), with their encoded sizes."""
    by_id: dict[str, Request] = {}
    for entry in log_entries:
        try:
            message = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        method, params = message.get("method"), message.get("params", {})
        request_id = params.get("requestId")
        if method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if url.startswith(("http://", "https://")):
                by_id[request_id] = Request(url)
        elif method == "Network.responseReceived" and request_id in by_id:
            response = params.get("response", {})
            headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
            by_id[request_id].status = int(response.get("status", 0))
            by_id[request_id].content_encoding = headers.get("content-encoding", "")
            by_id[request_id].from_cache = bool(response.get("fromDiskCache") or response.get("fromServiceWorker"))
        elif method == "Network.loadingFinished" and request_id in by_id:
            by_id[request_id].encoded_bytes = int(params.get("encodedDataLength", 0))
    return list(by_id.values())


def measure(make_driver, url: str, *, network=None, wait_live: bool = True, timeout_s: float = 60,
            settle_s: float = 1.0, width: int = 1280) -> PageWeight:
    """Opens `url` in a new Chromium (cold cache) and returns what it fetched. With `network` (e.g. SLOW_3G) the
    network is emulated from the first request. With `wait_live`, waits until #live-status says live (the time is
    `live_ms`, from the navigation's start); then waits `settle_s` more for late requests (lazy imports, fetches)."""
    driver = make_driver(network_log=True, width=width)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        if network:
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", network)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _LIVE_HOOK})
        driver.set_page_load_timeout(timeout_s)
        driver.get(url)
        weight = PageWeight(url)
        weight.load_ms = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd : null;")
        if wait_live:
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                live = driver.execute_script("return window.__hcLiveAt === undefined ? null : window.__hcLiveAt;")
                if live is not None:
                    weight.live_ms = float(live)
                    break
                time.sleep(0.05)
        time.sleep(settle_s)
        weight.requests = network_requests(driver.get_log("performance"))
        return weight
    finally:
        driver.quit()
