#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The virtio-net driver batches its notifications (platform/virtio/net.c, KICK_BATCH): buffers it
# publishes are announced to the device every 16 or at the end of the guest's loop turn, not one
# VM exit per frame. The echo kernel on QEMU microvm (TCG) answers a burst of 300 UDP datagrams;
# QEMU's own trace (virtio_queue_notify) counts the notifications: every datagram must be answered
# and the burst may cost at most 100 notifications (one per frame each way was 600 at worst, 308
# measured before the batching).
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name virtio_kicks
kernel=build/kernels/echo/x86_64-virtio
if [ ! -f "$kernel" ] || ! command -v qemu-system-x86_64 >/dev/null; then
  skip burst "no $kernel or qemu-system-x86_64"
  exit 0
fi
if ! qemu-system-x86_64 -trace help 2>/dev/null | grep -qx virtio_queue_notify; then
  skip burst "this QEMU has no virtio_queue_notify trace event"
  exit 0
fi
tmp=$(mktemp -d)
ns=uvk$$
qpid=""
on_exit 'rm -rf "$tmp"'
on_exit 'ns_del "$ns"'
on_exit '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; [ -n "$qpid" ] && wait "$qpid" 2>/dev/null'

ns_add "$ns"
ip -n "$ns" tuntap add dev t0 mode tap && ip -n "$ns" addr add 10.93.0.1/24 dev t0 && ip -n "$ns" link set t0 up
ip netns exec "$ns" timeout 120 qemu-system-x86_64 -M microvm,x-option-roms=off,rtc=on,isa-serial=on -accel tcg \
  -cpu max -m 32M -smp 1 -nodefaults -no-user-config -nographic -no-reboot -kernel "$kernel" \
  -append "unf.ip0=10.93.0.2/24 unf.gw0=10.93.0.1 --" -serial "file:$tmp/console" -monitor none \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -netdev tap,id=n0,ifname=t0,script=no,downscript=no -device virtio-net-device,netdev=n0 \
  -trace virtio_queue_notify -D "$tmp/trace" </dev/null >/dev/null 2>&1 &
qpid=$!
up=1
for _ in $(seq 1 150); do ip netns exec "$ns" ping -c1 -W1 10.93.0.2 >/dev/null 2>&1 && { up=0; break; }; sleep 0.2; done
check booted "$up" "$(tail -n 3 "$tmp/console" 2>/dev/null)"
[ "$up" = 0 ] || exit 0
sleep 0.5 # the ping's own notifications settle
before=$(grep -c virtio_queue_notify "$tmp/trace")
out0=$(ip netns exec "$ns" cat /sys/class/net/t0/statistics/rx_packets)
ip netns exec "$ns" bash -c 'exec 3<>/dev/udp/10.93.0.2/7; for i in $(seq 1 300); do printf x >&3; done'
for _ in $(seq 1 50); do
  got=$(( $(ip netns exec "$ns" cat /sys/class/net/t0/statistics/rx_packets) - out0 ))
  [ "$got" -ge 300 ] && break
  sleep 0.1
done
sleep 0.3
kicks=$(( $(grep -c virtio_queue_notify "$tmp/trace") - before ))
check burst.all-answered $([ "$got" -ge 300 ]; echo $?) "$got of 300 answers came back"
check burst.batched-notifications $([ "$kicks" -le 100 ]; echo $?) "$kicks notifications for 300 datagrams in and 300 out (at most 100)"
info "burst: $kicks notifications for 300 datagrams each way"
exit 0
