#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The boot benchmark itself works: `unf bench boot --runs 3` prints a row per variant with
# numeric timings, writes its CSV and Markdown files, rejects bad options with status 2, and
# leaves nothing behind (tap, namespace, veth, runc containers, work dir, processes).
# The numbers are not judged here; docs/BENCHMARKS.md discusses them.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name bench_boot
unf=${UNF:-build/bin/unf}
out=$(mktemp -d /tmp/unf-bench-test.XXXXXX)
. tests/lib/host_state.sh

on_exit 'rm -rf "$out"'

if [ ! -x "$unf" ]; then
  echo "FAIL bench_boot.binary: $unf missing"
  exit 0
fi

# Bad usage: one line on stderr, exit status 2.
for bad in "--runs 0" "--runs x" "--only nosuch" "--frobnicate" "--out"; do
  # shellcheck disable=SC2086
  $unf bench boot $bad >/dev/null 2>"$out/err"; rc=$?
  lines=$(wc -l < "$out/err")
  if [ "$rc" = 2 ] && [ "$lines" = 1 ]; then
    echo "PASS bench_boot.usage '$bad'"
  else
    echo "FAIL bench_boot.usage '$bad': status $rc, $lines stderr lines: $(head -c 200 "$out/err")"
  fi
done

before=$(host_state)
timeout --kill-after=10 600 $unf bench boot --runs 3 --out "$out/res" >"$out/stdout" 2>"$out/stderr"
rc=$?
after=$(host_state)
[ "$rc" = 0 ] && echo "PASS bench_boot.exit-status" \
  || echo "FAIL bench_boot.exit-status: $rc; $(grep -v '^bench: run' "$out/stderr" | tail -n 3 | tr '\n' ' ')"

# Field N of the table row whose first cell matches a pattern.
row() { grep -E "^\| ($1) \|" "$out/stdout" | head -n 1; }
cell() { echo "$1" | awk -F'|' -v n="$2" '{gsub(/^ +| +$/, "", $(n+1)); print $(n+1)}'; }
numeric() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }

# Rows that may be skipped with a reason: hvt and the KVM rows without /dev/kvm (hvt also until
# its tender and kernel are built), unf-run when `unf run -d` does not work on this build.
for v in proc hvt qemu-microvm-kvm qemu-q35-kvm qemu-microvm-tcg qemu-q35-tcg native runc unf-run; do
  r=$(row "$v")
  if [ -z "$r" ]; then
    echo "FAIL bench_boot.row.$v: no row in the table"
    continue
  fi
  ok=$(cell "$r" 2) med=$(cell "$r" 4) p95=$(cell "$r" 5) pss=$(cell "$r" 8) note=$(cell "$r" 10)
  case "$v" in hvt|*-kvm|unf-run)
    if [[ "$note" == *skipped:* ]]; then
      echo "SKIP bench_boot.row.$v: $note"
      continue
    fi;;
  esac
  if [ "$ok" = 3 ] && numeric "$med" && numeric "$p95" && numeric "$pss"; then
    echo "PASS bench_boot.row.$v (median $med ms, p95 $p95 ms, idle PSS $pss KiB)"
  else
    echo "FAIL bench_boot.row.$v: ok=$ok median=$med p95=$p95 pss=$pss note: $note"
  fi
done

# Honest about KVM: without vmx/svm the KVM rows say so, and no hardware-KVM target is "met".
if [ -e /dev/kvm ] && ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
  bad=$(grep -E '^\| (hvt|qemu-[a-z0-9]+-kvm) \|' "$out/stdout" | grep -v 'skipped:' | grep -vc 'software KVM')
  met=$(grep -E '^\| (hvt [a-z>]|qemu-microvm-kvm: )' "$out/stdout" | grep -c '| met |$') # PSS is measurable anywhere
  if [ "$bad" = 0 ] && [ "$met" = 0 ] && grep -q 'not measurable here (no hardware KVM)' "$out/stdout"; then
    echo "PASS bench_boot.software-kvm-noted"
  else
    echo "FAIL bench_boot.software-kvm-noted: $bad KVM rows without the note, $met hardware targets met"
  fi
fi
grep -q '^| unf-run |.*platform [a-z0-9-]* (accel [a-z]*)' "$out/stdout" && echo "PASS bench_boot.unf-run-platform" \
  || echo "FAIL bench_boot.unf-run-platform: the unf-run row does not say which platform the runtime picked"

csv=$(ls "$out"/res/boot-*[0-9].csv 2>/dev/null | head -n 1)
md=$(ls "$out"/res/boot-*.md 2>/dev/null | head -n 1)
if [ -n "$csv" ] && [ -n "$md" ] && [ "$(grep -c ',' "$csv")" -ge 6 ] && grep -q '^| variant |' "$md"; then
  echo "PASS bench_boot.files ($(basename "$csv"), $(basename "$md"))"
else
  echo "FAIL bench_boot.files: csv='$csv' md='$md'"
fi
grep -q 'KVM: ' "$out/stdout" && grep -q 'Machine: ' "$out/stdout" && echo "PASS bench_boot.machine-info" \
  || echo "FAIL bench_boot.machine-info: no machine description"
grep -qE '^\| echo kernel, proc \| .* \| [0-9]+ \| [0-9]+ \|$' "$out/stdout" && echo "PASS bench_boot.sizes" \
  || echo "FAIL bench_boot.sizes: no size of the proc kernel"

# Nothing the benchmark created outlives it.
left=""
[ -e /sys/class/net/unfbt0 ] && left="$left tap unfbt0"
[ -e /sys/class/net/unfbv0 ] && left="$left veth unfbv0"
ip netns list 2>/dev/null | grep -qw unfbench && left="$left netns unfbench"
[ -e /run/unf-bench ] && left="$left /run/unf-bench"
$unf ps -a 2>/dev/null | grep -q '^unfb-' && left="$left unf instances unfb-*"
diff=$(host_state_diff "$before" "$after")
if [ -z "$left" ] && [ -z "$diff" ]; then
  echo "PASS bench_boot.cleanup"
else
  echo "FAIL bench_boot.cleanup:$left $(echo "$diff" | tr '\n' ' ')"
fi

# A second benchmark right after the first: instance and container names are new (unfb-PID-SEQ),
# so nothing collides with what the first one made.
timeout --kill-after=10 300 $unf bench boot --runs 2 --only runc,unf-run --out "$out/again" >"$out/stdout2" 2>"$out/stderr2"
rc=$?
if [ "$rc" = 0 ] && ! grep -qiE 'exists|in use|collid' "$out/stderr2"; then
  echo "PASS bench_boot.back-to-back"
else
  echo "FAIL bench_boot.back-to-back: status $rc; $(grep -v '^bench: run' "$out/stderr2" | tail -n 3 | tr '\n' ' ')"
fi

# ^C in the middle: still nothing left behind.
$unf bench boot --runs 50 --only native,runc --out "$out/int" >/dev/null 2>&1 &
pid=$!
sleep 2
kill -INT "$pid" 2>/dev/null
timeout 30 tail --pid="$pid" -f /dev/null
wait "$pid"; rc=$?
left=""
[ -e /sys/class/net/unfbv0 ] && left="$left veth unfbv0"
ip netns list 2>/dev/null | grep -qw unfbench && left="$left netns unfbench"
[ -e /run/unf-bench ] && left="$left /run/unf-bench"
if [ "$rc" = 1 ] && [ -z "$left" ]; then
  echo "PASS bench_boot.sigint-cleans-up"
else
  echo "FAIL bench_boot.sigint-cleans-up: status $rc, left:$left"
fi
