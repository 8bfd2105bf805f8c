#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The echo unikernel on every platform (proc, hvt, QEMU microvm and q35 on TCG and, where /dev/kvm
# answers, on KVM) and the native build,
# each in a fresh namespace, exercised from the host with real tools: ping, UDP and TCP clients
# (socat), a 256 KiB TCP transfer checked byte for byte, and the guest's exit status coming back
# through `unf run`.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name echo
unf=build/bin/unf
image=build/images/echo.unf
prefix=ec$$
payload=$(mktemp)
head -c 262144 /dev/urandom > "$payload"
nsnative=unfecho$$

on_exit 'rm -f "$payload"'
on_exit rm_instances "$prefix"

# Variants: PLATFORM[/ACCEL]. KVM ones only where /dev/kvm answers (else one SKIP line each).
variants=(proc qemu-microvm/tcg qemu-q35/tcg)
if kvm_usable; then
  variants+=(hvt qemu-microvm/kvm qemu-q35/kvm)
else
  for v in hvt qemu-microvm/kvm qemu-q35/kvm; do echo "SKIP echo.${v/\//-}: no KVM"; done
fi
run_variant() { # name variant [run options...]: unf run -d of the echo image
  local name=$1 v=$2; shift 2
  local accel=${v#*/}; [ "$accel" = "$v" ] && accel=auto
  $unf run -d --name "$name" --platform "${v%/*}" --accel "$accel" "$@" "$image"
}

exercise() { # label ip: ping, UDP, TCP small and large
  local label=$1 ip=$2 reply
  for _ in $(seq 1 100); do ping -c1 -W1 "$ip" >/dev/null 2>&1 && break; sleep 0.05; done
  if out=$(ping -c 5 -i 0.2 -W 2 "$ip" 2>&1) && echo "$out" | grep -q ' 0% packet loss'; then
    echo "PASS echo.$label.ping ($(echo "$out" | grep -o 'rtt.*' | cut -d' ' -f4 | cut -d/ -f2) ms avg)"
  else
    echo "FAIL echo.$label.ping: $(echo "$out" | grep -m1 -E 'loss|unreach' )"
  fi
  reply=$(echo -n "udp-$label" | timeout 3 socat -T2 - "UDP:$ip:7" 2>&1)
  [ "$reply" = "udp-$label" ] && echo "PASS echo.$label.udp" || echo "FAIL echo.$label.udp: got '$reply'"
  reply=$(echo -n "tcp-$label" | timeout 3 socat -T2 - "TCP:$ip:7" 2>&1)
  [ "$reply" = "tcp-$label" ] && echo "PASS echo.$label.tcp" || echo "FAIL echo.$label.tcp: got '$reply'"
  local got
  got=$(timeout 60 socat -t10 -T20 - "TCP:$ip:7" < "$payload" 2>/dev/null | sha256sum | cut -d" " -f1)
  [ "$got" = "$(sha256sum < "$payload" | cut -d' ' -f1)" ] && echo "PASS echo.$label.tcp-256KiB-intact" \
    || echo "FAIL echo.$label.tcp-256KiB-intact: checksum differs"
}

for v in "${variants[@]}"; do
  platform=${v/\//-}
  name=$prefix-$platform
  if ! err=$(run_variant "$name" "$v" 2>&1 >/dev/null); then
    echo "FAIL echo.$platform.run: $err"; continue
  fi
  ip=$($unf inspect "$name" | jq -r '.ip // empty')
  [ -n "$ip" ] && echo "PASS echo.$platform.inspect-has-ip ($ip)" || echo "FAIL echo.$platform.inspect-has-ip"
  got=$($unf inspect "$name" | jq -r '.platform + "/" + .accel')
  want=${v%/*}/${v#*/}; [ "$v" = proc ] && want=proc/none; [ "$v" = hvt ] && want=hvt/kvm
  [ "$got" = "$want" ] && echo "PASS echo.$platform.inspect-platform-accel ($got)" \
    || echo "FAIL echo.$platform.inspect-platform-accel: $got, want $want"
  exercise "$platform" "$ip"
  $unf logs "$name" | grep -q "echo: listening on $ip port 7" && echo "PASS echo.$platform.console-log" \
    || echo "FAIL echo.$platform.console-log: $($unf logs "$name" | head -c 200)"
  $unf stop "$name" >/dev/null && $unf rm "$name" >/dev/null
done

# The guest's exit status is unf run's exit status (foreground), on each platform.
for v in "${variants[@]}"; do
  platform=${v/\//-}
  accel=${v#*/}; [ "$accel" = "$v" ] && accel=auto
  name=$prefix-exit-$platform
  $unf run --name "$name" --platform "${v%/*}" --accel "$accel" "$image" -- --allow-exit > /dev/null 2>&1 &
  runpid=$!
  ip=""
  for _ in $(seq 1 100); do ip=$($unf inspect "$name" 2>/dev/null | jq -r '.ip // empty'); [ -n "$ip" ] && break; sleep 0.05; done
  for _ in $(seq 1 100); do ping -c1 -W1 "$ip" >/dev/null 2>&1 && break; sleep 0.05; done
  echo -n "exit 7" | socat - "UDP:$ip:7" 2>/dev/null
  timeout 20 tail --pid=$runpid -f /dev/null
  wait $runpid; rc=$?
  [ "$rc" = 7 ] && echo "PASS echo.$platform.exit-status-passes-through" \
    || echo "FAIL echo.$platform.exit-status-passes-through: unf run exited $rc, want 7"
done

# The virtio guest works with 4 MiB of memory.
name=$prefix-4m
if $unf run -d --name "$name" --platform qemu-microvm --mem 4M "$image" >/dev/null 2>&1; then
  ip=$($unf inspect "$name" | jq -r '.ip // empty')
  for _ in $(seq 1 100); do ping -c1 -W1 "$ip" >/dev/null 2>&1 && break; sleep 0.05; done
  reply=$(echo -n "small" | timeout 3 socat -T2 - "UDP:$ip:7" 2>&1)
  [ "$reply" = small ] && echo "PASS echo.qemu-microvm.runs-in-4MiB" || echo "FAIL echo.qemu-microvm.runs-in-4MiB: got '$reply'"
  $unf rm -f "$name" >/dev/null
else
  echo "FAIL echo.qemu-microvm.runs-in-4MiB: run failed"
fi

# The native build of the same source, as a process in its own namespace.
ns_add "$nsnative"
ns_veth "$nsnative" "v$nsnative" 10.92.0.1/24 10.92.0.2/24
ip netns exec "$nsnative" build/native/echo > /dev/null 2>&1 &
exercise native 10.92.0.2
