#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The firewall unikernel (apps/firewall) under the proc tender as a bump in the wire, checked
# with real TCP (socat, iperf3), UDP (socat) and ICMP (ping) flows, and compared verdict by
# verdict with the same rules in nftables:
#   C (10.77.0.1) -- veth -- [F: br0 = veth + tap t0 | firewall | tap t1 + veth = br1] -- veth -- S (10.77.0.2)
#   C2 (10.77.0.1) -- veth -- [N: Linux bridge, nftables ip forward chain (br_netfilter)] -- veth -- S2 (10.77.0.2)
# Two rule sets: stateful (--conntrack, nft "ct state established accept") and stateless (reply
# rules written out, partly in ClassBench format). Also: malformed rule files give one line
# "firewall: FILE:LINE: problem" and exit 2; per-rule counters show up in the console.
# Everything (namespaces, links, processes) is removed at exit; every wait is bounded.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name firewall
tender=build/bin/unf-proc
kernel=build/kernels/firewall/x86_64-proc
id=$$
tmp=$(mktemp -d)
F=fwF$id C=fwC$id S=fwS$id N=fwN$id C2=fwc$id S2=fws$id
CIP=10.77.0.1 SIP=10.77.0.2
fwpid=

stop_fw() {
  [ -n "$fwpid" ] || return 0
  kill "$fwpid" 2>/dev/null
  for _ in $(seq 1 20); do kill -0 "$fwpid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$fwpid" 2>/dev/null
  wait "$fwpid" 2>/dev/null
  fwpid=
}

on_exit 'rm -rf "$tmp"'
on_exit stop_fw

for f in "$tender" "$kernel"; do
  if [ ! -f "$f" ]; then
    fail build "$f missing (make $f)"
    exit 0
  fi
done
for tool in socat iperf3 nft ping tar; do
  if ! command -v $tool >/dev/null; then
    fail tools "$tool missing (scripts/setup installs it)"
    exit 0
  fi
done

# --- rule files ------------------------------------------------------------------------------
mkdir -p "$tmp/files"
cat >"$tmp/files/stateful.rules" <<'EOF'
# replies come back through conntrack
allow tcp from 10.77.0.1 to 10.77.0.2 port 8080,5201
allow udp from 10.77.0.1 to 10.77.0.2 port 5353
allow icmp echo-request from 10.77.0.1 to 10.77.0.2
deny tcp to 10.77.0.2 port 8081
default deny
EOF
cat >"$tmp/files/stateful.nft" <<'EOF'
table ip fw {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established accept
    ip saddr 10.77.0.1 ip daddr 10.77.0.2 tcp dport { 8080, 5201 } accept
    ip saddr 10.77.0.1 ip daddr 10.77.0.2 udp dport 5353 accept
    ip saddr 10.77.0.1 ip daddr 10.77.0.2 icmp type echo-request accept
    ip daddr 10.77.0.2 tcp dport 8081 drop
  }
}
EOF
cat >"$tmp/files/stateless.rules" <<'EOF'
# no conntrack: every reply needs its own rule
allow tcp from 10.77.0.1 to 10.77.0.2 port 8080
allow tcp from 10.77.0.2 sport 8080 to 10.77.0.1
allow tcp from 10.77.0.1 to 10.77.0.2 port 8083
deny icmp echo-request
allow icmp
@0.0.0.0/0 10.77.0.2/32 0 : 65535 5353 : 5353 0x11/0xFF allow
@10.77.0.2/32 0.0.0.0/0 5353 : 5353 0 : 65535 0x11/0xFF allow
default deny
EOF
cat >"$tmp/files/stateless.nft" <<'EOF'
table ip fw {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ip saddr 10.77.0.1 ip daddr 10.77.0.2 tcp dport 8080 accept
    ip saddr 10.77.0.2 ip daddr 10.77.0.1 tcp sport 8080 accept
    ip saddr 10.77.0.1 ip daddr 10.77.0.2 tcp dport 8083 accept
    icmp type echo-request drop
    ip protocol icmp accept
    ip daddr 10.77.0.2 udp dport 5353 accept
    ip saddr 10.77.0.2 udp sport 5353 accept
  }
}
EOF
printf 'allow tcp port 80\ndeny udp from 10.0.0.0/8\n\nallow tcp from 10.1.0.0/8 to 10.0.0.0/33 port 80\n' >"$tmp/files/bad-prefix.rules"
printf 'allow tcp port 80\nallow tcp from 10.0.0.0/8 port 443-80\n' >"$tmp/files/bad-range.rules"
printf '# ok\nallow tcp from 10.0.0.0/8 tto 10.0.0.1\n' >"$tmp/files/bad-syntax.rules"
printf '@10.0.0.0/8 0.0.0.0/0 0 : 65535 80 : 80 0x06/0xFF\n@10.0.0.0/8 0.0.0.0/0 0 : 65535 80 : 80\n' >"$tmp/files/bad-classbench.rules"
(cd "$tmp/files" && tar --format=ustar -cf "$tmp/rules.tar" stateful.rules stateless.rules bad-prefix.rules \
  bad-range.rules bad-syntax.rules bad-classbench.rules)

# --- rule-set errors: one line naming file and line, exit 2 ----------------------------------
# (a unikernel has one console: its stderr and stdout both arrive on the tender's stdout)
run_check() { # then firewall args; sets rc, out (console), err (the same)
  timeout -k 2 10 "$tender" --archive "$tmp/rules.tar" "$kernel" -- "$@" >"$tmp/out" 2>&1
  rc=$?
  out=$(cat "$tmp/out")
  err=$out
}
run_check --rules stateful.rules --check
check rules.valid-accepted $([ "$rc" = 0 ] && [[ "$out" == *"4 rules (5 classifier entries), default deny"* ]]; echo $?) \
  "rc $rc: $out $err"
bad_rules() { # name, file, expected message
  run_check --rules "$2" --check
  local lines
  lines=$(printf '%s\n' "$err" | grep -c .)
  check "rules.$1" $([ "$rc" = 2 ] && [ "$lines" = 1 ] && [ "$err" = "$3" ]; echo $?) "rc $rc, stderr '$err'"
}
bad_rules bad-prefix bad-prefix.rules "firewall: bad-prefix.rules:4: bad prefix length in '10.0.0.0/33' (want 0..32)"
bad_rules reversed-range bad-range.rules "firewall: bad-range.rules:2: port range 443-80 is reversed (443 > 80)"
bad_rules syntax bad-syntax.rules "firewall: bad-syntax.rules:2: unexpected 'tto' (want from, to, sport or port)"
bad_rules classbench bad-classbench.rules \
  "firewall: bad-classbench.rules:2: ClassBench rule: want '@SRC/LEN DST/LEN LO : HI LO : HI 0xPROTO/0xMASK'"
bad_rules missing-file nothere.rules "firewall: nothere.rules: no such file in the image's files"
run_check -e '"allow tcp; deny udp port 53-7"' --check
check rules.command-line-error $([ "$rc" = 2 ] && [ "$err" = "firewall: -e:2: port range 53-7 is reversed (53 > 7)" ]; echo $?) \
  "rc $rc, stderr '$err'"

# --- topology --------------------------------------------------------------------------------
endpoints() { # client ns, server ns, middle ns, middle dev for client side, for server side
  ns_link "$1" eth0 "$3" "$4" && ns_link "$2" eth0 "$3" "$5" || return 1
  ip -n "$1" addr add $CIP/24 dev eth0 && ip -n "$1" link set eth0 up || return 1
  ip -n "$2" addr add $SIP/24 dev eth0 && ip -n "$2" link set eth0 up || return 1
}
setup() {
  for ns in "$F" "$C" "$S" "$N" "$C2" "$S2"; do
    ns_add "$ns" || return 1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  endpoints "$C" "$S" "$F" v0 v1 || return 1
  for k in 0 1; do
    ip -n "$F" tuntap add dev t$k mode tap || return 1
    ip -n "$F" link add br$k type bridge || return 1
    for dev in t$k v$k; do ip -n "$F" link set $dev master br$k && ip -n "$F" link set $dev up || return 1; done
    ip -n "$F" link set br$k up || return 1
  done
  endpoints "$C2" "$S2" "$N" v0 v1 || return 1
  ip -n "$N" link add br0 type bridge || return 1
  for dev in v0 v1; do ip -n "$N" link set $dev master br0 && ip -n "$N" link set $dev up || return 1; done
  ip -n "$N" link set br0 up || return 1
  # bridged IPv4 goes through the ip forward hook (and conntrack) of this namespace
  ip netns exec "$N" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null
}
bg() { # a server outside this shell's job table (namespace deletion ends it, quietly)
  ("$@" >/dev/null 2>&1 &)
}
if ! setup; then
  fail setup "could not create namespaces, taps, bridges and veths"
  exit 0
fi
for ns in "$S" "$S2"; do
  for p in 8080 8081 8082 8083; do
    bg ip netns exec "$ns" timeout 300 socat TCP-LISTEN:$p,reuseaddr,fork SYSTEM:'echo tcp-ok'
  done
  for p in 5353 5354; do
    bg ip netns exec "$ns" timeout 300 socat UDP-RECVFROM:$p,reuseaddr,fork SYSTEM:'echo udp-ok'
  done
  bg ip netns exec "$ns" timeout 300 iperf3 -s
done
for ns in "$C" "$C2"; do
  bg ip netns exec "$ns" timeout 300 socat TCP-LISTEN:8080,reuseaddr,fork SYSTEM:'echo tcp-ok'
done
sleep 0.5

# --- flows -----------------------------------------------------------------------------------
tcp_flow() { # ns dst port -> pass|block
  local o
  o=$(ip netns exec "$1" timeout 5 socat -t 2 -T 3 - TCP:$2:$3,connect-timeout=2 </dev/null 2>/dev/null)
  [ "$o" = tcp-ok ] && echo pass || echo block
}
udp_flow() {
  local o
  o=$(echo ping | ip netns exec "$1" timeout 5 socat -t 2 -T 2 - UDP:$2:$3 2>/dev/null)
  [ "$o" = udp-ok ] && echo pass || echo block
}
icmp_flow() {
  ip netns exec "$1" timeout 5 ping -n -c 1 -W 2 "$2" >/dev/null 2>&1 && echo pass || echo block
}
# name:kind:from:port; "from" c = client to server, s = server to client
FLOWS="tcp-8080:tcp:c:8080 tcp-8081:tcp:c:8081 tcp-8082:tcp:c:8082 tcp-8083:tcp:c:8083 tcp-back-8080:tcp:s:8080
udp-5353:udp:c:5353 udp-5354:udp:c:5354 ping:icmp:c:0 ping-back:icmp:s:0"
run_flows() { # client ns, server ns -> "name=verdict ..." on stdout
  local f name kind from port ns dst v
  for f in $FLOWS; do
    IFS=: read -r name kind from port <<<"$f"
    if [ "$from" = c ]; then ns=$1 dst=$SIP; else ns=$2 dst=$CIP; fi
    case $kind in
      tcp) v=$(tcp_flow "$ns" "$dst" "$port") ;;
      udp) v=$(udp_flow "$ns" "$dst" "$port") ;;
      icmp) v=$(icmp_flow "$ns" "$dst") ;;
    esac
    printf '%s=%s ' "$name" "$v"
  done
}
start_fw() { # firewall args...
  ip netns exec "$F" timeout 300 "$tender" --mem 32M --net t0 --net t1 --archive "$tmp/rules.tar" "$kernel" -- \
    "$@" >"$tmp/fw.log" 2>&1 &
  fwpid=$!
  for _ in $(seq 1 50); do
    grep -q "forwarding between" "$tmp/fw.log" 2>/dev/null && return 0
    kill -0 "$fwpid" 2>/dev/null || break
    sleep 0.1
  done
  return 1
}
compare() { # scenario, expected, unikernel result, nftables result
  local e u n name
  for e in $2; do
    name=${e%%=*}
    u=$(printf '%s\n' $3 | grep "^$name=")
    n=$(printf '%s\n' $4 | grep "^$name=")
    check "$1.$name.firewall" $([ "$u" = "$e" ]; echo $?) "got ${u#*=}, want ${e#*=}"
    check "$1.$name.same-as-nftables" $([ "$u" = "$n" ]; echo $?) "firewall ${u#*=}, nftables ${n#*=}"
  done
}
scenario() { # name, expected, firewall args...
  local name=$1 want=$2 fw nf
  shift 2
  if ! start_fw "$@"; then
    fail "$name.start" "firewall did not come up: $(head -c 300 "$tmp/fw.log")"
    stop_fw
    return
  fi
  fw=$(run_flows "$C" "$S")
  ip netns exec "$N" nft flush ruleset
  if ! ip netns exec "$N" nft -f "$tmp/files/$name.nft" 2>"$tmp/nft.err"; then
    fail "$name.nft" "nft -f: $(head -n1 "$tmp/nft.err")"
  fi
  nf=$(run_flows "$C2" "$S2")
  echo "INFO $name firewall: $fw"
  echo "INFO $name nftables: $nf"
  compare "$name" "$want" "$fw" "$nf"
}

scenario stateful "tcp-8080=pass tcp-8081=block tcp-8082=block tcp-8083=block tcp-back-8080=block \
udp-5353=pass udp-5354=block ping=pass ping-back=block" --rules stateful.rules --conntrack --stats-interval 1
# a real bulk flow through the firewall, allowed by rule 1 (port 5201), replies by conntrack
if ip netns exec "$C" timeout 15 iperf3 -c $SIP -t 1 -J >"$tmp/iperf.json" 2>&1; then
  mbps=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]/1e6,1))' \
    "$tmp/iperf.json" 2>/dev/null)
  pass stateful.iperf3-tcp
  echo "INFO iperf3 -t 1 through the proc firewall: ${mbps:-?} Mbit/s"
else
  fail stateful.iperf3-tcp "iperf3 failed: $(head -c 200 "$tmp/iperf.json")"
fi
sleep 1.2
check stateful.counters $(grep -q "firewall: stats rule 1 line 2 allow: [1-9][0-9]* packets" "$tmp/fw.log" && \
  grep -q "firewall: stats rule 4 line 5 deny: [1-9]" "$tmp/fw.log" && \
  grep -q "conntrack on: [1-9][0-9]* packets passed as established" "$tmp/fw.log"; echo $?) \
  "no per-rule counters in the console: $(tail -n 5 "$tmp/fw.log" | tr '\n' '|')"
stop_fw

scenario stateless "tcp-8080=pass tcp-8081=block tcp-8082=block tcp-8083=block tcp-back-8080=block \
udp-5353=pass udp-5354=block ping=block ping-back=block" --rules stateless.rules
stop_fw
