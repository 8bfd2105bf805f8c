#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The dns app over IPv6, with real clients in namespaces of this test's own: the proc unikernel
# under the proc tender on a tap, given unf.ip6_0=, answers ping -6 (global, link-local, and a
# fragmented echo), dig -6 over UDP and TCP with the same answer as over IPv4, an AXFR over
# IPv6, a 2.7 kB fragmented UDP answer; IPv4 keeps working beside it; malformed unf.ip6_0 values
# are refused with one line and status 2. The native build does the same over a veth between
# two namespaces (AF_INET6 dual-stack sockets). Last, `unf-bench dns --ipv6` for one short step.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name dns_ipv6
tender=build/bin/unf-proc
kernel=build/kernels/dns/x86_64-proc
native=build/native/dns
ns=unfd6c$$
nss=unfd6s$$
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
v4=10.96.53.2
v6=fd00:756e:66::2
nv6=fd00:756e:67::2

for tool in dig ping; do
  command -v $tool >/dev/null || { skip tools "$tool missing (scripts/setup installs it)"; exit 0; }
done
[ -x "$tender" ] && [ -f "$kernel" ] && [ -x "$native" ] || { fail build "$tender, $kernel or $native missing"; exit 0; }
tar --format=ustar -cf "$tmp/zones.tar" -C apps/dns/files .

# The answer sections of a dig, sorted (ids and timings left out), for comparing two servers.
answer() { # ns server [dig options...]
  local n=$1 at=$2
  shift 2
  ip netns exec "$n" timeout 10 dig "@$at" +time=2 +tries=2 +nocmd +nostats +noquestion "$@" 2>&1 |
    grep -v -e '^;; ->>HEADER' -e '^;; Query time' -e '^;; SERVER' -e '^;; WHEN' -e '^;; MSG SIZE' -e '^$' | sort
}

# ---- bad options: one line, status 2, nothing served ----------------------------------------
for bad in "unf.ip6_0=fd00::1/48" "unf.ip6_0=fd00::g" "unf.ip6_0=10.0.0.1" "unf.ip6_0=1::2::3" "unf.ip6_9=fd00::1"; do
  out=$(timeout 10 "$tender" --mem 32M --archive "$tmp/zones.tar" "$kernel" "$bad" 2>&1); rc=$?
  if [ $rc = 2 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "bad option"; then
    pass "bad-option ${bad#unf.}"
  else
    fail "bad-option ${bad#unf.}" "exit $rc: $(echo "$out" | head -c 200)"
  fi
done

# ---- the proc unikernel on a tap, both families -----------------------------------------------
ns_add "$ns"
ip -n "$ns" tuntap add dev t0 mode tap
ip -n "$ns" addr add 10.96.53.1/24 dev t0
ip -n "$ns" addr add fd00:756e:66::1/64 dev t0 nodad
ip -n "$ns" link set t0 up
ip netns exec "$ns" timeout -k 2 120 "$tender" --mem 32M --net t0 --archive "$tmp/zones.tar" "$kernel" \
  unf.ip0=$v4/24 unf.ip6_0=$v6/64 > "$tmp/proc.out" 2>&1 &
proc_pid=$!
on_exit "kill $proc_pid 2>/dev/null"

up=1
for _ in $(seq 1 100); do ip netns exec "$ns" ping -6 -c1 -W1 $v6 >/dev/null 2>&1 && break; sleep 0.05; done
if res=$(ip netns exec "$ns" ping -6 -c 3 -i 0.2 -W 2 $v6 2>&1) && echo "$res" | grep -q ' 0% packet loss'; then
  pass proc.ping6 "$(echo "$res" | grep -o 'rtt.*' | cut -d' ' -f4 | cut -d/ -f2) ms avg"
else
  fail proc.ping6 "$(echo "$res" | grep -m1 -E 'loss|unreach')"; up=0
fi
grep -q "on $v4 and $v6 port 53" "$tmp/proc.out" && pass proc.console || fail proc.console "$(head -c 200 "$tmp/proc.out")"
if [ $up = 1 ]; then
  res=$(ip netns exec "$ns" ping -6 -c 2 -i 0.2 -W 2 -s 3000 $v6 2>&1)
  echo "$res" | grep -q ' 0% packet loss' && pass proc.ping6-fragmented || fail proc.ping6-fragmented "$(echo "$res" | tail -n 2 | head -n 1)"
  # The guest's link-local address, from the neighbour entry its global address resolved to.
  mac=$(ip -n "$ns" -6 neigh show $v6 | grep -o 'lladdr [0-9a-f:]*' | cut -d' ' -f2)
  if [ -n "$mac" ]; then
    IFS=: read -r m1 m2 m3 m4 m5 m6 <<<"$mac"
    ll=$(printf 'fe80::%x:%x:%x:%x' $(((0x$m1 ^ 2) << 8 | 0x$m2)) $((0x$m3 << 8 | 0xff)) $((0xfe00 | 0x$m4)) $((0x$m5 << 8 | 0x$m6)))
    ip netns exec "$ns" ping -6 -c 2 -i 0.2 -W 2 "$ll%t0" 2>&1 | grep -q ' 0% packet loss' && pass proc.ping6-link-local \
      || fail proc.ping6-link-local "no answer from $ll"
  else
    fail proc.ping6-link-local "no neighbour entry for $v6"
  fi
  for q in "www.example.com A" "example.com MX" "nothere.example.com A" "x.sub.example.com A" "1.2.0.192.in-addr.arpa PTR"; do
    want=$(answer "$ns" $v4 $q)
    got6=$(answer "$ns" $v6 -6 $q)
    got6t=$(answer "$ns" $v6 -6 +tcp $q)
    if echo "$want" | grep -q 'flags: qr' && [ "$got6" = "$want" ] && [ "$got6t" = "$want" ]; then
      pass "proc.dig6 ${q// /-}"
    else
      fail "proc.dig6 ${q// /-}" "v6 answer differs from v4 (or no answer): $(echo "$got6" | head -n 3 | tr '\n' ' ')"
    fi
  done
  out=$(ip netns exec "$ns" timeout 10 dig -6 @$v6 huge.example.com TXT +bufsize=4096 +time=2 +tries=2 2>&1)
  size=$(echo "$out" | grep -o 'MSG SIZE  rcvd: [0-9]*' | grep -o '[0-9]*$')
  [ "${size:-0}" -gt 1500 ] && ! echo "$out" | grep -q 'flags:.* tc' && pass proc.udp6-fragmented-answer "$size bytes" \
    || fail proc.udp6-fragmented-answer "got ${size:-no} bytes: $(echo "$out" | grep -m1 -E 'flags|timed out')"
  out=$(ip netns exec "$ns" timeout 20 dig -6 @$v6 example.com AXFR +time=3 +tries=1 2>&1)
  n=$(echo "$out" | grep -c 'IN[[:space:]]*SOA')
  [ "$n" = 2 ] && pass proc.axfr6 "$(echo "$out" | grep -o 'XFR size: [0-9]* records')" || fail proc.axfr6 "$n SOA records: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
  ip netns exec "$ns" ping -c 2 -i 0.2 -W 2 $v4 2>&1 | grep -q ' 0% packet loss' && pass proc.ipv4-still \
    || fail proc.ipv4-still "no IPv4 ping answer"
fi
kill $proc_pid 2>/dev/null
wait $proc_pid 2>/dev/null

# ---- the native build: dual-stack Linux sockets between two namespaces -------------------------
ns_add "$nss"
if ns_link "$ns" n0 "$nss" n0 && ip -n "$ns" addr add fd00:756e:67::1/64 dev n0 nodad &&
   ip -n "$nss" addr add $nv6/64 dev n0 nodad && ip -n "$ns" addr add 10.96.54.1/24 dev n0 &&
   ip -n "$nss" addr add 10.96.54.2/24 dev n0 && ip -n "$ns" link set n0 up && ip -n "$nss" link set n0 up; then
  UNF_FILES="$tmp/zones.tar" ip netns exec "$nss" timeout -k 2 60 "$native" > "$tmp/native.out" 2>&1 &
  native_pid=$!
  on_exit "kill $native_pid 2>/dev/null"
  for _ in $(seq 1 100); do ip netns exec "$ns" dig -6 @$nv6 example.com SOA +time=1 +tries=1 >/dev/null 2>&1 && break; sleep 0.1; done
  want=$(answer "$ns" 10.96.54.2 www.example.com A)
  got6=$(answer "$ns" $nv6 -6 www.example.com A)
  got6t=$(answer "$ns" $nv6 -6 +tcp www.example.com A)
  echo "$want" | grep -q 'flags: qr aa' && [ "$got6" = "$want" ] && [ "$got6t" = "$want" ] && pass native.dig6 \
    || fail native.dig6 "v6 answer differs from v4 (or no answer): $(echo "$got6" | head -n 3 | tr '\n' ' ')"
  grep -q "and $nv6 port 53" "$tmp/native.out" && pass native.console || fail native.console "$(head -c 200 "$tmp/native.out")"
  kill $native_pid 2>/dev/null
  wait $native_pid 2>/dev/null
else
  fail native.setup "could not link the namespaces"
fi

# ---- the benchmark over IPv6, briefly: the bare-tap unikernel and NSD, one step each -----------
if command -v dnsperf >/dev/null; then
  out=$(timeout 120 build/bin/unf-bench dns --ipv6 --seconds 1 --rounds 1 --rates 1000 --only proc-tap,nsd \
        --out "$tmp/bench" 2>&1); rc=$?
  if [ $rc = 0 ] && echo "$out" | grep -q '^Queries over IPv6' && echo "$out" | grep -q '^| proc-tap | 1000 |' \
     && echo "$out" | grep -q '^| nsd | 1000 |'; then
    pass bench-smoke-ipv6 "proc-tap $(echo "$out" | grep '^| proc-tap | 1000 |' | cut -d'|' -f9 | tr -d ' ') us/query"
  else
    fail bench-smoke-ipv6 "exit $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
  fi
else
  skip bench-smoke-ipv6 "dnsperf missing"
fi

exit 0
