#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# unf-oci, the OCI runtime: first driven by hand on bundles in a network namespace this test
# creates (veth to the host side, like an engine's netns): create does not run the guest, start
# does, ping and UDP echo through the tc mirred wiring, state transitions, kill by name and
# number, delete restoring the interface's address and removing tap, qdiscs, cgroup and state;
# bad bundles and bad commands fail with one line and leave nothing. Then podman for real:
# `unf-oci oci-image` -> skopeo -> `podman --runtime unf-oci run -d -p 18080:80` serving HTTP,
# ps, logs, stop within 2 s, rm, and 20 create/start/kill/rm cycles leaving nothing behind.
# Uses the proc platform (annotation, or the automatic choice on a host without hardware KVM).
set -u
cd "$(dirname "$0")/../.."
oci=$PWD/build/bin/unf-oci
tmp=$(mktemp -d /tmp/unf-oci-test.XXXXXX)
root=$tmp/root                  # --root for the direct tests
ns=unfoci$$
hv=uoh$$                        # host end of the veth
cg=/unf-oci-test$$
R=(--root "$root")
pass() { echo "PASS oci_podman.$1${2:+ ($2)}"; }
fail() { echo "FAIL oci_podman.$1: $2"; }
check() { local name=$1; shift; if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name" "$*"; fi; }

cleanup() {
  for id in $("$oci" "${R[@]}" list -q 2>/dev/null); do "$oci" "${R[@]}" delete --force "$id" >/dev/null 2>&1; done
  if command -v podman >/dev/null; then
    for c in $(podman ps -a --format '{{.Names}}' 2>/dev/null | grep "^unfoci$$"); do podman rm -f -t 0 "$c" >/dev/null 2>&1; done
  fi
  ip netns del "$ns" 2>/dev/null; ip link del "$hv" 2>/dev/null
  for c in memory cpu cpuacct pids; do rmdir /sys/fs/cgroup/$c$cg/* /sys/fs/cgroup/$c$cg 2>/dev/null; done
  rmdir /sys/fs/cgroup$cg/* /sys/fs/cgroup$cg 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

[ -x "$oci" ] || { fail build "$oci missing (make -j2 all)"; exit 0; }

# --- the namespace and a bundle -------------------------------------------------------------
ip netns add "$ns" && ip link add "$hv" type veth peer name eth0 netns "$ns" &&
  ip addr add 10.203.0.1/24 dev "$hv" && ip link set "$hv" up &&
  ip -n "$ns" addr add 10.203.0.2/24 dev eth0 && ip -n "$ns" link set eth0 up &&
  ip -n "$ns" link set lo up && ip -n "$ns" route add default via 10.203.0.1 ||
  { fail netns-setup "cannot create namespace $ns"; exit 0; }
mkdir -p "$tmp/b/rootfs" && tar xf build/images/echo.unf -C "$tmp/b/rootfs"
# bundle DIR ARGS_JSON [EXTRA_ANNOTATIONS_JSON] [NETNS_PATH]: writes DIR/config.json
config() {
  local dir=$1 args=$2 ann=${3:-'{"org.unf.platform":"proc"}'} path=${4:-/var/run/netns/$ns}
  cat > "$dir/config.json" <<EOF
{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"terminal":false,"cwd":"/","args":$args,
 "env":["PATH=/usr/bin"]},
 "linux":{"namespaces":[{"type":"pid"},{"type":"network","path":"$path"},{"type":"mount"}],
  "cgroupsPath":"$cg/$(basename "$dir")","resources":{"memory":{"limit":41943040}}},
 "annotations":$ann}
EOF
}
config "$tmp/b" '["echo","--port","7"]'
ns_state() { # what the namespace looks like: addresses, routes, links, qdiscs
  ip -n "$ns" -br addr show eth0 | awk '{print $3}'; ip -n "$ns" route | sort
  ip -n "$ns" -o link | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
  ip netns exec "$ns" tc qdisc show | grep -c ingress
}
ns_before=$(ns_state)
state_of() { "$oci" "${R[@]}" state "$1" 2>/dev/null | jq -r .status; }
udp_echo() { echo "$1" | timeout 3 socat -T 2 - UDP:10.203.0.2:7 2>/dev/null; }

# --- create, start, state, kill, delete -----------------------------------------------------
t0=$(date +%s%N)
if "$oci" "${R[@]}" create --bundle "$tmp/b" --pid-file "$tmp/pid" d1 >"$tmp/console-d1" 2>"$tmp/err"; then
  pass create "$(( ($(date +%s%N) - t0) / 1000000 )) ms"
  [ "$(state_of d1)" = created ] && pass state-created || fail state-created "$(state_of d1)"
  pid=$(cat "$tmp/pid")
  [ "$("$oci" "${R[@]}" state d1 | jq -r .pid)" = "$pid" ] && pass pid-file-matches-state || fail pid-file-matches-state "pid file $pid"
  [ "$(cat /proc/$pid/comm)" = unf-oci ] && ! ping -c 1 -W 1 10.203.0.2 >/dev/null 2>&1 \
    && pass create-does-not-run-guest || fail create-does-not-run-guest "comm $(cat /proc/$pid/comm)"
  ip netns exec "$ns" tc filter show dev eth0 ingress | grep -qi "redirect to device tap0" && pass mirred-wired || fail mirred-wired "no filter on eth0"
  ip -n "$ns" link show tap0 >/dev/null 2>&1 && pass tap-created || fail tap-created "no tap0"
  [ -z "$(ip -n "$ns" -4 -br addr show eth0 | awk '{print $3}')" ] && pass address-moved-to-guest || fail address-moved-to-guest "eth0 still has it"
  t0=$(date +%s%N)
  "$oci" "${R[@]}" start d1 && pass start || fail start "$(cat "$tmp/err")"
  for i in $(seq 1 100); do ping -c 1 -W 1 10.203.0.2 >/dev/null 2>&1 && break; sleep 0.01; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  r=$(udp_echo ping-oci)
  grep -q "echo: listening on 10.203.0.2 port 7" "$tmp/console-d1" && pass console-is-create-stdout || fail console-is-create-stdout "$(head -c 200 "$tmp/console-d1")"
  [ "$r" = ping-oci ] && pass udp-echo "start to first ping answer $ms ms" || fail udp-echo "got '$r'"
  ping -c 2 -W 1 10.203.0.2 >/dev/null && pass ping || fail ping "no answer from 10.203.0.2"
  [ "$(state_of d1)" = running ] && pass state-running || fail state-running "$(state_of d1)"
  [ "$(cat /proc/$pid/comm)" = unf-proc ] && pass state-pid-is-guest || fail state-pid-is-guest "comm $(cat /proc/$pid/comm 2>&1)"
  [ "$("$oci" "${R[@]}" ps --format json d1)" = "[$pid]" ] && pass ps-json || fail ps-json "$("$oci" "${R[@]}" ps --format json d1)"
  "$oci" "${R[@]}" list --format json | jq -e 'map(.id) | index("d1")' >/dev/null && pass list || fail list "d1 not listed"
  cgdir=/sys/fs/cgroup/memory$cg/b
  [ -d /sys/fs/cgroup/unified ] && [ ! -d /sys/fs/cgroup/memory ] && cgdir=/sys/fs/cgroup$cg/b
  grep -qx "$pid" "$cgdir/cgroup.procs" 2>/dev/null && pass cgroup-joined || fail cgroup-joined "$pid not in $cgdir"
  "$oci" "${R[@]}" delete d1 2>"$tmp/err" && fail delete-running-refused "deleted" || pass delete-running-refused "$(cat "$tmp/err")"
  "$oci" "${R[@]}" kill d1 BOGUS 2>"$tmp/err"; [ $? -ne 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && pass kill-bad-signal || fail kill-bad-signal "$(cat "$tmp/err")"
  t0=$(date +%s%N)
  "$oci" "${R[@]}" kill d1 SIGTERM
  for i in $(seq 1 40); do [ "$(state_of d1)" = stopped ] && break; sleep 0.05; done
  [ "$(state_of d1)" = stopped ] && pass kill-term-stops "$(( ($(date +%s%N) - t0) / 1000000 )) ms" || fail kill-term-stops "$(state_of d1)"
  "$oci" "${R[@]}" delete d1 && pass delete || fail delete "status $?"
  [ ! -e "$root/d1" ] && [ "$(ns_state)" = "$ns_before" ] && [ ! -d "$cgdir" ] \
    && pass delete-restores-all || fail delete-restores-all "$(ns_state | tr '\n' ' ') / $(ls "$root" "$cgdir" 2>&1 | tr '\n' ' ')"
else
  fail create "$(cat "$tmp/err")"
fi

# kill by number, a crashed guest, delete --force, delete of a never-started container
"$oci" "${R[@]}" create --bundle "$tmp/b" d2 >"$tmp/console-d2" && "$oci" "${R[@]}" start d2 && "$oci" "${R[@]}" kill d2 9 &&
  sleep 0.2 && [ "$(state_of d2)" = stopped ] && "$oci" "${R[@]}" delete d2 && pass kill-by-number || fail kill-by-number "d2"
"$oci" "${R[@]}" create --bundle "$tmp/b" d3 >"$tmp/console-d3" && "$oci" "${R[@]}" start d3 && sleep 0.2 &&
  kill -SEGV "$("$oci" "${R[@]}" state d3 | jq .pid)" && sleep 0.2 && [ "$(state_of d3)" = stopped ] &&
  "$oci" "${R[@]}" delete d3 && [ "$(ns_state)" = "$ns_before" ] && pass crashed-guest-cleaned || fail crashed-guest-cleaned "$(ns_state | tr '\n' ' ')"
"$oci" "${R[@]}" create --bundle "$tmp/b" d4 >"$tmp/console-d4" && "$oci" "${R[@]}" start d4 && "$oci" "${R[@]}" delete --force d4 &&
  [ ! -e "$root/d4" ] && [ "$(ns_state)" = "$ns_before" ] && pass delete-force || fail delete-force "$(ns_state | tr '\n' ' ')"
gone() { [ ! -e "/proc/$1/stat" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
if "$oci" "${R[@]}" create --bundle "$tmp/b" d5 >"$tmp/console-d5"; then
  hp=$("$oci" "${R[@]}" state d5 | jq .pid)
  "$oci" "${R[@]}" delete d5 && gone "$hp" && [ ! -e "$root/d5" ] && [ "$(ns_state)" = "$ns_before" ] \
    && pass delete-created || fail delete-created "$(ns_state | tr '\n' ' ')"
else fail delete-created "create failed"; fi

# the image as a .unf file in the rootfs, named by the annotation org.unf.image
mkdir -p "$tmp/unf/rootfs/images" && cp build/images/echo.unf "$tmp/unf/rootfs/images/e.unf"
config "$tmp/unf" '["--port","9"]' '{"org.unf.platform":"proc","org.unf.image":"/images/e.unf"}'
if "$oci" "${R[@]}" create --bundle "$tmp/unf" u1 >"$tmp/console-u1" 2>"$tmp/err" && "$oci" "${R[@]}" start u1; then
  r=
  for i in $(seq 1 40); do r=$(echo unf-file | timeout 2 socat -T 1 - UDP:10.203.0.2:9 2>/dev/null); [ -n "$r" ] && break; sleep 0.05; done
  [ "$r" = unf-file ] && pass image-file-annotation "echo on port 9 from args without the entry name" || fail image-file-annotation "got '$r'"
  "$oci" "${R[@]}" delete --force u1
else
  fail image-file-annotation "$(cat "$tmp/err")"
fi

# no network namespace path (--net=none): the guest runs without a NIC in a new namespace
mkdir -p "$tmp/none" && ln -s "$tmp/b/rootfs" "$tmp/none/rootfs"
config "$tmp/none" '["echo"]' '{}' ""
"$oci" "${R[@]}" create --bundle "$tmp/none" n1 >"$tmp/console-n1" 2>"$tmp/err" && "$oci" "${R[@]}" start n1 && sleep 0.3 &&
  [ "$(state_of n1)" = running ] && "$oci" "${R[@]}" delete --force n1 && pass no-netns-runs || fail no-netns-runs "$(cat "$tmp/err")"

# --- bad input: one line, non-zero, nothing left ----------------------------------------------
expect_fail() { # NAME CMD...
  local name=$1; shift
  "$@" >/dev/null 2>"$tmp/err"; local rc=$?
  local left; left=$(ls "$root" 2>/dev/null | tr '\n' ' ')
  if [ $rc -ne 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && [ -z "$left" ] && [ "$(ns_state)" = "$ns_before" ]; then
    pass "$name" "$(head -c 110 "$tmp/err")"
  else
    fail "$name" "status $rc, stderr '$(head -c 200 "$tmp/err" | tr '\n' '|')', left '$left' ns '$(ns_state | tr '\n' ' ')'"
  fi
}
mk() { mkdir -p "$tmp/$1" && ln -sfn "$tmp/b/rootfs" "$tmp/$1/rootfs"; }
mk nocfg; expect_fail missing-config "$oci" "${R[@]}" create --bundle "$tmp/nocfg" x1
mk badjson; echo '{"root":' > "$tmp/badjson/config.json"; expect_fail bad-json "$oci" "${R[@]}" create --bundle "$tmp/badjson" x1
mk norootfs; config "$tmp/norootfs" '["echo"]'; rm "$tmp/norootfs/rootfs"; expect_fail no-rootfs "$oci" "${R[@]}" create --bundle "$tmp/norootfs" x1
mkdir -p "$tmp/empty/rootfs"; config "$tmp/empty" '["echo"]'; expect_fail rootfs-without-image "$oci" "${R[@]}" create --bundle "$tmp/empty" x1
# an image whose only kernel is for aarch64 (the virtio kernel with e_machine patched to 0xb7)
mkdir -p "$tmp/arm/rootfs/kernels" && cp "$tmp/b/rootfs/kernels/x86_64-virtio" "$tmp/arm/rootfs/kernels/aarch64-virtio" &&
  printf '\267' | dd of="$tmp/arm/rootfs/kernels/aarch64-virtio" bs=1 seek=18 conv=notrunc 2>/dev/null &&
  sum=$(sha256sum "$tmp/arm/rootfs/kernels/aarch64-virtio" | cut -d' ' -f1) &&
  jq --arg s "$sum" '.kernels = [{"arch": "aarch64", "platform": "virtio", "path": "kernels/aarch64-virtio", "sha256": $s}]' \
    "$tmp/b/rootfs/manifest.json" > "$tmp/arm/rootfs/manifest.json"
config "$tmp/arm" '["echo"]' '{}'; expect_fail no-kernel-for-host "$oci" "${R[@]}" create --bundle "$tmp/arm" x1
mk badargs; config "$tmp/badargs" '"echo --port 7"'; expect_fail bad-args "$oci" "${R[@]}" create --bundle "$tmp/badargs" x1
mk badplat; config "$tmp/badplat" '["echo"]' '{"org.unf.platform":"xen"}'; expect_fail bad-platform "$oci" "${R[@]}" create --bundle "$tmp/badplat" x1
mk nons; config "$tmp/nons" '["echo"]' '{"org.unf.platform":"proc"}' /var/run/netns/nosuch$$; expect_fail missing-netns "$oci" "${R[@]}" create --bundle "$tmp/nons" x1
expect_fail bad-id "$oci" "${R[@]}" create --bundle "$tmp/b" "../x"
expect_fail no-id "$oci" "${R[@]}" create --bundle "$tmp/b"
for c in start state kill delete ps; do expect_fail "$c-unknown-id" "$oci" "${R[@]}" $c nosuch$$; done
"$oci" "${R[@]}" delete --force nosuch$$ 2>"$tmp/err" && [ ! -s "$tmp/err" ] && pass delete-force-unknown-id-ok || fail delete-force-unknown-id-ok "$(cat "$tmp/err")"
expect_fail unknown-command "$oci" "${R[@]}" frobnicate
expect_fail unknown-option "$oci" "${R[@]}" create --frob x "$tmp/b" x1
if "$oci" "${R[@]}" create --bundle "$tmp/b" dup >"$tmp/console-dup" 2>&1; then
  "$oci" "${R[@]}" create --bundle "$tmp/b" dup 2>"$tmp/err"; rc=$?
  [ $rc -ne 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && [ "$(state_of dup)" = created ] && pass duplicate-id "$(cat "$tmp/err")" || fail duplicate-id "status $rc"
  "$oci" "${R[@]}" delete --force dup
else fail duplicate-id "first create failed"; fi
"$oci" "${R[@]}" --log "$tmp/log.json" --log-format json state nosuch$$ 2>/dev/null
jq -e 'select(.level == "error") | .msg and .time' "$tmp/log.json" >/dev/null 2>&1 && pass log-json || fail log-json "$(cat "$tmp/log.json" 2>&1)"
[ "$("$oci" --version | head -1 | cut -d' ' -f1-2)" = "unf-oci version" ] && "$oci" features | jq -e .ociVersionMax >/dev/null && pass version-features || fail version-features "bad output"

# --- podman -------------------------------------------------------------------------------
if ! command -v podman >/dev/null || ! command -v skopeo >/dev/null; then
  echo "SKIP oci_podman.podman: podman or skopeo is not installed: scripts/setup installs them"; exit 0
fi
if ! timeout 30 podman info >/dev/null 2>"$tmp/err"; then
  echo "SKIP oci_podman.podman: podman cannot work here: $(head -c 150 "$tmp/err")"; exit 0
fi
host_snapshot() { # only what podman and unf-oci make: other tests may run unf at the same time
  echo "# netns"; ip netns list 2>/dev/null | awk '{print $1}' | grep '^netns-' | sort
  echo "# links"; ip -o link 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^veth' | sort
  echo "# state"; ls -1 /run/unf-oci 2>/dev/null | sort
  echo "# cgroups"; find /sys/fs/cgroup -maxdepth 4 -type d -name 'libpod-*' 2>/dev/null | sort
  echo "# processes"; pgrep -a -f '/run/unf-oci/|conmon|unf-oci' 2>/dev/null | grep -v -e pgrep -e oci_podman.sh | awk '{print $2}' | grep -v '^\[' | sort
}
P=(podman --runtime "$oci")
img=localhost/unf-http-oci$$:latest
if "$oci" oci-image build/images/http.unf "$tmp/layout" 2>"$tmp/err" && [ -f "$tmp/layout/oci-layout" ] &&
   skopeo copy -q "oci:$tmp/layout:latest" "containers-storage:$img" >/dev/null 2>>"$tmp/err"; then
  pass oci-image-to-podman "$(podman images --format '{{.Size}}' "$img" | head -1)"
else
  fail oci-image-to-podman "$(head -c 300 "$tmp/err")"; exit 0
fi
before=$(host_snapshot)
c=unfoci$$-http
t0=$(date +%s%N)
if "${P[@]}" run -d --name "$c" -p 18080:80 "$img" >/dev/null 2>"$tmp/err"; then
  code=
  for i in $(seq 1 200); do code=$(curl -s -m 1 -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/ 2>/dev/null); [ "$code" = 200 ] && break; sleep 0.02; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$code" = 200 ] && pass podman-run-http-loopback "podman run to first HTTP 200: $ms ms" || fail podman-run-http-loopback "code '$code'"
  cip=$(podman inspect -f '{{.NetworkSettings.IPAddress}}' "$c")
  [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://$cip/")" = 200 ] && pass podman-http-container-ip "$cip" || fail podman-http-container-ip "$cip"
  curl -s -m 2 http://127.0.0.1:18080/ | grep -qi "<html" && pass podman-http-body || fail podman-http-body "no html"
  podman ps --format '{{.Names}} {{.Status}}' | grep -q "^$c Up" && pass podman-ps-running || fail podman-ps-running "$(podman ps -a --format '{{.Names}} {{.Status}}')"
  podman logs "$c" 2>&1 | grep -q "http: listening on $cip port 80" && pass podman-logs-console || fail podman-logs-console "$(podman logs "$c" 2>&1 | head -3)"
  [ "$("$oci" state "$(podman inspect -f '{{.Id}}' "$c")" | jq -r .status)" = running ] && pass podman-state-via-runtime || fail podman-state-via-runtime "not running"
  t0=$(date +%s%N)
  podman stop -t 10 "$c" >/dev/null 2>"$tmp/err"
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$ms" -lt 2000 ] && podman ps -a --format '{{.Names}} {{.Status}}' | grep -q "^$c Exited" && pass podman-stop "$ms ms" || fail podman-stop "$ms ms: $(cat "$tmp/err")"
  podman rm "$c" >/dev/null 2>"$tmp/err" && ! podman container exists "$c" && pass podman-rm || fail podman-rm "$(cat "$tmp/err")"
else
  fail podman-run-http-loopback "$(head -c 300 "$tmp/err")"
fi
# the same image on QEMU (microvm, TCG here) through the annotation
c=unfoci$$-qemu
if command -v qemu-system-x86_64 >/dev/null; then
  t0=$(date +%s%N)
  if "${P[@]}" run -d --name "$c" --annotation org.unf.platform=qemu -p 18082:80 "$img" >/dev/null 2>"$tmp/err"; then
    code=
    for i in $(seq 1 250); do code=$(curl -s -m 1 -o /dev/null -w '%{http_code}' http://127.0.0.1:18082/ 2>/dev/null); [ "$code" = 200 ] && break; sleep 0.02; done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    gpid=$(podman inspect -f '{{.State.Pid}}' "$c")
    [ "$code" = 200 ] && [ "$(cat /proc/$gpid/comm 2>/dev/null)" = qemu-system-x86 ] && pass podman-qemu "podman run to first HTTP 200 on QEMU: $ms ms" || fail podman-qemu "code '$code', pid $gpid"
    t0=$(date +%s%N); podman stop -t 10 "$c" >/dev/null 2>&1; ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$ms" -lt 2000 ] && pass podman-qemu-stop "$ms ms" || fail podman-qemu-stop "$ms ms"
    podman rm -f -t 1 "$c" >/dev/null 2>&1
  else
    fail podman-qemu "$(head -c 300 "$tmp/err")"
  fi
fi
# a terminal (--console-socket: the console is a pty sent to conmon), -m (guest memory = limit
# minus the proc driver's 16 MiB), --net=none (no NIC)
c=unfoci$$-tty
if "${P[@]}" run -d -t -m 64m --net=none --name "$c" "$img" >/dev/null 2>"$tmp/err"; then
  for i in $(seq 1 50); do podman logs "$c" 2>&1 | grep -q "http: listening" && break; sleep 0.05; done
  podman logs "$c" 2>&1 | grep -q "http: listening on any port 80" && pass podman-tty-console || fail podman-tty-console "$(podman logs "$c" 2>&1 | head -c 200)"
  gpid=$(podman inspect -f '{{.State.Pid}}' "$c")
  tr '\0' ' ' < "/proc/$gpid/cmdline" | grep -q -- "--mem 50331648 " && pass podman-memory-limit "64 MiB limit, guest 48 MiB" || fail podman-memory-limit "$(tr '\0' ' ' < "/proc/$gpid/cmdline" | head -c 200)"
  podman rm -f -t 1 "$c" >/dev/null 2>&1
else
  fail podman-tty-console "$(head -c 300 "$tmp/err")"
fi
t0=$(date +%s%N); bad=0
for i in $(seq 1 20); do
  n=unfoci$$-c$i
  { "${P[@]}" create --name "$n" "$img" >/dev/null && podman start "$n" >/dev/null && podman kill "$n" >/dev/null &&
    podman wait "$n" >/dev/null && podman rm "$n" >/dev/null; } 2>>"$tmp/cycles" || bad=$((bad + 1))
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $bad = 0 ] && pass podman-20-cycles "$ms ms for 20" || fail podman-20-cycles "$bad failed: $(head -c 300 "$tmp/cycles")"
for i in $(seq 1 30); do # conmon processes are reaped by init a moment after they end
  after=$(host_snapshot); d=$(diff <(echo "$before") <(echo "$after") | grep '^[<>]'); [ -z "$d" ] && break; sleep 0.1
done
[ -z "$d" ] && pass podman-leaves-nothing || fail podman-leaves-nothing "$(echo "$d" | tr '\n' ' ')"
podman rmi "$img" >/dev/null 2>&1
