"""Schemathesis hooks of the contract run (loaded through SCHEMATHESIS_HOOKS by test_schemathesis.py).

- `nothing_changed_when_refused`: a request the server refuses (4xx) changes nothing: every table of the server's
  database (read-only, beside the running server) and the public lists (`/api/v1/sittings`, `/petitions.json`) are
  the same after it as before it. The snapshot before each call is taken in `before_call`.
- Every call is counted (and each refused one that was checked), for the report.

Environment: HEMICYCLE_CONTRACT_DB (the SQLite file), HEMICYCLE_CONTRACT_BASE (http://127.0.0.1:PORT),
HEMICYCLE_CONTRACT_COUNTS (a JSON file written at exit).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import sqlite3
import urllib.request

import schemathesis

DB = os.environ["HEMICYCLE_CONTRACT_DB"]
BASE = os.environ["HEMICYCLE_CONTRACT_BASE"]
COUNTS_FILE = os.environ["HEMICYCLE_CONTRACT_COUNTS"]

# What a refused request may change: a staff session's last use, and the audit entry of a failed login (recording it
# is the point, `WHERE` below). Everything else must stay as it was.
SKIPPED_TABLES = {"staff_sessions"}
# Tables the server changes in the background after a request that was taken: the outbox's rows are sent (and their
# recipient erased) by the mailer a moment after the petition or signature that queued them. A refused request must
# not add a row, so their rows are counted.
COUNTED_TABLES = {"outbox"}
counts = {"calls": 0, "refused_checked": 0, "by_status": {}}
_before: dict[int, tuple] = {}


def _tables(connection) -> list[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    return [name for (name,) in rows if name not in SKIPPED_TABLES and not name.startswith("sqlite_")]


def _database_fingerprint() -> dict[str, str]:
    connection = sqlite3.connect(f"file:{DB}?mode=ro", uri=True, timeout=30)
    try:
        connection.execute("PRAGMA busy_timeout=30000")
        out = {}
        for table in _tables(connection):
            if table in COUNTED_TABLES:
                out[table] = str(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                continue
            where = " WHERE action != 'login_failed'" if table == "audit_log" else ""
            digest = hashlib.sha256()
            # Sorted here: some tables are WITHOUT ROWID.
            for row in sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"{where}')):
                digest.update(row.encode())
            out[table] = digest.hexdigest()
        return out
    finally:
        connection.close()


def _public(path: str):
    with urllib.request.urlopen(BASE + path, timeout=30) as response:
        return json.loads(response.read())


def snapshot() -> tuple:
    return (_database_fingerprint(), _public("/api/v1/sittings"), _public("/petitions.json?state=all&count=50"))


@schemathesis.hook
def before_call(context, case, kwargs):
    _before[id(case)] = snapshot()


@schemathesis.hook
def after_call(context, case, response):
    counts["calls"] += 1
    key = str(response.status_code)
    counts["by_status"][key] = counts["by_status"].get(key, 0) + 1


@schemathesis.check
def nothing_changed_when_refused(ctx, response, case):
    before = _before.pop(id(case), None)
    if before is None or not 400 <= response.status_code < 500:
        return None
    after = snapshot()
    counts["refused_checked"] += 1
    if after != before:
        changed = sorted(t for t in set(before[0]) | set(after[0]) if before[0].get(t) != after[0].get(t))
        if before[1] != after[1]:
            changed.append("GET /api/v1/sittings")
        if before[2] != after[2]:
            changed.append("GET /petitions.json")
        raise AssertionError(f"A refused request ({response.status_code}) changed: {', '.join(changed)}")
    return None


@atexit.register
def _write_counts():
    with open(COUNTS_FILE, "w") as f:
        json.dump(counts, f)
