#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The probe on a real network: Linux routers in namespaces (host -- r1 -- r2 -- r3 -- t, /30
# links, and a longer return path r3 -> r4 -> r5 -> r6 -> r2 so reply TTLs differ and FRPLA
# fires at r3). Traces with the native probe (every method) and with the probe unikernel under
# the proc tender on a tap in r1, compared hop by hop (address, reply TTL, quoted TTL) with
# scamper; ping; TNT end to end; targets from an archive file; the --pps cap across concurrent
# jobs; malformed ICMP replies counted, not fatal; bad usage. Cleans up every namespace.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name probe
native=build/native/probe
kernel=build/kernels/probe/x86_64-proc
tender=build/bin/unf-proc
P=prb$$
tmp=$(mktemp -d)
NS=(h r1 r2 r3 r4 r5 r6 t)

on_exit 'rm -rf "$tmp"'

for f in "$native" "$kernel" "$tender"; do
  if [ ! -x "$f" ]; then
    fail build "$f missing (make $f)"
    exit 0
  fi
done
for tool in jq python3; do
  command -v $tool >/dev/null || { fail tools "$tool missing"; exit 0; }
done
have_scamper=1
command -v scamper >/dev/null || { have_scamper=0; echo "SKIP probe.scamper: not installed (scripts/setup installs it)"; }

# --- topology ------------------------------------------------------------------------------
link() { # ns1 if1 addr1 ns2 if2 addr2
  ns_link "$P-$1" "$2" "$P-$4" "$5" &&
  ip -n "$P-$1" addr add "$3" dev "$2" && ip -n "$P-$4" addr add "$6" dev "$5" &&
  ip -n "$P-$1" link set "$2" up && ip -n "$P-$4" link set "$5" up
}
setup() {
  for n in "${NS[@]}"; do
    ns_add "$P-$n" || return 1
    # no ICMP rate limits: probes come fast; replies from the interface the probe came in on
    ip netns exec "$P-$n" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=1000000 \
      net.ipv4.icmp_msgs_burst=100000 net.ipv4.icmp_errors_use_inbound_ifaddr=1 >/dev/null || return 1
  done
  for r in r1 r2 r3 r4 r5 r6; do ip netns exec "$P-$r" sysctl -qw net.ipv4.ip_forward=1 >/dev/null || return 1; done
  link h h0 10.77.0.2/30 r1 a0 10.77.0.1/30 &&
  link r1 b0 10.77.1.1/30 r2 a0 10.77.1.2/30 &&
  link r2 b0 10.77.2.1/30 r3 a0 10.77.2.2/30 &&
  link r3 b0 10.77.3.1/30 t a0 10.77.3.2/30 &&
  link r3 c0 10.77.10.1/30 r4 a0 10.77.10.2/30 &&
  link r4 b0 10.77.11.1/30 r5 a0 10.77.11.2/30 &&
  link r5 b0 10.77.12.1/30 r6 a0 10.77.12.2/30 &&
  link r6 b0 10.77.13.1/30 r2 c0 10.77.13.2/30 || return 1
  ip -n "$P-h" route add default via 10.77.0.1 &&
  ip -n "$P-r1" route add default via 10.77.1.2 &&
  ip -n "$P-r2" route add 10.77.0.0/24 via 10.77.1.1 &&
  ip -n "$P-r2" route add 10.77.5.0/24 via 10.77.1.1 &&
  ip -n "$P-r2" route add 10.77.6.0/24 via 10.77.1.1 &&
  ip -n "$P-r2" route add default via 10.77.2.2 &&
  ip -n "$P-r3" route add 10.77.0.0/16 via 10.77.10.2 &&
  ip -n "$P-r4" route add 10.77.0.0/16 via 10.77.11.2 &&
  ip -n "$P-r5" route add 10.77.0.0/16 via 10.77.12.2 &&
  ip -n "$P-r6" route add 10.77.0.0/16 via 10.77.13.2 &&
  ip -n "$P-t" route add default via 10.77.3.1 || return 1
  # the unikernel's tap, in r1 (r1 is its gateway)
  ip -n "$P-r1" tuntap add dev tp0 mode tap && ip -n "$P-r1" addr add 10.77.5.1/24 dev tp0 &&
  ip -n "$P-r1" link set tp0 up &&
  ip -n "$P-r1" tuntap add dev tp1 mode tap && ip -n "$P-r1" addr add 10.77.6.1/24 dev tp1 &&
  ip -n "$P-r1" link set tp1 up
}
if ! setup 2>"$tmp/setup.err"; then
  fail topology "$(head -n 3 "$tmp/setup.err" | tr '\n' ' ')"
  exit 0
fi
if timeout 5 ip netns exec "$P-h" ping -c 1 -W 2 10.77.3.2 >/dev/null; then
  pass topology
else
  fail topology "host cannot reach 10.77.3.2"
  exit 0
fi

nat() { timeout -k 2 "$1" ip netns exec "$P-h" "$native" "${@:2}"; }
uni() { # seconds, guest args... (tender options in UNI_EXTRA)
  local s=$1; shift
  timeout -k 2 "$s" ip netns exec "$P-r1" "$tender" --mem 8M --net tp0 ${UNI_EXTRA:-} "$kernel" \
    unf.ip0=10.77.5.2/24 unf.gw0=10.77.5.1 -- "$@"
}
# hops of our JSON trace / scamper's: "ttl addr reply_ttl quoted_ttl" lines
our_hops() { jq -r 'select(.type=="trace" or .type=="tnt") | .replies[] | "\(.probe_ttl) \(.addr) \(.reply_ttl) \(.quoted_ttl // "-")"' "$1"; }
sc_hops() { jq -r 'select(.type=="trace") | .hops[] | "\(.probe_ttl) \(.addr) \(.reply_ttl) \(.icmp_q_ttl // "-")"' "$1"; }

# --- native traces, every method, against scamper ------------------------------------------
expected="1 10.77.0.1 64 1
2 10.77.1.2 63 1
3 10.77.2.2 59 1"
for m in icmp-paris udp-paris icmp udp tcp; do
  if nat 20 trace -P "$m" -q 1 10.77.3.2 >"$tmp/n-$m.json" 2>"$tmp/n-$m.err"; then
    got=$(our_hops "$tmp/n-$m.json")
    stop=$(jq -r .stop_reason "$tmp/n-$m.json")
    if [ "$(printf '%s\n' "$got" | head -n 3)" = "$expected" ] && [ "$stop" = COMPLETED ] &&
       printf '%s\n' "$got" | tail -n 1 | grep -q '^4 10.77.3.2 58 '; then
      pass "native.trace.$m"
    else
      fail "native.trace.$m" "stop $stop, hops: $(printf '%s' "$got" | tr '\n' ';')"
    fi
  else
    fail "native.trace.$m" "exit status $?: $(head -c 200 "$tmp/n-$m.err")"
  fi
done
if [ $have_scamper = 1 ]; then
  for m in icmp-paris udp-paris; do
    timeout 30 ip netns exec "$P-h" scamper -c "trace -P $m -q 1" -i 10.77.3.2 -O json \
      >"$tmp/s-$m.json" 2>"$tmp/s-$m.err"
    ours=$(our_hops "$tmp/n-$m.json")
    theirs=$(sc_hops "$tmp/s-$m.json")
    if [ -n "$theirs" ] && [ "$ours" = "$theirs" ]; then
      pass "scamper.agree.$m ($(printf '%s\n' "$ours" | wc -l) hops: address, reply TTL, quoted TTL)"
    else
      fail "scamper.agree.$m" "ours '$(printf '%s' "$ours" | tr '\n' ';')' scamper '$(printf '%s' "$theirs" | tr '\n' ';')'"
    fi
  done
fi

# --- text output ----------------------------------------------------------------------------
if nat 20 --text trace 10.77.3.2 >"$tmp/t.txt" 2>/dev/null &&
   grep -qE '^ 3 10\.77\.2\.2 +[0-9.]+ ms rTTLs=<59,\*> qttl=1 frpla=3$' "$tmp/t.txt"; then
  pass native.text
else
  fail native.text "$(tr '\n' ';' <"$tmp/t.txt" | head -c 300)"
fi

# --- the unikernel (proc tender, tap in r1) ---------------------------------------------------
uni_expected="1 10.77.5.1 64 1
2 10.77.1.2 63 1
3 10.77.2.2 59 1"
for m in icmp-paris udp-paris tcp; do
  if uni 20 trace -P "$m" -q 1 10.77.3.2 >"$tmp/u-$m.json" 2>"$tmp/u-$m.err"; then
    got=$(grep '^{' "$tmp/u-$m.json" >"$tmp/u-$m.jl"; our_hops "$tmp/u-$m.jl")
    if [ "$(printf '%s\n' "$got" | head -n 3)" = "$uni_expected" ] &&
       printf '%s\n' "$got" | tail -n 1 | grep -q '^4 10.77.3.2 58 '; then
      pass "unikernel.trace.$m"
    else
      fail "unikernel.trace.$m" "hops: $(printf '%s' "$got" | tr '\n' ';')"
    fi
  else
    fail "unikernel.trace.$m" "exit status $?: $(tail -c 300 "$tmp/u-$m.err") $(tail -c 300 "$tmp/u-$m.json")"
  fi
done
# hops 2.. seen from the unikernel agree with scamper run from the host (same routers)
if [ $have_scamper = 1 ] && [ -s "$tmp/u-icmp-paris.jl" ]; then
  a=$(our_hops "$tmp/u-icmp-paris.jl" | tail -n +2)
  b=$(sc_hops "$tmp/s-icmp-paris.json" | tail -n +2)
  [ -n "$a" ] && [ "$a" = "$b" ] && pass scamper.agree.unikernel \
    || fail scamper.agree.unikernel "unikernel '$(printf '%s' "$a" | tr '\n' ';')' scamper '$(printf '%s' "$b" | tr '\n' ';')'"
fi

# --- the virtio unikernel under QEMU (microvm, TCG), tap tp1 in r1 ----------------------------
vkernel=build/kernels/probe/x86_64-virtio
if [ -f "$vkernel" ] && command -v qemu-system-x86_64 >/dev/null; then
  timeout -k 2 60 ip netns exec "$P-r1" qemu-system-x86_64 -M microvm,x-option-roms=off,rtc=on,isa-serial=on \
    -accel tcg -cpu max -m 16M -smp 1 -nodefaults -no-user-config -nographic -no-reboot \
    -kernel "$vkernel" -append "unf.ip0=10.77.6.2/24 unf.gw0=10.77.6.1 -- trace -q 1 10.77.3.2" \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -netdev tap,id=n0,ifname=tp1,script=no,downscript=no \
    -device virtio-net-device,netdev=n0,mac=52:54:00:77:06:02 </dev/null >"$tmp/v.out" 2>&1
  rc=$?
  grep '^{' "$tmp/v.out" >"$tmp/v.jl"
  got=$(our_hops "$tmp/v.jl")
  want="1 10.77.6.1 64 1
2 10.77.1.2 63 1
3 10.77.2.2 59 1"
  if [ "$rc" = 1 ] && [ "$(printf '%s\n' "$got" | head -n 3)" = "$want" ] &&
     printf '%s\n' "$got" | tail -n 1 | grep -q '^4 10.77.3.2 58 '; then
    pass "virtio.trace (QEMU microvm, guest status 0)"
  else
    fail virtio.trace "QEMU status $rc, hops '$(printf '%s' "$got" | tr '\n' ';')' $(tail -c 300 "$tmp/v.out")"
  fi
else
  echo "SKIP probe.virtio.trace: no virtio kernel or QEMU"
fi

# --- ping -----------------------------------------------------------------------------------
if nat 20 ping -c 3 10.77.3.2 10.77.2.2 >"$tmp/p.json" 2>/dev/null &&
   [ "$(jq -r 'select(.dst=="10.77.3.2") | "\(.sent) \(.replies|length) \(.er)"' "$tmp/p.json")" = "3 3 58" ] &&
   [ "$(jq -r 'select(.dst=="10.77.2.2") | .er' "$tmp/p.json")" = 59 ]; then
  pass native.ping
else
  fail native.ping "$(head -c 300 "$tmp/p.json")"
fi
if uni 20 ping -c 2 10.77.2.2 >"$tmp/up.json" 2>&1 &&
   [ "$(grep '^{' "$tmp/up.json" | jq -r '"\(.sent) \(.replies|length) \(.er)"')" = "2 2 59" ]; then
  pass unikernel.ping
else
  fail unikernel.ping "$(head -c 300 "$tmp/up.json")"
fi

# --- TNT end to end: r3's replies come back 3 hops longer than the probe went (FRPLA) ----------
if nat 60 tnt --private 10.77.3.2 >"$tmp/tnt.json" 2>"$tmp/tnt.err"; then
  r3=$(jq -c '.hops[] | select(.addr=="10.77.2.2")' "$tmp/tnt.json")
  if [ "$(jq -r '"\(.te) \(.er) \(.frpla) \(.uturn) \(.class) \(.role) \(.flags)"' <<<"$r3")" = "59 59 3 0 INV EGR MPLS,INV,EGR,FRPLA" ] &&
     [ "$(jq -r '.hops[] | select(.addr=="10.77.1.2") | .role' "$tmp/tnt.json")" = ING ] &&
     [ "$(jq -r '.revelation.attempts[0].outcome' "$tmp/tnt.json")" = NTH-RV ]; then
    pass "native.tnt.frpla-candidate-and-revelation-attempt"
  else
    fail native.tnt "r3: $r3 revelation: $(jq -c .revelation "$tmp/tnt.json")"
  fi
else
  fail native.tnt "exit status $?: $(head -c 200 "$tmp/tnt.err")"
fi
if nat 60 tnt 10.77.3.2 >"$tmp/tnt2.json" 2>/dev/null && [ "$(jq -r .candidates "$tmp/tnt2.json")" = 0 ]; then
  pass native.tnt.private-addresses-skipped-by-default
else
  fail native.tnt.private-skipped "$(head -c 200 "$tmp/tnt2.json")"
fi
if uni 60 --text tnt --private 10.77.3.2 >"$tmp/utnt.txt" 2>&1 &&
   grep -qE '^ 3 10\.77\.2\.2 +[0-9.]+ ms rTTLs=<59,59> qttl=1 uturn=0 frpla=3 \[MPLS,INV,EGR,FRPLA\]' "$tmp/utnt.txt"; then
  pass unikernel.tnt.text
else
  fail unikernel.tnt.text "$(tr '\n' ';' <"$tmp/utnt.txt" | head -c 400)"
fi

# --- targets from the image's archive, concurrency, pps cap ------------------------------------
for i in $(seq 1 25); do echo 10.77.3.2; echo "10.77.2.2 # r3"; done >"$tmp/targets.txt"
(cd "$tmp" && tar --format=ustar -cf targets.tar targets.txt)
n=$(UNF_FILES="$tmp/targets.tar" nat 60 --pps 200 -F targets.txt ping -c 4 2>"$tmp/pps.err" | jq -s 'map(select(.type=="ping" and (.replies|length)==4)) | length')
pps=$(grep -o '[0-9]* pps' "$tmp/pps.err" | cut -d' ' -f1)
if [ "$n" = 50 ] && [ -n "$pps" ] && [ "$pps" -le 210 ] && [ "$pps" -ge 150 ]; then
  pass "native.pps-cap (50 targets from the archive, 200 probes at --pps 200: $pps pps)"
else
  fail native.pps-cap "$n complete pings, $pps pps: $(tail -c 200 "$tmp/pps.err")"
fi
n=$(UNF_FILES="$tmp/targets.tar" nat 60 -C 50 -F targets.txt ping -c 100 2>"$tmp/fast.err" | jq -s 'map(select(.type=="ping")) | length')
info "native.uncapped: $n pings x 100, $(grep -o '[0-9]* probes sent.*' "$tmp/fast.err")"
UNI_EXTRA="--archive $tmp/targets.tar" uni 60 --pps 100 -F targets.txt ping -c 2 >"$tmp/upps.out" 2>&1
n=$(grep -c '^{"type":"ping"' "$tmp/upps.out")
upps=$(grep -o '[0-9]* pps' "$tmp/upps.out" | cut -d' ' -f1)
if [ "$n" = 50 ] && [ -n "$upps" ] && [ "$upps" -le 105 ]; then
  pass "unikernel.archive-targets-and-pps-cap ($upps pps at --pps 100)"
else
  fail unikernel.archive-targets "$n pings, $upps pps: $(tail -c 300 "$tmp/upps.out")"
fi

# --- malformed ICMP replies are counted and skipped ----------------------------------------------
ip -n "$P-h" route add blackhole 10.77.99.0/24
nat 20 ping -c 3 -w 1 10.77.99.1 >"$tmp/m.json" 2>"$tmp/m.err" &
probe_pid=$!
sleep 0.5
timeout 10 ip netns exec "$P-t" python3 - <<'PY' 2>"$tmp/py.err"
import socket, struct
def ck(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
def icmp(t, body, lenf=0, good=True):
    h = bytearray(struct.pack("!BBHBBH", t, 0, 0, 0, lenf, 0)) + body
    struct.pack_into("!H", h, 2, ck(bytes(h)) ^ (0 if good else 1))
    return bytes(h)
q = bytearray(28); q[0] = 0x45; q[8] = 1; q[9] = 1; q[12:16] = bytes([10, 77, 0, 2]); q[16:20] = bytes([10, 77, 99, 1])
quote = bytes(q).ljust(128, b"\0")
ext = bytearray(b"\x20\x00\x12\x34" + struct.pack("!HBBI", 8, 1, 1, 16 << 12 | 0x1ff))  # wrong checksum
bad = [icmp(11, quote + bytes(ext), 32), icmp(11, quote, 200), icmp(11, b"\x65" + bytes(27)),
       icmp(11, bytes(q[:10])), icmp(11, bytes(q), good=False)]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for _ in range(4):
    for m in bad:
        s.sendto(m, ("10.77.0.2", 0))
PY
wait $probe_pid
rc=$?
mal=$(grep -o '[0-9]* malformed' "$tmp/m.err" | cut -d' ' -f1)
if [ "$rc" = 0 ] && [ "${mal:-0}" -ge 20 ] && [ "$(jq -r .sent "$tmp/m.json")" = 3 ]; then
  pass "malformed-replies-counted ($mal: $(grep -o 'malformed [a-z-]*: [0-9]*' "$tmp/m.err" | tr '\n' ' '))"
else
  fail malformed-replies-counted "exit $rc, malformed '${mal}', $(tail -c 300 "$tmp/m.err") $(head -c 200 "$tmp/py.err")"
fi

# --- bad usage: one clear line on stderr, non-zero exit ---------------------------------------
usage_case() { # name, args...
  local name=$1; shift
  nat 5 "$@" >"$tmp/us.out" 2>"$tmp/us.err"
  local rc=$? lines
  lines=$(grep -c . "$tmp/us.err")
  if [ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -q '^probe: ' "$tmp/us.err" && [ ! -s "$tmp/us.out" ]; then
    pass "usage.$name"
  else
    fail "usage.$name" "exit $rc, $lines stderr lines: $(head -c 200 "$tmp/us.err")"
  fi
}
usage_case no-command
usage_case unknown-command frobnicate 10.77.3.2
usage_case no-destination trace
usage_case bad-method trace -P carrier-pigeon 10.77.3.2
usage_case bad-ttl trace -m 0 10.77.3.2
usage_case bad-address trace 10.77.3.256
usage_case tnt-option-on-trace trace -b 10.77.3.2
usage_case missing-file -F nothing.txt trace
uni 10 trace -P nope 10.77.3.2 >"$tmp/uu.out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "^probe: bad value 'nope'" "$tmp/uu.out" && pass usage.unikernel \
  || fail usage.unikernel "exit $rc: $(head -c 200 "$tmp/uu.out")"
