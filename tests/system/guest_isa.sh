#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Guest kernels carry no SSE/AVX instructions: some software hypervisors behind /dev/kvm emulate
# guest ring-0 code and cannot emulate SSE (QEMU then stops with "KVM internal error"), so the
# guest is built with -mgeneral-regs-only. Checks every kernel and in-guest test binary; aarch64
# ones (no FP/SIMD register anywhere: their bindings leave FP/SIMD trapping) with the cross objdump.
set -u
cd "$(dirname "$0")/../.."
n=0
for k in build/kernels/*/x86_64-* build/tests/guests/guest_*-*; do
  case $k in *.dbg|*.d) continue ;; esac
  [ -f "$k" ] || continue
  n=$((n + 1))
  case $k in *aarch64-*) continue ;; esac
  hits=$(objdump -d --no-show-raw-insn "$k" | grep -cE '%[xyz]mm[0-9]')
  [ "$hits" = 0 ] && echo "PASS guest_isa.no-sse.$(basename "$(dirname "$k")")-$(basename "$k")" \
    || echo "FAIL guest_isa.no-sse.$(basename "$(dirname "$k")")-$(basename "$k"): $hits SSE/AVX instructions, e.g. $(objdump -d "$k" | grep -m1 -E '%[xyz]mm[0-9]')"
done
# aarch64: an FP/SIMD register (v0-v31, q/d/s/h/b0-31) as an operand.
simd='[[:space:],{]([vqdshb]([0-9]|[12][0-9]|3[01]))([.,}]|$)'
for k in build/kernels/*/aarch64-* build/tests/guests/guest_*-aarch64-*; do
  case $k in *.dbg|*.d) continue ;; esac
  [ -f "$k" ] || continue
  if ! command -v aarch64-linux-gnu-objdump >/dev/null; then
    echo "SKIP guest_isa.no-fpsimd: aarch64-linux-gnu-objdump missing (scripts/setup)"; break
  fi
  hits=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn "$k" | grep -cE "$simd")
  [ "$hits" = 0 ] && echo "PASS guest_isa.no-fpsimd.$(basename "$(dirname "$k")")-$(basename "$k")" \
    || echo "FAIL guest_isa.no-fpsimd.$(basename "$(dirname "$k")")-$(basename "$k"): $hits FP/SIMD instructions, e.g. $(aarch64-linux-gnu-objdump -d "$k" | grep -m1 -E "$simd")"
done
[ "$n" -gt 0 ] || echo "FAIL guest_isa.kernels: no kernels built"
