#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Live rule updates of the firewall unikernel (apps/firewall, --control) under the proc tender:
#   C (10.77.0.1) -- veth -- [F: br0 = v0 + t0 | firewall | t1 + v1 = br1] -- veth -- S (10.77.0.2)
#                                           | nic 2: t2 + v2 = br2, unf.ip2=10.78.0.2/24
#   M (10.78.0.1 allowed, 10.78.0.3 not) -- veth --+
# Over UDP from M: add a deny rule -> ping and UDP blocked; del -> they pass again; a bad rule
# -> "error:" and forwarding goes on; a datagram from 10.78.0.3 (outside --control-from) or sent
# into the data path (nic 0, even from an allowed address) has no effect; list shows the rules;
# 1000 adds (half at position 1, so neighbours get re-spread) then 1000 deletes, replies
# counted, updates/s as INFO. Everything (namespaces, links, processes) is removed at exit.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name firewall_control
tender=build/bin/unf-proc
kernel=build/kernels/firewall/x86_64-proc
id=$$
tmp=$(mktemp -d)
F=fcF$id C=fcC$id S=fcS$id M=fcM$id
CIP=10.77.0.1 SIP=10.77.0.2 MIP=10.78.0.1 MBAD=10.78.0.3 FWIP=10.78.0.2 PORT=7777
FWMAC=aa:bb:cc:00:00:02
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
for tool in socat ping python3; do
  if ! command -v $tool >/dev/null; then
    fail tools "$tool missing (scripts/setup installs it)"
    exit 0
  fi
done

# --- topology --------------------------------------------------------------------------------
setup() {
  for ns in "$F" "$C" "$S" "$M"; do
    ns_add "$ns" || return 1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ns_link "$C" eth0 "$F" v0 && ns_link "$S" eth0 "$F" v1 && ns_link "$M" eth0 "$F" v2 || return 1
  ip -n "$C" addr add $CIP/24 dev eth0 && ip -n "$C" link set eth0 up || return 1
  ip -n "$S" addr add $SIP/24 dev eth0 && ip -n "$S" link set eth0 up || return 1
  ip -n "$M" addr add $MIP/24 dev eth0 && ip -n "$M" addr add $MBAD/24 dev eth0 && ip -n "$M" link set eth0 up || return 1
  for k in 0 1 2; do
    ip -n "$F" tuntap add dev t$k mode tap || return 1
    ip -n "$F" link add br$k type bridge || return 1
    for dev in t$k v$k; do ip -n "$F" link set $dev master br$k && ip -n "$F" link set $dev up || return 1; done
    ip -n "$F" link set br$k up || return 1
  done
}
if ! setup; then
  fail setup "could not create namespaces, taps, bridges and veths"
  exit 0
fi
# a UDP answerer (socat's forking UDP server lets a lingering child take the next datagram)
(ip netns exec "$S" timeout 300 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5353))
while True:
    data, peer = s.recvfrom(2048)
    s.sendto(b"udp-ok\n", peer)' >/dev/null 2>&1 &)

ip netns exec "$F" timeout 300 "$tender" --mem 32M --net t0 --net t1 --net t2,$FWMAC "$kernel" \
  unf.ip2=$FWIP/24 -- -e '"allow tcp port 22; default allow"' --control $PORT --control-from $MIP/32 --stats-interval 1 \
  >"$tmp/fw.log" 2>&1 &
fwpid=$!
up=1
for _ in $(seq 1 50); do
  grep -q "forwarding between" "$tmp/fw.log" 2>/dev/null && up=0 && break
  kill -0 "$fwpid" 2>/dev/null || break
  sleep 0.1
done
if [ $up != 0 ]; then
  fail start "firewall did not come up: $(head -c 300 "$tmp/fw.log")"
  exit 0
fi
check start.control-line $(grep -q "firewall: control on $FWIP udp port $PORT (nic 2), from $MIP/32" "$tmp/fw.log"; echo $?) \
  "$(head -n 3 "$tmp/fw.log" | tr '\n' '|')"

ctl() { # command [source address] -> the reply (empty when none came within 2 s)
  printf '%s' "$1" | ip netns exec "$M" timeout 4 socat -t 2 -T 2 - UDP:$FWIP:$PORT,bind=${2:-$MIP} 2>/dev/null
}
ping_ok() { ip netns exec "$C" timeout 5 ping -n -c 1 -W 2 $SIP >/dev/null 2>&1; }
udp_ok() { [ "$(echo x | ip netns exec "$C" timeout 5 socat -t 2 -T 2 - UDP:$SIP:5353 2>/dev/null)" = udp-ok ]; }
both() { # pass|block: ping and UDP from C to S (else which did what)
  local p=block u=block
  ping_ok && p=pass
  udp_ok && u=pass
  if [ $p = $u ]; then echo $p; else echo "ping $p, udp $u"; fi
}

# --- the protocol ----------------------------------------------------------------------------
r=$(ctl "1 ping")
check ping $([ "$r" = "1 ok pong" ]; echo $?) "reply '$r'"
v=$(both)
check traffic-before $([ "$v" = pass ]; echo $?) "ping/udp through the firewall: $v"

r=$(ctl "2 add at 1 deny from $CIP to $SIP")
check add-deny $([ "$r" = "2 ok at 1" ]; echo $?) "reply '$r'"
v=$(both)
check traffic-blocked-after-add $([ "$v" = block ]; echo $?) "ping/udp: $v"

r=$(ctl "3 list")
check list $([[ "$r" == "3 ok 2 rules, default allow, showing 1-2"*"1: deny from $CIP to $SIP  # "*"2: allow tcp port 22  # 0 packets 0 bytes" ]]; echo $?) \
  "reply '$(printf '%s' "$r" | tr '\n' '|')'"

# not from outside --control-from ...
r=$(ctl "4 del 1" $MBAD)
check refused-source.no-reply $([ -z "$r" ]; echo $?) "reply '$r'"
v=$(both)
check refused-source.no-effect $([ "$v" = block ]; echo $?) "ping/udp after del from $MBAD: $v"
# ... and not from the data path, even from an allowed address (nic 0 frames bypass the stack)
ip -n "$C" addr add $MIP/32 dev eth0 && ip -n "$C" route add $FWIP/32 dev eth0 &&
  ip -n "$C" neigh replace $FWIP lladdr $FWMAC dev eth0 nud permanent
r=$(printf '5 del 1' | ip netns exec "$C" timeout 4 socat -t 2 -T 2 - UDP:$FWIP:$PORT,bind=$MIP 2>/dev/null)
check data-nic.no-reply $([ -z "$r" ]; echo $?) "reply '$r'"
r=$(ctl "6 stats")
check data-nic.no-effect $([[ "$r" == "6 ok rules=2 "* ]] && [[ "$r" == *" refused=1"* ]]; echo $?) "stats '$r'"
info "stats: $r"

r=$(ctl "7 del 1")
check del $([ "$r" = "7 ok deleted 1" ]; echo $?) "reply '$r'"
v=$(both)
check traffic-passes-after-del $([ "$v" = pass ]; echo $?) "ping/udp: $v"

r=$(ctl "8 add deny udp from 10.0.0.0/33")
check bad-rule.error $([ "$r" = "8 error: bad prefix length in '10.0.0.0/33' (want 0..32)" ]; echo $?) "reply '$r'"
r=$(ctl "9 frobnicate")
check bad-command.error $([[ "$r" == "9 error: unknown command 'frobnicate'"* ]]; echo $?) "reply '$r'"
v=$(both)
check bad-rule.still-forwards $([ "$v" = pass ]; echo $?) "ping/udp: $v"
r=$(ctl "10 del allow tcp to any port 22")
check del-by-text $([ "$r" = "10 ok deleted 1" ]; echo $?) "reply '$r'"

# --- 1000 adds, then 1000 deletes, one datagram each, replies counted --------------------------
ip netns exec "$M" timeout 120 python3 - $FWIP $PORT $MIP >"$tmp/loop.out" 2>&1 <<'EOF'
import socket, sys, time
fw, port, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 0))
s.settimeout(1.0)
def run(cmds):
    ok = 0
    t0 = time.monotonic()
    for seq, cmd in cmds:
        s.sendto(("%d %s" % (seq, cmd)).encode(), (fw, port))
        try:
            while True:
                reply = s.recv(2048).decode()
                if reply.split(" ", 1)[0] == str(seq):
                    break
        except socket.timeout:
            continue
        ok += reply.startswith("%d ok" % seq)
    return ok, time.monotonic() - t0
adds = [(1000 + i, ("add at 1 " if i % 2 else "add ") + "deny udp from 10.99.%d.%d port %d" % (i // 250, i % 250, 1 + i))
        for i in range(1000)]
dels = [(3000 + i, "del %d" % (1 + (i * 7919) % (1000 - i))) for i in range(1000)]
a, ta = run(adds)
d, td = run(dels)
print("adds %d %.3f dels %d %.3f" % (a, ta, d, td))
EOF
read -r _ adds tadds _ dels tdels <"$tmp/loop.out" 2>/dev/null
check loop.adds $([ "${adds:-0}" = 1000 ]; echo $?) "$(head -c 300 "$tmp/loop.out")"
check loop.dels $([ "${dels:-0}" = 1000 ]; echo $?) "$(head -c 300 "$tmp/loop.out")"
if [ "${adds:-0}" = 1000 ] && [ "${dels:-0}" = 1000 ]; then
  info "1000 adds in ${tadds}s ($(python3 -c "print(round(1000/$tadds))") updates/s), 1000 dels in ${tdels}s ($(python3 -c "print(round(1000/$tdels))") updates/s), one request in flight (noisy 2-core host)"
fi
r=$(ctl "11 list")
check loop.empty-after $([ "$r" = "11 ok 0 rules, default allow, showing 0-0" ]; echo $?) "reply '$r'"
v=$(both)
check loop.traffic-passes $([ "$v" = pass ]; echo $?) "ping/udp: $v"
sleep 1.2
check console-stats $(grep -q "firewall: stats default allow: [1-9]" "$tmp/fw.log"; echo $?) "$(tail -n 4 "$tmp/fw.log" | tr '\n' '|')"
stop_fw
