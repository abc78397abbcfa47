"""End-to-end test of the e-petition lifecycle (Protocol/PETITIONS.md) in headless Chromium, with real email.

The server runs with `--signature-confirmation email --sponsors-required 2` and sends its mail through Debian's
msmtp (`--sendmail "/usr/bin/msmtp -C RC -i"`; the server appends `--` and the one recipient) to a real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd,
run by smtp_sink.py under /usr/bin/python3), which writes every message it receives to a folder. Every link the
test follows is read from a delivered message. A petitions moderator is added with `hemicycle staff add`.

Separate Chromium sessions (own cookies):

1. the creator starts a petition on /petitions/new and lands on "check your email";
2. the creator's email brings /confirm/{token}: opening it confirms nothing (the petition stays unpublished), the
   button does; the confirmed page gives the supporter link (#support-url);
3. two supporters sign through the supporter link and confirm through their own emails: after the second the
   petition is sponsored (#petition-sponsored);
4. the moderator logs in (/staff/login), finds it in #petition-queue on /staff/petitions and publishes it:
   /petitions/{id}.json is public, open, with 3 signatures (the creator and the supporters);
5. a watcher keeps /petitions/{id} open (never reloaded); a signer signs there with the JS form ("check your email",
   nothing counted yet), then confirms through the emailed link: the watcher's count moves from 3 to 4 live;
6. no CSP violations or console errors in any session; screenshots in test-artifacts/ (petition-new, confirm,
   confirmed-creator, support, staff-petitions, petition-open, petition-signed-pending, signature-confirmed, at 1280
   and 375 px); the server's log in server-petition-lifecycle.log, the SMTP server's in smtp-sink.log.

Needs msmtp and python3-aiosmtpd (scripts/setup --test installs them). Environment: HEMICYCLE_MSMTP (default: msmtp
on PATH), HEMICYCLE_SMTP_PYTHON (default /usr/bin/python3, the Python that has Debian's aiosmtpd).
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import selectors
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import ARTIFACTS, REPO_ROOT, StaffAccount, _free_port, _stop, server_with_staff
from test_hearing_flow import attr_of, console_problems, find, log_in, text_of, wait
from test_petition_page import assert_not_reloaded, http, mark_page, screenshot

HERE = Path(__file__).resolve().parent
SMTP_SINK = HERE / "smtp_sink.py"
MAIL_FROM = "Hemicycle <no-reply@hemicycle.test>"
SUPPORTERS_REQUIRED = 2
MODERATOR = StaffAccount("petitions-moderator", "pmod@example.org", "Pat Moderator", "petitions-moderator-pw-1")
CREATOR_EMAIL = "creator@example.org"

# Upper bounds, never sleeps: the debug server, msmtp and several Chromiums share 2 cores. The mailer looks at its
# outbox every second.
MAIL_TIMEOUT_S = 30
PAGE_TIMEOUT_S = 30
LIVE_TIMEOUT_S = 30
UPDATE_TIMEOUT_S = 20
SINK_START_TIMEOUT_S = 20

CONFIRM_LINK = re.compile(r"(?P<url>https?://[^\s<>\"]+?/confirm/(?P<token>[A-Za-z0-9_-]{16,}))(?=[\s<>\"]|$)")


# ---------- the mail: a real SMTP server, and msmtp to reach it ----------


@dataclass
class Mail:
    path: Path
    envelope_to: list[str]
    to: str
    sender: str
    subject: str
    body: str

    def confirm_link(self) -> tuple[str, str]:
        """(url, path) of the one /…/confirm/{token} link of the message."""
        links = {m.group("url") for m in CONFIRM_LINK.finditer(self.body)}
        assert len(links) == 1, f"expected one confirmation link in {self.path.name}, found {sorted(links)}:\n{self.body}"
        url = links.pop()
        return url, "/" + url.split("://", 1)[1].split("/", 1)[1]


@dataclass
class MailSink:
    """The SMTP server subprocess and the folder it delivers into, plus the msmtp configuration that reaches it."""

    folder: Path
    process: subprocess.Popen
    msmtprc: Path
    msmtp_log: Path
    log_path: Path  # the sink's own output; with log_tail, the conftest hook adds it to a failure's report
    sendmail: str
    _consumed: set = field(default_factory=set)

    def messages(self) -> list[Mail]:
        found = []
        for path in sorted(self.folder.glob("*.eml")):  # written as .part, then renamed: always whole
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            found.append(Mail(
                path=path,
                envelope_to=[a.strip().lower() for a in str(message.get("X-Envelope-To", "")).split(",") if a.strip()],
                to=str(message.get("To", "")),
                sender=str(message.get("From", "")),
                subject=str(message.get("Subject", "")),
                body=body.get_content() if body is not None else "",
            ))
        return found

    def wait_for(self, recipient: str, timeout: float = MAIL_TIMEOUT_S) -> Mail:
        """Polls the folder until a message for recipient arrives that no earlier call returned, and returns it."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"the SMTP server exited with {self.process.returncode}:\n{self.log_tail()}", pytrace=False)
            for mail in self.messages():
                if mail.path.name not in self._consumed and recipient.lower() in mail.envelope_to:
                    self._consumed.add(mail.path.name)
                    return mail
            if time.monotonic() > deadline:
                delivered = [(m.path.name, m.envelope_to, m.subject) for m in self.messages()]
                pytest.fail(f"no email to {recipient} was delivered within {timeout} s.\n"
                            f"delivered so far: {delivered}\n{self.log_tail()}", pytrace=False)
            time.sleep(0.1)  # a polling interval, not a wait for a result

    def log_tail(self, lines: int = 50) -> str:
        parts = []
        for name, path in (("SMTP server", self.log_path), ("msmtp log", self.msmtp_log)):
            try:
                text = "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) or "(empty)"
            except OSError as error:
                text = f"(could not read {path}: {error})"
            parts.append(f"--- {name} ({path}) ---\n{text}")
        return "\n".join(parts)


def _msmtp_binary() -> str:
    configured = os.environ.get("HEMICYCLE_MSMTP") or shutil.which("msmtp") or "/usr/bin/msmtp"
    # Absolute: the server runs the command's first word as a path (a bare name is not looked up on PATH).
    path = Path(configured).resolve()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"msmtp was not found ({configured}): install Debian's msmtp (scripts/setup --test does).",
                    pytrace=False)
    return str(path)


def _smtp_python() -> str:
    python = os.environ.get("HEMICYCLE_SMTP_PYTHON", "/usr/bin/python3")
    result = subprocess.run([python, "-c", "import aiosmtpd"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"{python} cannot import aiosmtpd: install Debian's python3-aiosmtpd (scripts/setup --test does).\n"
                    f"{result.stderr}", pytrace=False)
    return python


@pytest.fixture(scope="module")
def mail_sink():
    msmtp = _msmtp_binary()
    python = _smtp_python()
    work = Path(tempfile.mkdtemp(prefix="hemicycle-mail-"))
    ARTIFACTS.mkdir(exist_ok=True)
    folder = work / "delivered"
    log_path = ARTIFACTS / "smtp-sink.log"
    msmtp_log = work / "msmtp.log"
    port = _free_port()
    msmtprc = work / "msmtprc"
    msmtprc.write_text("\n".join((
        "defaults", "syslog off", f"logfile {msmtp_log}", "timeout 15", "",
        "account default", "host 127.0.0.1", f"port {port}", "from no-reply@hemicycle.test", "auth off", "tls off", "",
    )))
    msmtprc.chmod(0o600)
    # No -t: the server passes each message's one recipient as an argument (`-- recipient`), never reads headers.
    sendmail = f"{msmtp} -C {msmtprc} -i"
    # The server splits --sendmail on spaces: no path in it may contain one.
    assert len(sendmail.split(" ")) == 4, f"a path contains a space: {sendmail!r}"

    log_file = open(log_path, "w", buffering=1)
    process = subprocess.Popen([python, str(SMTP_SINK), "--port", str(port), "--dir", str(folder)], cwd=REPO_ROOT,
                               stdout=subprocess.PIPE, stderr=log_file, stdin=subprocess.DEVNULL, text=True,
                               start_new_session=True)
    sink = MailSink(folder, process, msmtprc, msmtp_log, log_path, sendmail)
    try:
        # It prints "ready" once it accepts connections (or exits: its error is in the log).
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=SINK_START_TIMEOUT_S) or process.stdout.readline().strip() != "ready":
                pytest.fail(f"the SMTP server did not start within {SINK_START_TIMEOUT_S} s:\n{sink.log_tail()}",
                            pytrace=False)
        yield sink
    finally:
        _stop(process)
        process.stdout.close()
        log_file.close()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def petition_server(mail_sink):
    """A server of its own with email confirmation, 2 supporters, msmtp to the sink, and a petitions moderator."""
    with server_with_staff("petition-lifecycle", [MODERATOR], (
        "--signature-confirmation", "email", "--sponsors-required", str(SUPPORTERS_REQUIRED),
        "--mail-from", MAIL_FROM, "--sendmail", mail_sink.sendmail,
    )) as srv:
        yield srv


# ---------- helpers ----------


def public_status(server, petition_id: int) -> int:
    status, _, _ = http("GET", server.url(f"/petitions/{petition_id}.json"))
    return status


def public_petition(server, petition_id: int) -> dict:
    status, headers, body = http("GET", server.url(f"/petitions/{petition_id}.json"))
    assert status == 200, f"GET /petitions/{petition_id}.json: {status} {body[:300]!r}"
    assert "application/json" in headers.get("Content-Type", ""), headers.get("Content-Type")
    return json.loads(body)["data"]


def expect_page(driver, page: str, what: str) -> None:
    wait(driver, lambda d: attr_of(d, "#main", "data-page") == page,
         f"{what}: not on the {page!r} page (at {driver.current_url}, title {driver.title!r}, "
         f"#main[data-page]={attr_of(driver, '#main', 'data-page')!r}, error summary {text_of(driver, '#error-summary')!r})",
         PAGE_TIMEOUT_S)


def type_into(driver, css: str, value: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, css)
    element.clear()
    element.send_keys(value)


def check_mail(mail: Mail, recipient: str) -> None:
    assert mail.envelope_to == [recipient], f"{mail.path.name}: delivered to {mail.envelope_to}, not {recipient}"
    assert mail.to == recipient, f"{mail.path.name}: To: {mail.to!r}"
    assert mail.sender == MAIL_FROM, f"{mail.path.name}: From: {mail.sender!r}"
    assert mail.subject.strip(), f"{mail.path.name} has no subject"


def confirm_through_email(driver, server, sink: MailSink, recipient: str, *, shot: str | None = None) -> Mail:
    """Reads the link of the next email to recipient, opens it (confirms nothing), and presses #confirm-button."""
    mail = sink.wait_for(recipient)
    check_mail(mail, recipient)
    url, path = mail.confirm_link()
    assert url.startswith(server.base_url + "/"), f"the emailed link {url} is not on the server {server.base_url}"
    driver.get(url)
    expect_page(driver, "confirm", f"the link emailed to {recipient}")
    assert attr_of(driver, "#confirm-form", "action") in (path, server.url(path)), \
        f"#confirm-form posts to {attr_of(driver, '#confirm-form', 'action')!r}, not {path}"
    assert attr_of(driver, "#confirm-form", "method") == "post"
    if shot:
        screenshot(driver, shot)
    driver.find_element(By.ID, "confirm-button").click()
    return mail


# ---------- the flow ----------


def test_petition_lifecycle_with_email(petition_server, mail_sink, browsers):
    server, sink = petition_server, mail_sink
    tag = uuid.uuid4().hex[:6]
    action = f"Plant a tree for every child born in the borough ({tag})"
    background = "Trees clean the air, cool our streets in summer and give children a living link to where they grew up."
    creator_name = "Cleo Creator"

    # 1. The creator starts a petition.
    creator = browsers.open("creator")
    creator.get(server.url("/petitions/new"))
    expect_page(creator, "petition-new", "/petitions/new")
    assert text_of(creator, "#supporters-required") == str(SUPPORTERS_REQUIRED)
    type_into(creator, "#petition-action", action)
    type_into(creator, "#petition-background", background)
    type_into(creator, "#petition-name", creator_name)
    type_into(creator, "#petition-email", CREATOR_EMAIL)
    screenshot(creator, "petition-new")
    creator.find_element(By.ID, "petition-new-submit").click()
    expect_page(creator, "petition-created", "after starting the petition")
    assert text_of(creator, "#sent-to") == CREATOR_EMAIL
    assert text_of(creator, "#petition-action") == action
    assert find(creator, "#email-sent").is_displayed()
    petition_id = int(attr_of(creator, "#main", "data-petition-id"))
    assert public_status(server, petition_id) == 404, "a pending petition is public"

    # 2. The creator confirms through the email: opening the link confirms nothing, the button does.
    mail = sink.wait_for(CREATOR_EMAIL)
    check_mail(mail, CREATOR_EMAIL)
    assert action in mail.subject + mail.body, f"the creator's email does not name the petition:\n{mail.body}"
    url, path = mail.confirm_link()
    assert re.fullmatch(r"/confirm/[A-Za-z0-9_-]+", path), path
    assert url.startswith(server.base_url + "/"), f"the emailed link {url} is not on the server {server.base_url}"
    creator.get(url)
    expect_page(creator, "confirm", "the creator's emailed link")
    assert find(creator, "#confirm-button").is_displayed()
    assert public_status(server, petition_id) == 404, "opening the link (GET) published or confirmed the petition"
    creator.get(url)  # opened twice, as a mail scanner and then the person would: still not used up
    expect_page(creator, "confirm", "the creator's emailed link, opened again")
    screenshot(creator, "confirm")
    creator.find_element(By.ID, "confirm-button").click()
    expect_page(creator, "confirmed-creator", "after pressing the creator's confirm button")
    assert attr_of(creator, "#main", "data-petition-id") == str(petition_id)
    assert attr_of(creator, "#main", "data-state") == "validated"
    assert find(creator, "#already-sponsored") is None
    assert text_of(creator, "#supporters-required") == str(SUPPORTERS_REQUIRED)
    support_input = find(creator, "#support-url")
    assert support_input is not None and support_input.get_attribute("readonly") is not None
    support_url = support_input.get_attribute("value")
    assert re.fullmatch(re.escape(server.base_url) + rf"/petitions/{petition_id}/support/[A-Za-z0-9_-]+", support_url), \
        f"#support-url: {support_url!r}"
    wait(creator, lambda d: find(d, "#copy-support-url").is_displayed(), "the copy button is hidden with JavaScript on")
    screenshot(creator, "confirmed-creator")
    assert public_status(server, petition_id) == 404, "a validated petition is public"

    # 3. Two supporters sign through the supporter link and confirm through their emails.
    supporters = [("Sam Supporter", f"sam-{tag}@example.org"), ("Sky Supporter", f"sky-{tag}@example.net")]
    for number, (name, address) in enumerate(supporters, start=1):
        driver = browsers.open(f"supporter-{number}")
        driver.get(support_url)
        expect_page(driver, "support", f"supporter {number} opening the supporter link")
        assert attr_of(driver, "#main", "data-petition-id") == str(petition_id)
        assert action in driver.find_element(By.TAG_NAME, "h1").text
        assert creator_name in (text_of(driver, "#creator-line") or ""), "the support page does not name the creator"
        type_into(driver, "#support-name", name)
        type_into(driver, "#support-email", address)
        type_into(driver, "#support-postcode", "SW1A 1AA")
        if number == 1:
            screenshot(driver, "support")
        driver.find_element(By.ID, "support-submit").click()
        expect_page(driver, "supported", f"supporter {number} after signing")
        assert text_of(driver, "#sent-to") == address
        assert text_of(driver, "#petition-action") == action

        confirm_through_email(driver, server, sink, address)
        expect_page(driver, "confirmed-supporter", f"supporter {number} after confirming")
        assert attr_of(driver, "#main", "data-petition-id") == str(petition_id)
        if number < SUPPORTERS_REQUIRED:
            assert find(driver, "#petition-gathering") is not None and find(driver, "#petition-sponsored") is None, \
                f"after {number} of {SUPPORTERS_REQUIRED} supporters: {text_of(driver, '#main')!r}"
            assert attr_of(driver, "#main", "data-state") == "validated"
        else:
            assert find(driver, "#petition-sponsored") is not None and find(driver, "#petition-gathering") is None, \
                f"after {number} of {SUPPORTERS_REQUIRED} supporters the petition is not sponsored: {text_of(driver, '#main')!r}"
            assert attr_of(driver, "#main", "data-state") == "sponsored"
        assert public_status(server, petition_id) == 404, f"public after {number} supporter(s), before moderation"

    # 4. The moderator publishes it.
    moderator = browsers.open("moderator")
    log_in(moderator, server, MODERATOR.role)
    moderator.find_element(By.ID, "staff-petitions-link").click()
    expect_page(moderator, "staff-petitions", "the moderator following #staff-petitions-link")
    item_css = f"#petition-queue > li.petition-item#petition-{petition_id}"
    wait(moderator, lambda d: find(d, item_css), f"petition {petition_id} is not in #petition-queue", PAGE_TIMEOUT_S)
    assert attr_of(moderator, item_css, "data-state") == "sponsored"
    assert text_of(moderator, f"#petition-{petition_id}-title") == action
    publish = moderator.find_element(By.CSS_SELECTOR, f"{item_css} button[data-action='publish']")
    wait(moderator, lambda d: publish.is_displayed() and publish.is_enabled(), "the publish button is not usable")
    flag = find(moderator, f"{item_css} button[data-action='flag']")
    assert flag is not None and flag.is_displayed(), "a sponsored petition offers no flag button"
    screenshot(moderator, "staff-petitions")
    publish.click()
    wait(moderator, lambda d: find(d, item_css) is None, "the published petition stayed in the queue")
    assert text_of(moderator, "#petitions-alert") == "", f"alert: {text_of(moderator, '#petitions-alert')!r}"

    published = public_petition(server, petition_id)
    attributes = published["attributes"]
    assert attributes["state"] == "open", attributes
    assert attributes["signature_count"] == 1 + SUPPORTERS_REQUIRED, attributes
    assert attributes["action"] == action, attributes
    for private in (CREATOR_EMAIL, supporters[0][1], supporters[1][1]):
        assert private not in str(published), f"{private} appears in the public JSON"

    # 5. A watcher keeps the public page open; a signer signs there and confirms through the email.
    page = f"/petitions/{petition_id}"

    def open_petition(name: str):
        driver = browsers.open(name)
        driver.get(server.url(page))
        assert attr_of(driver, "#main", "data-petition-id") == str(petition_id), f"{page} did not load for {name}"
        wait(driver, lambda d: attr_of(d, "#live-status", "data-state") == "live",
             f"#live-status of the {name}'s petition page never went live", LIVE_TIMEOUT_S)
        return driver

    def count_of(driver) -> int:
        return int(attr_of(driver, "#signature-count", "value"))

    watcher = open_petition("watcher")
    watcher_marker = mark_page(watcher)
    assert count_of(watcher) == 3 and text_of(watcher, "#signature-count") == "3"
    assert text_of(watcher, "#petition-state") and "open" in (attr_of(watcher, "#petition-state", "class") or "")

    signer = open_petition("signer")
    signer_marker = mark_page(signer)
    signer_name, signer_email = "Sid Signer", f"sid-{tag}@example.org"
    for field_name, value in (("name", signer_name), ("email", signer_email), ("postcode", "SW1A 0AA")):
        type_into(signer, f"#sign-form [name='{field_name}']", value)
    screenshot(signer, "petition-open")
    signer.find_element(By.CSS_SELECTOR, "#sign-form button[type='submit']").click()
    wait(signer, lambda d: text_of(d, "#sign-result"), "no answer in #sign-result after signing")
    assert attr_of(signer, "#sign-result", "data-outcome") == "pending_confirmation", \
        f"#sign-result: {attr_of(signer, '#sign-result', 'class')!r} {text_of(signer, '#sign-result')!r}"
    result_text = text_of(signer, "#sign-result")
    assert "Check your email" in result_text and signer_email in result_text, result_text
    assert "has been added" not in result_text, f"a pending signature is reported as added: {result_text!r}"
    assert_not_reloaded(signer, signer_marker)
    screenshot(signer, "petition-signed-pending")
    assert public_petition(server, petition_id)["attributes"]["signature_count"] == 3, "counted before confirmation"
    assert count_of(watcher) == 3 and count_of(signer) == 3

    confirm_through_email(signer, server, sink, signer_email)
    # The signature's confirmation answers the "signed" page (templates/signed.mustache: #signed-panel, the count).
    wait(signer, lambda d: find(d, "#signed-panel"), f"pressing the signer's confirm button did not show #signed-panel "
                                                     f"(at {signer.current_url}, title {signer.title!r})", PAGE_TIMEOUT_S)
    assert attr_of(signer, "#main", "data-petition-id") == str(petition_id)
    assert attr_of(signer, "#signature-count", "value") == "4", text_of(signer, "#main")
    screenshot(signer, "signature-confirmed")

    wait(watcher, lambda d: count_of(d) == 4, f"the watcher's count did not move from 3 to 4 live "
                                              f"(shows {text_of(watcher, '#signature-count')!r})", UPDATE_TIMEOUT_S)
    assert text_of(watcher, "#signature-count") == "4"
    assert_not_reloaded(watcher, watcher_marker)
    assert public_petition(server, petition_id)["attributes"]["signature_count"] == 4

    # 6. No CSP violations or errors in any console.
    for name, driver in browsers.items():
        csp, severe = console_problems(driver)
        assert not csp, f"CSP violations in the {name}'s session:\n" + "\n".join(csp)
        assert not severe, f"console errors in the {name}'s session:\n" + "\n".join(severe)
