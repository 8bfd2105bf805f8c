#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The hvt tender (build/bin/unf-hvt, a KVM monitor) on its own, without the runtime: in-guest
# libc tests run under it, the guest's exit status comes back, guest exceptions are reported with
# their name and %rip and status 255, malformed kernels and bad options give one "unf-hvt:" line
# and status 125, the echo kernel answers ping, UDP and TCP on a tap in a namespace of its own,
# sealed (seccomp on, no_new_privs, only fds 1, 2, the tap and the vCPU open), the http kernel
# serves a file from the read-only archive slot, and 100 short runs leave nothing behind. The echo
# kernel also runs on an AF_XDP socket (--net xdp:x0 on a veth): UDP, TCP and a 300-datagram
# burst come back intact, the XDP program is attached while the tender runs and gone after a
# SIGKILL, and a missing link is one line.
# Prints the idle tender's PSS. Without a usable /dev/kvm: one SKIP line.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
. tests/lib/tender_echo.sh
. tests/lib/tender_input.sh
test_name hvt_tender
tender=build/bin/unf-hvt
echo_kernel=build/kernels/echo/x86_64-hvt
http_kernel=build/kernels/http/x86_64-hvt
libc_guest=build/tests/guests/guest_libc-hvt
sandbox_guest=build/tests/guests/guest_sandbox-hvt
fault_guest=build/tests/guests/guest_fault-hvt
ns=htend$$
tmp=$(mktemp -d)
echo_pid=""

on_exit 'rm -rf "$tmp"'
on_exit '[ -n "$echo_pid" ] && kill -9 "$echo_pid" 2>/dev/null'

for f in "$tender" "$echo_kernel" "$http_kernel" "$libc_guest" "$sandbox_guest" "$fault_guest"; do
  if [ ! -f "$f" ]; then
    fail build "$f missing (make $f)"
    exit 0
  fi
done

# runs the tender with a time bound; sets rc, out (stdout) and err (stderr)
# No KVM (no device, or one that does not answer KVM_GET_API_VERSION): nothing to test here.
if [ ! -c /dev/kvm ]; then
  echo "SKIP hvt_tender: no KVM"
  exit 0
fi
run_tender "$fault_guest" ok
if [ "$rc" = 125 ] && [[ "$err" == "unf-hvt: /dev/kvm"* ]]; then
  echo "SKIP hvt_tender: no KVM"
  exit 0
fi

# --- in-guest libc tests, under the tender ------------------------------------------------
run_tender "$libc_guest" unf.name=guest_libc -- one '"two words"' three
if grep -qE '^(PASS|FAIL) ' "$tmp/out"; then
  sed -E 's/^(PASS|FAIL) /\1 hvt_tender.guest_libc./' "$tmp/out" | grep -E '^(PASS|FAIL) '
else
  fail guest_libc.ran "no PASS/FAIL lines (exit $rc): $(head -c 300 "$tmp/out") $err"
fi
if [ "$rc" = 0 ] || grep -q '^FAIL ' "$tmp/out"; then
  pass guest_libc.exit-status-matches-result
else
  fail guest_libc.exit-status-matches-result "all passed but exit status $rc"
fi

# --- exit status ----------------------------------------------------------------------------
run_tender "$sandbox_guest" ok
[ "$rc" = 3 ] && [ "$out" = sandbox-ok ] && pass guest-exit-status-passes-through \
  || fail guest-exit-status-passes-through "exit $rc, stdout '$out', stderr '$err'"

# --- guest faults: one line with the exception and %rip, status 255, quickly -----------------
expect_fault() { # name, expected message part, guest arguments...
  local name=$1 want=$2; shift 2
  local t0=$(date +%s%N)
  run_tender "$@"
  local ms=$((($(date +%s%N) - t0) / 1000000))
  local lines
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ "$rc" = 255 ] && [ "$lines" = 1 ] && [[ "$err" == "unf-hvt: guest exception "*"$want"*" at rip 0x"* ]] \
     && [ "$ms" -lt 5000 ]; then
    pass "fault.$name ($err; ${ms} ms)"
  else
    fail "fault.$name" "exit $rc after ${ms} ms, stderr '$(printf '%s' "$err" | head -c 200)'"
  fi
}
expect_fault null-pointer "14 (page fault)" "$fault_guest" null
grep -q 'cr2 0x0,' "$tmp/err" && pass fault.null-pointer-cr2 || fail fault.null-pointer-cr2 "$err"
expect_fault write-to-text "14 (page fault)" "$fault_guest" write-text
expect_fault invalid-opcode "6 (invalid opcode)" "$fault_guest" ud2
expect_fault execute-stack "14 (page fault)" "$fault_guest" exec-stack
# No system calls in a VM: `syscall` faults (#UD on hardware; kvm_pvm jumps to LSTAR=0 instead).
expect_fault syscall-instruction "" "$fault_guest" syscall
expect_fault sandbox-guest-open "" "$sandbox_guest" open

# --- malformed kernels: one line on stderr, exit 125 --------------------------------------
tender_bad_kernels "$echo_kernel" '\x00\x00\x20\x00\x00\x00\x00\x00' '\x00\x00\x10\x00\x00\x00\x00\x00'
cp "$echo_kernel" "$tmp/huge"                                                # 3rd p_memsz = 3 GiB
tender_patch "$tmp/huge" 216 '\x00\x00\x00\xc0\x00\x00\x00\x00'
tender_expect_error kernel.segment-larger-than-memory "$tmp/huge"
tender_expect_error kernel.proc-kernel "${echo_kernel%-hvt}-proc"
tender_expect_error kernel.does-not-fit-in-mem --mem 1M "$echo_kernel"
tender_expect_error kernel.no-room-for-heap --mem 1160K "$echo_kernel"

# --- bad options ---------------------------------------------------------------------------
tender_bad_options "$sandbox_guest" "$libc_guest"
# The boot page holds boot info and command line (HVT_BOOT_SIZE); proc maps what it needs.
tender_expect_error opts.cmdline-too-long "$sandbox_guest" "$(head -c 70000 /dev/zero | tr '\0' x)"
run_tender --mem 64G "$sandbox_guest" ok
[ "$rc" = 3 ] && pass opts.mem-64G-costs-nothing-untouched || fail opts.mem-64G-costs-nothing-untouched "exit $rc: $err"

# --- 100 short runs: bounded in time, nothing left behind ------------------------------------
before=$(pgrep -c -x unf-hvt)
t0=$(date +%s%N)
bad=0
for _ in $(seq 1 100); do
  timeout -k 1 5 "$tender" --mem 4M "$fault_guest" ok >/dev/null 2>&1 || bad=$((bad + 1))
done
ms=$((($(date +%s%N) - t0) / 1000000))
after=$(pgrep -c -x unf-hvt)
if [ "$bad" = 0 ] && [ "$after" -le "$before" ] && [ "$ms" -lt 30000 ]; then
  pass "cycles.100-runs-nothing-left (${ms} ms, $((ms / 100)) ms each)"
else
  fail cycles.100-runs-nothing-left "$bad failed runs, tenders before $before after $after, ${ms} ms"
fi

# --- the echo kernel on a tap in a namespace ------------------------------------------------
tender_echo_start "$ns" "$tender" 4M "$echo_kernel"
tender_echo_checks "$ns" hvt
inns() { ip netns exec "$ns" "$@"; }

# The tender (timeout's child) runs the vCPU itself, sealed.
guest_pid=$(pgrep -P "$echo_pid" -x unf-hvt | head -1)
if [ -n "$guest_pid" ] && [ -r "/proc/$guest_pid/status" ]; then
  status=$(cat "/proc/$guest_pid/status")
  echo "$status" | grep -qE '^Seccomp:\s+2$' && echo "$status" | grep -qE '^NoNewPrivs:\s+1$' \
    && pass echo.sealed-seccomp-and-no-new-privs \
    || fail echo.sealed-seccomp-and-no-new-privs "$(echo "$status" | grep -E 'Seccomp|NoNewPrivs' | tr '\n' ' ')"
  fds=$(ls "/proc/$guest_pid/fd" | sort -n | tr '\n' ' ')
  kinds=$(for fd in $(ls "/proc/$guest_pid/fd" | sort -n); do
            t=$(readlink "/proc/$guest_pid/fd/$fd"); [ "$fd" -gt 2 ] && echo "$t"; done | sort | tr '\n' ' ')
  [ "$(echo "$fds" | wc -w)" = 4 ] && [[ "$fds" == "1 2 "* ]] \
    && [ "$kinds" = "/dev/net/tun anon_inode:kvm-vcpu:0 " ] \
    && pass "echo.only-console-tap-and-vcpu-fds-open" \
    || fail echo.only-console-tap-and-vcpu-fds-open "open fds: $fds ($kinds)"
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$guest_pid/smaps_rollup")
  rss=$(awk '/^Rss:/ {print $2}' "/proc/$guest_pid/smaps_rollup")
  echo "INFO hvt_tender: idle PSS ${pss} KiB with --mem 4M (rss ${rss} KiB)"
  [ "$pss" -lt 4096 ] && pass "echo.idle-pss-below-4MiB" || fail echo.idle-pss-below-4MiB "${pss} KiB"
else
  fail echo.sealed-seccomp-and-no-new-privs "no tender process under pid $echo_pid"
fi

# --- a burst costs a vCPU exit per batch, not per frame (NET_WRITEV / NET_READV) ------------
# 300 datagrams to the echo kernel and its 300 answers, under strace -c: every ioctl is a KVM_RUN,
# i.e. one exit to the tender. One hypercall per frame each way cost 621 for this burst.
if [ -n "${guest_pid:-}" ] && command -v strace >/dev/null; then
  timeout 20 strace -c -f -o "$tmp/strace.burst" -p "$guest_pid" 2>/dev/null &
  st=$!
  sleep 0.5
  before=$(inns cat /sys/class/net/t0/statistics/rx_packets)
  inns bash -c 'exec 3<>/dev/udp/10.93.0.2/7; for i in $(seq 1 300); do printf x >&3; done' 2>/dev/null
  sleep 1.5
  kill -INT "$st" 2>/dev/null
  wait "$st" 2>/dev/null
  got=$(( $(inns cat /sys/class/net/t0/statistics/rx_packets) - before ))
  exits=$(awk '$NF == "ioctl" {print $4}' "$tmp/strace.burst")
  check burst.batched-exits $([ "$got" -ge 300 ] && [ "${exits:-9999}" -le 150 ]; echo $?) \
    "$got of 300 answers; ${exits:-?} vCPU exits for 300 frames each way (at most 150)"
else
  skip burst.batched-exits "no tender pid or no strace"
fi

# The guest's exit status comes back through the tender: "exit 7" ends echo with status 7.
echo -n "exit 7" | inns timeout 3 socat - UDP:10.93.0.2:7 >/dev/null 2>&1
for _ in $(seq 1 100); do kill -0 "$echo_pid" 2>/dev/null || break; sleep 0.05; done
wait "$echo_pid"; rc=$?
echo_pid=""
[ "$rc" = 7 ] && pass echo.exit-status-passes-through || fail echo.exit-status-passes-through "exit $rc, want 7"

# --- the archive: a read-only memory slot the http kernel serves files from ------------------
tar --format=ustar -C apps/http/files -cf "$tmp/files.tar" .
ip netns exec "$ns" timeout -k 2 60 "$tender" --mem 8M --net t0 --archive "$tmp/files.tar" \
  "$http_kernel" unf.ip0=10.93.0.2/24 >"$tmp/http.out" 2>&1 &
echo_pid=$!
for _ in $(seq 1 100); do inns ping -c1 -W1 10.93.0.2 >/dev/null 2>&1 && break; sleep 0.05; done
inns timeout 10 curl -s -o "$tmp/index.html" http://10.93.0.2/index.html
if cmp -s "$tmp/index.html" apps/http/files/index.html; then
  pass archive.http-serves-index-from-read-only-slot
else
  fail archive.http-serves-index-from-read-only-slot "$(head -c 200 "$tmp/http.out")"
fi
kill "$echo_pid" 2>/dev/null; wait "$echo_pid" 2>/dev/null; echo_pid=""

# --- the echo kernel on an AF_XDP socket (--net xdp:IFACE): the tender drives the rings --------
# A veth pair in the namespace: x0 for the tender (XDP program + AF_XDP socket), x1 the peer at
# 10.94.0.1. The peer sends full checksums (tx offload off), as the runtime makes eth0's peer do.
xdp_pid=""
on_exit '[ -n "$xdp_pid" ] && kill -9 "$xdp_pid" 2>/dev/null'
ip -n "$ns" link add x0 type veth peer name x1
ip -n "$ns" addr add 10.94.0.1/24 dev x1
ip -n "$ns" link set x0 up
ip -n "$ns" link set x1 up
inns ethtool -K x1 tx off >/dev/null 2>&1
ip netns exec "$ns" timeout -k 2 120 "$tender" --mem 8M --net xdp:x0 "$echo_kernel" \
  unf.ip0=10.94.0.2/24 unf.gw0=10.94.0.1 -- --allow-exit >"$tmp/xdp.out" 2>&1 &
xdp_pid=$!
for _ in $(seq 1 100); do inns ping -c1 -W1 10.94.0.2 >/dev/null 2>&1 && break; sleep 0.05; done
links=$(ip -n "$ns" link show x0)
echo "$links" | grep -q 'prog/xdp'; attached=$?
check xdp.program-attached-while-running $attached \
  "ip link shows no XDP program on x0: $(echo "$links" | tr '\n' ' ') $(head -c 200 "$tmp/xdp.out")"
reply=$(echo -n "udp-xdp" | inns timeout 5 socat -T2 - UDP:10.94.0.2:7 2>&1)
[ "$reply" = "udp-xdp" ] && pass xdp.udp-echo || fail xdp.udp-echo "got '$reply'"
head -c 65536 /dev/urandom > "$tmp/xdp.payload"
got=$(inns timeout 30 socat -t5 -T10 - TCP:10.94.0.2:7 < "$tmp/xdp.payload" 2>/dev/null | sha256sum | cut -d' ' -f1)
[ "$got" = "$(sha256sum < "$tmp/xdp.payload" | cut -d' ' -f1)" ] && pass xdp.tcp-64KiB-intact \
  || fail xdp.tcp-64KiB-intact "checksum differs"

xdp_guest=$(pgrep -P "$xdp_pid" -x unf-hvt | head -1)
if [ -n "$xdp_guest" ]; then
  kinds=$(for fd in $(ls "/proc/$xdp_guest/fd" | sort -n); do
            [ "$fd" -gt 2 ] && readlink "/proc/$xdp_guest/fd/$fd" | sed 's/:\[[0-9]*\]$//'; done | sort | tr '\n' ' ')
  [ "$kinds" = "anon_inode:bpf_link anon_inode:kvm-vcpu:0 socket " ] \
    && pass xdp.only-console-socket-bpf-link-and-vcpu-fds-open \
    || fail xdp.only-console-socket-bpf-link-and-vcpu-fds-open "fds beyond 2: $kinds"
fi

# 300 distinct datagrams at once: every one comes back, unchanged; under strace -c, the vCPU
# exits (ioctl = KVM_RUN) stay batched as on the tap, and sendto (the tx kick) is counted.
if [ -n "$xdp_guest" ] && command -v strace >/dev/null; then
  timeout 20 strace -c -f -o "$tmp/strace.xdp" -p "$xdp_guest" 2>/dev/null &
  st=$!
  sleep 0.5
fi
res=$(inns python3 - <<'PY' 2>&1
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.94.0.1", 0))
s.settimeout(2)
want = {b"xdp-burst-%04d" % i for i in range(300)}
for d in sorted(want):
    s.sendto(d, ("10.94.0.2", 7))
got = set()
try:
    while len(got) < len(want):
        got.add(s.recvfrom(2048)[0])
except socket.timeout:
    pass
print(len(got & want), len(got - want))
PY
)
check xdp.burst-300-all-echoed $([ "$res" = "300 0" ]; echo $?) "echoed (right, wrong): $res"
if [ -n "${st:-}" ]; then
  sleep 0.5
  kill -INT "$st" 2>/dev/null
  wait "$st" 2>/dev/null
  exits=$(awk '$NF == "ioctl" {print $4}' "$tmp/strace.xdp")
  kicks=$(awk '$NF == "sendto" {print $4}' "$tmp/strace.xdp")
  echo "INFO hvt_tender.xdp.burst: ${exits:-?} vCPU exits, ${kicks:-0} sendto kicks for 300 frames each way"
  check xdp.burst-batched-exits $([ "${exits:-9999}" -le 150 ]; echo $?) \
    "${exits:-?} vCPU exits for 300 frames each way (at most 150)"
  st=""
fi

# A SIGKILLed tender leaves no XDP program behind: the BPF link dies with its last fd.
kill -9 "${xdp_guest:-$xdp_pid}" 2>/dev/null
wait "$xdp_pid" 2>/dev/null
xdp_pid=""
for _ in $(seq 1 40); do ip -n "$ns" link show x0 | grep -q 'xdp' || break; sleep 0.05; done
links=$(ip -n "$ns" link show x0)
check xdp.program-gone-after-sigkill $(echo "$links" | grep -q xdp; [ $? = 1 ] && [ -n "$links" ] && [ "$attached" = 0 ]; echo $?) \
  "attached before: $([ "$attached" = 0 ] && echo yes || echo no); x0 after the kill: $(echo "$links" | tr '\n' ' ')"

# A link that does not exist: one line naming it, and a failing status.
err=$(ip netns exec "$ns" timeout 10 "$tender" --mem 8M --net xdp:nosuch "$echo_kernel" 2>&1 >/dev/null); rc=$?
[ "$rc" != 0 ] && [ "$(echo "$err" | wc -l)" = 1 ] && [[ "$err" == "unf-hvt: xdp nosuch: "* ]] \
  && pass xdp.missing-link-one-line || fail xdp.missing-link-one-line "exit $rc: $err"
