"""A real local SMTP server for the browser tests: every message it receives is written to a file in a folder.

Run with Debian's Python, which has Debian's python3-aiosmtpd (scripts/setup --test installs it):

    /usr/bin/python3 Tests/browser/smtp_sink.py --port PORT --dir DIR

It listens on 127.0.0.1:PORT, writes each message as DIR/NNNNNN.eml (first to a temporary name, then renamed, so a
reader never sees half a message), prints "ready" on standard output once it accepts connections, and stops on
SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = next(self.counter)
        header = (f"X-Envelope-From: {envelope.mail_from}\r\n"
                  f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        final = os.path.join(self.folder, f"{number:06d}.eml")
        partial = final + ".part"
        with open(partial, "wb") as file:
            file.write(header + content)
        os.replace(partial, final)
        return "250 Message accepted for delivery"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    options = parser.parse_args()
    os.makedirs(options.dir, exist_ok=True)

    controller = Controller(FolderHandler(options.dir), hostname=options.host, port=options.port)
    controller.start()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
