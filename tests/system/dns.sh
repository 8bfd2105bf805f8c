#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The dns app against NSD, query by query: the proc unikernel (unf run) and the native build (in
# a namespace of its own, plain and under ASan + UBSan) serve the image's zones, NSD serves the same files on a loopback port
# of its own, and dig's answers (rcode, flags, EDNS, every section, sorted) must be identical
# over UDP and over TCP. Then what NSD cannot be compared on: several queries per TCP
# connection, FORMERR for malformed queries, garbage that must not kill the server, zone-file
# errors naming file and line, the kernel size, the virtio kernel under QEMU, and `unf bench dns`
# briefly (the 15-query mix, and --names with a generated zone).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name dns
unf=build/bin/unf
image=build/images/dns.unf
zones=apps/dns/files
prefix=dn$$
ns=unfdns$$
tmp=$(mktemp -d)
nsd_port=$((10000 + $$ % 20000)) # below the ephemeral range
nsd_pid=
native_ip=10.97.53.2

cleanup() {
  [ -n "$nsd_pid" ] && kill "$nsd_pid" 2>/dev/null
  [ -f "$tmp/nsd.pid" ] && kill "$(cat "$tmp/nsd.pid" 2>/dev/null)" 2>/dev/null
  rm_instances "$prefix"
  rm -rf "$tmp"
}
on_exit cleanup

for tool in dig nsd jq socat od; do
  command -v $tool >/dev/null || { echo "SKIP dns: $tool missing (scripts/setup installs it)"; exit 0; }
done
[ -f "$image" ] && [ -x build/native/dns ] || { echo "FAIL dns.build: $image or build/native/dns missing"; exit 0; }

# ---- NSD on 127.0.0.1:$nsd_port, private config and state ---------------------------------
cp $zones/*.zone "$tmp/"
{
  cat <<EOF
server:
  ip-address: 127.0.0.1@$nsd_port
  port: $nsd_port
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$tmp"
  pidfile: "$tmp/nsd.pid"
  database: ""
  zonelistfile: "$tmp/zone.list"
  xfrdfile: "$tmp/xfrd.state"
  xfrdir: "$tmp"
  logfile: "$tmp/nsd.log"
  hide-version: yes
  ipv4-edns-size: 1232
remote-control:
  control-enable: no
EOF
  for f in $zones/*.zone; do
    b=$(basename "$f")
    printf 'zone:\n  name: %s\n  zonefile: %s\n  provide-xfr: 0.0.0.0/0 NOKEY\n' "${b%.zone}" "$b"
  done
} > "$tmp/nsd.conf"
timeout 600 nsd -d -c "$tmp/nsd.conf" > "$tmp/nsd.out" 2>&1 &
nsd_pid=$!

# ---- the proc unikernel and the native build ------------------------------------------------
if ! err=$($unf run -d --name "$prefix-proc" --platform proc "$image" -- --zone example.com.zone \
             --zone 2.0.192.in-addr.arpa.zone 2>&1 >/dev/null); then
  echo "FAIL dns.proc.run: $err"; exit 0
fi
proc_ip=$($unf inspect "$prefix-proc" | jq -r '.ip // empty')
ns_add "$ns"
ns_veth "$ns" "v$ns" 10.97.53.1/24 $native_ip/24
tar --format=ustar -cf "$tmp/zones.tar" -C $zones .
UNF_FILES="$tmp/zones.tar" ip netns exec "$ns" timeout 600 build/native/dns > "$tmp/native.log" 2>&1 &
# The native build under ASan + UBSan answers the same queries on another port.
targets="proc native"
if [ -x build/native-asan/dns ]; then
  UNF_FILES="$tmp/zones.tar" ASAN_OPTIONS=detect_leaks=0 ip netns exec "$ns" timeout 600 build/native-asan/dns \
    --port 5354 > "$tmp/asan.log" 2>&1 &
  targets="proc native asan"
else
  echo "SKIP dns.asan: build/native-asan/dns not built (make native)"
fi

ready() { # server [port]: answers a query within 30 s (the machine may be busy)
  local deadline=$((SECONDS + 30))
  while [ $SECONDS -lt $deadline ]; do
    dig @"$1" -p "${2:-53}" example.com SOA +time=1 +tries=1 >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
ready 127.0.0.1 $nsd_port || { echo "FAIL dns.nsd-start: $(tail -n 3 "$tmp/nsd.log" "$tmp/nsd.out" 2>/dev/null | tr '\n' ' ')"; exit 0; }
ready "$proc_ip" && echo "PASS dns.proc.up ($proc_ip)" || { echo "FAIL dns.proc.up: $($unf logs "$prefix-proc" | tail -n 2)"; exit 0; }
ready $native_ip && echo "PASS dns.native.up" || { echo "FAIL dns.native.up: $(tail -n 2 "$tmp/native.log")"; exit 0; }
if [[ $targets == *asan* ]]; then
  ready $native_ip 5354 && echo "PASS dns.asan.up" || { echo "FAIL dns.asan.up: $(tail -n 2 "$tmp/asan.log")"; targets="proc native"; }
fi
$unf logs "$prefix-proc" | grep -q "dns: serving 2 zone(s)" && echo "PASS dns.proc.loads-zones-given" \
  || echo "FAIL dns.proc.loads-zones-given: $($unf logs "$prefix-proc" | head -c 200)"
# The native build runs without arguments: every *.zone of the archive (the PTR cases below
# need the second one). With one --zone, only that zone is served.
UNF_FILES="$tmp/zones.tar" ip netns exec "$ns" timeout 600 build/native/dns --zone example.com.zone --port 5355 \
  > /dev/null 2>&1 &
if ready $native_ip 5355; then
  st=$(dig @$native_ip -p 5355 1.2.0.192.in-addr.arpa PTR +time=2 +tries=2 | grep -o 'status: [A-Z]*')
  [ "$st" = "status: REFUSED" ] && echo "PASS dns.native.one-zone-given-refuses-the-other" \
    || echo "FAIL dns.native.one-zone-given-refuses-the-other: $st"
else
  echo "FAIL dns.native.one-zone-given: no answer"
fi

# ---- query by query against NSD ------------------------------------------------------------
# dig's answer without what legitimately differs (query id, timing): header status and flags,
# EDNS and EDE lines, the question as sent back (case kept), and each section's records sorted.
norm() {
  awk '
    /->>HEADER<<-/ { sub(/, id: .*/, ""); print "H " $0; next }
    /^;; flags:/ { print "F " $0; next }
    /^; EDNS:/ { print "E " $0; next }
    /^; EDE:/ { print "X " $0; next }
    /^;; QUESTION SECTION:/ { sec = "Q"; next }
    /^;; ANSWER SECTION:/ { sec = "AN"; next }
    /^;; AUTHORITY SECTION:/ { sec = "AU"; next }
    /^;; ADDITIONAL SECTION:/ { sec = "AD"; next }
    /^$/ { next }
    /^;/ && sec != "Q" { next }
    sec != "" { $1 = $1; print sec " " $0 }' | sort
}
ask() { # server port transport args...
  local server=$1 port=$2 transport=$3; shift 3
  local t=+ignore
  [ "$transport" = tcp ] && t=+tcp
  dig @"$server" -p "$port" +time=3 +tries=2 +nocookie $t +noall +comments +question +answer \
    +authority +additional "$@" 2>&1 | norm
}

cases=(
  "apex-a|example.com A" "apex-ns|example.com NS" "apex-mx-additional|example.com MX"
  "apex-soa|example.com SOA" "apex-aaaa|example.com AAAA" "apex-txt|example.com TXT"
  "any-apex|example.com ANY" "any-host|mail.example.com ANY" "any-cname|www.example.com ANY"
  "cname|www.example.com A" "cname-nodata|www.example.com AAAA" "cname-chain|chain1.example.com A"
  "cname-out-of-zone|external.example.com A" "cname-dangling-nxdomain|dangling.example.com A"
  "cname-cross-zone|reverse.example.com PTR" "cname-cross-zone-nodata|reverse.example.com A"
  "cname-loop|loop1.example.com A" "cname-asked|www.example.com CNAME"
  "nxdomain|nothere.example.com A" "nxdomain-deep|a.b.c.nothere.example.com TXT"
  "nodata|mail.example.com TXT" "empty-non-terminal|a.b.example.com A" "empty-non-terminal-2|b.example.com MX"
  "owner-omitted-rrset|web.example.com A" "srv-additional|_sip._tcp.example.com SRV"
  "ttl-per-record|ttls.example.com A" "ptr|25.2.0.192.in-addr.arpa PTR" "reverse-nxdomain|9.2.0.192.in-addr.arpa PTR" "reverse-apex-ns|2.0.192.in-addr.arpa NS"
  "referral|x.sub.example.com A" "referral-at-cut|sub.example.com NS" "referral-glue-name|ns.sub.example.com A"
  "referral-no-glue|www.other.example.com AAAA" "ds-at-cut|sub.example.com DS"
  "case-question|WwW.ExAmPlE.cOm A" "case-owner|MIXED.case.EXAMPLE.com A" "case-nxdomain|NoThErE.ExAmPlE.CoM A"
  "refused-other-zone|example.org A" "refused-parent|com SOA" "refused-root|. NS"
  "refused-class-ch|-c CH example.com A" "notimp-opcode-status|+opcode=status example.com A"
  "badvers-edns1|+edns=1 +noednsneg example.com A" "no-edns|+noedns example.com MX"
  "do-bit|+dnssec example.com A" "edns-small-bufsize|+bufsize=100 example.com A"
  "tc-without-edns|+noedns big.example.com TXT" "fits-with-edns|big.example.com TXT"
  "tc-over-1232|huge.example.com TXT" "tc-bufsize-4096|+bufsize=4096 huge.example.com TXT"
  "tc-bufsize-600|+bufsize=600 big.example.com TXT" "txt-quoted-escapes|quoted.example.com TXT"
  "wildcard|foo.wild.example.com A" "wildcard-two-labels|a.b.wild.example.com MX" "wildcard-nodata|foo.wild.example.com AAAA"
  "wildcard-parent-ent|wild.example.com A" "wildcard-blocked|x.host.wild.example.com A" "wildcard-literal|*.wild.example.com A"
  "wildcard-cname|anything.alias.example.com A" "wildcard-case|FoO.WiLd.example.com A"
  "rd-off|+norec example.com A" "cd-flag|+cdflag example.com A" "aaaa-host|ns1.example.com AAAA"
)
for transport in udp tcp; do
  for c in "${cases[@]}"; do
    label=${c%%|*}
    read -r -a args <<<"${c#*|}"
    want=$(ask 127.0.0.1 $nsd_port $transport "${args[@]}")
    for target in $targets; do
      ip=$proc_ip port=53
      [ $target = native ] && ip=$native_ip
      [ $target = asan ] && ip=$native_ip port=5354
      got=$(ask "$ip" $port $transport "${args[@]}")
      if [ -n "$want" ] && [ "$got" = "$want" ]; then
        echo "PASS dns.$target.$transport.$label"
      else
        echo "FAIL dns.$target.$transport.$label: differs from NSD (dig ${c#*|}):"
        diff <(echo "$want") <(echo "$got") | sed 's/^/    /' | head -n 12
        # A server that stopped answering altogether is reported once, not once per case.
        if ! dig @"$ip" -p $port example.com SOA +time=2 +tries=2 >/dev/null 2>&1; then
          state=$([ $target = proc ] && $unf ps -a | grep "^$prefix-proc" | tr -s ' ')
          echo "FAIL dns.$target.stopped-answering: after $transport.$label; ${state:-} $([ $target = proc ] && $unf logs "$prefix-proc" 2>&1 | tail -n 3 | tr '\n' ' ')"
          targets=${targets/$target/}
        fi
      fi
    done
  done
done
# ---- zone transfer (AXFR) ------------------------------------------------------------------
# NSD provides transfers to anyone (provide-xfr in its config): the records of both zones,
# sorted, must be the same (each record's TTL included), with the SOA first and last.
xfr() { # server port zone: the transfer's records, one per line as dig prints them
  dig @"$1" -p "$2" +time=5 +tries=1 +nocookie "$3" AXFR 2>&1 | grep -v '^;' | grep -v '^$' | awk '{ $1 = $1; print }'
}
for zone in example.com 2.0.192.in-addr.arpa; do
  want=$(xfr 127.0.0.1 $nsd_port $zone)
  for target in proc native; do
    ip=$proc_ip; [ $target = native ] && ip=$native_ip
    got=$(xfr "$ip" 53 $zone)
    if [ -n "$want" ] && [ "$(sort <<<"$got")" = "$(sort <<<"$want")" ] && [ "$(head -n 1 <<<"$got" | cut -d' ' -f4)" = SOA ] \
       && [ "$(tail -n 1 <<<"$got")" = "$(head -n 1 <<<"$got")" ]; then
      echo "PASS dns.$target.axfr.$zone ($(wc -l <<<"$got") records, as NSD's)"
    else
      echo "FAIL dns.$target.axfr.$zone: differs from NSD's transfer:"
      diff <(sort <<<"$want") <(sort <<<"$got") | sed 's/^/    /' | head -n 12
    fi
  done
done
# A zone too big for one message: the transfer spans several, every record there once.
mkdir -p "$tmp/big"
{
  echo '$TTL 300'
  echo '@ SOA ns hostmaster 1 7200 900 1209600 300'
  echo '@ NS ns'
  echo 'ns A 192.0.2.1'
  for i in $(seq 1 3000); do echo "h$i TXT \"record number $i of a zone bigger than one DNS message\""; done
} > "$tmp/big/big.example.zone"
tar --format=ustar -cf "$tmp/big.tar" -C "$tmp/big" .
UNF_FILES="$tmp/big.tar" ip netns exec "$ns" timeout 120 build/native/dns --port 5356 > /dev/null 2>&1 &
for _ in $(seq 1 50); do dig @$native_ip -p 5356 big.example SOA +time=1 +tries=1 >/dev/null 2>&1 && break; sleep 0.1; done
out=$(dig @$native_ip -p 5356 +time=5 +tries=1 big.example AXFR 2>&1)
size=$(grep -o 'XFR size: [0-9]* records (messages [0-9]*' <<<"$out")
recs=$(grep -v '^;' <<<"$out" | grep -c 'IN')
uniq=$(grep -v '^;' <<<"$out" | grep 'IN' | sort -u | wc -l)
read -r _ _ n _ _ m <<<"${size//(/}"
[ "${n:-0}" = 3004 ] && [ "$recs" = 3004 ] && [ "$uniq" = 3003 ] && [ "${m:-0}" -gt 1 ] \
  && echo "PASS dns.native.axfr-split-across-messages ($n records in $m messages)" \
  || echo "FAIL dns.native.axfr-split-across-messages: '$size', $recs records, $uniq distinct"

# ---- raw messages: TCP framing, malformed queries -----------------------------------------
query_bytes() { # id(4 hex) qdcount(4 hex): a query for example.com A, as printf escapes
  printf '\\x%s\\x%s\\x01\\x00\\x%s\\x%s\\x00\\x00\\x00\\x00\\x00\\x00\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01' \
    "${1:0:2}" "${1:2:2}" "${2:0:2}" "${2:2:2}"
}
frames() { # counts the length-framed messages in od output on stdin: prints "count ids..."
  local -a b; read -r -a b <<<"$(tr -s ' \n' '  ')"
  local i=0 n=0 ids=""
  while [ $((i + 2)) -le ${#b[@]} ]; do
    local len=$((b[i] * 256 + b[i + 1]))
    [ $((i + 2 + len)) -le ${#b[@]} ] || break
    ids+=" $(printf '%02x%02x' "${b[i + 2]}" "${b[i + 3]}")/rcode$((b[i + 5] & 15))"
    n=$((n + 1)); i=$((i + 2 + len))
  done
  echo "$n$ids"
}
# AXFR over UDP and for a name that is not a zone's apex (the transfers are checked above).
axfr_bytes() { # id(4 hex) name-in-wire-escapes: an AXFR query, as printf escapes
  printf '\\x%s\\x%s\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00%s\\x00\\x00\\xfc\\x00\\x01' "${1:0:2}" "${1:2:2}" "$2"
}
for target in proc native; do
  ip=$proc_ip; [ $target = native ] && ip=$native_ip
  # Over UDP: REFUSED (a transfer needs TCP; dig itself would switch to TCP).
  rc=$(printf "$(axfr_bytes 7777 '\x07example\x03com')" | timeout 5 socat -T2 - "UDP:$ip:53" 2>/dev/null | od -An -tu1 -v -j3 -N1 | tr -d ' ')
  [ -n "$rc" ] && [ $((rc & 15)) = 5 ] && echo "PASS dns.$target.udp.axfr-refused" || echo "FAIL dns.$target.udp.axfr-refused: rcode byte '$rc'"
  # Over TCP for a name that is not a zone's apex: REFUSED, and the connection still serves.
  q=$(axfr_bytes 8888 '\x03www\x07example\x03com')
  printf "\\x00\\x21$q\\x00\\x1d$(query_bytes 9999 0001)" > "$tmp/axfr-www"
  got=$(timeout 10 socat -t2 -T3 - "TCP:$ip:53" < "$tmp/axfr-www" 2>/dev/null | od -An -tu1 -v | frames)
  [ "$got" = "2 8888/rcode5 9999/rcode0" ] && echo "PASS dns.$target.tcp.axfr-not-apex-refused" \
    || echo "FAIL dns.$target.tcp.axfr-not-apex-refused: got '$got'"
done
for target in proc native; do
  ip=$proc_ip; [ $target = native ] && ip=$native_ip
  # Three queries in one write on one connection (pipelined), all answered, in order.
  printf "\\x00\\x1d$(query_bytes 1111 0001)\\x00\\x1d$(query_bytes 2222 0001)\\x00\\x1d$(query_bytes 3333 0001)" > "$tmp/three"
  got=$(timeout 10 socat -t2 -T3 - "TCP:$ip:53" < "$tmp/three" 2>/dev/null | od -An -tu1 -v | frames)
  [ "$got" = "3 1111/rcode0 2222/rcode0 3333/rcode0" ] && echo "PASS dns.$target.tcp.pipelined-queries-one-connection" \
    || echo "FAIL dns.$target.tcp.pipelined-queries-one-connection: got '$got'"
  # dig keeping the connection open across queries.
  n=$(dig @"$ip" +tcp +keepopen +time=3 +tries=1 example.com A www.example.com A mail.example.com MX 2>/dev/null | grep -c 'status: NOERROR')
  [ "$n" = 3 ] && echo "PASS dns.$target.tcp.keepopen-three-queries" || echo "FAIL dns.$target.tcp.keepopen-three-queries: $n answers"
  # A length prefix split from its message across writes.
  got=$( { printf '\x00'; sleep 0.3; printf "\\x1d$(query_bytes 4444 0001)"; sleep 1; } | timeout 10 socat -t2 -T3 - "TCP:$ip:53" 2>/dev/null | od -An -tu1 -v | frames)
  [ "$got" = "1 4444/rcode0" ] && echo "PASS dns.$target.tcp.split-frame" || echo "FAIL dns.$target.tcp.split-frame: got '$got'"
  # FORMERR: no question, two questions, a label running past the end.
  for bad in "noquestion:$(query_bytes 5555 0000)" "twoquestions:$(query_bytes 6666 0002)" \
             "truncated-name:\\x77\\x77\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x3fexample"; do
    label=${bad%%:*}
    rc=$(printf "${bad#*:}" | timeout 5 socat -T2 - "UDP:$ip:53" 2>/dev/null | od -An -tu1 -v -j3 -N1 | tr -d ' ')
    [ -n "$rc" ] && [ $((rc & 15)) = 1 ] && echo "PASS dns.$target.formerr.$label" || echo "FAIL dns.$target.formerr.$label: rcode byte '$rc'"
  done
  # Garbage of every size, one datagram each (head writes it in one go), then a TCP stream of
  # it: never answered as a query, never fatal.
  for _ in $(seq 1 150); do head -c $((RANDOM % 700 + 1)) /dev/urandom > "/dev/udp/$ip/53"; done 2>/dev/null
  head -c 20000 /dev/urandom | timeout 10 socat -t1 -T2 - "TCP:$ip:53" >/dev/null 2>&1
  dig @"$ip" example.com SOA +time=3 +tries=2 2>/dev/null | grep -q 'status: NOERROR' \
    && echo "PASS dns.$target.survives-garbage" || echo "FAIL dns.$target.survives-garbage: no answer afterwards"
done

# An idle TCP connection is closed by the server (--tcp-idle 2), not kept forever.
UNF_FILES="$tmp/zones.tar" ip netns exec "$ns" timeout 60 build/native/dns --port 5353 --tcp-idle 2 > /dev/null 2>&1 &
for _ in $(seq 1 50); do dig @$native_ip -p 5353 example.com SOA +time=1 +tries=1 >/dev/null 2>&1 && break; sleep 0.1; done
start=$(date +%s%N)
timeout 15 socat - "TCP:$native_ip:5353" < <(sleep 12) >/dev/null 2>&1
elapsed=$((($(date +%s%N) - start) / 1000000))
[ $elapsed -ge 1500 ] && [ $elapsed -lt 11000 ] && echo "PASS dns.native.tcp.idle-connection-closed (${elapsed} ms)" \
  || echo "FAIL dns.native.tcp.idle-connection-closed: connection lasted ${elapsed} ms, want 2-3 s"

if [[ $targets == *asan* ]]; then
  for _ in $(seq 1 100); do head -c $((RANDOM % 700 + 1)) /dev/urandom > "/dev/udp/$native_ip/5354"; done 2>/dev/null
  head -c 20000 /dev/urandom | timeout 10 socat -t1 -T2 - "TCP:$native_ip:5354" >/dev/null 2>&1
  ready $native_ip 5354 && ! grep -qE 'ERROR: AddressSanitizer|runtime error' "$tmp/asan.log" \
    && echo "PASS dns.asan.sanitizer-clean" \
    || echo "FAIL dns.asan.sanitizer-clean: $(grep -m1 -E 'ERROR: AddressSanitizer|runtime error' "$tmp/asan.log" || echo 'no answer after garbage')"
fi

# ---- zone-file errors: one line naming file and line, exit status 2 -------------------------
zone_error() { # label expected-substring zone-text [zone to ask for]
  mkdir -p "$tmp/bad"; rm -f "$tmp/bad"/*
  printf '%b' "$3" > "$tmp/bad/t.example.zone"
  tar --format=ustar -cf "$tmp/bad.tar" -C "$tmp/bad" t.example.zone
  local out rc
  out=$(UNF_FILES="$tmp/bad.tar" timeout 10 build/native/dns --zone "${4:-t.example.zone}" --port 5999 2>&1 >/dev/null); rc=$?
  if [ $rc = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && [[ "$out" == *"$2"* ]]; then
    echo "PASS dns.zone-error.$1"
  else
    echo "FAIL dns.zone-error.$1: exit $rc, stderr '$out' (want '$2')"
  fi
}
soa='@ 3600 SOA ns h 1 2 3 4 5\n'
zone_error bad-type "t.example.zone:2: unknown or unsupported record type 'HINFOX'" "${soa}www HINFOX x\n"
zone_error bad-ipv4 "t.example.zone:3: bad IPv4 address" "${soa}; comment\nwww A 192.0.2.300\n"
zone_error bad-ipv6 "t.example.zone:2: bad IPv6 address" "${soa}www AAAA 2001:db8:::1\n"
zone_error open-paren "t.example.zone:2: '(' not closed" "${soa}www TXT ( \"a\"\n\"b\"\n"
zone_error close-paren "t.example.zone:2: ')' without '('" "${soa}www A 192.0.2.1 )\n"
zone_error out-of-zone "t.example.zone:2: owner name outside the zone" "${soa}www.example.org. A 192.0.2.1\n"
zone_error cname-and-data "t.example.zone:3: CNAME and other data" "${soa}www A 192.0.2.1\nwww CNAME x\n"
zone_error no-soa "t.example.zone:1: the first record must be the zone's SOA" "www A 192.0.2.1\n"
zone_error bad-ttl "t.example.zone:2: bad TTL '1x'" "${soa}www 1x A 192.0.2.1\n"
zone_error long-txt "t.example.zone:2: bad TXT string" "${soa}www TXT \"$(head -c 300 /dev/zero | tr '\0' a)\"\n"
zone_error unterminated-quote "t.example.zone:2: unterminated quoted string" "${soa}www TXT \"abc\n"
zone_error include "t.example.zone:2: \$INCLUDE is not supported" "${soa}\$INCLUDE other.zone\n"
zone_error mx-fields "t.example.zone:2: wrong number of fields" "${soa}@ MX mail\n"
zone_error missing-file "nosuch.zone: no such file" "$soa" nosuch.zone
# The same through the proc unikernel and unf run: a zone missing from the image.
out=$(timeout 20 $unf run --name "$prefix-bad" --platform proc "$image" -- --zone nosuch.zone 2>&1); rc=$?
[ $rc = 2 ] && [[ "$out" == *"nosuch.zone: no such file"* ]] && echo "PASS dns.proc.zone-error-exit-2" \
  || echo "FAIL dns.proc.zone-error-exit-2: exit $rc, '$out'"
$unf rm -f "$prefix-bad" >/dev/null 2>&1

# ---- size and the virtio kernel -------------------------------------------------------------
for p in proc virtio; do
  size=$(stat -c %s build/kernels/dns/x86_64-$p)
  [ "$size" -lt 524288 ] && echo "PASS dns.kernel-size.$p ($((size / 1024)) KiB < 512 KiB)" \
    || echo "FAIL dns.kernel-size.$p: $size bytes"
done
if err=$($unf run -d --name "$prefix-vm" --platform qemu-microvm "$image" 2>&1 >/dev/null); then
  vm_ip=$($unf inspect "$prefix-vm" | jq -r '.ip // empty')
  if ready "$vm_ip"; then
    want=$(ask 127.0.0.1 $nsd_port udp chain1.example.com A)
    got=$(ask "$vm_ip" 53 udp chain1.example.com A)
    [ "$got" = "$want" ] && echo "PASS dns.qemu-microvm.udp.cname-chain" || echo "FAIL dns.qemu-microvm.udp.cname-chain: differs from NSD"
    want=$(ask 127.0.0.1 $nsd_port tcp huge.example.com TXT)
    got=$(ask "$vm_ip" 53 tcp huge.example.com TXT)
    [ "$got" = "$want" ] && echo "PASS dns.qemu-microvm.tcp.huge" || echo "FAIL dns.qemu-microvm.tcp.huge: differs from NSD"
  else
    echo "FAIL dns.qemu-microvm.up: no answer"
  fi
  $unf rm -f "$prefix-vm" >/dev/null 2>&1
else
  echo "FAIL dns.qemu-microvm.run: $err"
fi

# ---- the benchmark's code path, briefly: one step per target, CPU per query and verdicts -----
if command -v dnsperf >/dev/null; then
  out=$(timeout 120 $unf bench dns --seconds 1 --rounds 1 --rates 1000 --only native,nsd --out "$tmp/bench" 2>&1); rc=$?
  if [ $rc = 0 ] && echo "$out" | grep -q '^| native | 1000 |' && echo "$out" | grep -q '^| nsd | 1000 |' \
     && echo "$out" | grep -q 'loses no query' && ls "$tmp"/bench/dns-*.csv >/dev/null 2>&1; then
    echo "PASS dns.bench-smoke (native $(echo "$out" | grep '^| native | 1000 |' | cut -d'|' -f9 | tr -d ' ') us/query)"
  else
    echo "FAIL dns.bench-smoke: exit $rc: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
  fi
  # --names: a generated zone of distinct names that every target serves (the unikernel from an
  # image rebuilt with it), asked so the response cache misses; nothing lost, the query set named.
  out=$(timeout 60 $unf bench dns --names 2000 --only proc,nsd --rates 2000 --seconds 2 --rounds 1 \
        --out "$tmp/bench-names" 2>&1); rc=$?
  md=$(ls "$tmp"/bench-names/dns-*.md 2>/dev/null | head -n 1)
  lost() { echo "$out" | grep "^| $1 | 2000 |" | head -n 1 | cut -d'|' -f6 | tr -d ' '; }
  if [ $rc = 0 ] && [ "$(lost proc)" = 0 ] && [ "$(lost nsd)" = 0 ] && [ -n "$md" ] \
     && grep -q '2000 distinct names' "$md"; then
    echo "PASS dns.bench-names (proc $(echo "$out" | grep '^| proc | 2000 |' | head -n 1 | cut -d'|' -f9 | tr -d ' ') us/query, nsd $(echo "$out" | grep '^| nsd | 2000 |' | head -n 1 | cut -d'|' -f9 | tr -d ' '))"
  else
    echo "FAIL dns.bench-names: exit $rc, lost proc '$(lost proc)' nsd '$(lost nsd)': $(echo "$out" | tail -n 3 | tr '\n' ' ')"
  fi
else
  echo "SKIP dns.bench-smoke: dnsperf missing"
fi
