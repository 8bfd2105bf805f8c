# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the tender tests (proc_tender.sh, hvt_tender.sh): the echo kernel under a tender on
# a tap in a namespace of its own, answering ping, UDP, TCP and a 64 KiB TCP transfer, and its
# console line. Needs tests/lib/test.sh (pass, fail, ns_add) and $tmp.
#   tender_echo_start NS TENDER MEM KERNEL   starts it in the background; its pid in $echo_pid
#   tender_echo_checks NS LABEL              the checks (echo.ping, echo.udp, ...)
tender_echo_start() {
  local ns=$1 tender=$2 mem=$3 kernel=$4
  ns_add "$ns"
  ip -n "$ns" tuntap add dev t0 mode tap
  ip -n "$ns" addr add 10.93.0.1/24 dev t0
  ip -n "$ns" link set t0 up
  ip netns exec "$ns" timeout -k 2 120 "$tender" --mem "$mem" --net t0 "$kernel" \
    unf.ip0=10.93.0.2/24 unf.gw0=10.93.0.1 -- --allow-exit >"$tmp/echo.out" 2>&1 &
  echo_pid=$!
}

tender_echo_checks() {
  local ns=$1 label=$2 res reply got
  for _ in $(seq 1 100); do ip netns exec "$ns" ping -c1 -W1 10.93.0.2 >/dev/null 2>&1 && break; sleep 0.05; done
  if res=$(ip netns exec "$ns" ping -c 3 -i 0.2 -W 2 10.93.0.2 2>&1) && echo "$res" | grep -q ' 0% packet loss'; then
    pass "echo.ping ($(echo "$res" | grep -o 'rtt.*' | cut -d' ' -f4 | cut -d/ -f2) ms avg)"
  else
    fail echo.ping "$(echo "$res" | grep -m1 -E 'loss|unreach')"
  fi
  reply=$(echo -n "udp-$label" | ip netns exec "$ns" timeout 5 socat -T2 - UDP:10.93.0.2:7 2>&1)
  [ "$reply" = "udp-$label" ] && pass echo.udp || fail echo.udp "got '$reply'"
  reply=$(echo -n "tcp-$label" | ip netns exec "$ns" timeout 5 socat -T2 - TCP:10.93.0.2:7 2>&1)
  [ "$reply" = "tcp-$label" ] && pass echo.tcp || fail echo.tcp "got '$reply'"
  head -c 65536 /dev/urandom > "$tmp/payload"
  got=$(ip netns exec "$ns" timeout 30 socat -t5 -T10 - TCP:10.93.0.2:7 < "$tmp/payload" 2>/dev/null | sha256sum | cut -d' ' -f1)
  [ "$got" = "$(sha256sum < "$tmp/payload" | cut -d' ' -f1)" ] && pass echo.tcp-64KiB-intact \
    || fail echo.tcp-64KiB-intact "checksum differs"
  grep -q 'echo: listening on 10.93.0.2 port 7' "$tmp/echo.out" && pass echo.console \
    || fail echo.console "$(head -c 200 "$tmp/echo.out")"
}
