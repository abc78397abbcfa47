"""`hemicycle bills import`, `publish` and `settings` against the real binary (Protocol/LEGISLATION.md §9, README "Draft
legislation"): a clerk sees a preview, a bad file is refused with its line and nothing is stored, a new version is
matched to the published one and carries the comments, and a running server shows what the command stored.

Run from the repository root after `swift build` (HEMICYCLE_BIN defaults to .build/debug/hemicycle).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT / "Protocol" / "examples" / "legislation"
sys.path.insert(0, str(REPO_ROOT / "Tests" / "browser"))
from conftest import _free_port, _server_binary, _stop, start_server  # noqa: E402
from test_regions_command import run  # noqa: E402
from pg_cluster import postgres_or_skip  # noqa: E402


def bill_rows(data: Path) -> tuple[int, int]:
    with sqlite3.connect(data / "hemicycle.sqlite") as db:
        return (db.execute("SELECT count(*) FROM bills").fetchone()[0], db.execute("SELECT count(*) FROM bill_versions").fetchone()[0])


def test_import_preview_publish_and_a_bad_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    migrated = run("migrate", "--data-dir", str(data))
    assert migrated.returncode == 0, migrated.stderr
    imported = run("bills", "import", "--data-dir", str(data), "--file", str(SAMPLES / "sample-bill.akn.xml"),
                   "--committee", "Energy and Commerce")
    assert imported.returncode == 0, imported.stderr
    assert "Title: SAFE BOTs Act" in imported.stdout and "61 provisions" in imported.stdout
    assert "Section 2 Requirements for chatbots used by minors [sec_2]" in imported.stdout, imported.stdout
    assert "draft stored" in imported.stdout and "Not published" in imported.stdout
    assert bill_rows(data) == (1, 1)

    bad = tmp_path / "bad.txt"
    bad.write_text("Title: Bad\nSection 1. One\n(a) First.\n(c) Third.\n")
    refused = run("bills", "import", "--data-dir", str(data), "--file", str(bad), "--format", "text")
    assert refused.returncode != 0
    assert "nothing was stored" in refused.stderr and "line 4" in refused.stderr and "import_numbering" in refused.stderr, refused.stderr
    assert bill_rows(data) == (1, 1), "a refused file stores nothing"

    published = run("bills", "publish", "--data-dir", str(data), "--bill", "1", "--days", "10")
    assert published.returncode == 0, published.stderr
    assert "version 1 published" in published.stdout
    again = run("bills", "publish", "--data-dir", str(data), "--bill", "1")
    assert again.returncode != 0 and "no draft" in again.stderr.lower(), again.stderr

    v2 = run("bills", "import", "--data-dir", str(data), "--file", str(SAMPLES / "sample-bill-v2.txt"), "--bill", "1")
    assert v2.returncode == 0, v2.stderr
    assert "version 2: draft stored" in v2.stdout
    assert "Matched to the published version" in v2.stdout and "deleted: sec_2__subsec_h" in v2.stdout, v2.stdout
    assert bill_rows(data) == (1, 2)
    unknown = run("bills", "import", "--data-dir", str(data), "--file", str(SAMPLES / "sample-bill.txt"), "--bill", "9")
    assert unknown.returncode != 0 and "no bill 9" in unknown.stderr.lower()


def test_a_running_server_shows_a_published_bill(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = _free_port()
    server = start_server(port, data, tmp_path / "server.log", extra_args=("--no-demo",))
    try:
        imported = run("bills", "import", "--data-dir", str(data), "--file", str(SAMPLES / "sample-bill.txt"), "--publish",
                       "--committee", "Energy and Commerce")
        assert imported.returncode == 0, imported.stderr
        assert "Published" in imported.stdout
        deadline = time.monotonic() + 45  # the server reads bills again every 30 s
        bills = []
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bills.json", timeout=10) as response:
                bills = json.loads(response.read())["bills"]
            if bills:
                break
            time.sleep(1)
        assert [b["title"] for b in bills] == ["SAFE BOTs Act"], bills
        assert bills[0]["committee"] == "Energy and Commerce"
    finally:
        _stop(server.process)
        server._log_file.close()


def settings_cases(where: tuple[str, ...], read_settings) -> None:
    """Runs the `bills settings` cases against the database `where` names; `read_settings()` reads bill 1's stored
    settings JSON and window straight from the database (not through the command)."""
    imported = run("bills", "import", *where, "--file", str(SAMPLES / "sample-bill.txt"), "--publish")
    assert imported.returncode == 0, imported.stderr
    shown = run("bills", "settings", "1", *where)
    assert shown.returncode == 0, shown.stderr
    assert "moderation: pre" in shown.stdout and "comments per minute: 3 per participant, 30 per address" in shown.stdout
    before = read_settings()

    changed = run("bills", "settings", "1", *where, "--moderation", "post", "--comments-per-minute", "600",
                  "--ip-comments-per-minute", "100000", "--ip-stances-per-second", "5000", "--max-comment-length", "2000",
                  "--allow-anonymous", "no", "--days", "90")
    assert changed.returncode == 0, changed.stderr
    assert "Changed." in changed.stdout and "comments per minute: 600 per participant, 100000 per address" in changed.stdout
    settings, closes = read_settings()
    assert settings["moderation"] == "post" and settings["comments_per_minute"] == 600
    assert settings["ip_comments_per_minute"] == 100000 and settings["ip_stances_per_second"] == 5000
    assert settings["max_comment_length"] == 2000 and settings["allow_anonymous"] is False
    assert settings["stances_per_second"] == 5, "a setting not named stays"
    assert closes > before[1], "the window of the published version moved"
    after_change = (settings, closes)

    for bad, says in [
        (("--comments-per-minute", "601"), "--comments-per-minute must be an integer from 1 to 600"),
        (("--max-comment-length", "5"), "--max-comment-length must be an integer from 20 to 10000"),
        (("--ip-stances-per-second", "0"), "--ip-stances-per-second must be an integer from 1 to 100000"),
        (("--moderation", "maybe"), "--moderation must be pre or post"),
        (("--allow-anonymous", "perhaps"), "--allow-anonymous must be yes or no"),
        (("--days", "0"), "--days must be between 1 and 3650"),
        (("--days", "3", "--close-now"), "not both"),
        (("--comments-per-minute", "lots"), "lots"),
        # A good value beside a bad one: nothing at all changes.
        (("--moderation", "pre", "--stances-per-second", "101"), "--stances-per-second must be an integer from 1 to 100"),
    ]:
        refused = run("bills", "settings", "1", *where, *bad)
        assert refused.returncode != 0, (bad, refused.stdout)
        assert says in refused.stderr, (bad, refused.stderr)
        assert read_settings() == after_change, f"{bad} changed nothing"
    unknown = run("bills", "settings", "9", *where, "--comments-per-minute", "10")
    assert unknown.returncode != 0 and "no bill 9" in unknown.stderr.lower()

    closed = run("bills", "settings", "1", *where, "--close-now")
    assert closed.returncode == 0, closed.stderr
    assert read_settings()[1] < after_change[1]


def test_settings_show_change_and_refuse_on_sqlite(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("migrate", "--data-dir", str(data)).returncode == 0

    def read_settings():
        with sqlite3.connect(data / "hemicycle.sqlite") as db:
            settings = db.execute("SELECT settings FROM bills WHERE id = 1").fetchone()[0]
            closes = db.execute("SELECT closes_at FROM bill_versions WHERE bill_id = 1 AND state = 'published'").fetchone()[0]
        return json.loads(settings), closes
    settings_cases(("--data-dir", str(data)), read_settings)


def test_settings_show_change_and_refuse_on_postgres() -> None:
    cluster = postgres_or_skip()
    try:
        url = cluster.new_database()
        database = url.split("/")[-1].split("?")[0]
        assert run("migrate", "--database", url).returncode == 0

        def read_settings():
            settings = cluster.psql(database, "SELECT settings FROM bills WHERE id = 1").strip()
            closes = cluster.psql(database, "SELECT closes_at FROM bill_versions WHERE bill_id = 1 AND state = 'published'").strip()
            return json.loads(settings), int(closes)
        settings_cases(("--database", url), read_settings)
    finally:
        cluster.stop()
