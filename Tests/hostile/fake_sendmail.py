#!/usr/bin/env python3
"""A sendmail stand-in for the hostile-client suite: writes each message it is handed to a folder, never sends it.

Usage (as `--sendmail`):  python3 Tests/hostile/fake_sendmail.py FOLDER [sendmail arguments...]
Each message becomes FOLDER/NNNN.json: {"argv": [...the arguments after FOLDER...], "message": "...stdin..."}.
"""
import json
import os
import sys
import time

folder = sys.argv[1]
message = sys.stdin.buffer.read().decode("utf-8", errors="replace")
os.makedirs(folder, exist_ok=True)
name = os.path.join(folder, f"{time.time_ns()}-{os.getpid()}.json")
with open(name + ".tmp", "w") as out:
    json.dump({"argv": sys.argv[2:], "message": message}, out)
os.rename(name + ".tmp", name)
