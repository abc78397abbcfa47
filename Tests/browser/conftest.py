"""Shared fixtures of the browser tests: the real server, started once per session, and headless Chromium.

Run from the repository root, after `swift build`:

    pytest Tests/browser            # HEMICYCLE_BIN defaults to .build/debug/hemicycle

Environment:
    HEMICYCLE_BIN   the server binary (relative paths are taken from the repository root)
    CHROMIUM_BIN    default /usr/bin/chromium
    CHROMEDRIVER    default /usr/bin/chromedriver
Artifacts (screenshots, the server log) go to test-artifacts/ at the repository root (gitignored).

Fixtures: `server` (session; the demo data, no staff), `staff_server` (module; its own data dir, with the staff
accounts of STAFF_ACCOUNTS added through `hemicycle staff add`), `postgres_staff_server` (the same on a throwaway
PostgreSQL cluster, `--database postgres://…`; see pg_cluster.py), `browser` and `nojs_browser` (module; one Chromium
each), `browsers` (function; any number of separate Chromium sessions, each with its own cookies, by name).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
STARTUP_TIMEOUT_S = 60
LOG_TAIL_LINES = 200


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_binary() -> Path:
    configured = os.environ.get("HEMICYCLE_BIN", ".build/debug/hemicycle")
    path = Path(configured)
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"The Hemicycle server binary was not found or is not executable: {path}\n"
            f"Build it with `swift build` (from {REPO_ROOT}), or set HEMICYCLE_BIN to its path. "
            "The browser tests need the real server and do not skip.",
            pytrace=False,
        )
    return path


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log_path: Path
    data_dir: Path
    _log_file: object = field(repr=False, default=None)
    staff: dict = field(default_factory=dict)  # role -> StaffAccount, for servers started with staff

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(could not read {self.log_path}: {error})"
        tail = text.splitlines()[-lines:]
        return "\n".join(tail) if tail else "(empty)"


def start_server(port: int, data_dir: Path, log_path: Path, *, append: bool = False,
                 extra_args: tuple[str, ...] = ()) -> Server:
    """Starts `hemicycle serve` on 127.0.0.1:port with data_dir, its output into log_path, and waits for /health.

    With append=True the log is added to (a second run of the same server keeps the first run's log).
    extra_args are added to the command line (e.g. ("--bcrypt-cost", "4")).
    The caller stops it (_stop(srv.process)) and closes srv._log_file.
    """
    binary = _server_binary()
    ARTIFACTS.mkdir(exist_ok=True)
    log_file = open(log_path, "a" if append else "w", buffering=1)
    command = [str(binary), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir),
               *extra_args]
    log_file.write(f"$ {' '.join(command)}\n")
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    srv = Server(f"http://127.0.0.1:{port}", process, log_path, data_dir, log_file)
    try:
        _wait_until_healthy(srv)
    except BaseException:
        _stop(process)
        log_file.close()
        raise
    return srv


@pytest.fixture(scope="session")
def server():
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="hemicycle-browser-"))
    try:
        srv = start_server(port, data_dir, ARTIFACTS / "server.log")
        try:
            yield srv
        finally:
            _stop(srv.process)
            srv._log_file.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


# ---------- a server with staff accounts ----------

STAFF_COMMAND_TIMEOUT_S = 60
TEST_BCRYPT_COST = "4"  # the lowest cost: logins stay fast on a debug build


@dataclass(frozen=True)
class StaffAccount:
    role: str
    email: str
    name: str
    password: str  # at least 12 characters
    sittings: tuple[int, ...] = ()
    bills: tuple[int, ...] = ()


# Sitting 1 is the demo sitting the server seeds on an empty database.
STAFF_ACCOUNTS = (
    StaffAccount("moderator", "mod@example.org", "Mo Derator", "moderator-password-1", (1,)),
    StaffAccount("chair", "chair@example.org", "Cha Irwoman", "chair-password-0001", (1,)),
)


def add_staff(data_dir: Path, account: StaffAccount, database: str | None = None) -> None:
    """Creates a staff account with the real command line (`hemicycle staff add`), the password on stdin."""
    where = ["--database", database] if database else []
    command = [str(_server_binary()), "staff", "add", "--data-dir", str(data_dir), *where, "--email", account.email,
               "--name", account.name, "--role", account.role, "--bcrypt-cost", TEST_BCRYPT_COST]
    for sitting in account.sittings:
        command += ["--sitting", str(sitting)]
    for bill in account.bills:
        command += ["--bill", str(bill)]
    result = subprocess.run(command, cwd=REPO_ROOT, input=account.password + "\n", capture_output=True, text=True,
                            timeout=STAFF_COMMAND_TIMEOUT_S)
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(command)}` exited with {result.returncode}:\n{result.stdout}{result.stderr}",
                    pytrace=False)


def publish_bill_version(data_dir: Path, bill: int, file: Path, database: str | None = None) -> str:
    """Publishes `file` as the next version of `bill` with the real command line, as a clerk does
    (`hemicycle bills import --bill N --file F --publish --accept-uncertain`); its output."""
    where = ["--database", database] if database else []
    command = [str(_server_binary()), "bills", "import", "--data-dir", str(data_dir), *where, "--bill", str(bill), "--file", str(file),
               "--publish", "--accept-uncertain"]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=STAFF_COMMAND_TIMEOUT_S)
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(command)}` exited with {result.returncode}:\n{result.stdout}{result.stderr}", pytrace=False)
    return result.stdout


@contextlib.contextmanager
def server_with_staff(name: str, accounts, extra_args: tuple[str, ...] = (), database: str | None = None):
    """A server of its own (fresh data dir, log test-artifacts/server-NAME.log) with `accounts` added; on the
    database of the `--database` URL `database` when given (PostgreSQL), else on SQLite in the data dir.

    Order: the server starts first, so that it migrates the database and seeds the demo sitting (the accounts are
    assigned to it); the accounts are then added by a second process while it runs (SQLite in WAL mode; the server
    reads staff from the database at login). `srv.staff` maps each role to its StaffAccount.
    """
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix=f"hemicycle-{name}-"))
    try:
        where = ("--database", database) if database else ()
        srv = start_server(port, data_dir, ARTIFACTS / f"server-{name}.log",
                           extra_args=("--bcrypt-cost", TEST_BCRYPT_COST, *where, *extra_args))
        try:
            for account in accounts:
                add_staff(data_dir, account, database)
                srv.staff[account.role] = account
            yield srv
        finally:
            _stop(srv.process)
            srv._log_file.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def staff_server():
    """A server of its own with the STAFF_ACCOUNTS (see `server_with_staff`)."""
    with server_with_staff("staff", STAFF_ACCOUNTS) as srv:
        yield srv


@pytest.fixture(scope="module")
def postgres_staff_server():
    """`staff_server` on PostgreSQL: a throwaway cluster (pg_cluster.py) and `--database postgres://…`; skipped with
    the reason when PostgreSQL is absent (a failure with HEMICYCLE_REQUIRE_POSTGRES=1)."""
    from pg_cluster import postgres_or_skip

    cluster = postgres_or_skip()
    try:
        with server_with_staff("staff-postgres", STAFF_ACCOUNTS, database=cluster.new_database()) as srv:
            yield srv
    finally:
        cluster.stop()


def _wait_until_healthy(srv: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no attempt"
    while time.monotonic() < deadline:
        code = srv.process.poll()
        if code is not None:
            pytest.fail(
                f"The server exited with status {code} before answering /health.\n"
                f"--- server log ({srv.log_path}) ---\n{srv.log_tail()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(srv.url("/health"), timeout=2) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last_error = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            last_error = str(error)
        time.sleep(0.25)
    pytest.fail(
        f"GET /health did not answer 200 within {STARTUP_TIMEOUT_S} s (last: {last_error}).\n"
        f"--- server log ({srv.log_path}) ---\n{srv.log_tail()}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful: the server closes sockets with 1001
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# ---------- browsers ----------


def make_driver(*, javascript: bool = True, width: int = 1280, height: int = 1000, network_log: bool = False):
    """Headless Chromium. With network_log, the performance log records the network events (page_checks.py reads
    failed requests from it)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=en-GB"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", **({"performance": "ALL"} if network_log else {})})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser():
    driver = make_driver(javascript=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def nojs_browser():
    driver = make_driver(javascript=False)
    yield driver
    driver.quit()


class Browsers:
    """Separate browser sessions by name (each its own Chromium, so its own cookies), quit at the end of the test."""

    def __init__(self) -> None:
        self.drivers: dict[str, object] = {}

    def open(self, name: str, **options):
        assert name not in self.drivers, f"a browser named {name!r} is already open"
        self.drivers[name] = make_driver(**options)
        return self.drivers[name]

    def items(self):
        return list(self.drivers.items())

    def quit_all(self) -> None:
        for driver in self.drivers.values():
            try:
                driver.quit()
            except Exception:
                pass
        self.drivers.clear()


@pytest.fixture
def browsers():
    sessions = Browsers()
    yield sessions
    sessions.quit_all()


# ---------- on failure: the server log and a screenshot in the report ----------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed or report.when not in ("setup", "call"):
        return
    # The session server, and any other fixture that runs servers of its own (it exposes `log_tail` and `log_path`).
    for name, value in (item.funcargs.items() if hasattr(item, "funcargs") else ()):
        if isinstance(value, Server) or (callable(getattr(value, "log_tail", None)) and hasattr(value, "log_path")):
            report.sections.append((f"hemicycle server log of `{name}` (last {LOG_TAIL_LINES} lines of {value.log_path})",
                                    value.log_tail()))
    funcargs = item.funcargs if hasattr(item, "funcargs") else {}
    drivers = [(name, funcargs.get(name)) for name in ("browser", "nojs_browser")]
    if isinstance(funcargs.get("browsers"), Browsers):
        drivers += [(f"browsers-{name}", driver) for name, driver in funcargs["browsers"].items()]
    for name, driver in drivers:
        if driver is None:
            continue
        try:
            ARTIFACTS.mkdir(exist_ok=True)
            path = ARTIFACTS / f"FAILED-{re.sub(r'[^A-Za-z0-9_.-]+', '_', item.name)}-{name}.png"
            driver.save_screenshot(str(path))
            report.sections.append((f"{name} at failure", f"url: {driver.current_url}\nscreenshot: {path}"))
        except Exception as error:  # the browser may be the thing that failed
            report.sections.append((f"{name} at failure", f"(no screenshot: {error})"))
