"""`--database` and `hemicycle migrate` against the real binary: SQLite by default, PostgreSQL by URL.

A malformed URL is a clear startup error for every command; `migrate` applies the schema on its own; `serve`, `staff`
and `regions` run on PostgreSQL; both stores refuse a database whose schema is newer than the binary knows, before
changing anything. The PostgreSQL cases start a throwaway cluster (Tests/browser/pg_cluster.py) and are skipped with
the reason when PostgreSQL is absent (a failure with HEMICYCLE_REQUIRE_POSTGRES=1, as in CI).

Run from the repository root after `swift build` (HEMICYCLE_BIN defaults to .build/debug/hemicycle).
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# The newest version among every migration the PostgreSQL module declares (some live beside the feature they serve,
# e.g. PostgresBillSchema.swift), so a new migration needs no edit here.
POSTGRES_MIGRATIONS = max(int(v) for source in sorted((REPO_ROOT / "Sources/HemicyclePostgres").glob("*.swift"))
                          for v in re.findall(r"version: (\d+), name:", source.read_text()))
sys.path.insert(0, str(REPO_ROOT / "Tests" / "browser"))
from conftest import ARTIFACTS, _free_port, _server_binary, _stop, start_server  # noqa: E402
from pg_cluster import postgres_or_skip  # noqa: E402


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(_server_binary()), *args], cwd=REPO_ROOT, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def cluster():
    c = postgres_or_skip()
    try:
        yield c
    finally:
        c.stop()


@pytest.mark.parametrize("url, says", [
    ("bogus://x", "--database must be sqlite:PATH or postgres://"),
    ("postgres://db.example/hemicycle", "names no user"),
    ("postgres://u:secret-pw@db.example/", "names no database"),
    ("postgres://u:secret-pw@db.example/d?sslmode=maybe", "sslmode must be one of"),
])
@pytest.mark.parametrize("command", [("migrate",), ("serve", "--port", "0"), ("regions", "import", "--from", "/nonexistent"),
                                     ("staff", "update", "--email", "a@example.org", "--role", "admin")])
def test_a_malformed_url_is_a_clear_startup_error(tmp_path: Path, command, url: str, says: str) -> None:
    result = run(*command, "--data-dir", str(tmp_path), "--database", url)
    assert result.returncode != 0
    assert says in result.stderr, result.stderr
    assert "secret-pw" not in result.stderr + result.stdout, "the password is never repeated"
    assert not (tmp_path / "hemicycle.sqlite").exists(), "nothing was opened"


def test_sqlite_urls_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "parliament.sqlite"
    result = run("migrate", "--database", f"sqlite:{path}")
    assert result.returncode == 0, result.stderr
    versions = sqlite3.connect(path).execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    assert versions >= 10


def test_a_newer_sqlite_schema_is_refused_by_serve_and_migrate(tmp_path: Path) -> None:
    assert run("migrate", "--data-dir", str(tmp_path)).returncode == 0
    db = sqlite3.connect(tmp_path / "hemicycle.sqlite")
    db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)")
    db.commit()
    db.close()
    for command in (("migrate",), ("serve", "--port", "0")):
        result = run(*command, "--data-dir", str(tmp_path))
        assert result.returncode != 0
        assert "schema version 999, newer than this server knows" in result.stderr, result.stderr


def test_postgres_migrate_then_staff_regions_and_serve(tmp_path: Path, cluster) -> None:
    url = cluster.new_database()
    database = url.split("/")[-1].split("?")[0]
    migrated = run("migrate", "--database", url)
    assert migrated.returncode == 0, migrated.stderr
    assert "latest schema version" in migrated.stdout
    latest = cluster.psql(database, "SELECT max(version) FROM schema_migrations").strip()
    assert latest == str(POSTGRES_MIGRATIONS), latest
    again = run("migrate", "--database", url)
    assert again.returncode == 0, again.stderr
    assert cluster.psql(database, "SELECT count(*) FROM schema_migrations").strip() == str(POSTGRES_MIGRATIONS), "applied once"

    added = run("staff", "add", "--database", url, "--email", "mo@example.org", "--name", "Mo", "--role", "moderator",
                "--bcrypt-cost", "4", stdin="a long enough password\n")
    assert added.returncode == 0, added.stderr
    assert cluster.psql(database, "SELECT email, role FROM staff").strip() == "mo@example.org|moderator"
    imported = run("regions", "import", "--database", url, "--from", str(REPO_ROOT / "Protocol" / "examples" / "regions"))
    assert imported.returncode == 0, imported.stderr
    assert int(cluster.psql(database, "SELECT count(*) FROM constituencies").strip()) == 6

    port = _free_port()
    srv = start_server(port, tmp_path / "unused", ARTIFACTS / "server-postgres-cli.log", extra_args=("--database", url))
    try:
        petition = json.load(urllib.request.urlopen(srv.url("/petitions/1.json"), timeout=10))
        assert petition["data"]["id"] == 1
        request = urllib.request.Request(srv.url("/api/v1/petitions/1/signatures"), method="POST",
                                         data=json.dumps({"name": "Ada Lovelace", "email": "ada@example.org"}).encode(),
                                         headers={"Content-Type": "application/json", "Origin": srv.base_url})
        answer = json.load(urllib.request.urlopen(request, timeout=10))
        assert answer["signature_count"] == 1
        assert cluster.psql(database, "SELECT signature_count FROM petitions WHERE id = 1").strip() == "1"
        assert cluster.psql(database, "SELECT count(*) FROM signatures WHERE state = 'counted'").strip() == "1"
    finally:
        _stop(srv.process)
        srv._log_file.close()
    assert not (tmp_path / "unused" / "hemicycle.sqlite").exists(), "the SQLite file was never opened"


def test_a_newer_postgres_schema_is_refused_by_serve_and_migrate(cluster) -> None:
    url = cluster.new_database()
    database = url.split("/")[-1].split("?")[0]
    assert run("migrate", "--database", url).returncode == 0
    cluster.psql(database, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)")
    for command in (("migrate",), ("serve", "--port", "0")):
        result = run(*command, "--database", url)
        assert result.returncode != 0
        assert "schema version 999, newer than this server knows" in result.stderr, result.stderr
