#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The multi-node test: six unfd agents on this machine, each in its own network namespace with
# its own small capacity (two declared aarch64, whose probes run the aarch64 kernel on QEMU
# TCG), all behind a hub router with a target network two Linux routers away; `unf cluster`
# places services and runs TNT campaigns on them. Checks: arch-aware placement and a clear
# error for a service no node can hold; 200 measurements with `wait` all done; the same with
# `discard` reporting exactly the overflow; an agent killed mid-campaign detected and its work
# re-placed (vantage points "all") or failed as "node lost" (named vantage points); a killed
# controller resumed without losing or redoing a finished result. Everything it creates carries
# its prefix and is removed on every path.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name cluster
P=ucl$(($$ % 10000))
tmp=$(mktemp -d /tmp/unf-cluster.XXXXXX)
db=$tmp/state.db
cl() { timeout -k 5 "${CL_TIMEOUT:-300}" build/bin/unf cluster --db "$db" "$@"; }
probe=$PWD/build/images/probe.unf
NAGENTS=6
declare -A apid

for f in build/bin/unf build/bin/unfd build/bin/unf-cluster "$probe"; do
  [ -f "$f" ] || { fail build "$f missing (make all)"; exit 0; }
done
command -v jq >/dev/null || { fail tools "jq missing (scripts/setup installs it)"; exit 0; }

on_exit 'rm -rf "$tmp"'
trap 'exit 130' INT TERM

# --- the network: agents a1..a6 -> hub -> r1 -> tgt (targets 10.79.0.1-200 on its loopback) ---
ns_add "$P-hub" && ns_add "$P-r1" && ns_add "$P-tgt" &&
  ns_link "$P-hub" h1 "$P-r1" r1a && ns_link "$P-r1" r1b "$P-tgt" t0 || { fail net "cannot build the testbed"; exit 0; }
{
  ip -n "$P-hub" addr add 10.78.0.1/30 dev h1 && ip -n "$P-hub" link set h1 up &&
  ip -n "$P-r1" addr add 10.78.0.2/30 dev r1a && ip -n "$P-r1" link set r1a up &&
  ip -n "$P-r1" addr add 10.78.0.5/30 dev r1b && ip -n "$P-r1" link set r1b up &&
  ip -n "$P-tgt" addr add 10.78.0.6/30 dev t0 && ip -n "$P-tgt" link set t0 up &&
  for i in $(seq 1 200); do echo "addr add 10.79.0.$i/32 dev lo"; done | ip -n "$P-tgt" -batch - &&
  ip -n "$P-tgt" route add default via 10.78.0.5 &&
  ip -n "$P-r1" route add 10.79.0.0/24 via 10.78.0.6 && ip -n "$P-r1" route add default via 10.78.0.1 &&
  ip -n "$P-hub" route add 10.79.0.0/24 via 10.78.0.2 &&
  for n in hub r1 tgt; do
    nsenter --net=/run/netns/"$P-$n" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 >/dev/null || exit 1
  done
} || { fail net "cannot configure the testbed"; exit 0; }

# agent netns: an uplink to the hub and a default route; the runtime adds unf0 + NAT inside.
for i in $(seq 1 $NAGENTS); do
  ns_add "$P-a$i" && ns_link "$P-hub" "u$i" "$P-a$i" eth0 &&
    ip -n "$P-hub" addr add "10.78.$((10 + i)).1/24" dev "u$i" && ip -n "$P-hub" link set "u$i" up &&
    ip -n "$P-a$i" addr add "10.78.$((10 + i)).2/24" dev eth0 && ip -n "$P-a$i" link set eth0 up &&
    ip -n "$P-a$i" route add default via "10.78.$((10 + i)).1" ||
    { fail net "cannot build agent namespace $i"; exit 0; }
done

# --- the agents: n1-n4 x86_64 (proc), n5-n6 declared aarch64 (qemu-virt on TCG) ---
agent_arch() { [ "$1" -ge 5 ] && echo aarch64 || echo x86_64; }
agent_mem() { [ "$1" -ge 5 ] && echo 32 || echo 64; }
start_agent() {
  local i=$1 extra=()
  [ "$(agent_arch "$i")" = aarch64 ] && extra=(--arch aarch64)
  mkdir -p "$tmp/a$i"
  nsenter --net=/run/netns/"$P-a$i" build/bin/unfd --name "${P}n$i" \
    --socket "$tmp/a$i.sock" --state "$tmp/a$i/state" --memory "$(agent_mem "$i")" --vcpus 4 \
    "${extra[@]}" >"$tmp/a$i.log" 2>&1 &
  apid[$i]=$!
  for _ in $(seq 1 100); do [ -S "$tmp/a$i.sock" ] && return 0; sleep 0.1; done
  return 1
}
# Agents first (they own their instances), then whatever instance they left behind.
stop_agents() {
  local i n
  for i in "${!apid[@]}"; do kill "${apid[$i]}" 2>/dev/null; done
  for i in "${!apid[@]}"; do
    for _ in $(seq 1 50); do kill -0 "${apid[$i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${apid[$i]}" 2>/dev/null
  done
  for i in $(seq 1 $NAGENTS); do
    [ -d "$tmp/a$i/state/unf" ] || continue
    for n in $(UNF_ROOT=$tmp/a$i/state/unf build/bin/unf ps -a 2>/dev/null | awk 'NR>1 {print $1}'); do
      UNF_ROOT=$tmp/a$i/state/unf nsenter --net=/run/netns/"$P-a$i" build/bin/unf rm -f "$n" >/dev/null 2>&1
    done
  done
}
on_exit stop_agents
for i in $(seq 1 $NAGENTS); do
  start_agent "$i" || { fail agents "agent $i did not start: $(tail -n 2 "$tmp/a$i.log")"; exit 0; }
  cl node add "${P}n$i" "unix:$tmp/a$i.sock" >/dev/null 2>"$tmp/add.err" ||
    { fail agents "node add ${P}n$i: $(cat "$tmp/add.err")"; exit 0; }
done
cl node ls --json >"$tmp/nodes.json"
check nodes.registered $([ "$(jq '[.[] | select(.state == "UP")] | length' "$tmp/nodes.json")" = $NAGENTS ]; echo $?) \
  "$(cat "$tmp/nodes.json")"
check nodes.arch $([ "$(jq -r '[.[] | select(.arch == "aarch64")] | length' "$tmp/nodes.json")" = 2 ]; echo $?) \
  "two nodes should be aarch64"

# An agent over TCP with a bearer token (inside agent netns 1, on its loopback; the controller
# runs there too): the right token registers, a wrong or missing one is refused with the 401.
echo "tok-$P-$RANDOM" >"$tmp/token"
echo wrong >"$tmp/token.bad"
nsenter --net=/run/netns/"$P-a1" build/bin/unfd --name "${P}t" --listen 127.0.0.1:7070 --token-file "$tmp/token" \
  --state "$tmp/at/state" --memory 16 --vcpus 1 >"$tmp/at.log" 2>&1 &
apid[t]=$!
for _ in $(seq 1 100); do grep -q listening "$tmp/at.log" && break; sleep 0.1; done
ncl() { nsenter --net=/run/netns/"$P-a1" build/bin/unf cluster --db "$tmp/tcp.db" "$@"; }
ncl node add tcp http://127.0.0.1:7070 --token-file "$tmp/token" >"$tmp/tcp.out" 2>&1
check tcp.token-accepted $? "$(cat "$tmp/tcp.out" "$tmp/at.log")"
ncl node add tcp2 http://127.0.0.1:7070 --token-file "$tmp/token.bad" >"$tmp/tcp.out" 2>&1
rc=$?
check tcp.wrong-token-refused $([ $rc = 1 ] && grep -q "401" "$tmp/tcp.out"; echo $?) "rc $rc: $(cat "$tmp/tcp.out")"
ncl node add tcp3 http://127.0.0.1:7070 >"$tmp/tcp.out" 2>&1
rc=$?
check tcp.no-token-refused $([ $rc = 1 ] && grep -q "401" "$tmp/tcp.out"; echo $?) "rc $rc: $(cat "$tmp/tcp.out")"
kill "${apid[t]}"
wait "${apid[t]}" 2>/dev/null
unset 'apid[t]'

# Bad input: one line on stderr, non-zero exit, nothing half-created.
echo '{"name": "x", "targets": [' >"$tmp/bad.json"
cl campaign run "$tmp/bad.json" >"$tmp/bad.out" 2>&1
rc=$?
check input.bad-json $([ $rc = 1 ] && [ "$(wc -l <"$tmp/bad.out")" = 1 ] && grep -q "bad JSON" "$tmp/bad.out"; echo $?) \
  "rc $rc: $(cat "$tmp/bad.out")"
cl node add ghost "unix:$tmp/none.sock" >"$tmp/bad.out" 2>&1
rc=$?
check input.unreachable-node $([ $rc = 1 ] && [ "$(wc -l <"$tmp/bad.out")" = 1 ] &&
  ! cl node ls | grep -q '^ghost '; echo $?) "rc $rc: $(cat "$tmp/bad.out")"
cl campaign frobnicate >"$tmp/bad.out" 2>&1
check input.usage $([ $? = 2 ]; echo $?) "$(cat "$tmp/bad.out")"

sha=$(sha256sum "$probe" | cut -d' ' -f1)
# --- placement ---
sla() { # NAME ARCHES(json) MEMORY
  jq -n --arg n "$1" --argjson a "$2" --argjson m "$3" --arg c "$probe,$probe" --arg s "$sha,$sha" \
    '{sla_version: "v2.0", customerID: "test", applications: [{application_name: "t",
      microservices: [{microservice_name: $n, virtualization: "unikernel", cmd: ["ping", "-c", "1", "10.79.0.1"],
      memory: $m, vcpus: 1, port: "", one_shot: true, arch: $a,
      code: ($c | split(",")[0:($a | length)] | join(",")), code_sha256: ($s | split(",")[0:($a | length)] | join(","))}]}]}'
}
sla arm '["arm64"]' 16 >"$tmp/arm.json"
if cl deploy "$tmp/arm.json" >"$tmp/deploy.out" 2>&1; then
  node=$(awk '{print $2}' "$tmp/deploy.out")
  check place.arm64-on-aarch64 $([ "$node" = "${P}n5" ] || [ "$node" = "${P}n6" ]; echo $?) "landed on $node"
else
  fail place.arm64-on-aarch64 "$(cat "$tmp/deploy.out")"
fi
sla amd '["amd64","arm64"]' 16 >"$tmp/amd.json"
if cl deploy "$tmp/amd.json" >"$tmp/deploy.out" 2>&1; then
  node=$(awk '{print $2}' "$tmp/deploy.out")
  check place.proc-before-tcg $([ "$(agent_arch "${node#"${P}n"}")" = x86_64 ]; echo $?) "landed on $node"
else
  fail place.proc-before-tcg "$(cat "$tmp/deploy.out")"
fi
sla huge '["amd64","arm64"]' 4096 >"$tmp/huge.json"
cl deploy "$tmp/huge.json" >"$tmp/huge.out" 2>&1
rc=$?
check place.too-big $([ $rc = 1 ] && [ "$(wc -l <"$tmp/huge.out")" = 1 ] && grep -q "more memory" "$tmp/huge.out"; echo $?) \
  "rc $rc: $(cat "$tmp/huge.out")"
cl ps >"$tmp/ps.out" 2>&1
check ps $([ "$(grep -c "^arm \|^amd " "$tmp/ps.out")" = 2 ]; echo $?) "$(cat "$tmp/ps.out")"

# --- campaigns ---
spec() { # NAME POLICY VPS(json) NTARGETS [RATE]
  jq -n --arg n "$1" --arg p "$2" --argjson v "$3" --argjson t "$4" --argjson r "${5:-0}" \
    --arg c "$probe,$probe" --arg s "$sha,$sha" \
    '{name: $n, image: {arch: ["amd64", "arm64"], code: $c, code_sha256: $s}, command: "tnt",
      args: ["-m", "6", "-q", "1"], targets: [range(1; $t + 1) | "10.79.0.\(.)"], batch: 1,
      vantage_points: $v, policy: $p, memory: 16, vcpus: 1, timeout_ms: 60000, rate: $r}'
}
status() { cl campaign status ${1:+"$1"} --json; }

# 200 TNT measurements, wait: every one done, none lost.
spec w200 wait '"any"' 200 >"$tmp/w.json"
t0=$(date +%s%N)
cl campaign run "$tmp/w.json" --results "$tmp/w.jsonl" >"$tmp/w.out" 2>"$tmp/w.err"
rc=$?
t1=$(date +%s%N)
cid=$(status "" 2>/dev/null | jq '.[-1].id')
info "wait campaign: 200 jobs in $(((t1 - t0) / 1000000)) ms (rc $rc)"
st=$(status "$cid")
check wait.all-done $([ "$(jq .done <<<"$st")" = 200 ] && [ "$(jq .requested <<<"$st")" = 200 ]; echo $?) "$st $(tail -n 3 "$tmp/w.err")"
check wait.jsonl $([ "$(jq -r .job "$tmp/w.jsonl" | sort -u | wc -l)" = 200 ] && [ "$(wc -l <"$tmp/w.out")" = 200 ]; echo $?) \
  "$(wc -l <"$tmp/w.jsonl") lines"
check wait.real-tnt $([ "$(jq -r 'select(.state == "done") | .output' "$tmp/w.jsonl" | grep -c '"type":"tnt".*"stop_reason":"COMPLETED"')" = 200 ]; echo $?) \
  "$(jq -r .output "$tmp/w.jsonl" | head -c 300)"
narm=$(jq -r 'select(.arch == "aarch64") | .job' "$tmp/w.jsonl" | wc -l)
check wait.aarch64-used $([ "$narm" -gt 0 ]; echo $?) "no job ran on the aarch64 nodes"
info "wait campaign: $narm of 200 on aarch64 (TCG)"

# The same with discard and a tight rate: exactly the overflow is discarded, each with a reason.
spec d200 discard '"any"' 200 100 >"$tmp/d.json"
cl campaign run "$tmp/d.json" --results "$tmp/d.jsonl" --quiet 2>"$tmp/d.err"
cid=$(status "" | jq '.[-1].id')
st=$(status "$cid")
read -r req done disc failed < <(jq -r '"\(.requested) \(.done) \(.discarded) \(.failed)"' <<<"$st")
check discard.overflow $([ "$disc" -gt 0 ] && [ "$failed" = 0 ] && [ "$disc" = $((req - done)) ]; echo $?) "$st"
check discard.reasons $([ "$(jq -r 'select(.state == "discarded") | .reason' "$tmp/d.jsonl" | grep -c "no room")" = "$disc" ]; echo $?) \
  "$(jq -c 'select(.state == "discarded")' "$tmp/d.jsonl" | head -n 2)"
info "discard campaign: $done done, $disc discarded of $req"

# An agent killed (-9) mid-campaign: detected, its jobs re-placed ("all"), none lost.
spec k60 wait '"all"' 10 >"$tmp/k.json"
cl campaign run "$tmp/k.json" --results "$tmp/k.jsonl" --quiet 2>"$tmp/k.err" &
cpid=$!
for _ in $(seq 1 300); do
  n2=$(grep -c "\"node\":\"${P}n2\"" "$tmp/k.jsonl" 2>/dev/null)
  [ "${n2:-0}" -ge 1 ] && break
  sleep 0.1
done
kill -9 "${apid[2]}"
wait "${apid[2]}" 2>/dev/null
wait "$cpid"
cid=$(status "" | jq '.[-1].id')
st=$(status "$cid")
check kill.detected $(grep -q "node ${P}n2 lost\|node ${P}n2 is DEAD" "$tmp/k.err"; echo $?) "$(tail -n 3 "$tmp/k.err")"
check kill.none-lost $([ "$(jq .requested <<<"$st")" = 60 ] && [ "$(jq '.done + .failed' <<<"$st")" = 60 ] &&
  [ "$(jq -r .job "$tmp/k.jsonl" | sort -u | wc -l)" = 60 ]; echo $?) "$st"
check kill.re-placed $([ "$(jq .done <<<"$st")" = 60 ]; echo $?) "$st"
cl node ls >"$tmp/ls.out" 2>&1
check kill.node-dead $(grep -q "^${P}n2 .* DEAD " "$tmp/ls.out"; echo $?) "$(cat "$tmp/ls.out")"
# Named vantage points are positions: a dead one's jobs fail as "node lost", counted.
spec k2 wait "[\"${P}n2\", \"${P}n1\"]" 3 >"$tmp/k2.json"
cl campaign run "$tmp/k2.json" --results "$tmp/k2.jsonl" --quiet 2>/dev/null
st=$(status "$(status "" | jq '.[-1].id')")
check kill.named-vp-failed $([ "$(jq .failed <<<"$st")" = 3 ] && [ "$(jq .done <<<"$st")" = 3 ] &&
  [ "$(jq -r 'select(.state == "failed") | .reason' "$tmp/k2.jsonl" | grep -c "node lost")" = 3 ]; echo $?) "$st"

# The controller killed mid-campaign and resumed: no finished result lost or redone.
spec r100 wait '"any"' 100 >"$tmp/r.json"
# (not through cl: the pid must be the controller's own, not a timeout wrapper's)
build/bin/unf cluster --db "$db" campaign run "$tmp/r.json" --results "$tmp/r1.jsonl" --quiet 2>"$tmp/r.err" &
cpid=$!
for _ in $(seq 1 600); do
  n=$({ wc -l <"$tmp/r1.jsonl"; } 2>/dev/null)
  [ "${n:-0}" -ge 20 ] && break
  sleep 0.05
done
kill -9 "$cpid"
wait "$cpid" 2>/dev/null
cid=$(status "" | jq '.[-1].id')
before=$(wc -l <"$tmp/r1.jsonl")
cl campaign resume "$cid" --results "$tmp/r2.jsonl" --quiet 2>>"$tmp/r.err"
cl campaign results "$cid" >"$tmp/r.all"
st=$(status "$cid")
check resume.complete $([ "$(jq .done <<<"$st")" = 100 ] && [ "$(wc -l <"$tmp/r.all")" = 100 ] &&
  [ "$(jq -r .job "$tmp/r.all" | sort -u | wc -l)" = 100 ]; echo $?) "$st"
kept=$(grep -cxFf "$tmp/r1.jsonl" "$tmp/r.all")
check resume.kept $([ "$before" -ge 1 ] && [ "$kept" = "$before" ]; echo $?) "$kept of $before earlier results kept verbatim"
check resume.not-redone $([ "$(cat "$tmp/r1.jsonl" "$tmp/r2.jsonl" | jq -r .job | sort | uniq -d | wc -l)" = 0 ]; echo $?) \
  "some job has two results"
info "resume: $before results before the kill, $(wc -l <"$tmp/r2.jsonl") after"

# --- cleanup, then only our own leftovers are checked ---
stop_agents
apid=()
left=$(for i in $(seq 1 $NAGENTS); do UNF_ROOT=$tmp/a$i/state/unf build/bin/unf ps -a 2>/dev/null | awk 'NR>1'; done | wc -l)
check cleanup.instances $([ "$left" = 0 ]; echo $?) "$left instances left"
check cleanup.netns $([ "$(ip netns list | grep -c "unf-${P}n")" = 0 ]; echo $?) "$(ip netns list | grep "unf-${P}n")"
