#!/usr/bin/env python3
"""Checks the box's Debian package as systemd runs it: boots a Debian 12 machine under
qemu-system-x86_64 (software emulation: it needs no KVM), with systemd as PID 1 and no
network but loopback, and runs scripts/service-check/guest-check.sh in it. That script
installs the package with dpkg, checks the service's user, capabilities and sandbox, gets a
certificate from a local authority through the homepage's forms, outlives the watchdog,
upgrades to a newer package and purges it. Its "CHECK:" lines are printed here.

    scripts/check-service.py --old OLD_VERSION --new NEW_VERSION

The packages are target/deb/iotbox_<version>_amd64.deb (scripts/package-deb amd64). The
machine's root folder comes from Debian's mirror with debootstrap, and its kernel from
Debian's linux-image package; both are kept in target/service-vm for the next run.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target/service-vm"
# The guest's tools: systemd as PID 1, and what guest-check.sh asks the box with.
PACKAGES = ["systemd", "systemd-sysv", "ca-certificates", "curl", "jq"]
# Emulated, the machine boots in about 10 s and the check takes a minute (it outlives the
# watchdog's 30 s); a busy machine can take several times that.
BOOT_AND_CHECK_SECONDS = 900


def this_debian():
    """This machine's Debian release and mirror: the guest runs the C library the box was
    built against, from the mirror apt already reaches."""
    release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
    suite = release["VERSION_CODENAME"].strip('"')
    sources = [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*")]
    for source in filter(Path.is_file, sources):
        # One-line (`deb URI SUITE ...`) and deb822 (`URIs: URI`) entries of Debian's archive.
        for uri in re.findall(r"^(?:deb|URIs:)\s+(\S+/debian)/?(?:\s|$)", source.read_text(), re.M):
            return suite, uri
    return suite, "http://deb.debian.org/debian"


SUITE, MIRROR = this_debian()


def run(*command, **options):
    return subprocess.run(command, check=True, **options)


def kernel():
    """Debian's kernel, unpacked from its package (no module is needed: the root is the
    initial RAM file system)."""
    found = sorted(WORK.glob("kernel/boot/vmlinuz-*"))
    if found:
        return found[-1]
    depends = run("apt-cache", "depends", "linux-image-amd64", capture_output=True, text=True).stdout
    package = next(line.split()[1] for line in depends.splitlines() if "Depends: linux-image-" in line)
    downloads = WORK / "download"
    downloads.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["apt-get", "download", package], cwd=downloads, capture_output=True).returncode != 0:
        # Package lists older than the mirror name a kernel it no longer has.
        run("apt-get", "update", "-qq")
        run("apt-get", "download", package, cwd=downloads, capture_output=True)
    deb = next(downloads.glob(f"{package}_*.deb"))
    target = WORK / "kernel"
    target.mkdir(exist_ok=True)
    contents = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    run("tar", "-x", "-C", str(target), "--wildcards", "./boot/vmlinuz-*", stdin=contents.stdout)
    contents.wait()
    shutil.rmtree(downloads)
    return sorted(WORK.glob("kernel/boot/vmlinuz-*"))[-1]


def base_image():
    """The Debian root folder as a cpio archive, without documentation and package lists."""
    image = WORK / f"root-{SUITE}.cpio"
    stamp = WORK / f"root-{SUITE}.packages"
    if image.exists() and stamp.exists() and stamp.read_text() == " ".join(PACKAGES):
        return image
    folder = WORK / "root"
    shutil.rmtree(folder, ignore_errors=True)
    print(f"   debootstrap {SUITE} from {MIRROR} (once; kept in {WORK})", flush=True)
    done = subprocess.run(["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}", SUITE,
                           str(folder), MIRROR], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"debootstrap failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    for heavy in ["var/cache/apt", "var/lib/apt/lists", "usr/share/doc", "usr/share/man", "usr/share/locale"]:
        shutil.rmtree(folder / heavy, ignore_errors=True)
    # The console is the check's: no login prompt on it.
    for unit in ["serial-getty@ttyS0.service", "getty@tty1.service"]:
        (folder / "etc/systemd/system" / unit).unlink(missing_ok=True)
        (folder / "etc/systemd/system" / unit).symlink_to("/dev/null")
    archive(folder, image)
    shutil.rmtree(folder)
    stamp.write_text(" ".join(PACKAGES))
    return image


def archive(folder, image):
    """`folder` as a cpio archive (newc, as the kernel reads it), owners kept."""
    names = run("find", ".", "-mindepth", "1", "-print0", cwd=folder, capture_output=True).stdout
    with open(image, "wb") as out:
        run("cpio", "--quiet", "-o", "-H", "newc", "--null", input=names, stdout=out, cwd=folder)


def check_image(old, new):
    """The check's own files, as a second archive the kernel lays over the first."""
    folder = WORK / "check"
    shutil.rmtree(folder, ignore_errors=True)
    check = folder / "root/check"
    check.mkdir(parents=True)
    for version in [old, new]:
        deb = ROOT / "target/deb" / f"iotbox_{version}_amd64.deb"
        if not deb.exists():
            sys.exit(f"no {deb}: run scripts/package-deb --version {version} amd64 first")
        shutil.copy(deb, check)
    shutil.copy(ROOT / "scripts/service-check/guest-check.sh", check)
    # The local certificate authority, which the package leaves out.
    shutil.copy(ROOT / "target/release/iotbox-local", check)
    demo = tomllib.loads((ROOT / "server/src/local_ca/demo-settings.toml").read_text())["credential"]
    (check / "credential").write_text(
        f"db_uuid='{demo['db_uuid']}'\ncontract_number='{demo['contract_number']}'\n")
    units = folder / "etc/systemd/system"
    (units / "multi-user.target.wants").mkdir(parents=True)
    shutil.copy(ROOT / "scripts/service-check/iotbox-check.service", units)
    (units / "multi-user.target.wants/iotbox-check.service").symlink_to("../iotbox-check.service")
    image = WORK / "check.cpio"
    archive(folder, image)
    shutil.rmtree(folder)
    return image


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True, help="version of the package installed first")
    parser.add_argument("--new", required=True, help="version it is upgraded to")
    args = parser.parse_args()
    if os.geteuid() != 0:
        # debootstrap, and archiving a root folder with its owners, take root.
        os.execvp("sudo", ["sudo", sys.executable, *sys.argv])
    WORK.mkdir(parents=True, exist_ok=True)
    vmlinuz = kernel()
    initrd = WORK / "initrd.cpio"
    with open(initrd, "wb") as out:
        for part in [base_image(), check_image(args.old, args.new)]:
            with open(part, "rb") as file:
                shutil.copyfileobj(file, out)

    print(f"   booting Debian {SUITE} ({vmlinuz.name}) under qemu-system-x86_64, systemd as PID 1", flush=True)
    console = WORK / "console.log"
    t0 = time.monotonic()
    passed = False
    with open(console, "w") as log:
        machine = subprocess.Popen(
            ["qemu-system-x86_64", "-accel", "tcg", "-smp", "2", "-m", "1024", "-nographic", "-no-reboot",
             "-nic", "none", "-kernel", str(vmlinuz), "-initrd", str(initrd),
             "-append", "console=ttyS0 rdinit=/sbin/init quiet loglevel=3 systemd.show_status=false panic=-1"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="replace")
        # A machine that hangs says nothing more: it is stopped at the deadline.
        timer = threading.Timer(BOOT_AND_CHECK_SECONDS, machine.kill)
        timer.start()
        try:
            for line in machine.stdout:
                log.write(line)
                # The firmware's and the kernel's terminal codes can come first on a line.
                for mark in ["CHECK", "journal:"]:
                    if mark in line:
                        said = line[line.index(mark):].strip()
                        print(f"   [{time.monotonic() - t0:5.0f} s] {said}" if mark == "CHECK" else f"      {said}",
                              flush=True)
                        passed = passed or said == "CHECK PASSED"
                        break
            machine.wait()
        finally:
            timer.cancel()
            if machine.poll() is None:
                machine.kill()
                machine.wait()
    if machine.returncode != 0 and not passed:
        print(f"   the machine stopped after {time.monotonic() - t0:.0f} s (exit {machine.returncode})")
    if not passed:
        sys.exit(f"the service check did not pass (console: {console})")
    os.remove(initrd)
    print(f"the service check passed under systemd, in {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
