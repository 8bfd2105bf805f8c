#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 100 run/stop/rm cycles of the echo unikernel on the proc platform, 100 on hvt where /dev/kvm
# answers (and a few on QEMU) leave
# nothing behind: no namespace, link, nft table, cgroup, process or state directory. Also checks
# that an instance killed from outside (guest crash) and one whose monitor dies are cleaned up,
# and the order of a guest's end: the exit is recorded before the teardown ("cleanup": true),
# `unf rm` right then waits for the teardown, and a monitor killed during it is reaped.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name lifecycle
. tests/lib/host_state.sh
unf=build/bin/unf
image=build/images/echo.unf
prefix=lc$$
cycles=${LIFECYCLE_CYCLES:-100}
tmp=$(mktemp -d /tmp/unf-lifecycle.XXXXXX)

on_exit 'rm -rf "$tmp"'
on_exit rm_instances "$prefix"

before=$(host_state)

cycle() { # platform name: run, check it answers, stop, rm
  local platform=$1 name=$2 ip
  $unf run -d --name "$name" --platform "$platform" "$image" >/dev/null 2>&1 || { echo "run failed"; return 1; }
  ip=$($unf inspect "$name" 2>/dev/null | jq -r '.ip // empty')
  [ -n "$ip" ] || { echo "no ip in inspect"; return 1; }
  local reply=""
  for _ in $(seq 1 50); do
    reply=$(echo -n "c$name" | timeout 1 socat -T1 - "UDP:$ip:7" 2>/dev/null) && [ "$reply" = "c$name" ] && break
  done
  [ "$reply" = "c$name" ] || { echo "no UDP echo from $ip"; return 1; }
  $unf stop "$name" >/dev/null 2>&1 || { echo "stop failed"; return 1; }
  $unf rm "$name" >/dev/null 2>&1 || { echo "rm failed"; return 1; }
}

many_cycles() { # platform short: $cycles cycles, then the verdicts
  local platform=$1 short=$2 failed=0 start why
  start=$(date +%s%N)
  for i in $(seq 1 "$cycles"); do
    if ! why=$(cycle "$platform" "$prefix-$short$i"); then failed=$((failed + 1)); echo "INFO $platform cycle $i: $why"; fi
  done
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  local leaks; leaks=$(host_state_diff "$before" "$(host_state)")
  [ "$failed" -eq 0 ] && echo "PASS lifecycle.$platform-$cycles-cycles-work (${ms} ms total, $((ms / cycles)) ms per cycle)" \
    || echo "FAIL lifecycle.$platform-$cycles-cycles-work: $failed cycles failed"
  [ -z "$leaks" ] && echo "PASS lifecycle.$platform-$cycles-cycles-leave-nothing" \
    || echo "FAIL lifecycle.$platform-$cycles-cycles-leave-nothing: $(echo $leaks | head -c 300)"
}
kvm=$($unf info | jq -r .kvm.usable)
many_cycles proc p
if [ "$kvm" = true ]; then many_cycles hvt h; else echo "SKIP lifecycle.hvt-cycles: no KVM"; fi

failed=0
for i in 1 2 3; do
  if ! why=$(cycle qemu "$prefix-q$i"); then failed=$((failed + 1)); echo "INFO qemu cycle $i: $why"; fi
done
leaks=$(host_state_diff "$before" "$(host_state)")
[ "$failed" -eq 0 ] && [ -z "$leaks" ] && echo "PASS lifecycle.qemu-cycles-leave-nothing" \
  || echo "FAIL lifecycle.qemu-cycles-leave-nothing: failed=$failed leaks=$(echo $leaks | head -c 300)"

# A guest that dies from outside (SIGKILL, like a crash): the monitor cleans up by itself.
crash_platforms=(proc qemu); [ "$kvm" = true ] && crash_platforms+=(hvt)
for platform in "${crash_platforms[@]}"; do
  name=$prefix-crash-$platform
  $unf run -d --name "$name" --platform "$platform" "$image" >/dev/null 2>&1
  pid=$($unf inspect "$name" 2>/dev/null | jq -r '.guest_pid // .pids.guest // empty')
  if [ -z "$pid" ]; then echo "FAIL lifecycle.crash-$platform: no guest pid in inspect"; continue; fi
  kill -9 "$pid"
  for _ in $(seq 1 50); do [ "$($unf inspect "$name" 2>/dev/null | jq -r '.state')" = running ] || break; sleep 0.1; done
  state=$($unf inspect "$name" 2>/dev/null | jq -r '.state')
  $unf rm "$name" >/dev/null 2>&1
  leaks=$(host_state_diff "$before" "$(host_state)")
  [ "$state" != running ] && [ -z "$leaks" ] && echo "PASS lifecycle.crash-$platform-cleaned (state: $state)" \
    || echo "FAIL lifecycle.crash-$platform-cleaned: state=$state leaks=$(echo $leaks | head -c 300)"
done

# The monitor itself dies (SIGKILL): the next unf command reaps the instance.
name=$prefix-monitor
$unf run -d --name "$name" --platform proc "$image" >/dev/null 2>&1
mpid=$($unf inspect "$name" 2>/dev/null | jq -r '.monitor_pid // .pids.monitor // empty')
if [ -n "$mpid" ]; then
  kill -9 "$mpid"; sleep 0.2
  $unf ps -a >/dev/null 2>&1
  $unf rm -f "$name" >/dev/null 2>&1
  leaks=$(host_state_diff "$before" "$(host_state)")
  [ -z "$leaks" ] && echo "PASS lifecycle.dead-monitor-reaped" \
    || echo "FAIL lifecycle.dead-monitor-reaped: $(echo $leaks | head -c 300)"
else
  $unf rm -f "$name" >/dev/null 2>&1
  echo "FAIL lifecycle.dead-monitor-reaped: no monitor pid in inspect"
fi

# A guest that ends by itself (the sandbox test guest: prints, exits 3). Its monitor writes the
# exit first, marked "cleanup", then removes network and cgroup, then writes the final state.
# `unf rm` issued as soon as the exit shows must wait for that teardown and leave nothing; a
# monitor killed during it is reaped by the next command, the recorded exit kept.
state_file() { echo "${UNF_ROOT:-/run/unf}/$1/instance.json"; }
# exit_seen NAME: waits (5 s or so at most) until the state says exited; prints "exit_code cleanup finished_ms"
exit_seen() {
  local f text; f=$(state_file "$1")
  for _ in $(seq 1 5000); do
    # one read, and a cheap one: the marked state lasts only as long as the teardown (~20 ms)
    text=$(<"$f") 2>/dev/null
    [[ "$text" == *'"state": "exited"'* ]] && { jq -r '"\(.exit_code) \(.cleanup) \(.finished_ms)"' <<<"$text"; return 0; }
    sleep 0.001
  done
  return 1
}
mkdir -p "$tmp/app" "$tmp/kernels"
echo '{"name": "sandbox", "version": "0.1.0", "args": [], "mem": "4M", "nics": 1}' > "$tmp/app/app.json"
cp build/tests/guests/guest_sandbox-proc "$tmp/kernels/x86_64-proc" 2>/dev/null
if $unf build "$tmp/app" --kernels "$tmp/kernels" -o "$tmp/exit.unf" >/dev/null 2>&1; then
  before_exit=$(host_state)
  marked=0 codes_ok=0 sub_second=0 rm_ok=0 runs=10
  for i in $(seq 1 $runs); do
    name=$prefix-exit$i
    $unf run -d --name "$name" --platform proc "$tmp/exit.unf" -- ok >/dev/null 2>&1
    read -r code cleanup fin <<<"$(exit_seen "$name")"
    [ "$cleanup" = true ] && marked=$((marked + 1))
    [ "$code" = 3 ] && codes_ok=$((codes_ok + 1))
    [[ "$fin" =~ ^[0-9]+$ ]] && [ $((fin % 1000)) -ne 0 ] && sub_second=$((sub_second + 1))
    $unf rm "$name" >/dev/null 2>&1 && rm_ok=$((rm_ok + 1))
  done
  leaks=$(host_state_diff "$before_exit" "$(host_state)")
  [ "$codes_ok" = $runs ] && echo "PASS lifecycle.exit-recorded ($runs of $runs exit 3; $marked seen while the teardown ran)" \
    || echo "FAIL lifecycle.exit-recorded: exit 3 in $codes_ok of $runs runs"
  [ "$marked" -gt 0 ] && echo "PASS lifecycle.exit-before-teardown ($marked of $runs first seen with cleanup: true)" \
    || echo "FAIL lifecycle.exit-before-teardown: the exit never showed before the teardown ended"
  [ "$sub_second" -gt 0 ] && echo "PASS lifecycle.finished-ms-milliseconds ($sub_second of $runs not whole seconds)" \
    || echo "FAIL lifecycle.finished-ms-milliseconds: finished_ms is whole seconds in all $runs runs"
  [ "$rm_ok" = $runs ] && [ -z "$leaks" ] && echo "PASS lifecycle.rm-during-teardown-leaves-nothing" \
    || echo "FAIL lifecycle.rm-during-teardown-leaves-nothing: rm ok $rm_ok of $runs; leaks=$(echo $leaks | head -c 300)"

  # The monitor killed while it tears down: tried until the kill lands inside the teardown.
  caught=0
  for i in $(seq 1 10); do
    name=$prefix-exitkill$i
    $unf run -d --name "$name" --platform proc "$tmp/exit.unf" -- ok >/dev/null 2>&1
    mpid=$(jq -r .monitor_pid "$(state_file "$name")" 2>/dev/null)
    read -r code cleanup fin <<<"$(exit_seen "$name")"
    if [ "$cleanup" = true ] && kill -9 "$mpid" 2>/dev/null; then
      sleep 0.05
      $unf ps -a >/dev/null 2>&1
      after=$(jq -r '"\(.state) \(.exit_code) \(.cleanup)"' "$(state_file "$name")" 2>/dev/null)
      $unf rm "$name" >/dev/null 2>&1
      caught=1
      break
    fi
    $unf rm "$name" >/dev/null 2>&1
  done
  leaks=$(host_state_diff "$before_exit" "$(host_state)")
  if [ "$caught" = 0 ]; then
    echo "SKIP lifecycle.monitor-killed-in-teardown-reaped: no kill landed inside the teardown in 10 tries"
  elif [ "$after" = "exited 3 false" ] && [ -z "$leaks" ]; then
    echo "PASS lifecycle.monitor-killed-in-teardown-reaped (try $i: exit 3 kept, nothing left)"
  else
    echo "FAIL lifecycle.monitor-killed-in-teardown-reaped: state after the reap '$after'; leaks=$(echo $leaks | head -c 300)"
  fi
else
  echo "FAIL lifecycle.exit-image: cannot build the sandbox guest's image"
fi
