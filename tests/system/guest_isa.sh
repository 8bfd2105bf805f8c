#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Guest kernels carry no SSE/AVX instructions: some software hypervisors behind /dev/kvm emulate
# guest ring-0 code and cannot emulate SSE (QEMU then stops with "KVM internal error"), so the
# guest is built with -mgeneral-regs-only. Checks every kernel and in-guest test binary.
set -u
cd "$(dirname "$0")/../.."
n=0
for k in build/kernels/*/x86_64-* build/tests/guests/guest_*-*; do
  case $k in *.dbg|*.d) continue ;; esac
  [ -f "$k" ] || continue
  n=$((n + 1))
  hits=$(objdump -d --no-show-raw-insn "$k" | grep -cE '%[xyz]mm[0-9]')
  [ "$hits" = 0 ] && echo "PASS guest_isa.no-sse.$(basename "$(dirname "$k")")-$(basename "$k")" \
    || echo "FAIL guest_isa.no-sse.$(basename "$(dirname "$k")")-$(basename "$k"): $hits SSE/AVX instructions, e.g. $(objdump -d "$k" | grep -m1 -E '%[xyz]mm[0-9]')"
done
[ "$n" -gt 0 ] || echo "FAIL guest_isa.kernels: no kernels built"
