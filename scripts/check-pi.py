#!/usr/bin/env python3
"""Checks the Raspberry Pi builds and packages of the box on this machine, under Debian's
qemu-user-static, on loopback:

1. the build (target/pi/<arch>, from scripts/build-pi), as a box runs: a local certificate
   authority (this machine's `iotbox-local`, from the release build), then the box with an
   empty data folder and the demo credential. It must answer its page and GET /api/status,
   and replace its temporary certificate by one from the authority, served on its HTTPS
   port;
2. the Debian package (target/deb/iotbox_<version>_<arch>.deb, from scripts/package-deb) in a
   root folder of its own, with dpkg: install (files, service enabled, unit verified), the
   installed box gets its certificate into /var/lib/iotbox, an upgrade to a newer version
   keeps settings, certificates and an edited /etc/default/iotbox, the upgraded box serves
   the kept certificate at once, remove keeps the data, purge deletes it.

    scripts/check-pi.py --old OLD_VERSION --new NEW_VERSION arm64 [armhf]
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Emulated, the box starts in seconds rather than milliseconds, and a certificate takes a
# few round trips of emulated TLS.
READY_SECONDS = 60
CERTIFICATE_SECONDS = 90


class Failed(Exception):
    pass


def arch_settings(arch):
    """PI_* of scripts/pi-arch.sh for `arch`."""
    out = subprocess.run(
        ["bash", "-c", 'source scripts/pi-arch.sh "$1" && for v in ${!PI_*}; do echo "$v=${!v}"; done',
         "_", arch],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines())


class Process:
    """A process of `command`; its output goes to `log`."""

    def __init__(self, command, env, log):
        self.log = log
        self.lines = []
        self.ready = threading.Condition()
        self.process = subprocess.Popen(
            [str(part) for part in command],
            env={"PATH": os.environ["PATH"], "RUST_LOG": "info", **env},
            stdout=subprocess.PIPE, stderr=open(f"{log}.err", "w"),
            text=True, start_new_session=True,
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

    def wait_for(self, text):
        deadline = time.monotonic() + READY_SECONDS
        with self.ready:
            while True:
                for line in self.lines:
                    if text in line:
                        return line
                if self.process.poll() is not None:
                    raise Failed(f"stopped with {self.process.returncode} (see {self.log}.err)")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failed(f"no '{text}' after {READY_SECONDS} s (see {self.log})")
                self.ready.wait(left)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def port_after(line, scheme):
    match = re.search(scheme + r"://[^\s/]+:(\d+)", line)
    if not match:
        raise Failed(f"no {scheme} port in: {line}")
    return int(match.group(1))


def get(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, answer.headers.get("Content-Type", ""), answer.read()


def served_by_authority(port, authority_pem):
    """The certificate the box serves on `port` (DER), if it chains to the authority's root:
    the handshake fails on the temporary, self-signed one."""
    context = ssl.create_default_context(cafile=str(authority_pem))
    # Its name is the box's `*.<hash>.iotbox.localhost`, not the address asked here.
    context.check_hostname = False
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


def emulated(pi, binary, args):
    """The command that runs an ARM build under qemu."""
    return [pi["PI_QEMU"], "-L", pi["PI_SYSROOT"], binary, *args]


class Authority:
    """The local certificate authority, this machine's own: the box is what runs emulated."""

    def __init__(self, work):
        self.dir = work / "local-ca"
        self.process = Process([ROOT / "target/release/iotbox-local", "ca", "--dir", self.dir,
                                "--addr", "127.0.0.1:0"], {}, work / "local-ca.log")
        self.port = port_after(self.process.wait_for("local certificate authority:"), "https")

    def box_env(self, data):
        return {
            "IOTBOX_DATA_DIR": str(data),
            "LEPTOS_SITE_ADDR": "127.0.0.1:0",
            "IOTBOX_HTTPS_ADDR": "127.0.0.1:0",
            "IOTBOX_CERT_SERVER": f"https://127.0.0.1:{self.port}/odoo-enterprise/iot/x509",
            "IOTBOX_CERT_SERVER_CA": str(self.dir / "ca.pem"),
        }


def run_box(pi, binary, authority, data, log, within=CERTIFICATE_SECONDS):
    """Starts the box on `data`, checks its page, and waits (at most `within` s) until it
    serves a certificate of the authority. Gives the certificate's status."""
    t0 = time.monotonic()
    box = Process(emulated(pi, binary, []), authority.box_env(data), log)
    try:
        line = box.wait_for("homepage on")
        http, https = port_after(line, "http"), port_after(line, "https")
        listening = time.monotonic() - t0
        status, kind, page = get(f"http://127.0.0.1:{http}/", "text/html")
        if status != 200 or "text/html" not in kind or b"<body" not in page:
            raise Failed(f"GET / answered {status} {kind}")
        deadline = time.monotonic() + within
        while True:
            status, kind, body = get(f"http://127.0.0.1:{http}/api/status", "application/json")
            if status != 200 or "application/json" not in kind:
                raise Failed(f"GET /api/status answered {status} {kind}")
            certificate = json.loads(body)["certificate"]
            if certificate["state"] == "ok" and not certificate["temporary"]:
                break
            if time.monotonic() > deadline:
                raise Failed(f"no certificate from the authority after {within} s: "
                             f"{json.dumps(certificate)} (see {log})")
            time.sleep(0.5)
        try:
            served_by_authority(https, authority.dir / "ca.pem")
        except ssl.SSLError as error:
            raise Failed(f"the HTTPS port does not serve the authority's certificate: {error}")
        print(f"   listening after {listening:.1f} s; GET / {len(page)} B; certificate "
              f"{certificate['subject']} until {certificate['not_after']}, served on HTTPS, "
              f"after {time.monotonic() - t0:.1f} s")
        return certificate
    finally:
        box.stop()


def new_data_folder(path):
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copy(ROOT / "server/src/local_ca/demo-settings.toml", path / "settings.toml")
    os.chmod(path / "settings.toml", 0o600)


def files_of(folder):
    """Every file under `folder` but the logs, by path, with its content's hash."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "log" not in path.relative_to(folder).parts[0]
    }


def check_build(pi, arch, work, authority):
    print(f"{arch}: the build, under {pi['PI_QEMU']}")
    data = work / "build-data"
    new_data_folder(data)
    run_box(pi, ROOT / "target/pi" / arch / "iotbox", authority, data, work / "build-box.log")


def check_package(pi, arch, work, authority, old, new):
    print(f"{arch}: the package, with dpkg in {work / 'root'}")
    root = work / "root"
    for folder in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/log"]:
        (root / folder).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()

    # The maintainer scripts run on this machine with DPKG_ROOT set, as for any image built
    # in a folder; the folder has no C library, so dependencies are not checked.
    def dpkg(*args):
        done = subprocess.run(
            ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-not-root",
             "--force-depends", "--log=/dev/null", *args],
            capture_output=True, text=True)
        if done.returncode != 0:
            raise Failed(f"dpkg {' '.join(args)}: {done.stdout}{done.stderr}")

    def installed_version():
        out = subprocess.run(["dpkg-query", f"--admindir={root}/var/lib/dpkg", "-W", "-f=${Status} ${Version}", "iotbox"],
                             capture_output=True, text=True).stdout
        return out.strip()

    def package(version):
        return ROOT / "target/deb" / f"iotbox_{version}_{arch}.deb"

    dpkg("--add-architecture", arch)
    dpkg("--install", str(package(old)))
    if installed_version() != f"install ok installed {old}":
        raise Failed(f"after install: {installed_version()}")
    binary = root / "usr/lib/iotbox/iotbox"
    expected = [binary, root / "usr/lib/iotbox/hash.txt", root / "usr/lib/iotbox/site/pkg",
                root / "usr/bin/iotbox", root / "lib/systemd/system/iotbox.service", root / "etc/default/iotbox",
                root / "etc/systemd/system/multi-user.target.wants/iotbox.service"]
    # The service's link is absolute, as on the box: it points outside this folder.
    missing = [str(path.relative_to(root)) for path in expected if not (path.exists() or path.is_symlink())]
    if missing:
        raise Failed(f"installed without {missing}")
    # systemd's own units, as on any system that runs it: the service's dependencies.
    for unit in Path("/lib/systemd/system").glob("*.target"):
        shutil.copy(unit, root / "lib/systemd/system" / unit.name)
    for unit in Path("/lib/systemd/system").glob("*.slice"):
        shutil.copy(unit, root / "lib/systemd/system" / unit.name)
    verify = subprocess.run(["systemd-analyze", "verify", f"--root={root}", "/lib/systemd/system/iotbox.service"],
                            capture_output=True, text=True)
    if verify.returncode != 0:
        raise Failed(f"systemd-analyze verify: {verify.stdout}{verify.stderr}")
    security = subprocess.run(["systemd-analyze", "security", "--offline=true", f"--root={root}",
                               "--threshold=20", "/lib/systemd/system/iotbox.service"],
                              capture_output=True, text=True)
    exposure = re.search(r"Overall exposure level for iotbox.service: ([\d.]+)", security.stdout)
    if not exposure or float(exposure.group(1)) > 2.0:
        raise Failed(f"systemd-analyze security: {security.stdout[-400:]}{security.stderr}")
    print(f"   installed {old}: unit verified, enabled, exposure {exposure.group(1)} (systemd-analyze security)")

    # The installed box, on the data folder the service would have.
    data = root / "var/lib/iotbox"
    new_data_folder(data)
    run_box(pi, binary, authority, data, work / "installed-box.log")
    kept = files_of(data)
    if not any(name.startswith("cert") or "certificate" in name for name in kept):
        raise Failed(f"no certificate among the box's files: {sorted(kept)}")
    defaults = root / "etc/default/iotbox"
    edited = defaults.read_text() + "IOTBOX_PUBLIC_DNS=192.0.2.53\n"
    defaults.write_text(edited)

    dpkg("--install", str(package(new)))
    if installed_version() != f"install ok installed {new}":
        raise Failed(f"after upgrade: {installed_version()}")
    if files_of(data) != kept:
        raise Failed("the upgrade changed the box's settings or certificates")
    if defaults.read_text() != edited:
        raise Failed("the upgrade lost the edited /etc/default/iotbox")
    print(f"   upgraded to {new}: the box's {', '.join(kept)} kept, and the edited /etc/default/iotbox")
    requests_before = authority_requests(authority)
    run_box(pi, binary, authority, data, work / "upgraded-box.log", within=0)
    if authority_requests(authority) != requests_before:
        raise Failed("the upgraded box asked for a new certificate instead of serving its own")
    print("   the upgraded box serves its kept certificate at once, without asking the authority")

    dpkg("--remove", "iotbox")
    if binary.exists() or not data.is_dir() or not defaults.exists():
        raise Failed("remove: the binary should go, the data and /etc/default/iotbox stay")
    dpkg("--purge", "iotbox")
    left = [str(path.relative_to(root)) for path in [data, defaults, root / "usr/lib/iotbox",
            root / "etc/systemd/system/multi-user.target.wants/iotbox.service"] if path.exists() or path.is_symlink()]
    if left:
        raise Failed(f"purge left {left}")
    print("   removed (data kept), then purged (data, settings and service links gone)")


def authority_requests(authority):
    """How many certificates the authority was asked for (its control API)."""
    context = ssl.create_default_context(cafile=str(authority.dir / "ca.pem"))
    context.check_hostname = False
    request = urllib.request.Request(f"https://127.0.0.1:{authority.port}/control/requests")
    with urllib.request.urlopen(request, timeout=30, context=context) as answer:
        return json.loads(answer.read())["x509_requests"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True, help="version of the package installed first")
    parser.add_argument("--new", required=True, help="version it is upgraded to")
    parser.add_argument("arches", nargs="+", choices=["arm64", "armhf"])
    args = parser.parse_args()
    for arch in args.arches:
        pi = arch_settings(arch)
        work = Path(tempfile.mkdtemp(prefix=f"iotbox-check-{arch}-"))
        authority = None
        try:
            authority = Authority(work)
            check_build(pi, arch, work, authority)
            check_package(pi, arch, work, authority, args.old, args.new)
        except Failed as failure:
            raise SystemExit(f"{arch}: {failure} (files in {work})")
        finally:
            if authority:
                authority.process.stop()
        shutil.rmtree(work, ignore_errors=True)
        print(f"{arch}: passed")


if __name__ == "__main__":
    main()
