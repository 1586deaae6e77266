#!/bin/bash
# Runs inside the Debian virtual machine of scripts/check-service.py, under a real systemd as
# PID 1: installs the box's package with dpkg as an administrator would, and checks the
# service as systemd runs it. Says each step on the console as "CHECK: ..." and ends with
# "CHECK PASSED" or "CHECK FAILED: <why>", then powers the machine off.
# Its inputs are in /root/check: iotbox_<old>_amd64.deb, iotbox_<new>_amd64.deb, and
# `credential` (db_uuid=..., contract_number=...: the local authority's demo credential).
set -uo pipefail
cd /root/check
old=$(ls iotbox_*~previous_amd64.deb)
new=$(ls iotbox_*_amd64.deb | grep -v '~previous')

say() { echo "CHECK: $*"; }
fail() {
  echo "CHECK FAILED: $*"
  journalctl --no-pager -u iotbox -n 40 | sed 's/^/  journal: /'
  exit 1
}
trap 'systemctl start --no-block poweroff.target' EXIT
prop() { systemctl show -p "$1" --value iotbox.service; }
# Seconds until `command` succeeds, or fail after `limit` seconds.
within() {
  local limit=$1 what=$2; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start < limit )) || fail "$what: not within $limit s"
    sleep 0.5
  done
}
since() { # seconds since a ${EPOCHREALTIME/./}, to a tenth
  local micros=$(( ${EPOCHREALTIME/./} - $1 ))
  printf '%d.%d' $((micros / 1000000)) $((micros % 1000000 / 100000))
}
status() { curl -sf -H 'Accept: application/json' http://127.0.0.1/api/status; }
has_certificate() { status | jq -e '.certificate.state == "ok" and (.certificate.temporary | not)'; }
requests() { curl -sf --cacert /run/local-ca/ca.pem https://127.0.0.1:8444/control/requests | jq .x509_requests; }
data_files() { (cd /var/lib/private/iotbox && find . -type f ! -path './log*' -print0 | sort -z | xargs -0 sha256sum); }

# 1. A first install: dpkg runs the maintainer scripts, which enable and start the service.
# As docs/administrator.md says, settings written to /var/lib/iotbox before the first start are taken:
# systemd moves the folder under /var/lib/private and gives it to the service's user.
install -d -m 700 /var/lib/iotbox
printf '[odoo]\nserver_url = "http://127.0.0.1:8069"\n' > /var/lib/iotbox/settings.toml
chmod 600 /var/lib/iotbox/settings.toml
start=${EPOCHREALTIME/./}
dpkg -i "$old" > dpkg.log 2>&1 || fail "dpkg -i $old: $(cat dpkg.log)"
[ "$(systemctl is-enabled iotbox)" = enabled ] || fail "not enabled after install"
within 60 "active after install" systemctl is-active --quiet iotbox
say "installed $old: enabled, and ready (READY=1) $(since "$start") s after dpkg began"

# 2. Its own user, its capabilities and its sandbox, as the kernel sees the process.
pid=$(prop MainPID)
uid=$(awk '/^Uid:/ {print $2}' /proc/$pid/status)
(( uid >= 61184 && uid <= 65519 )) || fail "runs as uid $uid, not a dynamic user"
cap=$(awk '/^CapEff:/ {print $2}' /proc/$pid/status)
[ "$cap" = 0000000000000400 ] || fail "effective capabilities $cap, not CAP_NET_BIND_SERVICE alone"
grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$pid/status || fail "NoNewPrivs not set"
grep -q '^Seccomp:[[:space:]]*2' /proc/$pid/status || fail "no system call filter"
[ "$(stat -c '%u %a' /var/lib/private/iotbox)" = "$uid 700" ] || fail "data folder: $(stat -c '%u %a' /var/lib/private/iotbox)"
[ "$(readlink /var/lib/iotbox)" = private/iotbox ] || fail "/var/lib/iotbox is not systemd's link to private/iotbox"
curl -sf http://127.0.0.1/ | grep -q '<body' || fail "GET / on port 80"
[ "$(status | jq -r .odoo_server)" = http://127.0.0.1:8069/ ] || fail "the settings written before install were not read"
say "runs as dynamic user $uid with CapEff $cap, NoNewPrivs, a seccomp filter; /var/lib/iotbox moved to private/, its own, 0700, with the settings written before; GET / answers on port 80"

# 3. A certificate: the local authority, its address in /etc/default/iotbox and a restart, as
# an administrator does; then the homepage's credential form, as a shop owner does.
# The package leaves the local authority out: the box's binary knows no such command.
if /usr/lib/iotbox/iotbox local-ca --help >/dev/null 2>&1; then fail "the package's binary runs a local authority"; fi
systemd-run --quiet --unit=local-ca /root/check/iotbox-local ca --dir /run/local-ca --addr 127.0.0.1:8444
within 60 "local authority listening" requests
# Its root, where the service's user can read it (the authority's folder is root's own).
install -m 644 /run/local-ca/ca.pem /etc/iotbox-authority.pem
cat >> /etc/default/iotbox <<'SETTINGS'
IOTBOX_CERT_SERVER=https://127.0.0.1:8444/odoo-enterprise/iot/x509
IOTBOX_CERT_SERVER_CA=/etc/iotbox-authority.pem
SETTINGS
systemctl restart iotbox || fail "restart"
within 60 "active after restart" systemctl is-active --quiet iotbox
start=$SECONDS
form() { # form PATH FIELD=VALUE...: the homepage's form, posted
  local path=$1 fields=(); shift
  for field in "$@"; do fields+=(--data-urlencode "$field"); done
  curl -sf -H 'Accept: application/json' "${fields[@]}" "http://127.0.0.1$path" >/dev/null || fail "POST $path"
}
source ./credential
form /api/credential/save "db_uuid=$db_uuid" "contract_number=$contract_number"
within 120 "certificate from the authority" has_certificate
subject=$(status | jq -r .certificate.subject)
name=${subject/\*/box}
curl -sf --cacert /run/local-ca/ca.pem --resolve "$name:443:127.0.0.1" "https://$name/" | grep -q '<body' \
  || fail "HTTPS on port 443 with the authority's certificate for $name"
say "restarted on the authority; the credential form saved, a certificate for $subject after $((SECONDS - start)) s, served on https://$name/"

# The journal: the box's lines with their priorities (the Odoo server it could not tell is a
# warning), without times of their own, and without the credential the form was given.
erp_warning() { journalctl -u iotbox -p warning -o cat | grep -q 'the Odoo server was not told'; }
within 10 "the ERP warning in the journal" erp_warning
journalctl -u iotbox -o cat -p info | grep -q '^iotbox: homepage on' || fail "no 'homepage on' line at priority info"
own_times=$(journalctl -u iotbox -o cat | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' || true)
(( own_times == 0 )) || fail "$own_times journal lines carry a time of their own"
journalctl --no-pager -o cat | grep -qiF -e "$db_uuid" -e "$contract_number" && fail "the credential is in the journal"
say "journal: warnings at priority warning, lines without times of their own, no credential"

# 4. The watchdog: alive past WatchdogSec, never restarted, and nothing refused by the filter.
pinged=$(prop WatchdogTimestampMonotonic)
sleep 35
[ "$(prop NRestarts)" = 0 ] || fail "restarted $(prop NRestarts) times"
(( $(prop WatchdogTimestampMonotonic) > pinged )) || fail "no watchdog ping in 35 s"
systemctl is-active --quiet iotbox || fail "not active after 35 s"
if journalctl --no-pager -u iotbox | grep -Ei 'operation not permitted|permission denied|read-only file system'; then
  fail "the service was refused something"
fi
say "35 s later: still active, no restart, watchdog pinged, nothing refused in its journal"

# 5. An upgrade restarts it on the same data, which it serves without asking again.
before=$(data_files)
asked=$(requests)
dpkg -i "$new" > dpkg.log 2>&1 || fail "dpkg -i $new: $(cat dpkg.log)"
within 60 "active after upgrade" systemctl is-active --quiet iotbox
within 30 "certificate after upgrade" has_certificate
[ "$(data_files)" = "$before" ] || fail "the upgrade changed the box's data"
[ "$(requests)" = "$asked" ] || fail "the upgraded box asked the authority again"
grep -q '^IOTBOX_CERT_SERVER=' /etc/default/iotbox || fail "the upgrade lost /etc/default/iotbox"
say "upgraded to $new: restarted, same data and settings, its certificate served without asking again"

# 6. A stop is clean and quick; purge leaves nothing.
start=${EPOCHREALTIME/./}
systemctl stop iotbox
[ "$(prop Result)" = success ] || fail "stop: result $(prop Result)"
say "stopped cleanly in $(since "$start") s"
dpkg --purge iotbox > dpkg.log 2>&1 || fail "dpkg --purge: $(cat dpkg.log)"
[ ! -e /var/lib/private/iotbox ] && [ ! -e /var/lib/iotbox ] || fail "purge left the data"
[ ! -e /etc/systemd/system/multi-user.target.wants/iotbox.service ] || fail "purge left the service enabled"
say "purged: data, settings and service gone"
echo "CHECK PASSED"
