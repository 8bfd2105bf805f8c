#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The probe benchmark works: `unf bench probe --quick` prints numeric rows for every variant in
# each experiment (deploy + execute, density, probing rate), writes its Markdown and CSV files,
# rejects bad options with status 2 and one stderr line, and leaves nothing behind (namespaces,
# veths, taps, cgroups, runc containers, the HTTP server, its work dir), also after ^C.
# The numbers are not judged here.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name bench_probe
unf=${UNF:-build/bin/unf}
out=$(mktemp -d /tmp/unf-bench-probe-test.XXXXXX)
. tests/lib/host_state.sh

on_exit 'rm -rf "$out"'

if [ ! -x "$unf" ]; then
  echo "FAIL bench_probe.binary: $unf missing"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "SKIP bench_probe: needs root (namespaces, cgroups, containers)"
  exit 0
fi

for bad in "--runs 0" "--runs x" "--only nosuch" "--frobnicate" "--out" "--max-instances 0"; do
  # shellcheck disable=SC2086
  $unf bench probe $bad >/dev/null 2>"$out/err"; rc=$?
  lines=$(wc -l < "$out/err")
  if [ "$rc" = 2 ] && [ "$lines" = 1 ]; then
    echo "PASS bench_probe.usage '$bad'"
  else
    echo "FAIL bench_probe.usage '$bad': status $rc, $lines stderr lines: $(head -c 200 "$out/err")"
  fi
done

# Leftovers of the benchmark's own fixed-name objects.
leftovers() {
  local left=""
  ip netns list 2>/dev/null | grep -q '^unfbp-' && left="$left netns"
  ip -o link show 2>/dev/null | grep -q ' ubp[0-9]' && left="$left veth"
  [ -e /run/unf-bench-probe ] && left="$left /run/unf-bench-probe"
  ls -d /sys/fs/cgroup/unf-benchprobe /sys/fs/cgroup/*/unf-benchprobe >/dev/null 2>&1 && left="$left cgroup"
  pgrep -f 'busybox httpd -f -p 127.0.0.1' >/dev/null && left="$left httpd"
  pgrep -f 'unf-proc .*--net tp[0-9]' >/dev/null && left="$left unf-proc"
  pgrep -f 'qemu-system.*ifname=tp[0-9]' >/dev/null && left="$left qemu"
  echo "$left"
}

before=$(host_state)
timeout --kill-after=10 300 $unf bench probe --quick --out "$out/res" >"$out/stdout" 2>"$out/stderr"
rc=$?
after=$(host_state)
[ "$rc" = 0 ] && echo "PASS bench_probe.exit-status" \
  || echo "FAIL bench_probe.exit-status: $rc; $(grep -v '^bench: ' "$out/stderr" | tail -n 3 | tr '\n' ' ')"

row() { grep -E "^\| ($1) \|" "$out/stdout" | head -n 1; }
cell() { echo "$1" | awk -F'|' -v n="$2" '{gsub(/^ +| +$/, "", $(n+1)); print $(n+1)}'; }
numeric() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

for v in native runc proc "qemu-microvm-(tcg|kvm)"; do
  name=${v/(tcg|kvm)/accel}
  r=$(row "$v")
  ok=$(cell "$r" 2) med=$(cell "$r" 4) p95=$(cell "$r" 5)
  if [ "$ok" = 2 ] && numeric "$med" && numeric "$p95"; then
    echo "PASS bench_probe.deploy.$name (median $med ms, p95 $p95 ms)"
  else
    echo "FAIL bench_probe.deploy.$name: row '$r'"
  fi
  r=$(row "1 GiB memory \| $v")
  peak=$(cell "$r" 4)
  if numeric "$peak" && [ "$peak" -ge 1 ]; then
    echo "PASS bench_probe.density.$name (peak $peak at once, quick bound)"
  else
    echo "FAIL bench_probe.density.$name: row '$r'"
  fi
  r=$(row "[0-9]+ \| $v")
  pps=$(cell "$r" 5)
  if numeric "$pps"; then
    echo "PASS bench_probe.rate.$name ($pps pps)"
  else
    echo "FAIL bench_probe.rate.$name: row '$r'"
  fi
done
if command -v scamper >/dev/null; then
  r=$(row "[0-9]+ \| scamper \(native\)")
  numeric "$(cell "$r" 5)" && echo "PASS bench_probe.rate.scamper" || echo "FAIL bench_probe.rate.scamper: row '$r'"
fi
r=$(row "probe image \(.unf, both kernels\)")
numeric "$(cell "$r" 2)" && echo "PASS bench_probe.sizes" || echo "FAIL bench_probe.sizes: row '$r'"

csv=$(ls "$out"/res/probe-*[0-9].csv 2>/dev/null | head -n 1)
md=$(ls "$out"/res/probe-*.md 2>/dev/null | head -n 1)
if [ -n "$csv" ] && [ -n "$md" ] && grep -q '^deploy,proc,median,' "$csv" && grep -q '^## Density' "$md"; then
  echo "PASS bench_probe.files ($(basename "$md"), $(basename "$csv"))"
else
  echo "FAIL bench_probe.files: csv='$csv' md='$md'"
fi
grep -q 'KVM: ' "$out/stdout" && grep -q 'Machine: ' "$out/stdout" && echo "PASS bench_probe.machine-info" \
  || echo "FAIL bench_probe.machine-info: no machine description"

left=$(leftovers)
# Other tests may run at the same time: only differences that name the benchmark's objects count.
diff=$(host_state_diff "$before" "$after" | grep -E 'unfbp|benchprobe|ubp[0-9]|tp[0-9]' || true)
if [ -z "$left" ] && [ -z "$diff" ]; then
  echo "PASS bench_probe.cleanup"
else
  echo "FAIL bench_probe.cleanup:$left $(echo "$diff" | tr '\n' ' ')"
fi

# ^C in the middle (during deploy or density): still nothing left behind.
$unf bench probe --runs 50 --quick --out "$out/int" >/dev/null 2>&1 &
pid=$!
sleep 4
kill -INT "$pid" 2>/dev/null
timeout 60 tail --pid="$pid" -f /dev/null
wait "$pid"; rc=$?
left=$(leftovers)
if [ "$rc" = 1 ] && [ -z "$left" ]; then
  echo "PASS bench_probe.sigint-cleans-up"
else
  echo "FAIL bench_probe.sigint-cleans-up: status $rc, left:$left"
fi
