#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The native build of every app under AddressSanitizer + UBSan (build/native-asan/), driven by
# real clients in its own namespace: concurrent TCP transfers, abrupt resets, a UDP burst, then a
# clean exit; any sanitizer report (including leaks at exit) fails the test.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name native_asan
ns=unfasan$$
log=$(mktemp)
on_exit 'rm -f "$log"'
ns_add "$ns"
ns_veth "$ns" "va$$" 10.93.0.1/24 10.93.0.2/24

ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 ip netns exec "$ns" build/native-asan/echo --allow-exit >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do echo -n x | timeout 1 socat -T1 - UDP:10.93.0.2:7 2>/dev/null | grep -q x && break; sleep 0.05; done

# 40 concurrent TCP clients, 64 KiB each, checked.
ok=0
for i in $(seq 1 40); do
  ( head -c 65536 /dev/zero | tr '\0' "$(printf "\\$(printf %o $((65 + i % 26)))")" > /tmp/asan-in-$$-$i
    timeout 30 socat -t5 -T10 - TCP:10.93.0.2:7 < /tmp/asan-in-$$-$i 2>/dev/null | cmp -s - /tmp/asan-in-$$-$i && echo ok
    rm -f /tmp/asan-in-$$-$i ) > /tmp/asan-res-$$-$i &
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null
for i in $(seq 1 40); do grep -q ok /tmp/asan-res-$$-$i 2>/dev/null && ok=$((ok + 1)); rm -f /tmp/asan-res-$$-$i; done
[ "$ok" = 40 ] && echo "PASS native-asan.echo.40-concurrent-tcp-transfers" || echo "FAIL native-asan.echo.40-concurrent-tcp-transfers: $ok/40 intact"

# Abrupt resets mid-transfer, and a burst of UDP datagrams of every size class.
for i in $(seq 1 20); do timeout 0.2 socat -u /dev/zero TCP:10.93.0.2:7 2>/dev/null; done
for size in 0 1 100 1400 1472 8000 65000; do head -c "$size" /dev/urandom | timeout 1 socat -T0.5 - UDP:10.93.0.2:7 >/dev/null 2>&1; done
reply=$(echo -n still-alive | timeout 2 socat -T1 - UDP:10.93.0.2:7 2>/dev/null)
[ "$reply" = still-alive ] && echo "PASS native-asan.echo.survives-resets-and-burst" || echo "FAIL native-asan.echo.survives-resets-and-burst"

echo -n "exit 0" | socat - UDP:10.93.0.2:7 2>/dev/null
timeout 10 tail --pid=$pid -f /dev/null; wait $pid; rc=$?
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$log"; then
  echo "FAIL native-asan.echo.no-sanitizer-reports: $(grep -m1 -E 'ERROR|runtime error' "$log")"
else
  echo "PASS native-asan.echo.no-sanitizer-reports"
fi
[ "$rc" = 0 ] && echo "PASS native-asan.echo.clean-exit" || echo "FAIL native-asan.echo.clean-exit: status $rc"
