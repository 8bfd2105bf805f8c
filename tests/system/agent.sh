#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# unfd, the node agent, through its API with real clients: a real unfd in a namespace of its own
# (entered with nsenter --net, as the controller runs them), curl on its unix socket, the images
# served by python3's http.server on that namespace's 127.0.0.1 with their real sha256. Covers
# node facts; a long-running echo (ping and UDP from the agent's namespace, logs, stop, delete,
# nothing left); a one-shot probe (wait long-poll, output in logs, followed logs end with it, its
# end noticed within 200 ms of the runtime's state write); the watcher's inotify watches and the
# agent's descriptors following the instances (none left over); a failing guest; strict admission; bad SLA documents (one-line 4xx, a digest mismatch 502 with
# nothing cached); TCP with a bearer token; a killed monitor (DEAD); an agent restart (instances
# re-adopted); an aarch64 agent (TCG); and no namespace, cgroup or state of its own left behind.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name agent
unfd=${UNFD:-build/bin/unfd}   # UNFD: another build of it (e.g. with sanitizers), with unf beside it
[ -x "$unfd" ] || { skip build "build/bin/unfd missing (make build/bin/unfd)"; exit 0; }
command -v python3 >/dev/null || { skip http "python3 missing"; exit 0; }
name=at$$                       # the agent's name: prefix of its instance ids (netns unf-$name-...)
ns=$name
tmp=$(mktemp -d /tmp/unf-agent.XXXXXX)
sock=$tmp/unfd.sock
port=$((18000 + $$ % 1000))
on_exit 'rm -rf "$tmp"'
ns_add "$ns" || { fail setup "cannot create namespace $ns"; exit 0; }
nsx() { nsenter --net="/run/netns/$ns" "$@"; }

mkdir -p "$tmp/www"
cp build/images/echo.unf build/images/probe.unf "$tmp/www/"
echo_sha=$(sha256sum "$tmp/www/echo.unf" | cut -d' ' -f1)
probe_sha=$(sha256sum "$tmp/www/probe.unf" | cut -d' ' -f1)
(cd "$tmp/www" && exec nsenter --net="/run/netns/$ns" python3 -m http.server --bind 127.0.0.1 "$port" \
  >"$tmp/http.log" 2>&1) &
http_pid=$!
on_exit "kill $http_pid 2>/dev/null; wait $http_pid 2>/dev/null"
for _ in $(seq 1 100); do nsx curl -sf -o /dev/null "http://127.0.0.1:$port/echo.unf" && break; sleep 0.05; done

agent_pid=
start_agent() { # extra unfd options...
  nsx "$unfd" --name "$name" --memory 64 --vcpus 2 --platform proc --socket "$sock" --state "$tmp/state" \
    --cache "$tmp/cache" "$@" >>"$tmp/unfd.log" 2>&1 &
  agent_pid=$!
  for _ in $(seq 1 100); do [ -S "$sock" ] && api GET /v1/node >/dev/null 2>&1 && return 0; sleep 0.05; done
  return 1
}
stop_agent() {
  [ -n "$agent_pid" ] || return 0
  kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; agent_pid=
}
cleanup_agent() {
  stop_agent
  nsx "$unfd" --name "$name" --socket "$sock" --state "$tmp/state" --cache "$tmp/cache" --cleanup >/dev/null 2>&1
  local n # whatever the agent did not know of (a deploy cut short), straight through the runtime
  for n in $(ls "$tmp/state/unf" 2>/dev/null | grep "^$name-"); do
    nsx env UNF_ROOT="$tmp/state/unf" build/bin/unf rm -f "$n" >/dev/null 2>&1
  done
}
on_exit cleanup_agent

# api METHOD PATH [BODY]: the body to $tmp/body, the HTTP status on stdout.
api() {
  local args=(-s -o "$tmp/body" -w '%{http_code}' --max-time 150 --unix-socket "$sock" -X "$1")
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}" "http://unfd$2"
}
field() { jq -r "$1" "$tmp/body" 2>/dev/null; }
# The agent's inotify watches (its watcher follows each RUNNING instance's state directory) and
# its open descriptors: the fdinfo of an inotify fd lists one "inotify wd:" line per watch.
# $agent_pid is the shell that started it; the agent is the unfd serving our socket.
unfd_pid() { local p; for p in $(pgrep -x unfd); do grep -qaF -- "$sock" /proc/$p/cmdline 2>/dev/null && echo $p; done; }
agent_watches() { cat /proc/"$(unfd_pid)"/fdinfo/* 2>/dev/null | grep -c '^inotify wd:'; }
agent_fds() { ls /proc/"$(unfd_pid)"/fd 2>/dev/null | wc -l; }
# notice_gap ID: ms from the runtime's record of the exit (its finished_ms, in milliseconds, taken
# as the monitor writes the exit, before its teardown; instance.json's mtime is the later final
# write) to the agent's record of the end (finished_ms, set by its watcher). Both wall clock.
# A correctness bound, not a benchmark: the inotify event answers in about a millisecond, the
# watcher's 1 s sweep alone would not make 200 ms.
notice_gap() {
  local m ag
  m=$(jq -r '.finished_ms // empty' "$tmp/state/unf/$1/instance.json" 2>/dev/null)
  api GET "/v1/instances/$1" >/dev/null; ag=$(field .finished_ms)
  [[ "$m" =~ ^[0-9]+$ && "$ag" =~ ^[0-9]+$ ]] && echo $((ag - m)) || echo "none (state file $m, agent $ag)"
}
gap_ok() { [[ "$1" =~ ^-?[0-9]+$ ]] && [ "$1" -ge -5 ] && [ "$1" -le 200 ]; }

# sla NAME CMD_JSON MEMORY VCPUS ONE_SHOT [ARCH_JSON CODE SHA]
sla() {
  local code=${7-http://127.0.0.1:$port/echo.unf} sha=${8-$echo_sha}
  jq -cn --arg n "$1" --argjson cmd "$2" --argjson mem "$3" --argjson cpu "$4" --argjson one "$5" \
    --argjson arch "${6:-[\"amd64\"]}" --arg code "$code" --arg sha "$sha" \
    '{sla_version:"v2.0",customerID:"Admin",applications:[{applicationID:"",application_name:"t",
      application_namespace:"test",microservices:[{microserviceID:"",microservice_name:$n,
      microservice_namespace:"test",virtualization:"unikernel",cmd:$cmd,memory:$mem,vcpus:$cpu,
      port:"",one_shot:$one,arch:$arch,code:$code,code_sha256:$sha}]}]}'
}
probe_sla() { sla "$1" "$2" 16 1 true '["amd64"]' "http://127.0.0.1:$port/probe.unf" "$probe_sha"; }

start_agent || { fail start "unfd did not answer: $(tail -n 3 "$tmp/unfd.log")"; exit 0; }
fds0=$(agent_fds)

# ---- node facts ---------------------------------------------------------------------------------
st=$(api GET /v1/node)
facts=$(jq -c '[.name, .arch, .capacity.memory_mib, .capacity.vcpus, .reserved.memory_mib,
                 ([.platforms[] | select(.platform == "proc" and .accel == "none")] | length)]' "$tmp/body" 2>/dev/null)
[ "$st" = 200 ] && [ "$facts" = "[\"$name\",\"x86_64\",64,2,0,1]" ] && pass node-facts "$facts" \
  || fail node-facts "status $st, got $facts"

# ---- a long-running echo: RUNNING, answers, logs, stop, delete -------------------------------------
t0=$(date +%s%N)
st=$(api POST /v1/instances "$(sla e1 '[]' 16 1 false)")
id=$(field .id); ip=$(field .ip)
info "deploy-echo $((($(date +%s%N) - t0) / 1000000)) ms POST to RUNNING (fetch $(field .fetch_ms) ms, unf run $(field .run_ms) ms)"
if [ "$st" = 201 ] && [ "$(field .state)" = RUNNING ] && [[ "$id" == "$name-"* ]] && [ "$(field .image_sha256)" = "$echo_sha" ]; then
  pass deploy-echo "$id at $ip"
else
  fail deploy-echo "status $st: $(head -c 300 "$tmp/body")"
fi
ok=1; for _ in $(seq 1 50); do nsx ping -c1 -W1 "$ip" >/dev/null 2>&1 && { ok=0; break; }; sleep 0.1; done
check echo-ping $ok "no answer from $ip"
reply=$(echo -n agent-udp | nsx timeout 5 socat -T2 - "UDP:$ip:7" 2>&1)
[ "$reply" = agent-udp ] && pass echo-udp || fail echo-udp "got '$reply'"
w=$(agent_watches)
[ "$w" = 1 ] && pass watch-while-running "1 inotify watch for 1 RUNNING instance" || fail watch-while-running "$w watches"
st=$(api GET "/v1/instances/$id/logs")
[ "$st" = 200 ] && pass echo-logs "$(wc -c <"$tmp/body") bytes" || fail echo-logs "status $st"
st=$(api GET /v1/node)
[ "$(field .reserved.memory_mib)/$(field .instances.RUNNING)" = 16/1 ] && pass reserved-while-running \
  || fail reserved-while-running "$(head -c 300 "$tmp/body")"
st=$(api POST "/v1/instances/$id/stop")
[ "$st" = 200 ] && [ "$(field .reason)" = stopped ] && [[ "$(field .state)" =~ ^(FAILED|COMPLETED)$ ]] \
  && pass echo-stop "$(field .state), exit $(field .exit_code)" || fail echo-stop "status $st: $(head -c 300 "$tmp/body")"
api GET /v1/node >/dev/null
[ "$(field .reserved.memory_mib)" = 0 ] && pass released-after-stop || fail released-after-stop "$(head -c 200 "$tmp/body")"
st=$(api DELETE "/v1/instances/$id"); st2=$(api GET "/v1/instances/$id")
left=$(ip netns list | grep -c "^unf-$id\b"; ls /sys/fs/cgroup | grep -c "^unf-$id$"; ls "$tmp/state/unf" | grep -c "^$id$")
[ "$st/$st2" = 204/404 ] && [ "$(echo $left)" = "0 0 0" ] && pass echo-delete-leaves-nothing \
  || fail echo-delete-leaves-nothing "status $st/$st2, left (netns cgroup state): $(echo $left)"

# ---- a one-shot probe: wait long-poll, output in logs, followed logs end with it --------------------
st=$(api POST /v1/instances "$(probe_sla p1 '["--pps","10","ping","-c","10","10.90.0.1"]')")
pid1=$(field .id)
curl -s -N --max-time 20 --unix-socket "$sock" "http://unfd/v1/instances/$pid1/logs?follow=1" >"$tmp/follow" &
follow=$!
t0=$(date +%s%N)
st=$(api GET "/v1/instances/$pid1/wait?timeout_ms=15000")
waited=$((($(date +%s%N) - t0) / 1000000))
[ "$st" = 200 ] && [ "$(field .state)" = COMPLETED ] && [ "$(field .exit_code)" = 0 ] \
  && pass oneshot-completed "wait answered after $waited ms" || fail oneshot-completed "status $st: $(head -c 300 "$tmp/body")"
api GET "/v1/instances/$pid1/logs" >/dev/null
grep -q '"replies"' "$tmp/body" && pass oneshot-output-in-logs || fail oneshot-output-in-logs "$(head -c 200 "$tmp/body")"
if wait "$follow"; then
  cmp -s "$tmp/follow" "$tmp/body" && pass logs-follow-ends-with-instance "$(wc -c <"$tmp/follow") bytes" \
    || fail logs-follow-ends-with-instance "followed $(wc -c <"$tmp/follow") bytes, log has $(wc -c <"$tmp/body")"
else
  fail logs-follow-ends-with-instance "curl did not finish cleanly (status $?)"
fi
gap=$(notice_gap "$pid1")
gap_ok "$gap" && pass oneshot-end-noticed "$gap ms after the runtime wrote it" \
  || fail oneshot-end-noticed "the agent saw the end $gap ms after the runtime wrote it (bound 200)"
st=$(api GET "/v1/instances/$pid1/wait?timeout_ms=abc")
[ "$st" = 400 ] && pass wait-bad-timeout || fail wait-bad-timeout "status $st"
api DELETE "/v1/instances/$pid1" >/dev/null

# ---- a guest that exits non-zero: FAILED ---------------------------------------------------------
api POST /v1/instances "$(probe_sla p2 '["frobnicate"]')" >/dev/null
pid2=$(field .id)
st=$(api GET "/v1/instances/$pid2/wait?timeout_ms=10000")
[ "$(field .state)/$(field .exit_code)" = FAILED/2 ] && pass nonzero-exit-failed "reason: $(field .reason)" \
  || fail nonzero-exit-failed "status $st: $(head -c 300 "$tmp/body")"
api DELETE "/v1/instances/$pid2" >/dev/null

# ---- strict admission ---------------------------------------------------------------------------
api POST /v1/instances "$(sla big1 '[]' 40 1 false)" >/dev/null; big1=$(field .id)
st=$(api POST /v1/instances "$(sla big2 '[]' 40 1 false)")
err=$(field .error)
[ "$st" = 409 ] && [[ "$err" == "no room:"* ]] && pass admission-memory-409 "$err" || fail admission-memory-409 "status $st: $err"
st=$(api POST /v1/instances "$(sla cpu3 '[]' 8 2 false)")
[ "$st" = 409 ] && pass admission-vcpus-409 || fail admission-vcpus-409 "status $st"
# a one-shot holding the rest of the memory: once it finishes, room is back without a delete
api POST /v1/instances "$(sla p3 '["--pps","10","ping","-c","5","10.90.0.1"]' 24 1 true '["amd64"]' \
  "http://127.0.0.1:$port/probe.unf" "$probe_sha")" >/dev/null; p3=$(field .id)
st=$(api POST /v1/instances "$(probe_sla p4 '["ping","10.90.0.1"]')")
[ "$st" = 409 ] && pass admission-full-409 || fail admission-full-409 "status $st"
api GET "/v1/instances/$p3/wait?timeout_ms=15000" >/dev/null
gap=$(notice_gap "$p3")
gap_ok "$gap" && pass oneshot-end-noticed-2 "$gap ms" || fail oneshot-end-noticed-2 "$gap ms after the runtime (bound 200)"
st=$(api POST /v1/instances "$(probe_sla p4 '["ping","10.90.0.1"]')"); p4=$(field .id)
[ "$st" = 201 ] && pass admission-room-after-finish || fail admission-room-after-finish "status $st: $(field .error)"
api GET "/v1/instances/$p4/wait?timeout_ms=10000" >/dev/null
for i in "$big1" "$p3" "$p4"; do api DELETE "/v1/instances/$i" >/dev/null; done

# parallel requests cannot over-commit: 6 at once, room for 2 (vcpus), exactly 2 admitted
pids=()
for i in 1 2 3 4 5 6; do
  curl -s -o "$tmp/par$i" -w '%{http_code}' --max-time 60 --unix-socket "$sock" -X POST \
    --data-binary "$(sla par$i '[]' 8 1 false)" http://unfd/v1/instances >"$tmp/par$i.st" &
  pids+=($!)
done
wait "${pids[@]}"
codes=$(for i in 1 2 3 4 5 6; do cat "$tmp/par$i.st"; echo; done | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
[ "$codes" = "201:2 409:4 " ] && pass admission-parallel "$codes" || fail admission-parallel "$codes"
for i in 1 2 3 4 5 6; do
  pid=$(jq -r '.id // empty' "$tmp/par$i" 2>/dev/null)
  [ -n "$pid" ] && api DELETE "/v1/instances/$pid" >/dev/null
done

# a launch the runtime refuses (an aarch64-only platform on an x86_64 node): 502, FAILED, released
st=$(api POST /v1/instances "$(sla lf '[]' 16 1 false | jq -c '.applications[0].microservices[0].unf_platform = "qemu-virt"')")
lf=$(field .id); got="$(field .state) $(field .error)"
api GET /v1/node >/dev/null
[ "$st" = 502 ] && [[ "$got" == FAILED* ]] && [ "$(field .reserved.memory_mib)" = 0 ] && pass launch-failure-502 "$got" \
  || fail launch-failure-502 "status $st: $got, reserved $(field .reserved.memory_mib)"
[ -n "$lf" ] && api DELETE "/v1/instances/$lf" >/dev/null

# ---- bad SLA documents: one-line 4xx, nothing created -------------------------------------------
bad() { # check-name want-status body
  local st lines err
  st=$(api POST /v1/instances "$3"); err=$(field .error); lines=$(printf '%s\n' "$err" | wc -l)
  [ "$st" = "$2" ] && [ -n "$err" ] && [ "$err" != null ] && [ "$lines" = 1 ] && pass "$1" "$st: $err" \
    || fail "$1" "status $st, body $(head -c 200 "$tmp/body")"
}
good=$(sla bad '[]' 16 1 false)
bad sla-not-json 400 '{"sla_version": "v2.0", '
bad sla-wrong-version 400 "$(jq -c '.sla_version = "v1.0"' <<<"$good")"
bad sla-no-microservice 400 "$(jq -c '.applications[0].microservices = []' <<<"$good")"
bad sla-two-microservices 400 "$(jq -c '.applications[0].microservices += .applications[0].microservices' <<<"$good")"
bad sla-container 400 "$(jq -c '.applications[0].microservices[0].virtualization = "container"' <<<"$good")"
bad sla-negative-memory 400 "$(jq -c '.applications[0].microservices[0].memory = -16' <<<"$good")"
bad sla-no-url-for-arch 400 "$(sla bad '[]' 16 1 false '["arm64"]')"
bad sla-bad-url 400 "$(sla bad '[]' 16 1 false '["amd64"]' 'ftp://127.0.0.1/echo.unf')"
bad sla-http-without-digest 400 "$(sla bad '[]' 16 1 false '["amd64"]' "http://127.0.0.1:$port/echo.unf" '')"
wrong=$(printf '%064d' 0)
bad fetch-digest-mismatch 502 "$(sla bad '[]' 16 1 false '["amd64"]' "http://127.0.0.1:$port/probe.unf" "$wrong")"
bad fetch-not-found 502 "$(sla bad '[]' 16 1 false '["amd64"]' "http://127.0.0.1:$port/nope.unf" "$wrong")"
cached=$(ls -A "$tmp/cache" | grep -v -e "^$echo_sha.unf$" -e "^$probe_sha.unf$")
api GET /v1/instances >/dev/null
n=$(field '.instances | length')
[ -z "$cached" ] && [ "$n" = 0 ] && pass bad-requests-leave-nothing || fail bad-requests-leave-nothing "cache: $cached; $n instances"
st=$(api GET /v1/instances/no-such-id); st2=$(api POST /v1/node)
[ "$st/$st2" = 404/405 ] && pass unknown-id-and-method || fail unknown-id-and-method "$st/$st2"
# a dozen instances came and went: no watch is left, and no descriptor more than at the start
w=$(agent_watches); fds=$(agent_fds)
[ "$w" = 0 ] && [ "$fds" -le "$fds0" ] && pass no-watch-or-fd-left "watches 0, fds $fds (at the start $fds0)" \
  || fail no-watch-or-fd-left "watches $w, fds $fds (at the start $fds0): $(ls -l /proc/$(unfd_pid)/fd | tail -n +2 | awk '{print $NF}' | tr '\n' ' ')"

# ---- a killed monitor: DEAD, reservation released --------------------------------------------------
api POST /v1/instances "$(sla k1 '[]' 16 1 false)" >/dev/null; k1=$(field .id)
mon=$(UNF_ROOT=$tmp/state/unf build/bin/unf inspect "$k1" 2>/dev/null | jq -r .monitor_pid)
[ -n "$mon" ] && [ "$mon" != null ] && kill -9 "$mon"
st=$(api GET "/v1/instances/$k1/wait?timeout_ms=5000")
api GET /v1/node >/dev/null
res=$(field .reserved.memory_mib)
api GET "/v1/instances/$k1" >/dev/null
[ "$(field .state)" = DEAD ] && [ "$res" = 0 ] && pass monitor-killed-dead "$(field .reason)" \
  || fail monitor-killed-dead "state $(field .state), reserved $res"
api DELETE "/v1/instances/$k1" >/dev/null

# ---- agent restart: instances keep running and are re-adopted --------------------------------------
api POST /v1/instances "$(sla r1 '[]' 16 1 false)" >/dev/null; r1=$(field .id); rip=$(field .ip)
stop_agent
nsx ping -c1 -W1 "$rip" >/dev/null 2>&1 && pass runs-while-agent-down || fail runs-while-agent-down "no answer from $rip"
start_agent || fail restart "unfd did not come back: $(tail -n 2 "$tmp/unfd.log")"
st=$(api GET "/v1/instances/$r1"); state=$(field .state)
api GET /v1/node >/dev/null
[ "$st/$state/$(field .reserved.memory_mib)" = 200/RUNNING/16 ] && pass restart-readopts "$r1 RUNNING, 16 MiB reserved" \
  || fail restart-readopts "status $st, state $state, reserved $(field .reserved.memory_mib)"
api DELETE "/v1/instances/$r1" >/dev/null

# ---- TCP with a bearer token ---------------------------------------------------------------------
ns_add "${ns}b" || fail tcp "cannot create namespace ${ns}b"
echo "s3cret-$$" >"$tmp/token"
tport=$((port + 1))
nsenter --net="/run/netns/${ns}b" "$unfd" --name "${name}t" --listen "127.0.0.1:$tport" --token-file "$tmp/token" \
  --state "$tmp/state-tcp" --cache "$tmp/cache" >"$tmp/tcp.log" 2>&1 &
tcp_pid=$!
on_exit "kill $tcp_pid 2>/dev/null; wait $tcp_pid 2>/dev/null"
tcurl() { nsenter --net="/run/netns/${ns}b" curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "http://127.0.0.1:$tport/v1/node"; }
for _ in $(seq 1 50); do [ "$(tcurl)" != 000 ] && break; sleep 0.05; done
r=$(tcurl; echo -n /; tcurl -H "Authorization: Bearer wrong"; echo -n /; tcurl -H "Authorization: Bearer s3cret-$$")
[ "$r" = 401/401/200 ] && pass tcp-token "none/wrong/right: $r" || fail tcp-token "none/wrong/right: $r"
kill "$tcp_pid" 2>/dev/null; wait "$tcp_pid" 2>/dev/null
nsenter --net="/run/netns/${ns}b" "$unfd" --name "${name}t" --listen 127.0.0.1:1 --state "$tmp/state-tcp" >/dev/null 2>&1
[ $? = 2 ] && pass listen-needs-token || fail listen-needs-token "unfd --listen without --token-file did not refuse"

# ---- an aarch64 agent: the image's aarch64 kernel under TCG -----------------------------------------
if command -v qemu-system-aarch64 >/dev/null; then
  asock=$tmp/a64.sock
  nsenter --net="/run/netns/${ns}b" "$unfd" --name "${name}a" --arch aarch64 --memory 64 --vcpus 1 --socket "$asock" \
    --state "$tmp/state-a64" --cache "$tmp/cache" >"$tmp/a64.log" 2>&1 &
  a64_pid=$!
  on_exit "kill $a64_pid 2>/dev/null; wait $a64_pid 2>/dev/null; nsenter --net=/run/netns/${ns}b $unfd --name ${name}a --state $tmp/state-a64 --cache $tmp/cache --cleanup >/dev/null 2>&1"
  for _ in $(seq 1 100); do [ -S "$asock" ] && break; sleep 0.05; done
  body=$(sla a1 '[]' 16 1 false '["amd64","arm64"]' "http://127.0.0.1:1/x.unf,$tmp/www/echo.unf" "$wrong,$echo_sha")
  st=$(curl -s -o "$tmp/body" -w '%{http_code}' --max-time 150 --unix-socket "$asock" -X POST --data-binary "$body" http://unfd/v1/instances)
  aid=$(field .id); aip=$(field .ip); got="$(field .arch)/$(field .platform)/$(field .accel)"
  if [ "$st" = 201 ] && [ "$got" = aarch64/qemu-virt/tcg ]; then
    ok=1; for _ in $(seq 1 300); do nsenter --net="/run/netns/${ns}b" ping -c1 -W1 "$aip" >/dev/null 2>&1 && { ok=0; break; }; sleep 0.1; done
    check aarch64-echo $ok "$aid ($got) at $aip did not answer ping"
  else
    fail aarch64-echo "status $st, $got: $(head -c 300 "$tmp/body")"
  fi
  st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 --unix-socket "$asock" -X DELETE "http://unfd/v1/instances/$aid")
  [ "$st" = 204 ] && pass aarch64-delete || fail aarch64-delete "status $st"
  kill "$a64_pid" 2>/dev/null; wait "$a64_pid" 2>/dev/null
else
  skip aarch64-echo "qemu-system-aarch64 missing"
fi

# ---- bad command lines: one line on stderr, status 2, nothing started ------------------------------
badcli() { # check-name args...
  local name=$1; shift
  "$unfd" "$@" >/dev/null 2>"$tmp/err"; local rc=$?
  [ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && pass "$name" "$(head -c 100 "$tmp/err")" \
    || fail "$name" "status $rc: $(head -c 200 "$tmp/err" | tr '\n' '|')"
}
badcli cli-unknown-option --frobnicate
badcli cli-bad-arch --arch riscv64 --state "$tmp/x" --socket "$tmp/x.sock"
badcli cli-bad-memory --memory lots --state "$tmp/x" --socket "$tmp/x.sock"
badcli cli-bad-name --name 'a/b' --state "$tmp/x" --socket "$tmp/x.sock"
badcli cli-missing-value --state
badcli cli-relative-state --state relative/dir --socket "$tmp/x.sock"
[ ! -e "$tmp/x" ] && pass cli-nothing-created || fail cli-nothing-created "$tmp/x exists"

# ---- nothing of ours left ------------------------------------------------------------------------
cleanup_agent
left=$(ip netns list | awk '{print $1}' | grep "^unf-$name"; ls /sys/fs/cgroup | grep "^unf-$name";
       ls "$tmp/state/unf" "$tmp/state-a64/unf" 2>/dev/null | grep "^$name"; ls -A "$tmp/cache" | grep '^\.fetch')
[ -z "$left" ] && pass nothing-left || fail nothing-left "$(echo $left)"
