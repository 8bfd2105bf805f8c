#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `unf testbed`: a topology file becomes namespaces, links and running unikernels; `testbed run`
# joins a host's segment with a foreground unikernel whose exit status comes back; `down`
# leaves nothing behind; bad topology files get one line on stderr and create nothing.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name testbed
. tests/lib/host_state.sh
unf=build/bin/unf
tmp=$(mktemp -d /tmp/unf-tb.XXXXXX)
tb=tb$$
tb=${tb:0:12}
on_exit 'rm -rf "$tmp"'
on_exit '$unf testbed down "$tb" >/dev/null 2>&1'
before=$(host_state)

cat > "$tmp/ok.json" <<JSON
{"name": "$tb",
 "nodes": [
   {"name": "vp", "host": {"addr": "10.77.0.1/24"}},
   {"name": "e1", "image": "build/images/echo.unf", "args": ["unf.ip0=10.77.0.2/24", "--", "--port", "7"]},
   {"name": "far", "host": {"addr": "10.77.1.1/24"}},
   {"name": "e2", "image": "build/images/echo.unf", "platform": "qemu", "mem": "4M", "args": ["unf.ip0=10.77.1.2/24"]}
 ],
 "links": [["vp", "e1:0"], ["far", "e2:0"]]}
JSON

if out=$($unf testbed up "$tmp/ok.json" 2>&1); then
  echo "PASS testbed.up ($out)"
  reply=$(echo -n tb | timeout 3 ip netns exec "unf-tb-$tb-vp" socat -T2 - UDP:10.77.0.2:7 2>&1)
  [ "$reply" = tb ] && echo "PASS testbed.node-answers" || echo "FAIL testbed.node-answers: got '$reply'"
  for _ in $(seq 1 30); do reply=$(echo -n tb2 | timeout 2 ip netns exec "unf-tb-$tb-far" socat -T1 - UDP:10.77.1.2:7 2>&1); [ "$reply" = tb2 ] && break; done
  [ "$reply" = tb2 ] && echo "PASS testbed.second-segment (a QEMU node)" || echo "FAIL testbed.second-segment: got '$reply'"
  ip netns exec "unf-tb-$tb-vp" ping -c1 -W1 10.77.1.2 >/dev/null 2>&1 \
    && echo "FAIL testbed.segments-isolated: vp reaches the other segment" || echo "PASS testbed.segments-isolated"
  expect_err=$($unf testbed up "$tmp/ok.json" 2>&1 >/dev/null); rc=$?
  [ $rc -ne 0 ] && [ "$(echo "$expect_err" | wc -l)" = 1 ] && echo "PASS testbed.already-up ($expect_err)" \
    || echo "FAIL testbed.already-up: status $rc: $expect_err"
  # A foreground unikernel on vp's segment; its exit status comes back.
  $unf testbed run "$tb" vp build/images/echo.unf --ip 10.77.0.3/24 -- --allow-exit >"$tmp/run.out" 2>&1 &
  runpid=$!
  for _ in $(seq 1 50); do ip netns exec "unf-tb-$tb-vp" ping -c1 -W1 10.77.0.3 >/dev/null 2>&1 && break; sleep 0.05; done
  echo -n "exit 9" | ip netns exec "unf-tb-$tb-vp" socat - UDP:10.77.0.3:7 2>/dev/null
  timeout 10 tail --pid=$runpid -f /dev/null; wait $runpid; rc=$?
  [ "$rc" = 9 ] && grep -q "listening on 10.77.0.3" "$tmp/run.out" && echo "PASS testbed.run-exit-status" \
    || echo "FAIL testbed.run-exit-status: status $rc, output $(head -c 200 "$tmp/run.out")"
  $unf testbed down "$tb" >/dev/null 2>&1 && echo "PASS testbed.down" || echo "FAIL testbed.down"
else
  echo "FAIL testbed.up: $out"
fi
leaks=$(host_state_diff "$before" "$(host_state)")
[ -z "$leaks" ] && [ ! -e "/run/unf-testbed/$tb" ] && echo "PASS testbed.nothing-left-behind" \
  || echo "FAIL testbed.nothing-left-behind: $(echo $leaks | head -c 300)"

# Bad topologies: one line on stderr, non-zero, nothing created.
bad() { # name json
  printf '%s' "$2" > "$tmp/bad.json"
  err=$($unf testbed up "$tmp/bad.json" 2>&1 >/dev/null); rc=$?
  if [ $rc -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && ! ls /run/unf-testbed 2>/dev/null | grep -q "^bad$"; then
    echo "PASS testbed.bad-$1 ($err)"
  else
    echo "FAIL testbed.bad-$1: status $rc, stderr '$err'"
  fi
}
bad not-json '{"name": "bad", '
bad unknown-key '{"name": "bad", "nodes": [{"name": "a", "host": {"addr": "10.1.0.1/24"}}], "links": [], "colour": 1}'
bad bad-name '{"name": "bad/x", "nodes": [], "links": []}'
bad no-nodes '{"name": "bad", "nodes": [], "links": []}'
bad bad-addr '{"name": "bad", "nodes": [{"name": "a", "host": {"addr": "10.1.0.300/24"}}], "links": [["a", "a"]]}'
bad dangling-link '{"name": "bad", "nodes": [{"name": "a", "host": {"addr": "10.1.0.1/24"}}], "links": [["a", "zz:0"]]}'
bad nic-gap '{"name": "bad", "nodes": [{"name": "a", "host": {"addr": "10.1.0.1/24"}}, {"name": "r", "image": "x.unf"}], "links": [["a", "r:1"]]}'
bad end-twice '{"name": "bad", "nodes": [{"name": "a", "host": {"addr": "10.1.0.1/24"}}, {"name": "r", "image": "x.unf"}], "links": [["a", "r:0"], ["a", "r:1"]]}'
bad missing-image '{"name": "bad", "nodes": [{"name": "a", "host": {"addr": "10.1.0.1/24"}}, {"name": "r", "image": "/nonexistent.unf"}], "links": [["a", "r:0"]]}'
leaks=$(host_state_diff "$before" "$(host_state)")
[ -z "$leaks" ] && echo "PASS testbed.bad-input-leaves-nothing" || echo "FAIL testbed.bad-input-leaves-nothing: $(echo $leaks | head -c 300)"
