"""Checks any page must pass in a browser: no console error, no uncaught exception or unhandled rejection, no CSP
violation, no failed request; and axe-core 4 finds no serious or critical violation.

Use with a driver made by `make_driver(network_log=True)` (conftest.py), so that failed requests can be read from
Chromium's performance log:

    driver = make_driver(network_log=True)
    watch(driver)                  # before the first get(): hooks every document the driver loads from now on
    driver.get(url)
    ...
    assert_clean(driver, "the dashboard")
    assert_accessible(driver, "the dashboard")

axe-core comes from the `axe-playwright-python` package (PyPI), which ships `axe.min.js` (axe 4); only that file is
used (the package is installed with --no-deps by scripts/setup: no Playwright), injected through selenium.
"""

from __future__ import annotations

import json
import re
from importlib import resources

CSP_PATTERN = re.compile(r"content.security.policy|refused to (load|execute|apply|connect|frame)", re.I)

# Runs in every document before its own scripts (CDP injects it: the page's CSP does not apply to it).
_HOOK = r"""
(() => {
  const problems = [];
  Object.defineProperty(window, '__hcProblems', { value: problems });
  addEventListener('error', (e) => {
    if (e.target && e.target !== window && (e.target.src || e.target.href)) {
      problems.push('resource failed: ' + (e.target.src || e.target.href));
    } else {
      problems.push('uncaught: ' + (e.error && e.error.stack ? e.error.stack : e.message));
    }
  }, true);
  addEventListener('unhandledrejection', (e) => {
    problems.push('unhandled rejection: ' + (e.reason && e.reason.stack ? e.reason.stack : String(e.reason)));
  });
  document.addEventListener('securitypolicyviolation', (e) => {
    problems.push('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
  });
})();
"""


def watch(driver) -> None:
    """Hooks errors, rejections and CSP violations in every document the driver loads from now on."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _HOOK})


def page_problems(driver) -> list[str]:
    """What the hook recorded in the current document."""
    return driver.execute_script("return window.__hcProblems ? Array.from(window.__hcProblems) : ['(not hooked)'];")


def failed_requests(driver, *, allowed=()) -> list[str]:
    """Requests answered with 4xx/5xx or that failed, since the last call (reads and empties the performance log).
    `allowed`: URL substrings expected to fail (e.g. a 404 page under test)."""
    out = []
    for entry in driver.get_log("performance"):
        try:
            message = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.responseReceived":
            response = params.get("response", {})
            url, status = response.get("url", ""), int(response.get("status", 0))
            if status >= 400 and not any(a in url for a in allowed):
                out.append(f"{status} {url}")
        elif method == "Network.loadingFailed":
            if params.get("canceled"):
                continue  # navigations away, aborted fetches
            out.append(f"failed ({params.get('errorText')}, {params.get('blockedReason', '')}) request {params.get('requestId')}")
        elif method == "Network.webSocketFrameError":
            out.append(f"WebSocket frame error: {params.get('errorMessage')}")
    return out


def console_problems(driver, *, allowed=()) -> list[str]:
    """Severe console entries and CSP messages since the last call. `allowed`: URL substrings expected to fail, whose
    "Failed to load resource" lines (Chromium's own note of a 4xx) are left out too."""
    entries = driver.get_log("browser")
    return [e["message"] for e in entries
            if (e.get("level") == "SEVERE" or CSP_PATTERN.search(e.get("message", "")))
            and not (allowed and "Failed to load resource" in e.get("message", "")
                     and any(a in e["message"].split(" ")[0] for a in allowed))]


def assert_clean(driver, what: str, *, allowed_failures=()) -> None:
    """Fails on anything the page did wrong since it loaded (and since the last check, for the logs)."""
    problems = page_problems(driver)
    console = console_problems(driver, allowed=allowed_failures)
    failed = failed_requests(driver, allowed=allowed_failures)
    report = []
    if problems:
        report.append("page errors:\n  " + "\n  ".join(problems))
    if console:
        report.append("console:\n  " + "\n  ".join(console))
    if failed:
        report.append("failed requests:\n  " + "\n  ".join(failed))
    assert not report, f"{what} ({driver.current_url}):\n" + "\n".join(report)


def axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_violations(driver, *, impacts=("serious", "critical")) -> list[dict]:
    """Runs axe-core on the current page; returns the violations of the given impacts."""
    if not driver.execute_script("return typeof window.axe === 'object';"):
        driver.execute_script(axe_source())
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then((r) => done(r.violations), (e) => done([{id: 'axe-error', impact: 'critical', description: String(e), nodes: []}]));"
    )
    return [v for v in result if v.get("impact") in impacts]


def assert_accessible(driver, what: str) -> None:
    violations = axe_violations(driver)
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n.get("target", [])) for n in v.get("nodes", [])[:5])
        lines.append(f"{v['impact']}: {v['id']} ({v.get('help') or v.get('description')}) at {targets}")
    assert not violations, f"axe-core on {what} ({driver.current_url}):\n  " + "\n  ".join(lines)
