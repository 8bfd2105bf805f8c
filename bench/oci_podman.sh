#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# OCI under podman, the issue's targets: `podman run -d` to the first UDP echo answer for
# (a) the echo image (written by `unf-oci oci-image`) under `podman --runtime unf-oci` (the
# runtime's automatic platform choice) and (b) the project's static build/native/echo (the same
# app built for Linux) in a scratch image under `podman --runtime runc`: both on podman's default
# bridge network (netavark) with a fixed address per run, probed from the host by one UDP socket
# sending every 2 ms; runs interleaved (unf, runc, runc, unf, ...). Reports median/p95/min/max of
# each, the ratio of medians and the verdict against 1.2x; the idle PSS of one instance of each
# (the container cgroup's processes: for unf the tender, for runc the echo process) and of its
# conmon, listed apart; then N podman create/start/kill/wait/rm cycles of the unf image and what
# they left (netns, veths, taps, ingress qdiscs, libpod cgroups, /run/unf-oci, processes).
# Writes build/bench/oci-podman-STAMP.md. Bounded: --runs (10) per variant, --cycles (100), each
# run at most 10 s. Usage: bench/oci_podman.sh [--runs N] [--cycles N]
set -u
cd "$(dirname "$0")/.."
runs=10
cycles=100
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2;;
    --cycles) cycles=$2; shift 2;;
    *) echo "usage: bench/oci_podman.sh [--runs N] [--cycles N]" >&2; exit 2;;
  esac
done
case "$runs$cycles" in *[!0-9]*) echo "bench/oci_podman.sh: --runs and --cycles take numbers" >&2; exit 2;; esac
[ "$runs" -ge 1 ] && [ "$runs" -le 200 ] && [ "$cycles" -le 1000 ] || { echo "bench/oci_podman.sh: --runs 1..200, --cycles 0..1000" >&2; exit 2; }

oci=$PWD/build/bin/unf-oci
runc=$(command -v runc)
for t in podman skopeo python3 jq "$oci" build/native/echo build/images/echo.unf; do
  [ -e "$t" ] || command -v "$t" >/dev/null || { echo "bench/oci_podman.sh: $t missing (scripts/setup; make -j2 all)" >&2; exit 1; }
done
[ -n "$runc" ] || { echo "bench/oci_podman.sh: runc missing (scripts/setup)" >&2; exit 1; }
stamp=$(date -u +%Y%m%d-%H%M%S)
mkdir -p build/bench
out=build/bench/oci-podman-$stamp.md
tmp=$(mktemp -d /tmp/unf-bench-oci.XXXXXX)
tag=$$
unf_img=localhost/unf-bench-echo$tag:latest
runc_img=localhost/unf-bench-native-echo$tag:latest
pfx=unfbench$tag
# The same limits for both: podman's default RLIMIT_NOFILE/NPROC are above this sandbox's hard
# limits and runc, without CAP_SYS_RESOURCE here, cannot set them (unf-oci ignores rlimits).
ULIM=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)

cleanup() {
  for c in $(podman ps -a --format '{{.Names}}' 2>/dev/null | grep "^$pfx"); do podman rm -f -t 0 "$c" >/dev/null 2>&1; done
  podman rmi -f "$unf_img" "$runc_img" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- the two images ----------------------------------------------------------------------------
"$oci" oci-image build/images/echo.unf "$tmp/layout" &&
  skopeo copy -q "oci:$tmp/layout:latest" "containers-storage:$unf_img" >/dev/null 2>&1 ||
  { echo "bench/oci_podman.sh: cannot make the unf image" >&2; exit 1; }
mkdir -p "$tmp/scratch" && cp build/native/echo "$tmp/scratch/echo" &&
  tar -C "$tmp/scratch" -cf - echo | podman import -q --change 'ENTRYPOINT ["/echo"]' - "$runc_img" >/dev/null ||
  { echo "bench/oci_podman.sh: cannot make the native echo image" >&2; exit 1; }

# probe IP CMD...: runs CMD (podman run -d), then sends UDP to IP:7 every 2 ms until the echo
# comes back; prints "RUN_MS FIRST_MS" (both from before CMD) or "ERR reason".
probe() {
  python3 - "$@" <<'EOF'
import select, socket, subprocess, sys, time
ip, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
t_run = time.monotonic() - t0
if r.returncode != 0:
    print("ERR", r.stderr.decode(errors="replace")[:200].replace("\n", " "))
    sys.exit(0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
msg = b"unf-bench-oci"
while time.monotonic() - t0 < 10.0:
    try:
        s.sendto(msg, (ip, 7))
    except OSError:
        pass
    end = time.monotonic() + 0.002
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        try:
            data = s.recv(256)
        except OSError:
            continue
        if data == msg:
            print("%.2f %.2f" % (t_run * 1000, (time.monotonic() - t0) * 1000))
            sys.exit(0)
print("ERR no echo within 10 s")
EOF
}

# --- run to first echo, interleaved --------------------------------------------------------------
: > "$tmp/unf.ms"; : > "$tmp/runc.ms"; : > "$tmp/unf.run"; : > "$tmp/runc.run"; errs=
one() { # VARIANT N
  local v=$1 n=$2 ip=10.88.213.$(( ($2 % 200) + 10 )) name=$pfx-$1-$2 r
  if [ "$v" = unf ]; then
    r=$(probe "$ip" podman --runtime "$oci" run -d "${ULIM[@]}" --name "$name" --ip "$ip" "$unf_img" --port 7)
  else
    r=$(probe "$ip" podman --runtime "$runc" run -d "${ULIM[@]}" --name "$name" --ip "$ip" "$runc_img" --port 7)
  fi
  case $r in
    ERR*) errs="$errs $v#$n: ${r#ERR }";;
    *) echo "${r#* }" >> "$tmp/$v.ms"; echo "${r%% *}" >> "$tmp/$v.run";;
  esac
  podman rm -f -t 0 "$name" >/dev/null 2>&1
}
echo "bench/oci_podman.sh: $runs runs per variant" >&2
for i in $(seq 1 "$runs"); do
  if [ $((i % 2)) = 1 ]; then one unf "$i"; one runc "$i"; else one runc "$i"; one unf "$i"; fi
done
stats() { # FILE -> "n median p95 min max" (nearest rank)
  sort -n "$1" | awk '{v[NR] = $1} END {
    if (NR == 0) { print "0 - - - -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    p = int(0.95 * NR + 0.999); if (p < 1) p = 1; if (p > NR) p = NR
    printf "%d %.1f %.1f %.1f %.1f\n", NR, m, v[p], v[1], v[NR] }'
}
read -r un umed up95 umin umax < <(stats "$tmp/unf.ms")
read -r rn rmed rp95 rmin rmax < <(stats "$tmp/runc.ms")
read -r _ urun _ _ _ < <(stats "$tmp/unf.run")
read -r _ rrun _ _ _ < <(stats "$tmp/runc.run")
ratio=-; verdict="no verdict (a variant has no sample)"
if [ "$un" -gt 0 ] && [ "$rn" -gt 0 ]; then
  ratio=$(awk -v a="$umed" -v b="$rmed" 'BEGIN {printf "%.2f", a / b}')
  verdict=$(awk -v r="$ratio" 'BEGIN {print (r <= 1.2) ? "MET (<= 1.2x)" : "MISSED (> 1.2x)"}')
fi

# --- idle PSS of one instance of each -----------------------------------------------------------
pss() { # PIDS... -> kB
  local t=0 p v
  for p in "$@"; do v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null); t=$((t + ${v:-0})); done
  echo "$t"
}
cgroup_procs() { # PID -> the pids of its (memory) cgroup
  local path
  path=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' "/proc/$1/cgroup")
  if [ -n "$path" ]; then cat "/sys/fs/cgroup/memory$path/cgroup.procs"
  else path=$(awk -F: '$1 == "0" {print $3}' "/proc/$1/cgroup"); cat "/sys/fs/cgroup$path/cgroup.procs"; fi
}
pss_row() { # VARIANT RUNTIME IMAGE -> "| variant | processes | pss | conmon pss |"
  local v=$1 rt=$2 im=$3 name=$pfx-pss-${2##*/} pid cpid procs comms
  if ! podman --runtime "$rt" run -d "${ULIM[@]}" --name "$name" --ip 10.88.213.250 "$im" --port 7 >/dev/null 2>"$tmp/pss.err"; then
    echo "| $v | (podman run failed: $(head -c 200 "$tmp/pss.err" | tr '\n|' '  ')) | - | - |"; return
  fi
  sleep 2
  pid=$(podman inspect -f '{{.State.Pid}}' "$name"); cpid=$(podman inspect -f '{{.State.ConmonPid}}' "$name")
  procs=$(cgroup_procs "$pid" 2>/dev/null | tr '\n' ' ')
  comms=$(for p in $procs; do cat "/proc/$p/comm"; done 2>/dev/null | sort | uniq -c | awk '{printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1}')
  echo "| $v | $comms | $(pss $procs) | $(pss "$cpid") |"
  [ "$v" = "${v#unf}" ] || echo "$(cat "/proc/$pid/comm")" > "$tmp/plat"
  podman rm -f -t 0 "$name" >/dev/null 2>&1
}
pss_unf=$(pss_row "unf-oci (echo image, proc)" "$oci" "$unf_img")
plat=$(cat "$tmp/plat" 2>/dev/null); case $plat in unf-proc) plat="proc (unf-proc)";; unf-hvt) plat="hvt (unf-hvt)";; qemu*) plat="virtio (QEMU)";; *) plat="unknown";; esac
pss_runc=$(pss_row "runc (native echo, scratch)" "$runc" "$runc_img")

# --- create/start/kill/rm cycles, leak check -----------------------------------------------------
snapshot() {
  echo "# netns"; ip netns list 2>/dev/null | awk '{print $1}' | grep '^netns-' | sort
  echo "# links"; ip -o link 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -e '^veth' -e '^tap' | sort
  echo "# qdiscs"; tc qdisc show 2>/dev/null | grep ingress | awk '{print $5}' | grep -e '^veth' -e '^tap' | sort
  echo "# cgroups"; find /sys/fs/cgroup -maxdepth 4 -type d -name 'libpod-*' 2>/dev/null | sort
  echo "# state"; ls -1 /run/unf-oci 2>/dev/null | sort
  echo "# processes"; pgrep -a -f 'conmon|unf-oci|unf-proc' 2>/dev/null | grep -v -e pgrep -e oci_podman.sh | awk '{print $2}' | sort
}
before=$(snapshot)
bad=0; t0=$(date +%s%N)
echo "bench/oci_podman.sh: $cycles cycles" >&2
for i in $(seq 1 "$cycles"); do
  n=$pfx-c$i
  { podman --runtime "$oci" create --name "$n" "$unf_img" >/dev/null && podman start "$n" >/dev/null &&
    podman kill "$n" >/dev/null && podman wait "$n" >/dev/null && podman rm "$n" >/dev/null; } 2>>"$tmp/cycles.err" || bad=$((bad + 1))
done
cyc_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
left=
for i in $(seq 1 50); do # conmon is reaped a moment after it ends
  left=$(diff <(echo "$before") <(snapshot) | grep '^[<>]'); [ -z "$left" ] && break; sleep 0.1
done

# --- the report ----------------------------------------------------------------------------------
{
  echo "# OCI under podman — $stamp"
  echo
  echo "Machine: $(nproc) cores, $(uname -r), $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//');" \
       "/dev/kvm $([ -e /dev/kvm ] && echo present || echo absent); the platform unf-oci chose (auto): $plat."
  echo "Both variants: \`${ULIM[*]}\` (podman's defaults exceed this sandbox's hard limits; runc cannot raise them without CAP_SYS_RESOURCE)."
  echo "podman $(podman version --format '{{.Client.Version}}'), $(runc --version | head -1), conmon $(conmon --version 2>/dev/null | head -1 | awk '{print $3}'), network: podman's default bridge (netavark), fixed --ip per run."
  echo
  echo "## podman run -d to the first UDP echo answer ($runs runs each, interleaved)"
  echo
  echo "| variant | n | median ms | p95 ms | min ms | max ms | podman run returns (median ms) |"
  echo "|---|---|---|---|---|---|---|"
  echo "| unf-oci: echo image (auto platform: proc) | $un | $umed | $up95 | $umin | $umax | $urun |"
  echo "| runc: build/native/echo (static) in a scratch image | $rn | $rmed | $rp95 | $rmin | $rmax | $rrun |"
  echo
  echo "Ratio of medians unf/runc: **$ratio** — target 1.2x: **$verdict**."
  [ -n "$errs" ] && echo && echo "Failed runs:$errs"
  echo
  echo "## Idle memory, one instance each (PSS after 2 s, kB)"
  echo
  echo "| variant | container processes | PSS of the container's processes | conmon PSS |"
  echo "|---|---|---|---|"
  echo "$pss_unf"
  echo "$pss_runc"
  echo
  echo "## $cycles podman create/start/kill/wait/rm cycles of the unf image"
  echo
  echo "$((cycles - bad))/$cycles succeeded in $cyc_ms ms ($(( cyc_ms / (cycles > 0 ? cycles : 1) )) ms per cycle)."
  if [ -z "$left" ]; then
    echo "Left behind: nothing (netns, veth/tap links, ingress qdiscs, libpod cgroups, /run/unf-oci, conmon/unf-oci/unf-proc processes compared before/after)."
  else
    echo "Left behind:"; echo; echo '```'; echo "$left"; echo '```'
  fi
  [ "$bad" -gt 0 ] && { echo; echo "First errors: $(head -c 300 "$tmp/cycles.err" | tr '\n' ' ')"; }
} > "$out"
cat "$out"
echo "bench/oci_podman.sh: wrote $out" >&2
[ "$bad" = 0 ] && [ -z "$left" ] && [ -z "$errs" ]
