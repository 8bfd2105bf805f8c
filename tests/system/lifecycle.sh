#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# 100 run/stop/rm cycles of the echo unikernel on the proc platform, 100 on hvt where /dev/kvm
# answers (and a few on QEMU) leave
# nothing behind: no namespace, link, nft table, cgroup, process or state directory. Also checks
# that an instance killed from outside (guest crash) and one whose monitor dies are cleaned up.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name lifecycle
. tests/lib/host_state.sh
unf=build/bin/unf
image=build/images/echo.unf
prefix=lc$$
cycles=${LIFECYCLE_CYCLES:-100}

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
