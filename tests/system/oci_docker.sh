#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# unf-oci under docker: a dockerd of this test (its own socket, `--add-runtime unf=unf-oci`, the
# same as daemon.json "runtimes") runs the echo image imported from the .unf; `docker run
# --runtime unf` answers ping and UDP echo on the container address (docker's network is set up
# by its prestart hook, which unf-oci runs before wiring the guest), `docker logs` shows the
# console, `docker stop` ends it within 2 s, and 5 run/stop/rm cycles leave nothing behind.
# SKIPs when docker is not installed or its daemon cannot start here; a dockerd already running
# is left alone (SKIP) rather than disturbed.
set -u
cd "$(dirname "$0")/../.."
oci=$PWD/build/bin/unf-oci
tmp=$(mktemp -d /tmp/unf-oci-docker.XXXXXX)
sock=/run/unf-oci-test-docker.sock
pidfile=/run/unf-oci-test-docker.pid
pass() { echo "PASS oci_docker.$1${2:+ ($2)}"; }
fail() { echo "FAIL oci_docker.$1: $2"; }
skip() { echo "SKIP oci_docker.daemon: $1"; rm -rf "$tmp"; exit 0; }
D=(/usr/bin/docker -H "unix://$sock")
img=unf-echo-oci$$:latest
daemon=

cleanup() {
  for c in $("${D[@]}" ps -aq --filter "name=unfoci$$" 2>/dev/null); do "${D[@]}" rm -f "$c" >/dev/null 2>&1; done
  "${D[@]}" rmi -f "$img" >/dev/null 2>&1
  if [ -n "$daemon" ]; then
    kill "$daemon" 2>/dev/null
    for i in $(seq 1 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

[ -x "$oci" ] || { fail build "$oci missing"; exit 0; }
command -v dockerd >/dev/null && [ -x /usr/bin/docker ] || skip "docker.io is not installed (scripts/setup installs it)"
[ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null && skip "a dockerd not started by this test is running"
dockerd -H "unix://$sock" --pidfile "$pidfile" --add-runtime "unf=$oci" >"$tmp/dockerd.log" 2>&1 &
daemon=$!
for i in $(seq 1 100); do "${D[@]}" info >/dev/null 2>&1 && break; kill -0 $daemon 2>/dev/null || break; sleep 0.2; done
"${D[@]}" info 2>/dev/null | grep -q "Runtimes:.*unf" || skip "dockerd cannot start here: $(grep -i -m1 -e error -e fatal "$tmp/dockerd.log" | head -c 200)"
pass dockerd-with-runtime "$("${D[@]}" version -f '{{.Server.Version}}' 2>/dev/null)"

if "${D[@]}" import --change 'ENTRYPOINT ["echo"]' build/images/echo.unf "$img" >/dev/null 2>"$tmp/err"; then
  pass import
else
  fail import "$(head -c 200 "$tmp/err")"; exit 0
fi
state() { # what a container could leave behind
  ls /run/docker/runtime-runc/moby 2>/dev/null; ls /run/unf-oci 2>/dev/null
  pgrep -a -f 'runtime-runc/moby' | grep -v pgrep | awk '{print $2}' | grep -v '^\['
  find /sys/fs/cgroup -maxdepth 3 -type d -path '*/docker/*' 2>/dev/null
  ip -o link | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^veth'
}
before=$(state)
c=unfoci$$-e
t0=$(date +%s%N)
if "${D[@]}" run -d --runtime unf --name "$c" "$img" --port 7 >/dev/null 2>"$tmp/err"; then
  ip=$("${D[@]}" inspect -f '{{.NetworkSettings.IPAddress}}' "$c")
  for i in $(seq 1 200); do ping -c 1 -W 1 "$ip" >/dev/null 2>&1 && break; sleep 0.01; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  ping -c 1 -W 1 "$ip" >/dev/null 2>&1 && pass docker-run-ping "docker run to first ping answer: $ms ms" || fail docker-run-ping "no answer from '$ip'"
  r=$(echo docker-oci | timeout 3 socat -T 2 - "UDP:$ip:7" 2>/dev/null)
  [ "$r" = docker-oci ] && pass docker-udp-echo || fail docker-udp-echo "got '$r'"
  "${D[@]}" ps --format '{{.Names}} {{.Status}}' | grep -q "^$c Up" && pass docker-ps-running || fail docker-ps-running "$("${D[@]}" ps -a --format '{{.Names}} {{.Status}}')"
  "${D[@]}" logs "$c" 2>&1 | grep -q "echo: listening on $ip port 7" && pass docker-logs-console || fail docker-logs-console "$("${D[@]}" logs "$c" 2>&1 | head -c 200)"
  t0=$(date +%s%N)
  "${D[@]}" stop -t 10 "$c" >/dev/null 2>"$tmp/err"
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$ms" -lt 2000 ] && pass docker-stop "$ms ms" || fail docker-stop "$ms ms $(cat "$tmp/err")"
  "${D[@]}" rm "$c" >/dev/null 2>"$tmp/err" && pass docker-rm || fail docker-rm "$(cat "$tmp/err")"
else
  fail docker-run-ping "$(head -c 300 "$tmp/err")"
fi
bad=0
for i in 1 2 3 4 5; do
  { "${D[@]}" run -d --runtime unf --name "unfoci$$-c$i" "$img" >/dev/null && "${D[@]}" stop -t 5 "unfoci$$-c$i" >/dev/null &&
    "${D[@]}" rm "unfoci$$-c$i" >/dev/null; } 2>>"$tmp/cycles" || bad=$((bad + 1))
done
[ $bad = 0 ] && pass docker-5-cycles || fail docker-5-cycles "$bad failed: $(head -c 200 "$tmp/cycles")"
for i in $(seq 1 30); do after=$(state); [ "$after" = "$before" ] && break; sleep 0.1; done
[ "$after" = "$before" ] && pass docker-leaves-nothing || fail docker-leaves-nothing "$(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ' ')"
