#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The aarch64 virtio kernels on QEMU's virt machine (TCG on an x86_64 host): the in-guest libc
# tests (their PASS/FAIL lines pass through; the status comes back through semihosting), the
# PSCI fallback when semihosting is off, fault reports (an undefined instruction, a NULL read),
# echo on a GICv3 machine (UDP, idle CPU), then through the runtime with
# `unf run --arch aarch64`: the echo image (ping, UDP, TCP, platform qemu-virt in inspect, the
# time from `unf run` to the first ping answer, QEMU's CPU use while the guest idles), dns
# answering dig over UDP and TCP with the image's zones, and the probe tracing the path to the
# bridge's gateway.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name aarch64
unf=build/bin/unf
prefix=a64$$
tmp=$(mktemp -d)
on_exit 'rm -rf "$tmp"'
on_exit rm_instances "$prefix"

command -v qemu-system-aarch64 >/dev/null || { skip qemu "qemu-system-aarch64 missing (scripts/setup installs it)"; exit 0; }
libc=build/tests/guests/guest_libc-aarch64-virtio
fault=build/tests/guests/guest_fault-aarch64-virtio
for f in "$libc" "$fault" build/images/echo.unf build/images/dns.unf build/images/probe.unf; do
  [ -f "$f" ] || { fail build "$f missing (make all $libc $fault)"; exit 0; }
done

# qemu KERNEL APPEND [EXTRA...]: the kernel on virt (TCG), console on stdout.
qemu() {
  local kernel=$1 append=$2; shift 2
  timeout 60 qemu-system-aarch64 -M virt -accel tcg -cpu cortex-a57 -m 64M -smp 1 -nodefaults \
    -no-user-config -nographic -no-reboot -kernel "$kernel" -append "$append" -serial stdio \
    -monitor none "$@" </dev/null
}
semihosting=(-semihosting-config enable=on,target=native)

# ---- the in-guest libc tests, status through semihosting ----------------------------------------
qemu "$libc" 'unf.name=guest_libc -- one "two words" three' "${semihosting[@]}" >"$tmp/libc.log" 2>&1
rc=$?
grep -E '^(PASS|FAIL) ' "$tmp/libc.log" | sed -E "s/^(PASS|FAIL) /\1 aarch64.guest_libc./"
fails=$(grep -c '^FAIL ' "$tmp/libc.log")
passes=$(grep -c '^PASS ' "$tmp/libc.log")
if [ "$passes" -gt 0 ] && { { [ "$rc" = 0 ] && [ "$fails" = 0 ]; } || { [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$fails" != 0 ]; }; }; then
  pass exit-status-through-semihosting "QEMU status $rc"
else
  fail exit-status-through-semihosting "QEMU status $rc, $passes passed, $fails failed: $(tail -n 2 "$tmp/libc.log" | tr '\n' ' ')"
fi

# ---- without semihosting the guest powers off through PSCI (QEMU ends, status 0) ---------------
qemu "$fault" 'unf.name=f -- ok' >"$tmp/psci.log" 2>&1
rc=$?
[ "$rc" = 0 ] && grep -q fault-ok "$tmp/psci.log" && pass psci-off-without-semihosting \
  || fail psci-off-without-semihosting "QEMU status $rc: $(tail -n 2 "$tmp/psci.log" | tr '\n' ' ')"

# ---- a fault: exception class, ELR and FAR on the console, status 255 ----------------------------
qemu "$fault" 'unf.name=f -- ud2' "${semihosting[@]}" >"$tmp/fault.log" 2>&1
rc=$?
if [ "$rc" = 255 ] && grep -qE '^unf: exception class 0x00 .*elr 0x[0-9a-f]+, far 0x' "$tmp/fault.log"; then
  pass fault-reported "$(grep -m1 '^unf: exception' "$tmp/fault.log" | cut -c1-60)..."
else
  fail fault-reported "QEMU status $rc: $(tail -n 2 "$tmp/fault.log" | tr '\n' ' ')"
fi

# A NULL read: the identity map leaves virt's flash (below 0x08000000) unmapped.
qemu "$fault" 'unf.name=f -- null' "${semihosting[@]}" >"$tmp/null.log" 2>&1
rc=$?
[ "$rc" = 255 ] && grep -qE '^unf: exception class 0x25 .*far 0x0,' "$tmp/null.log" && pass null-read-faults \
  || fail null-read-faults "QEMU status $rc: $(tail -n 2 "$tmp/null.log" | tr '\n' ' ')"

# W^X: .text is read-only (a permission fault, DFSC 0xf, on the write), the stack never executable
# (an instruction abort where, mapped executable, the x86 'ret' byte would be an undefined instruction).
qemu "$fault" 'unf.name=f -- write-text' "${semihosting[@]}" >"$tmp/wtext.log" 2>&1
rc=$?
[ "$rc" = 255 ] && grep -qE '^unf: exception class 0x25 .*esr 0x9600004f' "$tmp/wtext.log" && pass w-x.text-read-only \
  || fail w-x.text-read-only "QEMU status $rc: $(tail -n 2 "$tmp/wtext.log" | tr '\n' ' ')"
qemu "$fault" 'unf.name=f -- exec-stack' "${semihosting[@]}" >"$tmp/xstack.log" 2>&1
rc=$?
[ "$rc" = 255 ] && grep -qE '^unf: exception class 0x21 ' "$tmp/xstack.log" && pass w-x.stack-never-executable \
  || fail w-x.stack-never-executable "QEMU status $rc: $(tail -n 2 "$tmp/xstack.log" | tr '\n' ' ')"

# ---- GICv3 (what KVM gives on most arm64 hosts): the echo kernel on a tap, UDP echo, and WFI idles
ns=unfa64g$$
echo_kernel=build/kernels/echo/aarch64-virtio
ns_add "$ns"
ip -n "$ns" tuntap add t0 mode tap && ip -n "$ns" addr add 10.95.0.1/24 dev t0 && ip -n "$ns" link set t0 up
ip netns exec "$ns" timeout 60 qemu-system-aarch64 -M virt,gic-version=3 -accel tcg -cpu cortex-a57 -m 16M \
  -nodefaults -no-user-config -nographic -no-reboot -kernel "$echo_kernel" -serial stdio -monitor none \
  -append "unf.ip0=10.95.0.2/24 unf.gw0=10.95.0.1" "${semihosting[@]}" \
  -netdev tap,id=n0,ifname=t0,script=no,downscript=no -device virtio-net-device,netdev=n0 </dev/null >"$tmp/gic3.log" 2>&1 &
gic3_job=$!
for _ in $(seq 1 100); do ip netns exec "$ns" ping -c1 -W1 10.95.0.2 >/dev/null 2>&1 && break; sleep 0.05; done
reply=$(echo -n udp-gic3 | ip netns exec "$ns" timeout 5 socat -T2 - UDP:10.95.0.2:7 2>&1)
[ "$reply" = udp-gic3 ] && pass gicv3.udp-echo || fail gicv3.udp-echo "got '$reply': $(head -c 200 "$tmp/gic3.log")"
qpid=$(ip netns pids "$ns" | head -n 1)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null; }
a=$(cpu_ticks "$qpid"); sleep 2; b=$(cpu_ticks "$qpid")
if [ -n "$a" ] && [ -n "$b" ]; then
  pct=$(((b - a) * 100 / (2 * $(getconf CLK_TCK))))
  [ "$pct" -le 50 ] && pass gicv3.idles "${pct}% of one CPU over 2 s" || fail gicv3.idles "${pct}% CPU while idle"
else
  fail gicv3.idles "QEMU is gone: $(tail -n 2 "$tmp/gic3.log" | tr '\n' ' ')"
fi
kill "$gic3_job" 2>/dev/null; wait "$gic3_job" 2>/dev/null
ns_del "$ns"

# ---- echo through the runtime --------------------------------------------------------------------
start=$(date +%s%N)
if err=$($unf run -d --name "$prefix-echo" --arch aarch64 build/images/echo.unf 2>&1 >/dev/null); then
  ip=$($unf inspect "$prefix-echo" | jq -r '.ip // empty')
  for _ in $(seq 1 400); do ping -c1 -W1 "$ip" >/dev/null 2>&1 && break; sleep 0.02; done
  info "echo.boot-to-first-ping $((($(date +%s%N) - start) / 1000000)) ms (unf run -d to the first answer, TCG)"
  got=$($unf inspect "$prefix-echo" | jq -r '.platform + "/" + .accel')
  [ "$got" = qemu-virt/tcg ] && pass echo.inspect-platform "$got" || fail echo.inspect-platform "got '$got'"
  if out=$(ping -c 3 -i 0.2 -W 2 "$ip" 2>&1) && echo "$out" | grep -q ' 0% packet loss'; then
    pass echo.ping "$(echo "$out" | grep -o 'rtt.*' | cut -d' ' -f4 | cut -d/ -f2) ms avg"
  else
    fail echo.ping "$(echo "$out" | grep -m1 -E 'loss|unreach')"
  fi
  reply=$(echo -n udp-a64 | timeout 5 socat -T2 - "UDP:$ip:7" 2>&1)
  [ "$reply" = udp-a64 ] && pass echo.udp || fail echo.udp "got '$reply'"
  reply=$(echo -n tcp-a64 | timeout 5 socat -T2 - "TCP:$ip:7" 2>&1)
  [ "$reply" = tcp-a64 ] && pass echo.tcp || fail echo.tcp "got '$reply'"
  head -c 262144 /dev/urandom >"$tmp/payload"
  got=$(timeout 60 socat -t10 -T20 - "TCP:$ip:7" <"$tmp/payload" 2>/dev/null | sha256sum | cut -d' ' -f1)
  [ "$got" = "$(sha256sum <"$tmp/payload" | cut -d' ' -f1)" ] && pass echo.tcp-256KiB-intact \
    || fail echo.tcp-256KiB-intact "checksum differs"
  # idle: no traffic for 2 s, QEMU must mostly sleep (WFI with the GIC and the virtual timer)
  qpid=$($unf inspect "$prefix-echo" | jq -r '.guest_pid // empty')
  sleep 0.5
  a=$(cpu_ticks "$qpid"); sleep 2; b=$(cpu_ticks "$qpid")
  if [ -n "$a" ] && [ -n "$b" ]; then
    pct=$(((b - a) * 100 / (2 * $(getconf CLK_TCK))))
    [ "$pct" -le 50 ] && pass echo.idles "${pct}% of one CPU over 2 s" || fail echo.idles "${pct}% CPU while idle"
  else
    fail echo.idles "no QEMU process (guest_pid '$qpid')"
  fi
  $unf rm -f "$prefix-echo" >/dev/null 2>&1
else
  fail echo.run "$err"
fi

# ---- dns: the image's zones (guest-loader archive), dig over UDP and TCP -------------------------
if err=$($unf run -d --name "$prefix-dns" --arch aarch64 build/images/dns.unf -- --zone example.com.zone \
           --zone 2.0.192.in-addr.arpa.zone 2>&1 >/dev/null); then
  ip=$($unf inspect "$prefix-dns" | jq -r '.ip // empty')
  for _ in $(seq 1 100); do dig +time=1 +tries=1 @"$ip" mail.example.com A +short 2>/dev/null | grep -q . && break; sleep 0.1; done
  got=$(dig +time=2 +tries=2 @"$ip" mail.example.com A +short 2>&1)
  [ "$got" = 192.0.2.25 ] && pass dns.udp "mail.example.com A $got" || fail dns.udp "got '$got'"
  got=$(dig +tcp +time=2 +tries=2 @"$ip" -x 192.0.2.25 +short 2>&1)
  [ -n "$got" ] && ! echo "$got" | grep -q ';;' && pass dns.tcp "PTR $got" || fail dns.tcp "got '$got'"
  $unf rm -f "$prefix-dns" >/dev/null 2>&1
else
  fail dns.run "$err"
fi

# ---- the probe traces to the bridge's gateway and exits 0 ---------------------------------------
timeout 60 $unf run --name "$prefix-probe" --arch aarch64 build/images/probe.unf -- trace 10.90.0.1 >"$tmp/probe.out" 2>&1
rc=$?
hop=$(grep '^{' "$tmp/probe.out" | jq -r 'select(.type=="trace") | .replies[] | "\(.probe_ttl) \(.addr)"' 2>/dev/null)
[ "$rc" = 0 ] && [ "$hop" = "1 10.90.0.1" ] && pass probe.trace "hop '$hop', status 0" \
  || fail probe.trace "status $rc, hops '$hop': $(tail -c 300 "$tmp/probe.out")"
