"""Fixtures of the contract tests (issue 17): a real server as the hostile suite starts one (default options, a
sendmail stand-in, the staff accounts of Tests/hostile), and the helpers to reach it.

Run on their own (`python3 -m pytest Tests/contract`): this conftest would shadow the browser and hostile suites'.
Environment: HEMICYCLE_BIN (default .build/debug/hemicycle).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

_spec = importlib.util.spec_from_file_location("hemicycle_hostile_conftest", HERE.parent / "hostile" / "conftest.py")
hostile = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = hostile
_spec.loader.exec_module(hostile)

hostile_server = hostile.hostile_server
HostileServer = hostile.HostileServer
Client = hostile.Client
pytest_runtest_makereport = hostile.pytest_runtest_makereport

# Shared with the hostile suite (one copy, in Tests/hostile/conftest.py).
origin = hostile.origin
wait_for_link = hostile.wait_for_link
open_petition = hostile.open_petition
# The clerk's command line that publishes a bill's next version (Tests/browser/conftest.py).
publish_bill_version = hostile.browser_support.publish_bill_version
