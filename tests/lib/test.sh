# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the system tests (tests/system/*.sh): what each of them used to write for itself.
#   test_name NAME           the prefix of this script's result lines (NAME.check)
#   pass CHECK [DETAIL]      "PASS NAME.CHECK" or "PASS NAME.CHECK (DETAIL)"
#   fail CHECK WHY           "FAIL NAME.CHECK: WHY"
#   skip CHECK WHY           "SKIP NAME.CHECK: WHY"
#   info TEXT                "INFO NAME.TEXT"
#   check CHECK RC WHY       pass when RC is 0, else fail with WHY
#   on_exit COMMAND...       run COMMAND (eval'd) when the script exits, last registered first
#   rm_instances PREFIX      removes every unf instance whose name starts with PREFIX
#   ns_add NS                a network namespace with lo up, deleted (with its processes) on exit
#   ns_veth NS HOSTDEV HOSTCIDR NSCIDR   a veth pair: HOSTDEV on the host, eth0 in NS, both up
#   ns_link NS1 DEV1 NS2 DEV2   a veth pair between two namespaces (down, no address)
#   kvm_usable               true when `unf info` says /dev/kvm answers
# tests/run counts the PASS/FAIL/SKIP lines; INFO lines are for the reader.

TEST_NAME=${TEST_NAME:-test}
test_name() { TEST_NAME=$1; }

pass() { if [ $# -ge 2 ]; then echo "PASS $TEST_NAME.$1 ($2)"; else echo "PASS $TEST_NAME.$1"; fi; }
fail() { echo "FAIL $TEST_NAME.$1: $2"; }
skip() { echo "SKIP $TEST_NAME.$1: $2"; }
info() { echo "INFO $TEST_NAME.$1"; }
check() { # name, condition result (0 = pass), detail
  if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi
}

# The cleanup registry: one EXIT trap for everything the script created, in reverse order.
_test_cleanups=()
on_exit() { _test_cleanups+=("$*"); }
_test_run_cleanups() {
  local i
  for ((i = ${#_test_cleanups[@]} - 1; i >= 0; i--)); do eval "${_test_cleanups[i]}"; done
}
trap _test_run_cleanups EXIT

rm_instances() {
  local n
  for n in $(build/bin/unf ps -a 2>/dev/null | awk 'NR>1 {print $1}' | grep "^$1"); do
    build/bin/unf rm -f "$n" >/dev/null 2>&1
  done
}

ns_del() {
  ip netns pids "$1" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$1" 2>/dev/null
}

ns_add() {
  on_exit ns_del "$1"
  ip netns add "$1" && ip -n "$1" link set lo up
}

ns_veth() {
  on_exit "ip link del $2 2>/dev/null"
  ip link add "$2" type veth peer name eth0 netns "$1" &&
    ip addr add "$3" dev "$2" && ip link set "$2" up &&
    ip -n "$1" addr add "$4" dev eth0 && ip -n "$1" link set eth0 up
}

# Created under temporary names in the host and renamed in place, so DEV1 may equal DEV2.
_ns_link_seq=0
ns_link() {
  _ns_link_seq=$((_ns_link_seq + 1))
  local a=tl$$-$_ns_link_seq b=tm$$-$_ns_link_seq
  ip link add "$a" netns "$1" type veth peer name "$b" netns "$3" || return 1
  ip -n "$1" link set "$a" name "$2" && ip -n "$3" link set "$b" name "$4"
}

kvm_usable() { [ "$(build/bin/unf info 2>/dev/null | jq -r .kvm.usable)" = true ]; }
