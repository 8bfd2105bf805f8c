#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# unf-oci under containerd: a containerd of this test (own socket, root and state dirs) imports
# the DNS image as an OCI layout written by `unf-oci oci-image`, and `ctr run --runtime
# io.containerd.runc.v2 --runc-binary unf-oci` (the runc shim with BinaryName = unf-oci) runs it
# in a network namespace the test made (veth to the host side): dig gets the answer, `ctr task
# kill` stops it within 2 s, and task/container removal leaves the namespace as it was and no
# state. SKIPs when containerd is not installed or cannot start here.
set -u
cd "$(dirname "$0")/../.."
oci=$PWD/build/bin/unf-oci
tmp=$(mktemp -d /tmp/unf-oci-containerd.XXXXXX)
run=/run/unf-oci-test-containerd
lib=/var/lib/unf-oci-test-containerd
ns=unfocictr$$
hv=uoc$$
pass() { echo "PASS oci_containerd.$1${2:+ ($2)}"; }
fail() { echo "FAIL oci_containerd.$1: $2"; }
skip() { echo "SKIP oci_containerd.daemon: $1"; cleanup; trap - EXIT; exit 0; }
C=(ctr -a "$run/containerd.sock" -n unfoci)
daemon=

cleanup() {
  if [ -n "$daemon" ]; then
    "${C[@]}" task kill -s KILL dns$$ >/dev/null 2>&1; sleep 0.2
    "${C[@]}" task rm -f dns$$ >/dev/null 2>&1; "${C[@]}" container rm dns$$ >/dev/null 2>&1
    kill "$daemon" 2>/dev/null
    for i in $(seq 1 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
  fi
  ip netns del "$ns" 2>/dev/null; ip link del "$hv" 2>/dev/null
  # the shim's cgroups are /unfoci/<id>: unf-oci removes the leaf, the namespace's parent is ours
  for c in /sys/fs/cgroup /sys/fs/cgroup/memory /sys/fs/cgroup/cpu /sys/fs/cgroup/cpuacct /sys/fs/cgroup/pids; do
    rmdir "$c/unfoci" 2>/dev/null
  done
  rm -rf "$tmp" "$lib" "$run"
}
trap cleanup EXIT

[ -x "$oci" ] || { fail build "$oci missing"; exit 0; }
command -v containerd >/dev/null && command -v ctr >/dev/null && command -v containerd-shim-runc-v2 >/dev/null ||
  skip "containerd is not installed (scripts/setup installs it)"
cat > "$tmp/config.toml" <<EOF
version = 2
root = "$lib"
state = "$run"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$run/containerd.sock"
EOF
containerd --config "$tmp/config.toml" >"$tmp/containerd.log" 2>&1 &
daemon=$!
for i in $(seq 1 100); do "${C[@]}" version >/dev/null 2>&1 && break; kill -0 $daemon 2>/dev/null || break; sleep 0.1; done
"${C[@]}" version >/dev/null 2>&1 || skip "containerd cannot start here: $(grep -i -m1 -e error -e fatal "$tmp/containerd.log" | head -c 200)"
pass containerd-started "$(containerd --version | awk '{print $3}')"

if "$oci" oci-image build/images/dns.unf "$tmp/layout" 2>"$tmp/err" && tar -C "$tmp/layout" -cf "$tmp/layout.tar" . &&
   "${C[@]}" images import --base-name localhost/unf-dns "$tmp/layout.tar" >/dev/null 2>>"$tmp/err" &&
   "${C[@]}" images ls -q | grep -qx localhost/unf-dns:latest; then
  pass oci-image-import
else
  fail oci-image-import "$(head -c 300 "$tmp/err")"; exit 0
fi

ip netns add "$ns" && ip link add "$hv" type veth peer name eth0 netns "$ns" &&
  ip addr add 10.204.0.1/24 dev "$hv" && ip link set "$hv" up &&
  ip -n "$ns" addr add 10.204.0.2/24 dev eth0 && ip -n "$ns" link set eth0 up &&
  ip -n "$ns" route add default via 10.204.0.1 || { fail netns-setup "cannot create $ns"; exit 0; }
ns_state() { ip -n "$ns" -br addr show eth0 | awk '{print $3}'; ip -n "$ns" route; ip -n "$ns" -o link | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; ip netns exec "$ns" tc qdisc show | grep -c ingress; }
before=$(ns_state)

t0=$(date +%s%N)
if "${C[@]}" run -d --runtime io.containerd.runc.v2 --runc-binary "$oci" --with-ns "network:/var/run/netns/$ns" \
     localhost/unf-dns:latest "dns$$" >"$tmp/console" 2>"$tmp/err"; then
  a=
  for i in $(seq 1 200); do a=$(dig +short +time=1 +tries=1 @10.204.0.2 ns1.example.com A 2>/dev/null); [ "$a" = 192.0.2.53 ] && break; sleep 0.01; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$a" = 192.0.2.53 ] && pass ctr-run-dig "ctr run to first DNS answer: $ms ms" || fail ctr-run-dig "got '$a'"
  "${C[@]}" task ls | grep -q "^dns$$ .*RUNNING" && pass ctr-task-running || fail ctr-task-running "$("${C[@]}" task ls)"
  t0=$(date +%s%N)
  "${C[@]}" task kill "dns$$" 2>/dev/null
  for i in $(seq 1 200); do "${C[@]}" task ls | grep -q "^dns$$ .*STOPPED" && break; sleep 0.01; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  "${C[@]}" task ls | grep -q "^dns$$ .*STOPPED" && [ "$ms" -lt 2000 ] && pass ctr-kill-stops "$ms ms" || fail ctr-kill-stops "$ms ms: $("${C[@]}" task ls)"
  "${C[@]}" task rm "dns$$" >/dev/null 2>&1 && "${C[@]}" container rm "dns$$" >/dev/null 2>&1 && pass ctr-rm || fail ctr-rm "task/container rm failed"
  [ "$(ns_state)" = "$before" ] && [ -z "$(ls /run/containerd/runc/unfoci 2>/dev/null)" ] &&
    [ -z "$(find /sys/fs/cgroup -maxdepth 3 -path "*/unfoci/dns$$" 2>/dev/null)" ] &&
    ! pgrep -f "containerd/runc/unfoci" >/dev/null && pass ctr-leaves-nothing || fail ctr-leaves-nothing "$(ns_state | tr '\n' ' ') / $(ls /run/containerd/runc/unfoci 2>&1)"
else
  fail ctr-run-dig "$(head -c 300 "$tmp/err")"
fi
