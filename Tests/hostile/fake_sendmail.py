#!/usr/bin/env python3
"""A sendmail stand-in for the hostile-client suite: writes each message it is handed to a folder, never sends it.

Usage (as `--sendmail`):  python3 Tests/hostile/fake_sendmail.py FOLDER [sendmail arguments...]
Each message becomes FOLDER/NNNN.json: {"argv": [...the arguments after FOLDER...], "message": "...stdin...",
"started_ns": when this process started}.

While FOLDER/.gate exists, each call first writes FOLDER/.waiting-PID and waits (at most 120 s) for the gate to go:
a test holds the server's mailer on one message that way while it queues others.
"""
import json
import os
import sys
import time

started_ns = time.time_ns()
folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
gate = os.path.join(folder, ".gate")
if os.path.exists(gate):
    with open(os.path.join(folder, f".waiting-{os.getpid()}"), "w"):
        pass
    deadline = time.monotonic() + 120
    while os.path.exists(gate) and time.monotonic() < deadline:
        time.sleep(0.02)
message = sys.stdin.buffer.read().decode("utf-8", errors="replace")
name = os.path.join(folder, f"{time.time_ns()}-{os.getpid()}.json")
with open(name + ".tmp", "w") as out:
    json.dump({"argv": sys.argv[2:], "message": message, "started_ns": started_ns}, out)
os.rename(name + ".tmp", name)
