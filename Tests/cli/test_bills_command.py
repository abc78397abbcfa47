"""`hemicycle bills import` and `publish` against the real binary (Protocol/LEGISLATION.md §9, README "Draft
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
