#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Instance networking done in-process (runtime/net.c over runtime/netlink.c), driven without a
# guest by build/tests/net_tool: the namespace is an `ip netns` namespace (ip netns list/exec
# and ip -n see it), the links of both layouts (tap: eth0 + tap0 on br0; packet: lo + eth0 only,
# IPv6 off, no tx checksum offload on the host end) are made and carry traffic, the host end is
# routed (no bridge port: 10.90.0.1/32, proxy_arp, the guest's /32 and /128 routed to it),
# teardown leaves nothing, published ports get their nft table, and the error paths (a namespace
# of the same name, or a link with the veth's name, already there) fail with one line and remove
# only what they made. Then real guests (echo, probe; `unf run`): host -> guest, guest -> guest,
# guest -> a namespace outside 10.90.0.0/16 (through the masquerade: it has no route back), and a
# published port from the host and from that namespace.
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
ipn() { if [ -n "$1" ]; then ip -n "$1" "${@:2}"; else ip "${@:2}"; fi; } # ns ("": the host) ip-args...
master_of() { ipn "$1" -d -o link show "$2" 2>/dev/null | sed -n 's/.* master \([^ ]*\).*/\1/p'; }
is_up() { ipn "$1" -o link show "$2" 2>/dev/null | grep -q '[<,]UP[,>]'; }
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
  addr=10.90.$(((off >> 8) & 255)).$((off & 255))
  is_up "" "$veth" && [ -z "$(master_of "" "$veth")" ]
  check tap-veth-no-master $? "$veth is down or a port: $(ip -o link show "$veth" | head -c 200)"
  ip -4 -o addr show dev "$veth" | grep -q 'inet 10\.90\.0\.1/32' && [ "$(cat /proc/sys/net/ipv4/conf/$veth/proxy_arp)" = 1 ] &&
    ip route show "$addr/32" | grep -q "dev $veth"
  check tap-veth-routed $? "$veth: $(ip -4 -o addr show dev "$veth" | head -c 100), proxy_arp $(cat /proc/sys/net/ipv4/conf/$veth/proxy_arp), route '$(ip route show "$addr/32")'"
  # traffic routed to veth -> br0: an address on br0 answers the host's ping
  ip -n "$ns" addr add "$addr/16" dev br0 && ping -c 1 -W 2 "$addr" >/dev/null 2>&1
  check tap-ping $? "no answer from $addr on br0 in $ns"
  ip netns exec "$ns" true; check tap-netns-exec $? "ip netns exec $ns failed"
  # IPv6: unf0's ULA, the ip6 table, and the same path carrying IPv6
  if [ "$(cat /proc/sys/net/ipv6/conf/unf0/disable_ipv6 2>/dev/null)" = 0 ]; then
    ip -6 addr show dev unf0 | grep -q 'inet6 fd75:6e66::1/64' && nft list table ip6 unf >/dev/null 2>&1
    check ipv6-host-setup $? "unf0 without fd75:6e66::1/64 or no nft table ip6 unf"
    addr6=fd75:6e66::$(printf %x "$off")
    ip -6 addr show dev "$veth" | grep -q 'inet6 fd75:6e66::1/128' && ip -6 route show "$addr6/128" | grep -q "dev $veth"
    check ipv6-veth-routed $? "$veth: $(ip -6 -o addr show dev "$veth" | head -c 150), route '$(ip -6 route show "$addr6/128")'"
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
  addr=10.90.$(((off >> 8) & 255)).$((off & 255))
  [ -z "$(master_of "" "$veth")" ] && ip route show "$addr/32" | grep -q "dev $veth"
  check packet-veth-routed $? "$veth master '$(master_of "" "$veth")', route '$(ip route show "$addr/32")'"
  [ "$($tool txcsum "$veth")" = 0 ]; check packet-host-txcsum-off $? "tx checksum offload still on for $veth"
  # The namespace sends nothing by itself: no packet received by the host end after a second.
  sleep 1
  rx=$(ip -s -o link show "$veth" | awk '{for (i = 1; i <= NF; i++) if ($i == "RX:") {print $(i + 9); exit}}')
  [ "$rx" = 0 ]; check packet-ns-silent $? "$veth received $rx packets from the namespace"
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

# --- real guests on routed links: echo A on proc (packet layout) with published ports, echo B on
# hvt (tap layout) where KVM answers, else proc; probes (proc) ping from inside 10.90.0.0/16
unf=build/bin/unf
g=$name-g
outns=nlo$$
if [ -x "$unf" ] && [ -f build/images/echo.unf ] && [ -f build/images/probe.unf ]; then
  on_exit "rm_instances $g"
  # outside: a namespace on a link of its own, with no route back to 10.90.0.0/16
  ns_add "$outns" && ns_veth "$outns" "nlh$$" 198.18.0.1/30 198.18.0.2/30
  check outside-ns $? "cannot make namespace $outns"
  pudp=$((21000 + off % 1000)); ptcp=$((pudp + 1))
  bplat=proc; kvm_usable && bplat=hvt
  $unf run -d --name "$g-a" --platform proc -p "$pudp:7/udp" -p "$ptcp:7" build/images/echo.unf >/dev/null 2>"$tmp/err" &&
    $unf run -d --name "$g-b" --platform "$bplat" build/images/echo.unf >/dev/null 2>>"$tmp/err"
  check guests-run $? "$(head -c 200 "$tmp/err" | tr '\n' '|')"
  ipa=$($unf inspect "$g-a" 2>/dev/null | jq -r '.ip // empty'); ipb=$($unf inspect "$g-b" 2>/dev/null | jq -r '.ip // empty')
  for _ in $(seq 1 100); do ping -c1 -W1 "$ipa" >/dev/null 2>&1 && ping -c1 -W1 "$ipb" >/dev/null 2>&1 && break; sleep 0.05; done
  ports=$(ip -o link show | awk -F': ' '$2 ~ /^uv/' | grep ' master ' | awk -F': ' '{print $2}' | tr '\n' ' ')
  [ -z "$ports" ]; check no-uv-bridge-port $? "bridge ports: $ports"
  echo_ok() { # label where(ns or "") host port proto: one echo round trip
    local reply n=$1 ns=$2 h=$3 p=$4 proto=$5 pre=()
    [ -n "$ns" ] && pre=(ip netns exec "$ns")
    reply=$(echo -n "nl-$n" | timeout 5 "${pre[@]}" socat -T3 - "$proto:$h:$p" 2>&1)
    [ "$reply" = "nl-$n" ]; check "$n" $? "got '$reply' from $h:$p/$proto"
  }
  echo_ok host-to-guest-packet "" "$ipa" 7 UDP
  echo_ok host-to-guest-$bplat "" "$ipb" 7 TCP
  # guest -> guest and guest -> outside: the probe's ping, one JSON line with its replies
  probe_ping() { # label target
    local out
    out=$(timeout 60 $unf run --name "$g-$1" --platform proc build/images/probe.unf -- ping -c 2 "$2" 2>&1)
    echo "$out" | grep -q '"type":"ping".*"replies":\[{'
    check "$1" $? "$(echo "$out" | tail -n 3 | head -c 300 | tr '\n' '|')"
  }
  probe_ping guest-to-guest "$ipb"
  probe_ping guest-to-outside-masquerade 198.18.0.2
  echo_ok published-udp-from-host "" 198.18.0.1 "$pudp" UDP
  echo_ok published-tcp-from-host "" 198.18.0.1 "$ptcp" TCP
  echo_ok published-udp-from-outside "$outns" 198.18.0.1 "$pudp" UDP
  echo_ok published-tcp-from-outside "$outns" 198.18.0.1 "$ptcp" TCP
  # IPv6 (when the host has it): the guest's unf.ip6_0 is its ULA, routed to its link, on both layouts
  if [ "$(cat /proc/sys/net/ipv6/conf/unf0/disable_ipv6 2>/dev/null)" = 0 ]; then
    ula() { local ip; ip=$($unf inspect "$1" 2>/dev/null | jq -r '.ip // empty'); printf 'fd75:6e66::%x' $(( $(echo "$ip" | cut -d. -f3) * 256 + $(echo "$ip" | cut -d. -f4) )); }
    $unf run -d --name "$g-d" --platform proc build/images/dns.unf >/dev/null 2>"$tmp/err"; check dns-run $? "$(head -c 200 "$tmp/err")"
    for w in a b d; do
      a6=$(ula "$g-$w")
      $unf inspect "$g-$w" | jq -r .cmdline | grep -q "unf.ip6_0=$a6/64 "; check "ipv6-cmdline-$w" $? "$($unf inspect "$g-$w" | jq -r .cmdline | head -c 200)"
    done
    # the echo app serves IPv4 only: its stack answers ping -6
    for w in a b; do
      a6=$(ula "$g-$w"); rc=1
      for _ in $(seq 1 50); do ping -6 -c1 -W1 "$a6" >/dev/null 2>&1 && { rc=0; break; }; sleep 0.05; done
      lay=packet; [ "$w" = b ] && lay=$bplat
      check "ipv6-host-to-guest-$lay" $rc "no ping -6 answer from $a6"
    done
    a6=$(ula "$g-d"); ans=""
    for _ in $(seq 1 20); do ans=$(dig -6 @"$a6" example.com SOA +short +time=1 +tries=1 2>&1) && [ -n "$ans" ] && break; sleep 0.1; done
    echo "$ans" | grep -q ' [0-9]\+ [0-9]\+ [0-9]\+ [0-9]\+ [0-9]\+$'; check ipv6-dig-dns $? "dig -6 @$a6: $(echo "$ans" | head -c 200)"
  else
    skip ipv6-guests "the host has IPv6 off"
  fi
  # --nic xdp: the same echo guest on eth0 through an AF_XDP socket; TCP and UDP from the host, and a
  # published port; the XDP program goes with the instance; then on hvt (when KVM answers); a
  # platform without it (qemu): one line, nothing made
  if python3 -c 'import socket; socket.socket(44, socket.SOCK_RAW)' 2>/dev/null; then
    px=$((pudp + 2))
    $unf run -d --name "$g-x" --platform proc --nic xdp -p "$px:7/udp" build/images/echo.unf >/dev/null 2>"$tmp/err"
    check xdp-run $? "$(head -c 200 "$tmp/err")"
    ipx=$($unf inspect "$g-x" 2>/dev/null | jq -r '.ip // empty')
    [ "$($unf inspect "$g-x" 2>/dev/null | jq -r .tap)" = "xdp:eth0" ]; check xdp-inspect $? "$($unf inspect "$g-x" | jq -c '{tap,xdp_link}')"
    ip -n "unf-$g-x" link show eth0 | grep -q 'prog/xdp'; check xdp-program-on-eth0 $? "$(ip -n "unf-$g-x" link show eth0 | head -c 300)"
    for _ in $(seq 1 100); do ping -c1 -W1 "$ipx" >/dev/null 2>&1 && break; sleep 0.05; done
    echo_ok host-to-guest-xdp-udp "" "$ipx" 7 UDP
    echo_ok host-to-guest-xdp-tcp "" "$ipx" 7 TCP
    echo_ok published-udp-xdp-from-outside "$outns" 198.18.0.1 "$px" UDP
    $unf rm -f "$g-x" >/dev/null 2>&1
    ! ip netns list | grep -qw "unf-$g-x"; check xdp-gone $? "namespace unf-$g-x left"
    # the same on hvt, where the tender drives the rings for the guest's hypercalls
    if [ -c /dev/kvm ] && kvm_usable; then
      $unf run -d --name "$g-hx" --platform hvt --nic xdp build/images/echo.unf >/dev/null 2>"$tmp/err"
      hx_ran=$?; check hvt-xdp-run $hx_ran "$(head -c 200 "$tmp/err")"
      iph=$($unf inspect "$g-hx" 2>/dev/null | jq -r '.ip // empty')
      [ "$($unf inspect "$g-hx" 2>/dev/null | jq -r '.platform + " " + .tap')" = "hvt xdp:eth0" ]
      check hvt-xdp-inspect $? "$($unf inspect "$g-hx" | jq -c '{platform,tap,xdp_link}')"
      ip -n "unf-$g-hx" link show eth0 | grep -q 'prog/xdp'
      check hvt-xdp-program-on-eth0 $? "$(ip -n "unf-$g-hx" link show eth0 | head -c 300)"
      for _ in $(seq 1 100); do ping -c1 -W1 "$iph" >/dev/null 2>&1 && break; sleep 0.05; done
      echo_ok host-to-guest-hvt-xdp-udp "" "$iph" 7 UDP
      echo_ok host-to-guest-hvt-xdp-tcp "" "$iph" 7 TCP
      $unf rm -f "$g-hx" >/dev/null 2>&1
      [ "$hx_ran" = 0 ] && ! ip netns list | grep -qw "unf-$g-hx"
      check hvt-xdp-gone $? "ran: $hx_ran; namespace unf-$g-hx left?"
    else
      skip hvt-xdp "no usable /dev/kvm"
    fi
  else
    skip xdp "no AF_XDP sockets on this kernel"
  fi
  $unf run -d --name "$g-y" --platform qemu --nic xdp build/images/echo.unf >/dev/null 2>"$tmp/err"; rc=$?
  [ "$rc" != 0 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && grep -q 'needs' "$tmp/err" && ! $unf inspect "$g-y" >/dev/null 2>&1
  check xdp-wrong-platform $? "rc $rc, '$(head -c 200 "$tmp/err")'"
  rm_instances "$g"
  ns_del "$outns"; ip link del "nlh$$" 2>/dev/null
  # unf run over a namespace that is not its own: one line, exit non-zero, the namespace kept
  ip netns add "unf-$g-f"
  $unf run -d --name "$g-f" --platform proc build/images/echo.unf >/dev/null 2>"$tmp/err"; rc=$?
  [ "$rc" != 0 ] && [ "$(grep -c . "$tmp/err")" = 1 ] && [ -e "/var/run/netns/unf-$g-f" ] &&
    ! $unf inspect "$g-f" >/dev/null 2>&1
  check run-keeps-foreign-netns $? "rc $rc, '$(head -c 200 "$tmp/err")', netns $(ls /var/run/netns | grep -c "^unf-$g-f$")"
  ip netns del "unf-$g-f" 2>/dev/null
else
  skip guests "build/bin/unf or build/images/{echo,probe}.unf missing"
fi

leaks=$(host_state_diff "$before" "$(host_state)")
[ -z "$leaks" ]; check leave-nothing $? "$(echo $leaks | head -c 300)"
