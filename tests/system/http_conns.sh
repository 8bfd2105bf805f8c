#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A thousand concurrent keep-alive connections to the http unikernel (proc platform), the load at
# which lwIP's linear PCB scan used to dominate: every connection must be answered with the right
# page, twice (second round sent in reverse order), while all are open; then all are closed and a
# second thousand opened, so PCBs freed under the hashed lookup (guest/net_lwip/tcp_lookup.c) are
# reused. Also checks that the built kernel's tcp_input() really calls the hashed lookup, i.e. that
# guest/net_lwip/lwip-tcp_in.patch is still applied. Counts, not timings: no check depends on speed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name http_conns
unf=build/bin/unf
kernel=build/kernels/http/x86_64-proc.dbg
name=hc$$
conns=1000

for tool in python3 objdump; do
  if ! command -v $tool >/dev/null; then
    skip all "$tool is not installed"
    exit 0
  fi
done
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt $((conns + 64)) ]; then
  skip all "the open-file limit ($(ulimit -Hn)) is below $((conns + 64)): cannot hold $conns connections"
  exit 0
fi
if [ ! -f build/images/http.unf ] || [ ! -f "$kernel" ]; then
  fail build "build/images/http.unf or $kernel missing (make all)"
  exit 1
fi

# The hook is wired: tcp_input calls tcp_lookup_find (lookup) and tcp_lookup_note (scan hit).
calls=$(objdump -d --no-show-raw-insn --disassemble=tcp_input "$kernel" 2>/dev/null |
  grep -cE 'call.*<tcp_lookup_(find|note)>')
check tcp-input-uses-hash "$([ "$calls" -ge 2 ] && echo 0 || echo 1)" \
  "tcp_input in $kernel calls tcp_lookup_find/note $calls times, want 2 (lwip-tcp_in.patch not applied?)"

on_exit rm_instances "$name"
if ! out=$($unf run -d --name "$name" --platform proc build/images/http.unf 2>&1); then
  fail start "unf run: $out"
  exit 1
fi
ip=$($unf inspect "$name" 2>/dev/null | jq -r .ip)
if [ -z "$ip" ] || [ "$ip" = null ]; then
  fail start "no address in unf inspect $name"
  exit 1
fi
for _ in $(seq 1 100); do
  curl -s -o /dev/null --max-time 1 "http://$ip/" && break
  sleep 0.1
done

# Prints "connected round1 round2" for one batch of $conns connections; 60 s at most.
batch() {
  ulimit -n $((conns + 64)) 2>/dev/null
  timeout 60 python3 - "$ip" "$conns" apps/http/files/index.html <<'PY'
import selectors, socket, sys, time
ip, n, page = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
deadline = time.monotonic() + 50
sel = selectors.DefaultSelector()
socks, connected = [], 0
for i in range(n):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((ip, 80))
    socks.append(s)
    sel.register(s, selectors.EVENT_WRITE, i)
pending = set(range(n))
while pending and time.monotonic() < deadline:
    for key, _ in sel.select(1):
        i = key.data
        sel.unregister(key.fileobj)
        pending.discard(i)
        if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
            connected += 1
def round_trip(order):
    req = b"GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n"
    bufs, ok = {}, 0
    for i in order:
        try:
            socks[i].send(req)
        except OSError:
            continue
        bufs[i] = b""
        sel.register(socks[i], selectors.EVENT_READ, i)
    while bufs and time.monotonic() < deadline:
        for key, _ in sel.select(1):
            i = key.data
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            done = not data
            bufs[i] += data
            head, sep, body = bufs[i].partition(b"\r\n\r\n")
            if sep:
                length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    ok += head.startswith(b"HTTP/1.1 200") and body == page
                    done = True
            if done:
                sel.unregister(key.fileobj)
                del bufs[i]
    return ok
r1 = round_trip(range(n))
r2 = round_trip(range(n - 1, -1, -1))
for s in socks:
    s.close()
print(connected, r1, r2)
PY
}

for b in 1 2; do
  read -r c r1 r2 < <(batch)
  c=${c:-0} r1=${r1:-0} r2=${r2:-0}
  check "batch$b-all-connected" "$([ "$c" = $conns ] && echo 0 || echo 1)" "$c of $conns connections established"
  check "batch$b-all-answered" "$([ "$r1" = $conns ] && echo 0 || echo 1)" "$r1 of $conns connections got the page"
  check "batch$b-all-answered-again-reversed" "$([ "$r2" = $conns ] && echo 0 || echo 1)" \
    "$r2 of $conns connections got the page on their second request"
  info "batch $b: $c connected, $r1 and $r2 answered"
done

state=$($unf inspect "$name" 2>/dev/null | jq -r .state)
code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "http://$ip/index.html")
check still-serving "$([ "$state" = running ] && [ "$code" = 200 ] && echo 0 || echo 1)" \
  "after the batches: state '$state', GET answered '$code'"
