# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the tender tests (proc_tender.sh, hvt_tender.sh): the bad kernels and bad options
# both tenders must refuse the same way (one line on stderr prefixed with the tender's name, exit
# 125, nothing on stdout). Needs tests/lib/test.sh, $tmp and $tender.
#   run_tender ARGS...                         runs $tender; sets rc, out, err
#   tender_expect_error NAME ARGS...           the refusal check
#   tender_bad_kernels KERNEL ENTRY OVERLAP    malformed copies of KERNEL; ENTRY and OVERLAP are the
#                                              8 printf-style bytes of an e_entry outside the text
#                                              and of a 2nd p_vaddr equal to the 1st (link addresses differ)
#   tender_bad_options SANDBOX_GUEST LIBC_GUEST  option errors and the accepted option forms
#   tender_patch FILE OFFSET BYTES             overwrites bytes of FILE (printf-style)
run_tender() {
  timeout -k 2 10 "$tender" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}

tender_expect_error() {
  local name=$1 lines prefix
  shift
  prefix=$(basename "$tender")
  run_tender "$@"
  lines=$(printf '%s\n' "$err" | grep -c .)
  if [ "$rc" = 125 ] && [ "$lines" = 1 ] && [[ "$err" == "$prefix":* ]] && [ -z "$out" ]; then
    pass "$name ($err)"
  else
    fail "$name" "exit $rc, $lines stderr lines: '$(printf '%s' "$err" | head -c 200)'"
  fi
}

tender_patch() { # file, offset, printf-style bytes
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

tender_bad_kernels() {
  local kernel=$1 entry=$2 overlap=$3
  : > "$tmp/empty"
  head -c 65536 /dev/urandom > "$tmp/random"
  head -c 100 "$kernel" > "$tmp/short-phdrs"
  head -c 6000 "$kernel" > "$tmp/short-data"
  cp "$kernel" "$tmp/arm"; tender_patch "$tmp/arm" 18 '\x28\x00'        # e_machine = ARM
  cp "$kernel" "$tmp/class32"; tender_patch "$tmp/class32" 4 '\x01'     # ELFCLASS32
  cp "$kernel" "$tmp/dyn"; tender_patch "$tmp/dyn" 16 '\x03\x00'        # e_type = ET_DYN
  cp "$kernel" "$tmp/low"                                                 # 1st p_vaddr = 0x1000
  tender_patch "$tmp/low" 80 '\x00\x10\x00\x00\x00\x00\x00\x00'
  cp "$kernel" "$tmp/entry"; tender_patch "$tmp/entry" 24 "$entry"       # e_entry outside text
  cp "$kernel" "$tmp/overlap"; tender_patch "$tmp/overlap" 136 "$overlap" # 2nd p_vaddr = 1st
  cp "$kernel" "$tmp/wx"; tender_patch "$tmp/wx" 180 '\x07'             # 3rd segment RWX
  tender_expect_error kernel.empty-file "$tmp/empty"
  tender_expect_error kernel.random-bytes "$tmp/random"
  tender_expect_error kernel.truncated-program-headers "$tmp/short-phdrs"
  tender_expect_error kernel.truncated-segment "$tmp/short-data"
  tender_expect_error kernel.other-machine "$tmp/arm"
  tender_expect_error kernel.32-bit "$tmp/class32"
  tender_expect_error kernel.not-ET_EXEC "$tmp/dyn"
  tender_expect_error kernel.segment-out-of-range "$tmp/low"
  tender_expect_error kernel.entry-outside-text "$tmp/entry"
  tender_expect_error kernel.overlapping-segments "$tmp/overlap"
  tender_expect_error kernel.writable-and-executable "$tmp/wx"
  tender_expect_error kernel.host-dynamic-executable /bin/true
  tender_expect_error kernel.missing "$tmp/does-not-exist"
  tender_expect_error kernel.directory "$tmp"
}

tender_bad_options() {
  local guest=$1 libc_guest=$2
  tender_expect_error opts.unknown-option --frobnicate "$guest" ok
  tender_expect_error opts.mem-garbage --mem lots "$guest" ok
  tender_expect_error opts.mem-too-small --mem 4K "$guest" ok
  tender_expect_error opts.mem-missing-value --mem
  tender_expect_error opts.missing-kernel --mem 8M
  tender_expect_error opts.no-arguments
  tender_expect_error opts.bad-mac --net t0,zz:00:00:00:00:00 "$guest" ok
  tender_expect_error opts.multicast-mac --net t0,01:00:5e:00:00:01 "$guest" ok
  tender_expect_error opts.tap-name-too-long --net abcdefghijklmnopqrstu "$guest" ok
  tender_expect_error opts.too-many-nics --net a --net b --net c --net d --net e "$guest" ok
  tender_expect_error opts.archive-missing --archive "$tmp/no-archive" "$guest" ok
  run_tender --mem 8M "$guest" ok
  [ "$rc" = 3 ] && pass opts.mem-with-suffix || fail opts.mem-with-suffix "exit $rc: $err"
  run_tender --archive "$tmp/empty" -- "$guest" ok
  [ "$rc" = 3 ] && pass opts.empty-archive-and-double-dash || fail opts.empty-archive-and-double-dash "exit $rc: $err"
  run_tender --archive="$tmp/random" --mem=2M "$guest" ok
  [ "$rc" = 3 ] && pass opts.archive-and-equals-forms || fail opts.archive-and-equals-forms "exit $rc: $err"
  # The whole guest command line as one word, as the runtime passes it.
  run_tender "$libc_guest" 'unf.name=guest_libc -- one "two words" three'
  grep -q '^PASS start.argv-from-cmdline' "$tmp/out" && pass opts.cmdline-as-one-word \
    || fail opts.cmdline-as-one-word "$(grep -m1 argv "$tmp/out")"
}
