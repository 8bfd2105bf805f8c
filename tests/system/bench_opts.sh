#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The option parsing every unf-bench experiment shares (bench_next_opt in bench/harness.c):
# --help answers with status 0; a bad --only/--out, an unknown option, a missing value or a word
# left over is one stderr line and status 2; good options get past the parsing (as an unprivileged
# user they then stop at "needs root", status 1). Everything runs as nobody under a timeout, so
# an option the parser wrongly accepted can never start a benchmark on this host.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name bench_opts
bench=${UNF_BENCH:-build/bin/unf-bench}
out=$(mktemp -d /tmp/unf-bench-opts.XXXXXX)
on_exit 'rm -rf "$out"'

if [ ! -x "$bench" ]; then
  fail binary "$bench missing (make build/bin/unf-bench)"
  exit 0
fi
if ! command -v setpriv >/dev/null; then
  skip all "setpriv missing (util-linux): the cases would run as root"
  exit 0
fi
as_nobody() { timeout --kill-after=5 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# bad EXPERIMENT ARGS...: status 2 and exactly one stderr line
bad() {
  local e=$1 rc lines
  shift
  as_nobody "$bench" "$e" "$@" >/dev/null 2>"$out/err"; rc=$?
  lines=$(wc -l < "$out/err")
  if [ "$rc" = 2 ] && [ "$lines" = 1 ]; then
    pass "$e.usage '$*'"
  else
    fail "$e.usage '$*'" "status $rc, $lines stderr lines: $(head -c 200 "$out/err")"
  fi
}

# good EXPERIMENT ARGS...: parsed; stops at the root check (status 1, "needs root")
good() {
  local e=$1 rc
  shift
  as_nobody "$bench" "$e" "$@" >/dev/null 2>"$out/err"; rc=$?
  if [ "$rc" = 1 ] && grep -q "needs root" "$out/err"; then
    pass "$e.parsed '$*'"
  else
    fail "$e.parsed '$*'" "status $rc: $(head -c 200 "$out/err")"
  fi
}

for e in boot probe dns http fw deploy campaign; do
  as_nobody "$bench" "$e" --help >"$out/help" 2>&1; rc=$?
  if [ "$rc" = 0 ] && grep -q "^usage: " "$out/help"; then pass "$e.help"; else fail "$e.help" "status $rc"; fi
  bad "$e" --frobnicate
  bad "$e" --out
  bad "$e" --out ''
  bad "$e" leftover
done

# --only: unknown names, empty lists, overlong lists are refused; names add up
for e in boot probe dns http deploy; do
  bad "$e" --only nosuch
  bad "$e" --only ''
  bad "$e" --only ,
  bad "$e" --only "$(printf 'runc,%.0s' $(seq 60))runc"
  bad "$e" --only runc,nosuch
done
bad fw --only runc
bad campaign --only runc
bad dns --quick
for v in 0 abc 2000000 -5 ''; do bad dns --names "$v"; done

good boot --only runc,unf-run --only native --out "$out/x"
good probe --quick --only native,qemu --max-instances 3 --out "$out/x"
good dns --only proc-tap,nsd --ipv6 --out "$out/x"
good dns --names 1000000 --only proc,nsd --out "$out/x"
good http --only proc,nginx --no-pin --out "$out/x"
good deploy --quick --only runc --only proc --out "$out/x"
good campaign --runs 2 --quick --out "$out/x"
