#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The unf CLI under bad input and at its edges: every bad option, name clash, missing instance
# and unusable image ends with one line on stderr, a non-zero status and nothing left running.
# Also: port publishing through nftables, --mem enforced by the cgroup and the guest's memory,
# a guest that breaks the proc sandbox reported as "killed by the sandbox", and `unf stop`
# returning only once the instance's namespace and cgroup are gone.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name cli
. tests/lib/host_state.sh
unf=build/bin/unf
image=build/images/echo.unf
prefix=cli$$
tmp=$(mktemp -d /tmp/unf-cli.XXXXXX)

on_exit 'rm -rf "$tmp"'
on_exit rm_instances "$prefix"

count_instances() { $unf ps -a 2>/dev/null | awk 'NR>1' | grep -c "^$prefix" ; }
before=$(host_state)

# expect NAME WANT_STATUS CMD...: status as wanted (or any non-zero for "nz"), one stderr line.
expect() {
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  local lines; lines=$(wc -l < "$tmp/err")
  if { [ "$want" = nz ] && [ "$rc" -ne 0 ]; } || [ "$rc" = "$want" ]; then
    if [ "$lines" = 1 ]; then echo "PASS cli.$name (status $rc: $(head -c 120 "$tmp/err"))"
    else echo "FAIL cli.$name: $lines lines on stderr: $(head -c 300 "$tmp/err" | tr '\n' '|')"; fi
  else
    echo "FAIL cli.$name: status $rc, want $want; stderr: $(head -c 200 "$tmp/err")"
  fi
}

expect unknown-command 2 $unf frobnicate
expect run-unknown-option 2 $unf run --frobnicate "$image"
expect run-bad-mem 2 $unf run --mem lots "$image"
expect run-mem-too-small 2 $unf run --mem 1K "$image"
expect run-bad-platform 2 $unf run --platform xen "$image"
expect run-bad-accel 2 $unf run --accel xen "$image"
expect run-proc-with-kvm 125 $unf run --platform proc --accel kvm "$image"
expect run-proc-with-tcg 125 $unf run -d --platform proc --accel tcg "$image"
expect run-hvt-with-tcg 125 $unf run -d --platform hvt --accel tcg "$image"
if ! kvm_usable; then
  expect run-kvm-without-kvm 125 $unf run -d --accel kvm "$image"
  expect run-hvt-without-kvm 125 $unf run -d --platform hvt "$image"
fi
expect run-bad-cpus 2 $unf run --cpus 0 "$image"
expect run-bad-port 2 $unf run -p 70000:7 "$image"
expect run-bad-port-proto 2 $unf run -p 7000:7/sctp "$image"
expect run-bad-name 2 $unf run --name "bad/name" "$image"
expect run-missing-value 2 $unf run "$image" --name
expect run-no-image 2 $unf run -d
expect run-args-without-dashes 2 $unf run "$image" extra
expect run-missing-image-file 125 $unf run /nonexistent/x.unf
expect logs-no-such 1 $unf logs "$prefix-nosuch"
expect stop-no-such 1 $unf stop "$prefix-nosuch"
expect rm-no-such 1 $unf rm "$prefix-nosuch"
expect inspect-no-such 1 $unf inspect "$prefix-nosuch"
expect ps-bad-option 2 $unf ps --frobnicate
[ "$(count_instances)" = 0 ] && echo "PASS cli.bad-input-leaves-no-instance" || echo "FAIL cli.bad-input-leaves-no-instance: $($unf ps -a)"

# Name clash: the second run fails cleanly, the first keeps running.
name=$prefix-clash
if $unf run -d --name "$name" --platform proc -p 7007:7/udp -p 7008:7 "$image" >/dev/null 2>"$tmp/err"; then
  expect name-clash 125 $unf run -d --name "$name" --platform proc "$image"
  expect port-clash 125 $unf run -d --name "$prefix-other" --platform proc -p 7007:9/udp "$image"
  [ "$($unf inspect "$name" | jq -r .state)" = running ] && [ "$(count_instances)" = 1 ] \
    && echo "PASS cli.clash-keeps-first" || echo "FAIL cli.clash-keeps-first: $($unf ps -a)"
  expect rm-running-needs-force 1 $unf rm "$name"

  # Published ports: UDP and TCP through the host's bridge address.
  ip=$($unf inspect "$name" | jq -r .ip)
  for _ in $(seq 1 100); do ping -c1 -W1 "$ip" >/dev/null 2>&1 && break; sleep 0.05; done
  reply=$(echo -n pub-udp | timeout 3 socat -T2 - UDP:10.90.0.1:7007 2>&1)
  [ "$reply" = pub-udp ] && echo "PASS cli.publish-udp" || echo "FAIL cli.publish-udp: got '$reply'"
  reply=$(echo -n pub-tcp | timeout 3 socat -T2 - TCP:10.90.0.1:7008 2>&1)
  [ "$reply" = pub-tcp ] && echo "PASS cli.publish-tcp" || echo "FAIL cli.publish-tcp: got '$reply'"
  nft list table ip "unf-$name" >/dev/null 2>&1 && echo "PASS cli.publish-nft-table" || echo "FAIL cli.publish-nft-table: missing"
  $unf rm -f "$name" >/dev/null 2>&1
  nft list table ip "unf-$name" >/dev/null 2>&1 && echo "FAIL cli.publish-rules-removed" || echo "PASS cli.publish-rules-removed"
else
  echo "FAIL cli.name-clash: first run failed: $(cat "$tmp/err")"
fi

# unf stop returns once the teardown is done: a stopped instance holds no namespace or cgroup
# (its monitor writes the exit first, marked "cleanup", and tears down after).
name=$prefix-stop
if $unf run -d --name "$name" --platform proc "$image" >/dev/null 2>"$tmp/err"; then
  $unf stop "$name" >/dev/null 2>&1
  got=$($unf inspect "$name" | jq -r '"\(.state) \(.cleanup) \(.reason)"')
  ns=$(ip netns list | awk '{print $1}' | grep -cx "unf-$name")
  cg=$(find /sys/fs/cgroup -maxdepth 2 -type d -name "unf-$name" | wc -l)
  [ "$got" = "exited false stopped" ] && [ "$ns" = 0 ] && [ "$cg" = 0 ] && echo "PASS cli.stop-returns-after-teardown" \
    || echo "FAIL cli.stop-returns-after-teardown: state '$got', namespaces $ns, cgroups $cg"
  $unf rm "$name" >/dev/null 2>&1
else
  echo "FAIL cli.stop-returns-after-teardown: run failed: $(cat "$tmp/err")"
fi

# --mem: the proc guest gets exactly that heap and the cgroup caps the instance.
name=$prefix-mem
if $unf run -d --name "$name" --platform proc --mem 6M "$image" >/dev/null 2>"$tmp/err"; then
  mem=$($unf inspect "$name" | jq -r .mem_bytes)
  pid=$($unf inspect "$name" | jq -r .guest_pid)
  cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline")
  limit=$(cat "/sys/fs/cgroup/memory/unf-$name/memory.limit_in_bytes" 2>/dev/null || cat "/sys/fs/cgroup/unf-$name/memory.max" 2>/dev/null)
  if [ "$mem" = 6291456 ] && [[ "$cmd" == *"--mem 6291456"* ]] && [ -n "$limit" ] && [ "$limit" -le $((6291456 + 16 * 1048576)) ]; then
    echo "PASS cli.mem-enforced-proc (heap 6 MiB, cgroup limit $((limit / 1048576)) MiB)"
  else
    echo "FAIL cli.mem-enforced-proc: mem=$mem limit=$limit cmd=$cmd"
  fi
  $unf rm -f "$name" >/dev/null 2>&1
else
  echo "FAIL cli.mem-enforced-proc: run failed: $(cat "$tmp/err")"
fi
name=$prefix-qmem
if $unf run -d --name "$name" --platform qemu --mem 5M "$image" >/dev/null 2>"$tmp/err"; then
  pid=$($unf inspect "$name" | jq -r .guest_pid)
  cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline")
  limit=$(cat "/sys/fs/cgroup/memory/unf-$name/memory.limit_in_bytes" 2>/dev/null || cat "/sys/fs/cgroup/unf-$name/memory.max" 2>/dev/null)
  [[ "$cmd" == *"-m 5M"* ]] && [ -n "$limit" ] && echo "PASS cli.mem-enforced-qemu (-m 5M, cgroup limit $((limit / 1048576)) MiB)" \
    || echo "FAIL cli.mem-enforced-qemu: limit=$limit cmd=$cmd"
  $unf rm -f "$name" >/dev/null 2>&1
else
  echo "FAIL cli.mem-enforced-qemu: run failed: $(cat "$tmp/err")"
fi

# The sandbox: a guest that calls open(), socket() or execve() is killed, and unf says so.
if [ -f build/tests/guests/guest_sandbox-proc ]; then
  mkdir -p "$tmp/app" "$tmp/kernels"
  echo '{"name": "sandbox", "version": "0.1.0", "args": [], "mem": "4M", "nics": 1}' > "$tmp/app/app.json"
  cp build/tests/guests/guest_sandbox-proc "$tmp/kernels/x86_64-proc"
  if $unf build "$tmp/app" --kernels "$tmp/kernels" -o "$tmp/sandbox.unf" >/dev/null 2>"$tmp/err"; then
    for call in open socket execve; do
      $unf run --name "$prefix-sb" --platform proc "$tmp/sandbox.unf" -- "$call" >"$tmp/out" 2>"$tmp/err"; rc=$?
      if [ "$rc" -ne 0 ] && grep -q "killed by the sandbox" "$tmp/err"; then
        echo "PASS cli.sandbox-kills-$call (status $rc: $(head -c 100 "$tmp/err"))"
      else
        echo "FAIL cli.sandbox-kills-$call: status $rc, stderr '$(head -c 200 "$tmp/err")', out '$(head -c 200 "$tmp/out")'"
      fi
    done
    $unf run --name "$prefix-sb" --platform proc "$tmp/sandbox.unf" -- ok >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ "$rc" = 3 ] && grep -q sandbox-ok "$tmp/out" && echo "PASS cli.sandbox-allows-guest-interface" \
      || echo "FAIL cli.sandbox-allows-guest-interface: status $rc, out '$(head -c 200 "$tmp/out")'"
  else
    echo "FAIL cli.sandbox-image: $(cat "$tmp/err")"
  fi
else
  echo "FAIL cli.sandbox: build/tests/guests/guest_sandbox-proc missing"
fi

# The Oakestra unikernel runtime's layout (a tar with `kernel` and files/) boots on QEMU.
mkdir -p "$tmp/oak/files"
cp build/kernels/echo/x86_64-virtio "$tmp/oak/kernel"; echo hello > "$tmp/oak/files/readme.txt"
tar -C "$tmp/oak" -cf "$tmp/oak.tar" kernel files
name=$prefix-oak
if $unf run -d --name "$name" "$tmp/oak.tar" >/dev/null 2>"$tmp/err"; then
  ip=$($unf inspect "$name" | jq -r .ip); platform=$($unf inspect "$name" | jq -r .platform)
  for _ in $(seq 1 100); do ping -c1 -W1 "$ip" >/dev/null 2>&1 && break; sleep 0.05; done
  reply=$(echo -n oak | timeout 3 socat -T2 - "UDP:$ip:7" 2>&1)
  [ "$reply" = oak ] && echo "PASS cli.oakestra-layout-boots ($platform)" || echo "FAIL cli.oakestra-layout-boots: got '$reply'"
  $unf rm -f "$name" >/dev/null 2>&1
else
  echo "FAIL cli.oakestra-layout-boots: $(cat "$tmp/err")"
fi

# Honest launch: a launcher that dies at once (QEMU refusing a kernel without a PVH note) makes
# `unf run` exit 125 with QEMU's own error line, detached or not, and leaves nothing behind.
mkdir -p "$tmp/badapp" "$tmp/badk"
echo '{"name": "badvirtio", "version": "1", "mem": "8M", "nics": 1}' > "$tmp/badapp/app.json"
cp build/kernels/echo/x86_64-proc "$tmp/badk/x86_64-virtio" # an ELF, but no PVH entry
if $unf build "$tmp/badapp" --kernels "$tmp/badk" -o "$tmp/badvirtio.unf" >/dev/null 2>"$tmp/err"; then
  expect launch-failure-detached 125 $unf run -d --name "$prefix-badq" --platform qemu "$tmp/badvirtio.unf"
  grep -q 'qemu-system-x86_64: .*PVH' "$tmp/err" && echo "PASS cli.launch-failure-shows-qemu-error" \
    || echo "FAIL cli.launch-failure-shows-qemu-error: $(cat "$tmp/err")"
  expect launch-failure-foreground 125 $unf run --name "$prefix-badq" --platform qemu "$tmp/badvirtio.unf"
  $unf inspect "$prefix-badq" >/dev/null 2>&1 && echo "FAIL cli.launch-failure-removes-instance: still listed" \
    || echo "PASS cli.launch-failure-removes-instance"
else
  echo "FAIL cli.launch-failure-image: $(cat "$tmp/err")"
fi

# A guest that faults is reported with the reason (hvt: the tender's exception line with RIP),
# never a hang: foreground status and message, and the reason kept by a detached instance.
mkdir -p "$tmp/faultapp" "$tmp/faultk"
echo '{"name": "fault", "version": "1", "mem": "8M", "nics": 1}' > "$tmp/faultapp/app.json"
fault_platforms=(proc)
cp build/tests/guests/guest_fault-proc "$tmp/faultk/x86_64-proc"
if kvm_usable; then
  cp build/tests/guests/guest_fault-hvt "$tmp/faultk/x86_64-hvt"; fault_platforms+=(hvt)
else
  echo "SKIP cli.fault-reported-hvt: no KVM"
fi
$unf build "$tmp/faultapp" --kernels "$tmp/faultk" -o "$tmp/fault.unf" >/dev/null 2>&1
for p in "${fault_platforms[@]}"; do
  timeout 20 $unf run --platform "$p" "$tmp/fault.unf" -- null >/dev/null 2>"$tmp/err"; rc=$?
  case $p in
    hvt) want='guest exception 14 \(page fault\) at rip 0x[0-9a-f]+'; want_rc=255 ;;
    proc) want='killed by signal 11'; want_rc=139 ;;
  esac
  [ "$rc" = "$want_rc" ] && grep -qE "$want" "$tmp/err" && echo "PASS cli.fault-reported-$p ($(head -c 150 "$tmp/err"))" \
    || echo "FAIL cli.fault-reported-$p: status $rc, stderr $(head -c 200 "$tmp/err")"
done
if [[ " ${fault_platforms[*]} " == *" hvt "* ]]; then
  $unf run -d --name "$prefix-fault" --platform hvt "$tmp/fault.unf" -- ud2 >/dev/null 2>&1
  for _ in $(seq 1 50); do [ "$($unf inspect "$prefix-fault" | jq -r .state)" = exited ] && break; sleep 0.1; done
  reason=$($unf inspect "$prefix-fault" | jq -r .reason)
  [[ "$reason" == *"guest exception 6 (invalid opcode) at rip 0x"* ]] && echo "PASS cli.fault-reason-kept-hvt" \
    || echo "FAIL cli.fault-reason-kept-hvt: reason '$reason'"
  $unf rm -f "$prefix-fault" >/dev/null 2>&1
fi

leaks=$(host_state_diff "$before" "$(host_state)")
[ -z "$leaks" ] && echo "PASS cli.nothing-left-behind" || echo "FAIL cli.nothing-left-behind: $(echo $leaks | head -c 300)"
