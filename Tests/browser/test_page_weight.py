"""The page-weight budget of issue 12: a first-time visitor (cold cache) of `/petitions/{id}` or `/sittings/{id}`
gets under 60 KB on the wire (compressed bodies and headers, as Chromium's network log counts them) in at most
MAX_REQUESTS HTTP requests, and every text file of it comes compressed. Sizes only: the time on a slow network is
measured and reported by LoadTests/page-weight, never asserted.
"""

from __future__ import annotations

import json

import pytest

from conftest import make_driver
from page_weight import measure

BUDGET_BYTES = 60 * 1024
MAX_REQUESTS = 20
TEXT_SUFFIXES = (".js", ".css", ".svg", ".json")


@pytest.mark.parametrize("path", ["/petitions/1", "/sittings/1"])
def test_a_cold_visit_stays_within_the_budget(server, path):
    weight = measure(make_driver, server.url(path), width=360)
    print(weight.table())
    assert weight.count > 0, "no request was recorded"
    assert weight.bytes < BUDGET_BYTES, f"{path}: {weight.bytes:,} bytes on the wire (budget {BUDGET_BYTES:,})\n{weight.table()}"
    assert weight.count <= MAX_REQUESTS, f"{path}: {weight.count} requests (at most {MAX_REQUESTS})\n{weight.table()}"
    for request in weight.requests:
        assert request.status in (200, 204, 304), f"{request.status} {request.url}"
        url = request.url.split("?")[0]
        is_text = url.endswith(TEXT_SUFFIXES) or url == server.url(path)
        if is_text and request.encoded_bytes > 1500:
            assert request.content_encoding == "gzip", f"{request.url} came uncompressed ({request.encoded_bytes:,} bytes)"


def test_a_second_visit_fetches_no_static_file_again(server):
    """Static files are versioned and immutable: the second page of a visit asks the server for none of them."""
    driver = make_driver(network_log=True)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.get(server.url("/petitions/1"))
        first = {json.loads(entry["message"])["message"].get("params", {}).get("response", {}).get("url", "")
                 for entry in driver.get_log("performance")}
        first = {url for url in first if "/static/" in url}
        driver.get(server.url("/sittings/1"))
        entries = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
        # A memory-cache hit is announced by Network.requestServedFromCache (its response says nothing about it).
        cached = {m["params"]["requestId"] for m in entries if m.get("method") == "Network.requestServedFromCache"}
        fetched, seen = [], []
        for message in entries:
            if message.get("method") != "Network.responseReceived":
                continue
            response = message["params"]["response"]
            url = response.get("url", "")
            if url in first:
                seen.append(url)
                if message["params"]["requestId"] not in cached and not response.get("fromDiskCache"):
                    fetched.append(f"{response.get('status')} {url}")
        assert seen, "the second page used none of the first page's static files (the test would prove nothing)"
        assert not fetched, "fetched again though immutable:\n" + "\n".join(fetched)
    finally:
        driver.quit()
