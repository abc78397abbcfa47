#!/usr/bin/env python3
"""Stopgap until `hemicycle-load` exists (LoadTests issue): open N viewers on /live, subscribe each to a topic,
hold them, and report the connect rate and the server's RSS per connection.

    python3 LoadTests/informal/hold_viewers.py --port 8080 --viewers 10000 --server-pid PID [--sign 20] [--hold-s 30]

With --sign K it then posts K signatures (one every 200 ms) and reports how many viewers saw each new count
(delivered/expected) and the time from each 201 to the last viewer receiving it. Loopback only; one process
holds at most ~19,990 sockets here.
"""
import argparse, asyncio, base64, json, os, resource, time, urllib.request


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def frame(text):
    payload = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81, 0x80 | len(payload)]) if len(payload) < 126 else bytes([0x81, 0x80 | 126]) + len(payload).to_bytes(2, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def read_frame(reader):
    head = await reader.readexactly(2)
    n = head[1] & 0x7F
    if n == 126:
        n = int.from_bytes(await reader.readexactly(2), "big")
    elif n == 127:
        n = int.from_bytes(await reader.readexactly(8), "big")
    return head[0] & 0x0F, await reader.readexactly(n)


class Viewer:
    def __init__(self):
        self.last_count = None
        self.seen = {}

    async def run(self, host, port, topic, ready):
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(f"GET /live HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        await reader.readuntil(b"\r\n\r\n")
        writer.write(frame(json.dumps({"type": "subscribe", "topics": [topic]})))
        while True:
            op, payload = await read_frame(reader)
            if op != 1:
                continue
            msg = json.loads(payload)
            if msg["type"] == "subscribed":
                ready.set_result(True)
            elif msg["type"] == "event" and msg.get("event") == "count":
                c = msg["data"]["signature_count"]
                self.last_count = c
                self.seen.setdefault(c, time.monotonic())
            elif msg["type"] == "snapshot":
                self.last_count = msg["data"].get("signature_count")


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--viewers", type=int, default=1000)
    p.add_argument("--topic", default="petition:1")
    p.add_argument("--server-pid", type=int)
    p.add_argument("--sign", type=int, default=0)
    p.add_argument("--hold-s", type=float, default=0, help="keep the viewers connected this long after reporting")
    a = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    before = rss_kib(a.server_pid) if a.server_pid else 0
    viewers, tasks, readies = [], [], []
    start = time.monotonic()
    for i in range(a.viewers):
        v = Viewer()
        ready = asyncio.get_running_loop().create_future()
        viewers.append(v)
        readies.append(ready)
        tasks.append(asyncio.create_task(v.run(a.host, a.port, a.topic, ready)))
        if i % 200 == 199:
            await asyncio.sleep(0)
    await asyncio.wait_for(asyncio.gather(*readies), timeout=300)
    took = time.monotonic() - start
    await asyncio.sleep(2)
    after = rss_kib(a.server_pid) if a.server_pid else 0
    result = {"viewers": a.viewers, "connect_and_subscribe_s": round(took, 2), "connects_per_s": round(a.viewers / took)}
    if a.server_pid:
        result.update({"server_rss_before_kib": before, "server_rss_after_kib": after,
                       "rss_per_viewer_kib": round((after - before) / a.viewers, 2)})
    if a.sign:
        lags, delivered = [], 0
        for i in range(a.sign):
            body = json.dumps({"name": "Hold", "email": f"hold-{time.time_ns()}@example.org"}).encode()
            req = urllib.request.Request(f"http://{a.host}:{a.port}/api/v1/petitions/1/signatures", data=body,
                                         headers={"Content-Type": "application/json"})
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, lambda: urllib.request.urlopen(req).read())
            acked = time.monotonic()
            count = json.loads(urllib.request.urlopen(f"http://{a.host}:{a.port}/petitions/1/count.json").read())["signature_count"]
            await asyncio.sleep(0.2)
            got = [v.seen[c] for v in viewers for c in v.seen if c >= count]
            reached = sum(1 for v in viewers if any(c >= count for c in v.seen))
            delivered += reached
            if got:
                lags.append(max(min(v.seen[c] for c in v.seen if c >= count) for v in viewers if any(c >= count for c in v.seen)) - acked)
        lags.sort()
        result.update({"signatures": a.sign, "delivered_over_expected": f"{delivered}/{a.sign * a.viewers}",
                       "ack_to_last_viewer_ms_p50": round(lags[len(lags) // 2] * 1000, 1) if lags else None,
                       "ack_to_last_viewer_ms_max": round(lags[-1] * 1000, 1) if lags else None})
    print(json.dumps(result, indent=2), flush=True)
    if a.hold_s:
        await asyncio.sleep(a.hold_s)
        counts = [v.last_count for v in viewers]
        print(json.dumps({"last_count_seen_min": min(c or 0 for c in counts), "last_count_seen_max": max(c or 0 for c in counts)}), flush=True)
    for t in tasks:
        t.cancel()


asyncio.run(main())
