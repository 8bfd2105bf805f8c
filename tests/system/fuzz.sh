#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A short run of every fuzz target (built by `make fuzz-build`), seeded from tests/fuzz/seeds/.
# `make fuzz` runs them for longer. A crash, leak or UB report fails the target.
set -u
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SHORT_SECONDS:-20}
for bin in build/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus=build/fuzz/corpus/$name
  mkdir -p "$corpus"
  seeds=tests/fuzz/seeds/$name
  [ -d "$seeds" ] || seeds=
  if out=$("$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 "$corpus" $seeds 2>&1); then
    runs=$(printf '%s\n' "$out" | grep -o 'Done [0-9]* runs' | tail -n1)
    echo "PASS fuzz.$name (${runs:-done} in ${seconds}s)"
  else
    echo "FAIL fuzz.$name: $(printf '%s\n' "$out" | grep -m1 -E 'ERROR|SUMMARY|deadly' || echo crashed)"
  fi
done
