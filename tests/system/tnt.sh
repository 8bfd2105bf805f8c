#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# TNT end to end: each topology of testbeds/ (MPLS router unikernels in namespaces, one tunnel
# class each) comes up with `unf testbed up`; the probe unikernel runs `tnt` from the vantage
# point and must find exactly the tunnel the routers' configuration builds: every hop's class,
# role, triggers and revelation flags, revealed LSRs, labels, and its <time-exceeded, echo-reply>
# initial TTLs. Then the probe's own `trace` and scamper's (icmp-paris, from the vp namespace)
# must agree on every hop: address, reply TTL, quoted TTL and MPLS label stack.
# Each testbed gets a unique name and is taken down on every path; every wait is bounded.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name tnt
unf=build/bin/unf
probe=build/images/probe.unf
tmp=$(mktemp -d /tmp/unf-tnt.XXXXXX)
prefix=tn$(($$ % 100000))
tb=
agree_hops=0 total_hops=0

down() { [ -n "$tb" ] && $unf testbed down "$tb" >/dev/null 2>&1; tb=; }
on_exit 'rm -rf "$tmp"'
on_exit down
trap 'exit 130' INT TERM

for f in "$unf" "$probe" build/images/router.unf; do
  if [ ! -f "$f" ]; then
    fail build "$f missing (make all)"
    exit 0
  fi
done
command -v jq >/dev/null || { fail tools "jq missing (scripts/setup installs it)"; exit 0; }
have_scamper=1
command -v scamper >/dev/null || { have_scamper=0; echo "SKIP tnt.scamper: not installed (scripts/setup installs it)"; }

# up FILE SUFFIX: brings the topology up under a unique name, waits for every router
up() {
  tb=$prefix$2
  jq --arg n "$tb" '.name = $n' "$1" >"$tmp/topo.json" || return 1
  if ! $unf testbed up "$tmp/topo.json" >"$tmp/up.out" 2>&1; then
    tb=
    return 1
  fi
  local node
  for node in $(jq -r '.nodes[] | select(.image) | .name' "$tmp/topo.json"); do
    for _ in $(seq 1 100); do
      grep -q "router: forwarding" "/run/unf-testbed/$tb/$node.log" 2>/dev/null && break
      sleep 0.1
    done
    grep -q "router: forwarding" "/run/unf-testbed/$tb/$node.log" 2>/dev/null || {
      echo "router $node did not start: $(tail -n 2 "/run/unf-testbed/$tb/$node.log" 2>/dev/null)" >"$tmp/up.out"
      return 1
    }
  done
}

# run_probe OUT ARGS...: the probe unikernel on vp's segment; its JSON lines into OUT
run_probe() {
  local out=$1
  shift
  timeout -k 2 60 $unf testbed run "$tb" vp "$probe" --ip 10.10.0.3/24 --gw 10.10.0.2 -- "$@" \
    >"$out.raw" 2>&1
  local rc=$?
  grep '^{' "$out.raw" >"$out"
  return $rc
}

# What TNT concluded, one line per hop: name, address, flags, <ittl(te),ittl(er)>, labels;
# then the revelation (method, number of LSRs, and each attempt's target and outcome).
summary() {
  jq -r 'def ittl: if . <= 0 then "*" elif . > 128 then 255 elif . > 64 then 128
                   elif . > 32 then 64 else 32 end;
    select(.type == "tnt") | (.hops[] |
      if .addr == null then "\(.hop) *" else
      "\(.hop) \(.addr) [\(.flags)] <\(.te | ittl),\(.er | ittl)>" +
      ([.labels[] | " \(.label):\(.ttl)"] | join("")) end),
    (if .revelation then "revelation \(.revelation.method) \(.revelation.revealed):" +
       ([.revelation.attempts[] | " \(.dst)/\(.method)/\(.outcome)"] | join("")) else empty end)' "$1"
}

# check_tnt NAME DST EXPECTED
check_tnt() {
  if ! run_probe "$tmp/tnt.json" tnt --private "$2"; then
    fail "$1.tnt" "probe exit status $?: $(tail -n 3 "$tmp/tnt.json.raw" | tr '\n' ' ')"
    return
  fi
  local got
  got=$(summary "$tmp/tnt.json")
  if [ "$got" = "$3" ]; then
    pass "$1.tnt ($(printf '%s\n' "$got" | grep -c '\[MPLS') tunnel hops as configured)"
  else
    fail "$1.tnt" "got:
$got
want:
$3"
  fi
}

# hop lines "ttl addr reply_ttl quoted_ttl labels" of the probe's trace and of scamper's
our_hops() {
  jq -r 'select(.type == "trace") | .replies[] | "\(.probe_ttl) \(.addr) \(.reply_ttl) \(.quoted_ttl // "-")" +
    ([.icmpext[]? | .mpls_labels[]? | " \(.label):\(.ttl)"] | join(""))' "$1"
}
sc_hops() {
  jq -r 'select(.type == "trace") | .hops[] | "\(.probe_ttl) \(.addr) \(.reply_ttl) \(.icmp_q_ttl // "-")" +
    ([.icmpext[]? | .mpls_labels[]? | " \(.mpls_label):\(.mpls_ttl)"] | join(""))' "$1"
}

# check_scamper NAME DST: both traces, hop by hop. Two attempts per hop: the probe sends both,
# scamper the second only when the first got no answer; the distinct replies must be the same.
check_scamper() {
  [ $have_scamper = 1 ] || return
  if ! run_probe "$tmp/trace.json" trace -q 2 "$2"; then
    fail "$1.scamper" "probe trace exit status $?"
    return
  fi
  timeout 30 ip netns exec "unf-tb-$tb-vp" scamper -c "trace -P icmp-paris -q 2" -i "$2" -O json \
    >"$tmp/sc.json" 2>"$tmp/sc.err"
  local ours theirs n same
  ours=$(our_hops "$tmp/trace.json" | sort -n -u)
  theirs=$(sc_hops "$tmp/sc.json" | sort -n -u)
  n=$(printf '%s\n' "$theirs" | grep -c .)
  same=$(comm -12 <(printf '%s\n' "$ours" | sort) <(printf '%s\n' "$theirs" | sort) | grep -c .)
  [ "$(printf '%s\n' "$ours" | grep -c .)" -gt "$n" ] && n=$(printf '%s\n' "$ours" | grep -c .)
  agree_hops=$((agree_hops + same))
  total_hops=$((total_hops + n))
  if [ "$n" -gt 0 ] && [ "$ours" = "$theirs" ]; then
    pass "$1.scamper ($same/$n hops agree: address, reply TTL, quoted TTL, labels)"
  else
    fail "$1.scamper" "$same/$n hops agree; probe: $(printf '%s' "$ours" | tr '\n' ';') scamper: $(printf '%s' "$theirs" | tr '\n' ';') $(head -c 200 "$tmp/sc.err")"
  fi
}

# topology NAME SUFFIX DST EXPECTED [DST EXPECTED ...]
topology() {
  local name=$1 file=testbeds/$1.json suffix=$2
  shift 2
  local several=$(($# > 2))
  if ! up "$file" "$suffix"; then
    fail "$name.up" "$(head -c 300 "$tmp/up.out")"
    down
    return
  fi
  while [ $# -ge 2 ]; do
    local label=$name
    [ $several = 1 ] && label=$name.$(echo "$1" | cut -d. -f3)
    check_tnt "$label" "$1" "$2"
    check_scamper "$label" "$1"
    shift 2
  done
  down
}

# --- the expectations, from the configurations in testbeds/ --------------------------------
# Fingerprints: routers with "ttl time-exceeded 255 / echo-reply 255" are <255,255> (Cisco-like),
# "255 / 64" <255,64> (Juniper-like), the default <64,64> (Linux-like); hosts answer only pings.

# explicit: r2 pushes, r3 swaps (100 -> 101), r4 pops (PHP); LSRs quote their labels, mTTL 1
topology exp e 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [MPLS,EXP,ING] <255,255>
3 10.10.2.2 [MPLS,EXP,LSR] <255,255> 100:1
4 10.10.3.2 [MPLS,EXP,LSR] <255,255> 101:1
5 10.10.4.2 [MPLS,EXP,EGR] <64,64>
6 10.10.101.1 [] <*,64>"

# implicit: the same LSP without RFC 4950; r4 quotes the IP TTL 2 (qTTL), r3 is the LSR before
topology imp i 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [MPLS,IMP,ING] <255,255>
3 10.10.2.2 [MPLS,IMP,LSR] <255,255>
4 10.10.3.2 [MPLS,IMP,LSR,QTTL] <255,255>
5 10.10.4.2 [MPLS,IMP,EGR] <64,64>
6 10.10.101.1 [] <*,64>"

# implicit (u-turn): LSRs quote TTL 1 and send their time-exceeded on to the egress r5, which
# routes it back: u-turns 4 (r3) and 2 (r4); the probes go r1 d1 d2 r2, replies r2 -> r1
topology imp-uturn u 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [] <64,64>
3 10.10.2.2 [] <64,64>
4 10.10.3.2 [MPLS,IMP,ING,UTURN] <255,255>
5 10.10.4.2 [MPLS,IMP,LSR,UTURN] <255,255>
6 10.10.5.2 [MPLS,IMP,LSR,UTURN] <255,255>
7 10.10.6.2 [MPLS,IMP,EGR,UTURN] <64,64>
8 10.10.101.1 [] <*,64>"

# opaque: no ttl-propagate, r5 pops (UHP) and answers with label 102, LSE TTL 253; r3 and r4
# revealed at once by a trace to r5 (routed around the LSP): DPR
topology opa o 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [MPLS,OPA,ING,MTTL] <255,255>
H1 10.10.2.2 [MPLS,OPA,LSR,MTTL,DPR,step=1] <255,255>
H2 10.10.3.2 [MPLS,OPA,LSR,MTTL,DPR,step=1] <255,255>
3 10.10.4.2 [MPLS,OPA,EGR,MTTL] <255,255> 102:253
4 10.10.101.1 [] <*,64>
revelation DPR 2: 10.10.4.2/icmp-paris/OK"

# invisible PHP, two paths. To ta: r5 <255,64> with a return LSP over r4 and r3: RTLA 2, DPR.
# To tb: r10 <255,255> behind three hidden LSRs: FRPLA 3; each link prefix has its own LSP
# ending where it is connected, so each trace reveals one more LSR: BRPR in three steps.
topology inv-php p 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [MPLS,INV,ING,RTLA] <255,255>
H1 10.10.2.2 [MPLS,INV,LSR,RTLA,DPR,step=1] <255,255>
H2 10.10.3.2 [MPLS,INV,LSR,RTLA,DPR,step=1] <255,255>
3 10.10.4.2 [MPLS,INV,EGR,RTLA] <255,64>
4 10.10.101.1 [] <*,64>
revelation DPR 2: 10.10.4.2/icmp-paris/OK" 10.10.102.1 "1 10.10.0.2 [] <64,64>
2 10.10.5.2 [MPLS,INV,ING,FRPLA] <255,255>
H1 10.10.6.2 [MPLS,INV,LSR,FRPLA,BRPR,step=3] <255,255>
H2 10.10.7.2 [MPLS,INV,LSR,FRPLA,BRPR,step=2] <255,255>
H3 10.10.8.2 [MPLS,INV,LSR,FRPLA,BRPR,step=1] <255,255>
3 10.10.9.2 [MPLS,INV,EGR,FRPLA] <255,255>
4 10.10.102.1 [] <*,64>
revelation BRPR 3: 10.10.9.2/icmp-paris/OK 10.10.8.2/icmp-paris/OK 10.10.7.2/icmp-paris/OK 10.10.6.2/icmp-paris/NTH-RV"

# invisible UHP: r6 pops with one more decrement and shows twice (DUPIP; its first reply has
# FRPLA 3 but is not a candidate of its own). r6's address is inside the LSP (the trace to it
# reveals nothing); its /30 buddy 10.10.5.1 (r5) is not, so the udp-paris trace to the buddy
# reveals r3 and r4 (the buddy itself is that trace's target, not listed)
topology inv-uhp h 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [MPLS,INV,ING,DUPIP] <255,255>
H1 10.10.2.2 [MPLS,INV,LSR,DUPIP,BUDDY,step=1] <255,255>
H2 10.10.3.2 [MPLS,INV,LSR,DUPIP,BUDDY,step=1] <255,255>
3 10.10.5.2 [] <255,255>
4 10.10.5.2 [MPLS,INV,EGR,DUPIP] <255,255>
5 10.10.101.1 [] <*,64>
revelation BUDDY 2: 10.10.5.2/icmp-paris/NTH-RV 10.10.5.1/udp-paris/OK"

# two tunnels on one path: explicit r2 [r3] r4, then opaque r5 [r6 r7] r8 (r8 <255,64>)
topology two-tunnels 2 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [MPLS,EXP,ING] <255,255>
3 10.10.2.2 [MPLS,EXP,LSR] <255,255> 100:1
4 10.10.3.2 [MPLS,EXP,EGR] <64,64>
5 10.10.4.2 [MPLS,OPA,ING,MTTL] <255,255>
H1 10.10.5.2 [MPLS,OPA,LSR,MTTL,DPR,step=1] <255,255>
H2 10.10.6.2 [MPLS,OPA,LSR,MTTL,DPR,step=1] <255,255>
6 10.10.7.2 [MPLS,OPA,EGR,MTTL] <255,64> 202:253
7 10.10.101.1 [] <*,64>
revelation DPR 2: 10.10.7.2/icmp-paris/OK"

# the demo's: ta behind explicit + opaque, tb behind implicit + invisible PHP (RTLA), tc behind
# invisible UHP (DUPIP, buddy)
topology default d 10.10.101.1 "1 10.10.0.2 [] <64,64>
2 10.10.1.2 [MPLS,EXP,ING] <255,255>
3 10.10.2.2 [MPLS,EXP,LSR] <255,255> 100:1
4 10.10.3.2 [MPLS,EXP,EGR] <64,64>
5 10.10.4.2 [MPLS,OPA,ING,MTTL] <255,255>
H1 10.10.5.2 [MPLS,OPA,LSR,MTTL,DPR,step=1] <255,255>
H2 10.10.6.2 [MPLS,OPA,LSR,MTTL,DPR,step=1] <255,255>
6 10.10.7.2 [MPLS,OPA,EGR,MTTL] <255,255> 202:253
7 10.10.101.1 [] <*,64>
revelation DPR 2: 10.10.7.2/icmp-paris/OK" 10.10.102.1 "1 10.10.0.2 [] <64,64>
2 10.10.8.2 [MPLS,IMP,ING] <255,255>
3 10.10.9.2 [MPLS,IMP,LSR] <255,255>
4 10.10.10.2 [MPLS,IMP,LSR,QTTL] <255,255>
5 10.10.11.2 [MPLS,IMP,EGR] <64,64>
6 10.10.12.2 [MPLS,INV,ING,RTLA] <255,255>
H1 10.10.13.2 [MPLS,INV,LSR,RTLA,DPR,step=1] <255,255>
H2 10.10.14.2 [MPLS,INV,LSR,RTLA,DPR,step=1] <255,255>
7 10.10.15.2 [MPLS,INV,EGR,RTLA] <255,64>
8 10.10.102.1 [] <*,64>
revelation DPR 2: 10.10.15.2/icmp-paris/OK" 10.10.103.1 "1 10.10.0.2 [] <64,64>
2 10.10.16.2 [MPLS,INV,ING,DUPIP] <255,255>
H1 10.10.17.2 [MPLS,INV,LSR,DUPIP,BUDDY,step=1] <255,255>
3 10.10.19.2 [] <255,255>
4 10.10.19.2 [MPLS,INV,EGR,DUPIP] <255,255>
5 10.10.103.1 [] <*,64>
revelation BUDDY 1: 10.10.19.2/icmp-paris/NTH-RV 10.10.19.1/udp-paris/OK"

if [ $have_scamper = 1 ]; then
  if [ "$total_hops" -gt 0 ] && [ "$agree_hops" = "$total_hops" ]; then
    pass "scamper-agreement ($agree_hops/$total_hops hops, 100%)"
  else
    fail scamper-agreement "$agree_hops/$total_hops hops agree"
  fi
fi
left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep "^unf-tb-$prefix" ; ls -d /run/unf-testbed/"$prefix"* 2>/dev/null)
[ -z "$left" ] && pass nothing-left-behind || fail nothing-left-behind "$(echo $left | head -c 300)"
exit 0
