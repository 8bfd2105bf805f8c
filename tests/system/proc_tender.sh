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
run_tender() {
  timeout -k 2 10 "$tender" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}

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
expect_error() { # name, then tender arguments
  local name=$1; shift
  run_tender "$@"
  local lines
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ "$rc" = 125 ] && [ "$lines" = 1 ] && [[ "$err" == unf-proc:* ]] && [ -z "$out" ]; then
    pass "$name ($err)"
  else
    fail "$name" "exit $rc, $lines stderr lines: '$(printf '%s' "$err" | head -c 200)'"
  fi
}
patch_bytes() { # file, offset, printf-style bytes
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

: > "$tmp/empty"
head -c 65536 /dev/urandom > "$tmp/random"
head -c 100 "$echo_kernel" > "$tmp/short-phdrs"
head -c 6000 "$echo_kernel" > "$tmp/short-data"
cp "$echo_kernel" "$tmp/arm"; patch_bytes "$tmp/arm" 18 '\x28\x00'          # e_machine = ARM
cp "$echo_kernel" "$tmp/class32"; patch_bytes "$tmp/class32" 4 '\x01'       # ELFCLASS32
cp "$echo_kernel" "$tmp/dyn"; patch_bytes "$tmp/dyn" 16 '\x03\x00'          # e_type = ET_DYN
cp "$echo_kernel" "$tmp/low"                                                 # 1st p_vaddr = 0x1000
patch_bytes "$tmp/low" 80 '\x00\x10\x00\x00\x00\x00\x00\x00'
cp "$echo_kernel" "$tmp/entry"                                               # e_entry outside text
patch_bytes "$tmp/entry" 24 '\x00\x00\x00\x70\x00\x00\x00\x00'
cp "$echo_kernel" "$tmp/overlap"                                             # 2nd p_vaddr = 1st
patch_bytes "$tmp/overlap" 136 '\x00\x00\x00\x40\x00\x00\x00\x00'
cp "$echo_kernel" "$tmp/wx"; patch_bytes "$tmp/wx" 180 '\x07'               # 3rd segment RWX
expect_error kernel.empty-file "$tmp/empty"
expect_error kernel.random-bytes "$tmp/random"
expect_error kernel.truncated-program-headers "$tmp/short-phdrs"
expect_error kernel.truncated-segment "$tmp/short-data"
expect_error kernel.other-machine "$tmp/arm"
expect_error kernel.32-bit "$tmp/class32"
expect_error kernel.not-ET_EXEC "$tmp/dyn"
expect_error kernel.segment-out-of-range "$tmp/low"
expect_error kernel.entry-outside-text "$tmp/entry"
expect_error kernel.overlapping-segments "$tmp/overlap"
expect_error kernel.writable-and-executable "$tmp/wx"
expect_error kernel.host-dynamic-executable /bin/true
expect_error kernel.missing "$tmp/does-not-exist"
expect_error kernel.directory "$tmp"

# --- bad options ---------------------------------------------------------------------------
expect_error opts.unknown-option --frobnicate "$sandbox_guest" ok
expect_error opts.mem-garbage --mem lots "$sandbox_guest" ok
expect_error opts.mem-too-small --mem 4K "$sandbox_guest" ok
expect_error opts.mem-missing-value --mem
expect_error opts.missing-kernel --mem 8M
expect_error opts.no-arguments
expect_error opts.bad-mac --net t0,zz:00:00:00:00:00 "$sandbox_guest" ok
expect_error opts.multicast-mac --net t0,01:00:5e:00:00:01 "$sandbox_guest" ok
expect_error opts.tap-name-too-long --net abcdefghijklmnopqrstu "$sandbox_guest" ok
expect_error opts.too-many-nics --net a --net b --net c --net d --net e "$sandbox_guest" ok
expect_error opts.archive-missing --archive "$tmp/no-archive" "$sandbox_guest" ok
run_tender --mem 8M "$sandbox_guest" ok
[ "$rc" = 3 ] && pass opts.mem-with-suffix || fail opts.mem-with-suffix "exit $rc: $err"
run_tender --archive "$tmp/empty" -- "$sandbox_guest" ok
[ "$rc" = 3 ] && pass opts.empty-archive-and-double-dash || fail opts.empty-archive-and-double-dash "exit $rc: $err"
run_tender --archive="$tmp/random" --mem=2M "$sandbox_guest" ok
[ "$rc" = 3 ] && pass opts.archive-and-equals-forms || fail opts.archive-and-equals-forms "exit $rc: $err"
# The whole guest command line as one word, as the runtime passes it.
run_tender "$libc_guest" 'unf.name=guest_libc -- one "two words" three'
grep -q '^PASS start.argv-from-cmdline' "$tmp/out" && pass opts.cmdline-as-one-word \
  || fail opts.cmdline-as-one-word "$(grep -m1 argv "$tmp/out")"

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
