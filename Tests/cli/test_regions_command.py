"""The command line of the regions and signing-integrity settings, against the real binary.

`hemicycle regions import` must check every file before it changes anything, name the file and line of a problem,
and, when the files are good, replace the areas so that the server's open data names them. `serve` must refuse
malformed --sign-rate-limit, --trusted-proxy and --home-country values with a clear message.

Run from the repository root after `swift build` (HEMICYCLE_BIN defaults to .build/debug/hemicycle).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "Protocol" / "examples" / "regions"
sys.path.insert(0, str(REPO_ROOT / "Tests" / "browser"))
from conftest import _free_port, _server_binary, start_server  # noqa: E402


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(_server_binary()), *args], cwd=REPO_ROOT, input=stdin, capture_output=True, text=True, timeout=120)


def copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "regions"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_a_bad_file_is_refused_with_its_line_and_nothing_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = copy_sample(tmp_path)
    good = run("regions", "import", "--data-dir", str(data), "--from", str(folder))
    assert good.returncode == 0, good.stderr
    assert "Imported" in good.stdout and "6 constituencies" in good.stdout

    (folder / "postcodes.csv").write_text("postcode,constituency\nSW1A 1AA,E14001172\nAB1 2CD,NOWHERE\n")
    bad = run("regions", "import", "--data-dir", str(data), "--from", str(folder))
    assert bad.returncode != 0
    assert "Nothing was imported" in bad.stderr
    assert "postcodes, line 3" in bad.stderr and "NOWHERE" in bad.stderr, bad.stderr

    missing = run("regions", "import", "--data-dir", str(data))
    assert missing.returncode != 0 and "--from" in missing.stderr


def test_imported_names_reach_the_open_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = copy_sample(tmp_path)
    (folder / "regions.csv").write_text("code,name\nE15000007,Greater London\nE15000008,South East\nS15000001,Scotland\nW15000001,Wales\n")
    imported = run("regions", "import", "--data-dir", str(data), "--from", str(folder))
    assert imported.returncode == 0, imported.stderr
    port = _free_port()
    server = start_server(port, data, tmp_path / "server.log", extra_args=("--bcrypt-cost", "4"))
    try:
        body = json.dumps({"name": "Ada", "email": "ada@example.org", "postcode": "wc1e 6bt"}).encode()
        request = urllib.request.Request(server.url("/api/v1/petitions/1/signatures"), data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 201
        with urllib.request.urlopen(server.url("/petitions/1.json"), timeout=10) as answer:
            attributes = json.load(answer)["data"]["attributes"]
        assert attributes["signatures_by_region"] == [{"name": "Greater London", "ons_code": "E15000007", "signature_count": 1}], \
            "the parliament's import, not the demo sample, names the regions"
        assert attributes["signatures_by_constituency"][0]["name"] == "Holborn and St Pancras"
        assert attributes["signatures_by_country"] == [{"name": "United Kingdom", "code": "GB", "signature_count": 1}]
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)


@pytest.mark.parametrize("flag,value,message", [
    ("--sign-rate-limit", "5", "N/SECONDS"),
    ("--sign-rate-limit", "0/60", "N/SECONDS"),
    ("--trusted-proxy", "10.0.0.0/40", "CIDR"),
    ("--home-country", "GBR", "two-letter"),
    ("--metrics-allow", "10.0.0.0/40", "CIDR"),
    ("--allowed-hosts", "evil host", "--allowed-hosts"),
    ("--request-head-timeout-s", "0", "at least 1"),
    ("--max-connections-per-address", "0", "at least 1"),
    ("--max-concurrent-logins", "0", "at least 1"),
])
def test_serve_refuses_malformed_settings(tmp_path: Path, flag: str, value: str, message: str) -> None:
    result = run("serve", "--data-dir", str(tmp_path / "data"), "--port", "0", flag, value)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serve_on_a_wildcard_address_needs_the_sites_name(tmp_path: Path, host: str) -> None:
    """Listening on every address says nothing about the site's name: links and the Host check need one."""
    result = run("serve", "--data-dir", str(tmp_path / "data"), "--port", "0", "--host", host)
    assert result.returncode != 0
    assert "--public-url" in result.stderr and "--allowed-hosts" in result.stderr, result.stderr
    assert not (tmp_path / "data").exists(), "refused before anything starts"
