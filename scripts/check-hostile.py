#!/usr/bin/env python3
"""A stranger on the shop's network, against the release binary, on loopback only.

The box runs as systemd runs a service: with at most 1,024 open files (soft and hard here,
so it cannot raise them), a local certificate authority, the demo credential and a real
certificate. Then, one after the other, from 127.0.0.1:

1. one POST whose chunked body never ends;
2. 1,100 connections that never finish their headers;
3. 600 open status streams (from three addresses: one device holds at most 256
   connections);
4. 8 log downloads at once, read slowly, of a full 6 MiB log;
5. a flood of page loads, 64 at a time for a few seconds.

During and after each, the shop owner's phone (another loopback address, 127.0.0.2) asks
`GET /api/status`, which must answer within a second; the box's RSS must stay under
64 MiB; the certificate it serves and its settings file must not change. Prints a line of
figures for each, and exits 1 if any check failed.

    scripts/check-hostile.py [--binary target/release/iotbox] [--site target/site]
"""

import argparse
import hashlib
import json
import os
import re
import resource
import select
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHONE = "127.0.0.2"
PROBE_LIMIT = 1.0
RSS_LIMIT_MIB = 64
FILES = 1024


class Failed(Exception):
    pass


class Process:
    """A process of the binary; its output goes to `log`, and `wait_for` reads it."""

    def __init__(self, args, log, limit_files=False):
        self.lines, self.ready = [], threading.Condition()
        self.log = log

        def limits():
            if limit_files:
                resource.setrlimit(resource.RLIMIT_NOFILE, (FILES, FILES))

        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=open(f"{log}.err", "w"), text=True,
            env={"PATH": os.environ["PATH"]}, preexec_fn=limits, start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        with open(self.log, "w") as file:
            for line in self.process.stdout:
                file.write(line)
                file.flush()
                with self.ready:
                    self.lines.append(line)
                    self.ready.notify_all()

    def wait_for(self, text, seconds=30):
        deadline = time.monotonic() + seconds
        with self.ready:
            while True:
                found = [line for line in self.lines if text in line]
                if found:
                    return found[0]
                if self.process.poll() is not None:
                    raise Failed(f"stopped with {self.process.returncode} (see {self.log}.err)")
                if time.monotonic() > deadline:
                    raise Failed(f"no '{text}' after {seconds} s (see {self.log})")
                self.ready.wait(0.2)

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def port_after(line, scheme):
    return int(re.search(scheme + r"://[^\s/]+:(\d+)", line).group(1))


def connect(port, source="127.0.0.1", timeout=5.0):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))


def http_get(port, path, source=PHONE, timeout=5.0):
    """One GET on a new connection: (status, body)."""
    with connect(port, source, timeout) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return status, body


def dechunk(body):
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2:]
    return out


class Watch:
    """What the shop owner's phone saw, and the box's RSS, during one attack."""

    def __init__(self, box, port):
        self.box, self.port = box, port
        self.worst, self.failures, self.rss = 0.0, [], 0.0

    def probe(self):
        started = time.monotonic()
        try:
            status, body = http_get(self.port, "/api/status", timeout=5.0)
            took = time.monotonic() - started
            if status != 200 or not body.startswith(b"{"):
                self.failures.append(f"status answered {status}")
        except OSError as error:
            took = time.monotonic() - started
            self.failures.append(f"status failed: {error}")
        self.worst = max(self.worst, took)
        if took > PROBE_LIMIT:
            self.failures.append(f"status took {took:.2f} s")
        self.rss = max(self.rss, self.box.rss_mib())

    def verdict(self):
        if self.rss > RSS_LIMIT_MIB:
            self.failures.append(f"RSS {self.rss:.1f} MiB")
        return "ok" if not self.failures else "FAILED: " + "; ".join(sorted(set(self.failures)))


def served_fingerprint(port, ca_file):
    context = ssl.create_default_context(cafile=str(ca_file))
    context.check_hostname = False
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw) as tls:
            return hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest()


def endless_body(port, watch):
    """One POST whose chunked body never ends: what the box answers, after how many bytes."""
    conn = connect(port, timeout=10)
    conn.sendall(
        f"POST /api/credential/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    )
    chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
    sent, answer, deadline = 0, b"", time.monotonic() + 20
    while time.monotonic() < deadline and sent < 256 << 20:
        readable, writable, _ = select.select([conn], [conn], [], 1.0)
        if readable:
            answer = conn.recv(4096)
            break
        if writable:
            try:
                conn.sendall(chunk)
            except OSError:
                break
            sent += len(chunk)
            if sent % (1 << 20) == 0 and sent <= 4 << 20:
                watch.probe()
    conn.close()
    watch.probe()
    status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "none"
    return f"answered {status} after {sent / (1 << 20):.1f} MiB sent", status == "413"


def unfinished_headers(port, watch, count=1100):
    """`count` connections that send half a request and never finish it."""
    held = []
    for _ in range(count):
        try:
            conn = connect(port, timeout=2)
            conn.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ".encode())
            held.append(conn)
        except OSError:
            pass
    time.sleep(0.5)
    closed_at_once = sum(1 for conn in held if closed(conn, True))
    watch.probe()
    started = time.monotonic()
    # The box must close them by itself, within its header deadline (10 s) and a margin.
    while time.monotonic() - started < 20:
        watch.probe()
        if all(closed(conn, True) for conn in held):
            break
        time.sleep(1)
    open_after = sum(1 for conn in held if not closed(conn, True))
    took = time.monotonic() - started
    for conn in held:
        conn.close()
    watch.probe()
    return (
        f"{len(held)} opened, {closed_at_once} closed at once (over the caps), "
        f"{open_after} still open after {took:.0f} s",
        open_after == 0,
    )


def closed(conn, answered_is_closed=False):
    """Whether the box closed `conn` (a read ready with nothing, or a reset); with
    `answered_is_closed`, also whether it answered (a half request answered is done)."""
    # poll, not select: these sockets' numbers pass select's 1,024.
    poller = select.poll()
    poller.register(conn, select.POLLIN | select.POLLHUP | select.POLLERR)
    if not poller.poll(0):
        return False
    try:
        data = conn.recv(65536, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return data == b"" or answered_is_closed


def status_streams(port, watch, count=600):
    """`count` status streams held open, from three addresses."""
    held, opened = [], 0
    for number in range(count):
        source = f"127.0.0.{10 + number % 3}"
        try:
            conn = connect(port, source, timeout=5)
            conn.sendall(
                f"GET /api/status/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            held.append(conn)
        except OSError:
            pass
    watch.probe()
    for conn in held:
        data, deadline = b"", time.monotonic() + 10
        try:
            while b"event: status" not in data and time.monotonic() < deadline:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        if data.startswith(b"HTTP/1.1 200") and b"event: status" in data:
            opened += 1
    watch.probe()
    time.sleep(3)
    still = sum(1 for conn in held if not closed(conn))
    watch.probe()
    for conn in held:
        conn.close()
    watch.probe()
    return f"{opened} of {count} got their status, {still} still open 3 s later", opened == count and still == count


def log_downloads(port, watch, count=8):
    """`count` downloads of the log at once, each read slowly."""
    conns = []
    for _ in range(count):
        conn = connect(port, timeout=10)
        conn.sendall(f"GET /api/logs HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        conns.append(conn)
    statuses, sizes = [], []
    heads = {conn: b"" for conn in conns}
    for conn in conns:
        while b"\r\n\r\n" not in heads[conn]:
            chunk = conn.recv(4096)
            if not chunk:
                break
            heads[conn] += chunk
        statuses.append(heads[conn].split(b" ", 2)[1].decode() if heads[conn] else "none")
        sizes.append(len(heads[conn]))
    watch.probe()
    # Read slowly: 64 KiB a turn from each, probing as it goes.
    open_conns, turns = list(conns), 0
    while open_conns and turns < 2000:
        turns += 1
        for conn in list(open_conns):
            chunk = conn.recv(65536)
            if not chunk:
                open_conns.remove(conn)
            else:
                sizes[conns.index(conn)] += len(chunk)
        if turns % 10 == 0:
            watch.probe()
        time.sleep(0.05)
    for conn in conns:
        conn.close()
    watch.probe()
    served = [size for status, size in zip(statuses, sizes) if status == "200"]
    busy = statuses.count("503")
    return (
        f"{len(served)} served ({', '.join(f'{s / (1 << 20):.1f} MiB' for s in served)}), {busy} told 503",
        len(served) >= 1 and len(served) + busy == count and all(s > 4.9 * (1 << 20) for s in served),
    )


def page_flood(port, watch, seconds=5, parallel=128):
    """Page loads, `parallel` at a time on kept-alive connections, for `seconds`."""
    counts = {"200": 0, "503": 0, "other": 0}
    lock, stop = threading.Lock(), time.monotonic() + seconds

    def load():
        conn = None
        while time.monotonic() < stop:
            try:
                if conn is None:
                    conn = connect(port, timeout=10)
                conn.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1)) if b"ontent-length" in head else None
                if length is not None:
                    while len(body) < length:
                        body += conn.recv(65536)
                else:
                    while not body.endswith(b"0\r\n\r\n"):
                        body += conn.recv(65536)
                status = head.split(b" ", 2)[1].decode()
                with lock:
                    counts[status if status in counts else "other"] += 1
            except (OSError, AttributeError, IndexError):
                with lock:
                    counts["other"] += 1
                if conn:
                    conn.close()
                conn = None
        if conn:
            conn.close()

    threads = [threading.Thread(target=load) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        watch.probe()
        time.sleep(0.5)
    watch.probe()
    total = sum(counts.values())
    return (
        f"{total} loads in {seconds} s: {counts['200']} pages, {counts['503']} told 503, {counts['other']} failed",
        counts["200"] > 0,
    )


def fill_log(data_dir):
    """A full log: five rotated files and a current one, 1 MiB each."""
    logs = data_dir / "logs"
    logs.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = "2026-12-04T00:00:00.000000Z  INFO iotbox::web: a line of the log, as the box writes them " + "x" * 900 + "\n"
    for name in ["iotbox.log.5", "iotbox.log.4", "iotbox.log.3", "iotbox.log.2", "iotbox.log.1"]:
        (logs / name).write_text(line * ((1 << 20) // len(line)))
        os.chmod(logs / name, 0o600)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / "target/release/iotbox"))
    parser.add_argument("--local-binary", default=str(ROOT / "target/release/iotbox-local"),
                        help="the local certificate authority's binary")
    parser.add_argument("--site", default=str(ROOT / "target/site"))
    args = parser.parse_args()
    # The attacker needs more sockets than the box may have.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))

    work = Path(tempfile.mkdtemp(prefix="iotbox-hostile-"))
    ca = Process([args.local_binary, "ca", "--addr", "127.0.0.1:0", "--dir", str(work / "ca")], work / "ca.log")
    box = None
    failed = []
    try:
        ca_port = port_after(ca.wait_for("local certificate authority:"), "https")
        data = work / "data"
        data.mkdir(mode=0o700)
        shutil.copy(ROOT / "server/src/local_ca/demo-settings.toml", data / "settings.toml")
        fill_log(data)
        box = Process(
            [args.binary, "--data-dir", str(data), "--http-addr", "127.0.0.1:0", "--https-addr", "127.0.0.1:0",
             "--site-root", args.site, "--cert-server", f"https://127.0.0.1:{ca_port}/odoo-enterprise/iot/x509",
             "--cert-server-ca", str(work / "ca" / "ca.pem")],
            work / "box.log", limit_files=True,
        )
        line = box.wait_for("iotbox: homepage on")
        port, https_port = port_after(line, "http"), port_after(line, "https")
        deadline = time.monotonic() + 30
        while True:
            _, body = http_get(port, "/api/status")
            certificate = json.loads(body)["certificate"]
            if certificate["state"] == "ok" and not certificate["temporary"]:
                break
            if time.monotonic() > deadline:
                raise Failed(f"no certificate: {certificate}")
            time.sleep(0.2)
        served = served_fingerprint(https_port, work / "ca" / "ca.pem")
        settings = (data / "settings.toml").read_bytes()
        print(f"box on 127.0.0.1:{port} with at most {FILES} open files; RSS {box.rss_mib():.1f} MiB with its certificate")

        for name, attack in [
            ("endless chunked POST", endless_body),
            ("1,100 unfinished headers", unfinished_headers),
            ("600 status streams", status_streams),
            ("8 log downloads", log_downloads),
            ("page flood", page_flood),
        ]:
            watch = Watch(box, port)
            started = time.monotonic()
            what, as_expected = attack(port, watch)
            watch.probe()
            if served_fingerprint(https_port, work / "ca" / "ca.pem") != served:
                watch.failures.append("the served certificate changed")
            if (data / "settings.toml").read_bytes() != settings:
                watch.failures.append("the settings changed")
            if not as_expected:
                watch.failures.append("the box did not answer as expected")
            verdict = watch.verdict()
            print(
                f"{name}: {what}; the phone's status in at most {watch.worst * 1000:.0f} ms; "
                f"RSS at most {watch.rss:.1f} MiB; {time.monotonic() - started:.0f} s: {verdict}"
            )
            if watch.failures:
                failed.append(name)
    except Failed as error:
        failed.append(str(error))
        print(f"failed: {error}")
    finally:
        if box:
            box.stop()
        ca.stop()
    if failed:
        print(f"hostile network: {len(failed)} failed ({', '.join(failed)}); files in {work}")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print("hostile network: every attack withstood")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
