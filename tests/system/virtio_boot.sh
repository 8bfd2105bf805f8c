#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The virtio platform bindings straight on QEMU (TCG), without the runtime: the in-guest libc
# tests on microvm and q35 (their PASS/FAIL lines pass through, and the exit status must come
# back through isa-debug-exit), the echo kernel on a tap in a fresh namespace (ping, UDP, TCP,
# a 256 KiB TCP transfer checked with sha256sum) on microvm with legacy and modern virtio-mmio,
# on q35 with virtio-pci, and on microvm with 4 MiB of RAM; QEMU's CPU use while the guest
# idles; and the time from QEMU's launch to the guest's first UDP packet (INFO lines).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name virtio_boot
echo_kernel=build/kernels/echo/x86_64-virtio
libc_kernel=build/tests/guests/guest_libc-virtio
ns=unfvb$$
tmp=$(mktemp -d)
mac=52:54:00:12:34:56
guest=10.94.0.2
host=10.94.0.1
qemu_pid=""

on_exit 'rm -rf "$tmp"'
on_exit '[ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null'

for k in "$echo_kernel" "$libc_kernel"; do
  if [ ! -f "$k" ]; then
    echo "FAIL virtio_boot.build: $k missing (make $echo_kernel $libc_kernel)"
    exit 1
  fi
done
echo "INFO virtio_boot.kernel-size echo $(stat -c %s "$echo_kernel") bytes, guest_libc $(stat -c %s "$libc_kernel") bytes"
[ "$(stat -c %s "$echo_kernel")" -lt 204800 ] && echo "PASS virtio_boot.echo-kernel-under-200KiB" \
  || echo "FAIL virtio_boot.echo-kernel-under-200KiB: $(stat -c %s "$echo_kernel") bytes"

# machine_args VARIANT: the -M line and NIC device for microvm (legacy virtio-mmio, QEMU's
# default), microvm-modern (virtio-mmio version 2) or q35 (modern virtio-pci).
machine_args() {
  case $1 in
    microvm) echo "-M microvm,x-option-roms=off,rtc=on,isa-serial=on" ;;
    microvm-modern) echo "-M microvm,x-option-roms=off,rtc=on,isa-serial=on -global virtio-mmio.force-legacy=false" ;;
    q35) echo "-M q35" ;;
  esac
}
nic_args() {
  case $1 in
    q35) echo "-netdev tap,id=n0,ifname=t0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$mac,disable-legacy=on,romfile=" ;;
    *) echo "-netdev tap,id=n0,ifname=t0,script=no,downscript=no -device virtio-net-device,netdev=n0,mac=$mac" ;;
  esac
}
# qemu VARIANT MEM KERNEL APPEND [EXTRA...]: becomes QEMU (exec), console on stdout.
qemu() {
  local variant=$1 mem=$2 kernel=$3 append=$4; shift 4
  # shellcheck disable=SC2046
  exec qemu-system-x86_64 $(machine_args "$variant") -accel tcg -cpu max -m "$mem" -smp 1 \
    -nodefaults -no-user-config -nographic -no-reboot -kernel "$kernel" -append "$append" \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" </dev/null
}

# The in-guest libc tests; QEMU's status (s << 1) | 1 must carry the guest's status s back.
for variant in microvm q35; do
  log=$tmp/libc-$variant.log
  timeout 60 bash -c "$(declare -f machine_args qemu); qemu $variant 16M $libc_kernel 'unf.name=guest_libc -- one \"two words\" three'" >"$log" 2>&1
  rc=$?
  grep -E '^(PASS|FAIL) ' "$log" | sed -E "s/^(PASS|FAIL) /\1 virtio_boot.$variant.guest_libc./"
  fails=$(grep -c '^FAIL ' "$log")
  if [ $((rc % 2)) -eq 1 ] && [ "$rc" -ne 124 ]; then
    status=$(((rc - 1) / 2))
    if { [ "$status" -eq 0 ] && [ "$fails" -eq 0 ]; } || { [ "$status" -ne 0 ] && [ "$fails" -ne 0 ]; }; then
      echo "PASS virtio_boot.$variant.exit-status-through-debug-exit (QEMU $rc -> guest $status)"
    else
      echo "FAIL virtio_boot.$variant.exit-status-through-debug-exit: guest status $status with $fails failures"
    fi
  else
    echo "FAIL virtio_boot.$variant.exit-status-through-debug-exit: QEMU exited $rc (crash or timeout): $(tail -n 2 "$log" | tr '\n' ' ')"
  fi
done

ns_add "$ns"
ip -n "$ns" tuntap add dev t0 mode tap
ip -n "$ns" addr add "$host/24" dev t0
ip -n "$ns" link set t0 up
in_ns() { ip netns exec "$ns" "$@"; }

start_echo() { # variant mem append: QEMU in the background, its pid in qemu_pid
  local variant=$1 mem=$2 append=$3
  # shellcheck disable=SC2046
  # ip execs bash, bash execs QEMU: $! is QEMU's pid.
  ip netns exec "$ns" bash -c "$(declare -f machine_args qemu); qemu $variant $mem $echo_kernel '$append' $(nic_args "$variant")" \
    >"$tmp/echo-$variant-$mem.log" 2>&1 &
  qemu_pid=$!
}
stop_echo() {
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
  [ -n "$qemu_pid" ] && timeout 5 tail --pid="$qemu_pid" -f /dev/null
  qemu_pid=""
}
cpu_ticks() { # utime + stime of QEMU (the bash -c above execs it)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}

payload=$tmp/payload
head -c 262144 /dev/urandom >"$payload"
want=$(sha256sum <"$payload" | cut -d' ' -f1)

exercise() { # label: ping, UDP, TCP, 256 KiB over TCP
  local label=$1 reply got out
  for _ in $(seq 1 100); do in_ns ping -c1 -W1 "$guest" >/dev/null 2>&1 && break; sleep 0.05; done
  if out=$(in_ns ping -c 3 -i 0.2 -W 2 "$guest" 2>&1) && echo "$out" | grep -q ' 0% packet loss'; then
    echo "PASS virtio_boot.$label.ping ($(echo "$out" | grep -o 'rtt.*' | cut -d' ' -f4 | cut -d/ -f2) ms avg)"
  else
    echo "FAIL virtio_boot.$label.ping: $(echo "$out" | grep -m1 -E 'loss|unreach')"
  fi
  reply=$(echo -n "udp-$label" | in_ns timeout 5 socat -T2 - "UDP:$guest:7" 2>&1)
  [ "$reply" = "udp-$label" ] && echo "PASS virtio_boot.$label.udp-echo" || echo "FAIL virtio_boot.$label.udp-echo: got '$reply'"
  reply=$(echo -n "tcp-$label" | in_ns timeout 5 socat -T2 - "TCP:$guest:7" 2>&1)
  [ "$reply" = "tcp-$label" ] && echo "PASS virtio_boot.$label.tcp-echo" || echo "FAIL virtio_boot.$label.tcp-echo: got '$reply'"
  got=$(in_ns timeout 60 socat -t10 -T20 - "TCP:$guest:7" <"$payload" 2>/dev/null | tee "$tmp/got" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$want" ] && echo "PASS virtio_boot.$label.tcp-256KiB-intact" \
    || echo "FAIL virtio_boot.$label.tcp-256KiB-intact: $(stat -c %s "$tmp/got") bytes back, $(cmp "$payload" "$tmp/got" 2>&1 | head -c 120)"
}

hz=$(getconf CLK_TCK)
for run in microvm:16M microvm-modern:16M q35:16M microvm:4M; do
  variant=${run%%:*} mem=${run#*:}
  label=$variant; [ "$mem" != 16M ] && label=$variant-$mem
  start_echo "$variant" "$mem" "unf.ip0=$guest/24 unf.gw0=$host"
  exercise "$label"
  if [ "$mem" = 16M ]; then # idle: no traffic for 2 s, QEMU must mostly sleep
    sleep 0.5
    a=$(cpu_ticks "$qemu_pid"); sleep 2; b=$(cpu_ticks "$qemu_pid")
    if [ -n "$a" ] && [ -n "$b" ]; then
      pct=$(((b - a) * 100 / (2 * hz)))
      echo "INFO virtio_boot.$label.idle-cpu ${pct}% of one CPU over 2 s"
      [ "$pct" -le 50 ] && echo "PASS virtio_boot.$label.idles" || echo "FAIL virtio_boot.$label.idles: ${pct}% CPU while idle"
    else
      echo "FAIL virtio_boot.$label.idles: QEMU is gone: $(tail -n 2 "$tmp/echo-$variant-$mem.log" | tr '\n' ' ')"
    fi
  fi
  grep -q "echo: listening on $guest port 7" "$tmp/echo-$variant-$mem.log" && echo "PASS virtio_boot.$label.console" \
    || echo "FAIL virtio_boot.$label.console: $(head -c 200 "$tmp/echo-$variant-$mem.log")"
  stop_echo
done

# Launch to first packet: echo --hello sends one datagram at start; socat in the namespace
# (UDP-RECVFROM: one datagram, then exit) notes when it arrives. Median of 5 launches.
first_packet_ms() { # variant -> ms on stdout, empty on failure
  local variant=$1 t0 t1
  rm -f "$tmp/arrived"
  in_ns timeout 10 socat -u "UDP-RECVFROM:9999,bind=$host" - 2>/dev/null \
    | { [ -n "$(head -c 1)" ] && date +%s%N >"$tmp/arrived"; } &
  local listener=$!
  for _ in $(seq 1 50); do in_ns ss -uln 2>/dev/null | grep -q ":9999 " && break; sleep 0.02; done
  t0=$(date +%s%N)
  start_echo "$variant" 16M "unf.ip0=$guest/24 unf.gw0=$host -- --hello $host:9999"
  wait "$listener"
  stop_echo
  [ -s "$tmp/arrived" ] && t1=$(cat "$tmp/arrived") && echo $(((t1 - t0) / 1000000))
}
for variant in microvm q35; do
  times=()
  for _ in 1 2 3 4 5; do
    ms=$(first_packet_ms "$variant")
    [ -n "$ms" ] && times+=("$ms")
  done
  if [ ${#times[@]} -eq 5 ]; then
    sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
    echo "INFO virtio_boot.$variant.launch-to-first-packet median ${median} ms (runs: ${sorted% }; TCG)"
    echo "PASS virtio_boot.$variant.first-packet-arrives"
  else
    echo "FAIL virtio_boot.$variant.first-packet-arrives: ${#times[@]} of 5 launches sent their datagram"
  fi
done
