#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Instance networking done in-process (runtime/net.c over runtime/netlink.c), driven without a
# guest by build/tests/net_tool: the namespace is an `ip netns` namespace (ip netns list/exec
# and ip -n see it), the links of both layouts (tap: eth0 + tap0 on br0; packet: lo + eth0 only,
# IPv6 off, no tx checksum offload on the host end) are made and carry traffic, teardown leaves
# nothing, published ports get their nft table, and the error paths (a namespace of the same
# name, or a link with the veth's name, already there) fail with one line and remove only what
# they made.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name netlink
. tests/lib/host_state.sh
tool=build/tests/net_tool
if [ ! -x "$tool" ]; then skip all "build/tests/net_tool not built (make build/tests/net_tool)"; exit 0; fi

name=nlt$$
off=$((65000 + $$ % 400))               # far from the offsets unf run hands out first
veth=$(printf 'uv%04x' "$off")
ns=unf-$name
tmp=$(mktemp -d /tmp/unf-netlink.XXXXXX)
on_exit 'rm -rf "$tmp"'
on_exit "$tool down $name $off $((20000 + off % 1000)):7/udp >/dev/null 2>&1; ip netns del $ns 2>/dev/null; ip link del $veth 2>/dev/null"
$tool up "$name" "$off" >/dev/null 2>&1; $tool down "$name" "$off" # the host bridge exists from here on
before=$(host_state)

links_in() { ip -n "$1" -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' '; }
master_of() { ip -n "$1" -d -o link show "$2" 2>/dev/null | sed -n 's/.* master \([^ ]*\).*/\1/p'; }
is_up() { ip -n "$1" -o link show "$2" 2>/dev/null | grep -q '[<,]UP[,>]'; }
gone() { ! ip netns list | grep -qw "$ns" && [ ! -e "/var/run/netns/$ns" ] && ! ip link show "$veth" >/dev/null 2>&1; }

# --- the tap layout, as unf run uses it
if $tool up "$name" "$off" 2>"$tmp/err"; then
  pass tap-up
  ip netns list | grep -qw "$ns"; check tap-netns-listed $? "ip netns list does not show $ns"
  findmnt -n -o PROPAGATION /var/run/netns | grep -q shared; check netns-dir-shared $? "/var/run/netns is not a shared mount"
  [ "$(links_in "$ns")" = "br0 eth0 lo tap0 " ]; check tap-links $? "links in $ns: $(links_in "$ns")"
  [ "$(master_of "$ns" eth0)" = br0 ] && [ "$(master_of "$ns" tap0)" = br0 ]
  check tap-masters $? "eth0 master '$(master_of "$ns" eth0)', tap0 master '$(master_of "$ns" tap0)'"
  ip -n "$ns" -d link show tap0 | grep -q 'tun type tap.*persist on'; check tap-persistent-tap $? "tap0: $(ip -n "$ns" -d -o link show tap0 | head -c 200)"
  is_up "$ns" lo && is_up "$ns" eth0 && is_up "$ns" tap0 && is_up "$ns" br0; check tap-all-up $? "not all up: $(ip -n "$ns" -br link | tr '\n' '|')"
  ip -o link show "$veth" | grep -q ' master unf0 .*[<,]UP[,>]\|[<,]UP[,>].* master unf0 '
  check tap-veth-on-unf0 $? "$veth is not up on unf0: $(ip -o link show "$veth" | head -c 200)"
  # traffic through unf0 -> veth -> br0: an address on br0 answers the host's ping
  addr=10.90.$(((off >> 8) & 255)).$((off & 255))
  ip -n "$ns" addr add "$addr/16" dev br0 && ping -c 1 -W 2 "$addr" >/dev/null 2>&1
  check tap-ping $? "no answer from $addr on br0 in $ns"
  ip netns exec "$ns" true; check tap-netns-exec $? "ip netns exec $ns failed"
  # IPv6: unf0's ULA, the ip6 table, and the same path carrying IPv6
  if [ "$(cat /proc/sys/net/ipv6/conf/unf0/disable_ipv6 2>/dev/null)" = 0 ]; then
    ip -6 addr show dev unf0 | grep -q 'inet6 fd75:6e66::1/64' && nft list table ip6 unf >/dev/null 2>&1
    check ipv6-host-setup $? "unf0 without fd75:6e66::1/64 or no nft table ip6 unf"
    addr6=fd75:6e66::$(printf %x "$off")
    ip -n "$ns" addr add "$addr6/64" dev br0 nodad && ping -6 -c 1 -W 2 "$addr6" >/dev/null 2>&1
    check ipv6-ping $? "no answer from $addr6 on br0 in $ns"
  else
    skip ipv6 "the host has IPv6 off"
  fi
else
  fail tap-up "$(head -c 200 "$tmp/err")"
fi
$tool down "$name" "$off"
gone; check tap-down-gone $? "left: $(ip netns list | grep -w "$ns") $(ip -o link show "$veth" 2>/dev/null | head -c 100)"

# --- the packet layout
if $tool up "$name" "$off" --packet 2>"$tmp/err"; then
  pass packet-up
  [ "$(links_in "$ns")" = "eth0 lo " ]; check packet-links $? "links in $ns: $(links_in "$ns")"
  is_up "$ns" lo && is_up "$ns" eth0; check packet-up-links $? "$(ip -n "$ns" -br link | tr '\n' '|')"
  [ "$(ip netns exec "$ns" cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)" = 1 ] && [ -z "$(ip -n "$ns" -6 addr show dev eth0)" ]
  check packet-no-ipv6 $? "eth0 still has IPv6: $(ip -n "$ns" -6 -o addr show dev eth0 | head -c 200)"
  [ "$($tool txcsum "$veth")" = 0 ]; check packet-host-txcsum-off $? "tx checksum offload still on for $veth"
  # The namespace sends nothing by itself: no packet received by the host end after a second.
  sleep 1
  rx=$(ip -s -o link show "$veth" | awk '{for (i = 1; i <= NF; i++) if ($i == "RX:") {print $(i + 9); exit}}')
  [ "$rx" = 0 ]; check packet-ns-silent $? "$veth received $rx packets from the namespace"
  addr=10.90.$(((off >> 8) & 255)).$((off & 255))
  ip neigh flush to "$addr" dev unf0 2>/dev/null # the tap part's br0 had this address, another MAC
  ip -n "$ns" addr add "$addr/16" dev eth0 && ping -c 1 -W 2 "$addr" >/dev/null 2>&1
  check packet-ping $? "no answer from $addr on eth0 in $ns"
else
  fail packet-up "$(head -c 200 "$tmp/err")"
fi
$tool down "$name" "$off"
gone; check packet-down-gone $? "left: $(ip netns list | grep -w "$ns") $(ip -o link show "$veth" 2>/dev/null | head -c 100)"

# --- published ports: their nft table comes and goes with the instance
port=$((20000 + off % 1000))
if $tool up "$name" "$off" "$port:7/udp" 2>"$tmp/err"; then
  nft list table ip "$ns" 2>/dev/null | grep -q "dport $port"; check ports-table $? "no nft table ip $ns with dport $port"
else
  fail ports-table "$(head -c 200 "$tmp/err")"
fi
$tool down "$name" "$off" "$port:7/udp"
! nft list table ip "$ns" >/dev/null 2>&1 && gone; check ports-down-gone $? "nft table or links left"

# --- error paths: one line, the foreign object untouched, nothing of ours left
ip netns add "$ns"
$tool up "$name" "$off" 2>"$tmp/err"; rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "already exists" "$tmp/err" &&
  ip netns list | grep -qw "$ns" && ! ip link show "$veth" >/dev/null 2>&1
check error-netns-collision $? "status $rc, stderr: $(head -c 200 "$tmp/err" | tr '\n' '|')"
ip netns del "$ns"

ip link add "$veth" type bridge
$tool up "$name" "$off" 2>"$tmp/err"; rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "cannot create veth $veth" "$tmp/err" &&
  ip -d link show "$veth" 2>/dev/null | grep -q "bridge " && [ ! -e "/var/run/netns/$ns" ]
check error-veth-collision $? "status $rc, stderr: $(head -c 200 "$tmp/err" | tr '\n' '|')"
ip link del "$veth"

$tool del-link "nlt-none$$" 2>"$tmp/err"; rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "No such device" "$tmp/err"
check error-netlink-message $? "status $rc, stderr: $(head -c 200 "$tmp/err" | tr '\n' '|')"

leaks=$(host_state_diff "$before" "$(host_state)")
[ -z "$leaks" ]; check leave-nothing $? "$(echo $leaks | head -c 300)"
