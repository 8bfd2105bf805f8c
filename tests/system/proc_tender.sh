#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The proc tender (build/bin/unf-proc) on its own, without the runtime: in-guest libc tests run
# under it, the guest's exit status comes back, the seccomp sandbox kills forbidden system
# calls with SIGSYS, malformed kernels and bad options give one "unf-proc:" line and status 125,
# and the echo kernel answers ping, UDP and TCP on a tap in a namespace of its own, sealed
# (seccomp on, no_new_privs, only fds 1, 2 and the tap open). Prints the idle tender's PSS.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
. tests/lib/tender_echo.sh
. tests/lib/tender_input.sh
test_name proc_tender
tender=build/bin/unf-proc
echo_kernel=build/kernels/echo/x86_64-proc
libc_guest=build/tests/guests/guest_libc-proc
sandbox_guest=build/tests/guests/guest_sandbox-proc
ns=ptend$$
tmp=$(mktemp -d)
echo_pid=""

on_exit 'rm -rf "$tmp"'
on_exit '[ -n "$echo_pid" ] && kill -9 "$echo_pid" 2>/dev/null'

for f in "$tender" "$echo_kernel" "$libc_guest" "$sandbox_guest"; do
  if [ ! -f "$f" ]; then
    fail build "$f missing (make $f)"
    exit 0
  fi
done

# runs the tender with a time bound; sets rc, out (stdout) and err (stderr)
# --- in-guest libc tests, under the tender ------------------------------------------------
# Words are joined with spaces as they are; the guest's own parser groups double quotes.
run_tender "$libc_guest" unf.name=guest_libc -- one '"two words"' three
if grep -qE '^(PASS|FAIL) ' "$tmp/out"; then
  sed -E 's/^(PASS|FAIL) /\1 proc_tender.guest_libc./' "$tmp/out" | grep -E '^(PASS|FAIL) '
else
  fail guest_libc.ran "no PASS/FAIL lines (exit $rc): $(head -c 300 "$tmp/out") $err"
fi
if [ "$rc" = 0 ] || grep -q '^FAIL ' "$tmp/out"; then
  pass guest_libc.exit-status-matches-result
else
  fail guest_libc.exit-status-matches-result "all passed but exit status $rc"
fi

# --- exit status and sandbox --------------------------------------------------------------
run_tender "$sandbox_guest" ok
[ "$rc" = 3 ] && [ "$out" = sandbox-ok ] && pass guest-exit-status-passes-through \
  || fail guest-exit-status-passes-through "exit $rc, stdout '$out', stderr '$err'"

for probe in open socket execve; do
  run_tender "$sandbox_guest" "$probe"
  if [ "$rc" = $((128 + 31)) ] && [ -z "$out" ]; then
    pass "sandbox.$probe-killed-by-SIGSYS"
  else
    fail "sandbox.$probe-killed-by-SIGSYS" "exit $rc (want 159), stdout '$out'"
  fi
done

# --- malformed kernels: one line on stderr, exit 125 --------------------------------------
tender_bad_kernels "$echo_kernel" '\x00\x00\x00\x70\x00\x00\x00\x00' '\x00\x00\x00\x40\x00\x00\x00\x00'

# --- bad options ---------------------------------------------------------------------------
tender_bad_options "$sandbox_guest" "$libc_guest"

# --- the echo kernel on a tap in a namespace ------------------------------------------------
tender_echo_start "$ns" "$tender" 8M "$echo_kernel"
tender_echo_checks "$ns" proc
inns() { ip netns exec "$ns" "$@"; }

# The running guest is the tender process itself (timeout's child), sealed.
guest_pid=$(pgrep -P "$echo_pid" -x unf-proc | head -1)
if [ -n "$guest_pid" ] && [ -r "/proc/$guest_pid/status" ]; then
  status=$(cat "/proc/$guest_pid/status")
  echo "$status" | grep -qE '^Seccomp:\s+2$' && echo "$status" | grep -qE '^NoNewPrivs:\s+1$' \
    && pass echo.sealed-seccomp-and-no-new-privs \
    || fail echo.sealed-seccomp-and-no-new-privs "$(echo "$status" | grep -E 'Seccomp|NoNewPrivs' | tr '\n' ' ')"
  fds=$(ls "/proc/$guest_pid/fd" | sort -n | tr '\n' ' ')
  tapfds=$(for fd in /proc/"$guest_pid"/fd/*; do [ "$(readlink "$fd")" = /dev/net/tun ] && basename "$fd"; done | wc -l)
  [ "$fds" = "1 2 3 " ] && [ "$tapfds" = 1 ] && pass "echo.only-console-and-tap-fds-open" \
    || fail echo.only-console-and-tap-fds-open "open fds: $fds"
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$guest_pid/smaps_rollup")
  rss=$(awk '/^Rss:/ {print $2}' "/proc/$guest_pid/smaps_rollup")
  echo "INFO proc_tender.echo.idle-pss ${pss} kB (rss ${rss} kB, --mem 8M)"
else
  fail echo.sealed-seccomp-and-no-new-privs "no tender process under pid $echo_pid"
fi

# The guest's exit status comes back through the tender: "exit 7" ends echo with status 7.
echo -n "exit 7" | inns timeout 3 socat - UDP:10.93.0.2:7 >/dev/null 2>&1
for _ in $(seq 1 100); do kill -0 "$echo_pid" 2>/dev/null || break; sleep 0.05; done
wait "$echo_pid"; rc=$?
echo_pid=""
[ "$rc" = 7 ] && pass echo.exit-status-passes-through || fail echo.exit-status-passes-through "exit $rc, want 7"
