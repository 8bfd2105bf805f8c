#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# unf images through a registry: `unf-oci oci-image` writes an OCI image index with one manifest
# per kernel (checked: every kernel of the image listed, amd64/arm64 from the kernel's arch,
# os.features unf.PLATFORM, org.unf.platform/arch), for the echo image with an aarch64 kernel
# (the build's, else a patched copy of the x86_64 one). A docker-registry (Debian's package) of this test's own, on 127.0.0.1 and a free
# port with a temporary config and storage (never the system service), receives it with
# `skopeo copy --all`; `skopeo inspect` shows the platform and the org.unf.* annotations;
# `podman pull` takes the amd64 manifest (and `--arch arm64` the arm64 one); `podman --runtime
# unf-oci run` of the pulled image answers UDP echo on the container address, and removing it
# leaves no state. SKIPs when docker-registry, skopeo or podman are missing or cannot start.
set -u
cd "$(dirname "$0")/../.."
oci=$PWD/build/bin/unf-oci
tmp=$(mktemp -d /tmp/unf-oci-registry.XXXXXX)
pass() { echo "PASS oci_registry.$1${2:+ ($2)}"; }
fail() { echo "FAIL oci_registry.$1: $2"; }
reg=
img=
c=unfocireg$$

cleanup() {
  podman rm -f -t 0 "$c" >/dev/null 2>&1
  [ -n "$img" ] && podman rmi -f "$img" >/dev/null 2>&1
  if [ -n "$reg" ]; then
    kill "$reg" 2>/dev/null
    for i in $(seq 1 50); do kill -0 "$reg" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$reg" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
skip() { echo "SKIP oci_registry.$1: $2"; exit 0; }

[ -x "$oci" ] || { fail build "$oci missing (make -j2 all)"; exit 0; }
for t in docker-registry skopeo podman jq socat; do
  command -v "$t" >/dev/null || skip registry "$t is not installed: scripts/setup installs it"
done

# --- an echo image with an aarch64 kernel: the build's, or (when the build has none) the x86_64
# virtio kernel with e_machine patched, listed and pulled but never run -----------------------
src=${UNF_OCI_ECHO_IMAGE:-build/images/echo.unf}  # another echo .unf (e.g. without an aarch64 kernel)
mkdir -p "$tmp/multi" && tar xf "$src" -C "$tmp/multi" ||
  { fail multi-image "cannot unpack $src"; exit 0; }
if jq -e '.kernels | map(.arch) | index("aarch64")' "$tmp/multi/manifest.json" >/dev/null; then
  cp "$src" "$tmp/multi.unf"; arm="the build's aarch64 kernel"
else
  arm="a patched copy of the x86_64 virtio kernel"
  cp "$tmp/multi/kernels/x86_64-virtio" "$tmp/multi/kernels/aarch64-virtio" &&
    printf '\267' | dd of="$tmp/multi/kernels/aarch64-virtio" bs=1 seek=18 conv=notrunc 2>/dev/null &&
    sum=$(sha256sum "$tmp/multi/kernels/aarch64-virtio" | cut -d' ' -f1) &&
    jq --arg s "$sum" '.kernels += [{"arch": "aarch64", "platform": "virtio", "path": "kernels/aarch64-virtio", "sha256": $s}]' \
      "$tmp/multi/manifest.json" > "$tmp/m.json" && mv "$tmp/m.json" "$tmp/multi/manifest.json" &&
    (cd "$tmp/multi" && tar --format=ustar -cf "$tmp/multi.unf" manifest.json $(ls -d kernels files 2>/dev/null)) ||
    { fail multi-image "cannot build the multi-arch echo image"; exit 0; }
fi
pass multi-arch-image "$arm"
kernels=$(jq -r '[.kernels[] | "\(.arch)-\(.platform)"] | join(",")' "$tmp/multi/manifest.json")

# --- the index ---------------------------------------------------------------------------------
if ! "$oci" oci-image --tag multi "$tmp/multi.unf" "$tmp/layout" 2>"$tmp/err"; then
  fail oci-image-index "$(cat "$tmp/err")"; exit 0
fi
blob() { cat "$tmp/layout/blobs/sha256/${1#sha256:}"; }
top=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "multi") | .digest' "$tmp/layout/index.json")
idx=$(blob "$top" 2>/dev/null)
[ "$(echo "$idx" | jq -r .mediaType)" = application/vnd.oci.image.index.v1+json ] && pass index-is-image-index || fail index-is-image-index "$(echo "$idx" | head -c 200)"
want=$(jq -r '.kernels[] | "\(.arch)-\(.platform)"' "$tmp/multi/manifest.json" | sort | tr '\n' ' ')
got=$(echo "$idx" | jq -r '.manifests[] | "\(.annotations["org.unf.arch"])-\(.annotations["org.unf.platform"])"' | sort | tr '\n' ' ')
[ -n "$want" ] && [ "$got" = "$want" ] && pass index-lists-every-kernel "$got" || fail index-lists-every-kernel "index '$got', image '$want'"
plat=$(echo "$idx" | jq -r '.manifests[] | "\(.annotations["org.unf.arch"])-\(.annotations["org.unf.platform"]):\(.platform.architecture)/\(.platform.os)/\(.platform["os.features"] | join(","))"' | sort | tr '\n' ' ')
wantplat=$(jq -r '.kernels[] | "\(.arch)-\(.platform):\({"x86_64": "amd64", "aarch64": "arm64"}[.arch])/linux/unf.\(.platform)"' "$tmp/multi/manifest.json" | sort | tr '\n' ' ')
[ "$plat" = "$wantplat" ] && echo "$plat" | grep -q arm64/ && echo "$plat" | grep -q amd64/ \
  && pass index-platforms "$plat" || fail index-platforms "$plat"
bad=0
for d in $(echo "$idx" | jq -r '.manifests[].digest'); do
  m=$(blob "$d"); a=$(echo "$idx" | jq -r --arg d "$d" '.manifests[] | select(.digest == $d) | .platform.architecture')
  [ "$(blob "$(echo "$m" | jq -r .config.digest)" | jq -r .architecture)" = "$a" ] &&
    [ "$(echo "$m" | jq -r '.layers | length')" = 1 ] &&
    [ "$(echo "$m" | jq -r '.layers[0].digest')" = "sha256:$(sha256sum "$tmp/multi.unf" | cut -d' ' -f1)" ] || bad=$((bad + 1))
done
[ $bad = 0 ] && pass manifests-config-arch-and-layer "each config's architecture = its entry's; one layer, the .unf" || fail manifests-config-arch-and-layer "$bad wrong"
"$oci" oci-image --tag multi "$tmp/multi.unf" "$tmp/layout2" && cmp -s "$tmp/layout/index.json" "$tmp/layout2/index.json" \
  && pass index-reproducible || fail index-reproducible "index.json differs between two runs"

# --- the registry: ours, on loopback -----------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$tmp/storage"
cat > "$tmp/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $tmp/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
docker-registry serve "$tmp/registry.yml" >"$tmp/registry.log" 2>&1 &
reg=$!
up=
for i in $(seq 1 100); do
  [ "$(curl -s -m 1 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/")" = 200 ] && { up=1; break; }
  kill -0 "$reg" 2>/dev/null || break
  sleep 0.05
done
[ -n "$up" ] || skip registry "docker-registry did not start on 127.0.0.1:$port: $(tail -c 200 "$tmp/registry.log" | tr '\n' ' ')"
pass registry-up "127.0.0.1:$port, pid $reg"

ref=127.0.0.1:$port/unf/echo:multi
t0=$(date +%s%N)
if skopeo copy -q --all --dest-tls-verify=false "oci:$tmp/layout:multi" "docker://$ref" >/dev/null 2>"$tmp/err"; then
  pass skopeo-copy-to-registry "$(( ($(date +%s%N) - t0) / 1000000 )) ms"
else
  fail skopeo-copy-to-registry "$(head -c 300 "$tmp/err")"; exit 0
fi
raw=$(skopeo inspect --raw --tls-verify=false "docker://$ref" 2>"$tmp/err")
n=$(echo "$raw" | jq -r '[.manifests[] | select(.annotations["org.unf.platform"] != null and .annotations["org.unf.arch"] != null)] | length' 2>/dev/null)
nk=$(jq '.kernels | length' "$tmp/multi/manifest.json")
[ "$(echo "$raw" | jq -r .mediaType 2>/dev/null)" = application/vnd.oci.image.index.v1+json ] && [ "$n" = "$nk" ] &&
  [ "$(echo "$raw" | jq -r '.annotations["org.unf.name"]')" = echo ] \
  && pass skopeo-inspect-raw-index "$n manifests with org.unf.platform/arch" || fail skopeo-inspect-raw-index "$(echo "$raw" | head -c 300) $(cat "$tmp/err")"
ins=$(skopeo inspect --tls-verify=false "docker://$ref" 2>"$tmp/err")
[ "$(echo "$ins" | jq -r '"\(.Os)/\(.Architecture) \(.Labels["org.unf.name"]) \(.Labels["org.unf.kernels"])"' 2>/dev/null)" = \
  "linux/amd64 echo $kernels" ] \
  && pass skopeo-inspect "$(echo "$ins" | jq -c '{Os, Architecture, Labels}')" || fail skopeo-inspect "$(echo "$ins" | head -c 300) $(cat "$tmp/err")"

# --- podman pull and run ---------------------------------------------------------------------
img=$ref
t0=$(date +%s%N)
if podman pull -q --tls-verify=false "$ref" >/dev/null 2>"$tmp/err"; then
  pass podman-pull "$(( ($(date +%s%N) - t0) / 1000000 )) ms"
else
  fail podman-pull "$(head -c 300 "$tmp/err")"; exit 0
fi
pi=$(podman image inspect "$ref" | jq -r '.[0] | "\(.Os)/\(.Architecture) \(.Annotations["org.unf.kernel"])"')
case $pi in "linux/amd64 x86_64-"*) pass podman-pulled-amd64-entry "$pi";; *) fail podman-pulled-amd64-entry "$pi";; esac
t0=$(date +%s%N)
if podman --runtime "$oci" run -d --name "$c" "$ref" --port 7 >/dev/null 2>"$tmp/err"; then
  cip=$(podman inspect -f '{{.NetworkSettings.IPAddress}}' "$c")
  r=
  for i in $(seq 1 60); do r=$(echo via-registry | timeout 2 socat -T 0.5 - "UDP:$cip:7" 2>/dev/null); [ -n "$r" ] && break; sleep 0.05; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$r" = via-registry ] && pass podman-run-pulled-udp-echo "$cip, podman run to first echo $ms ms" || fail podman-run-pulled-udp-echo "got '$r' from '$cip'"
  gpid=$(podman inspect -f '{{.State.Pid}}' "$c")
  [ "$(cat "/proc/$gpid/comm" 2>/dev/null)" = unf-proc ] && pass runtime-chose-proc "the auto choice on this host" || fail runtime-chose-proc "pid $gpid: $(cat "/proc/$gpid/comm" 2>&1)"
  id=$(podman inspect -f '{{.Id}}' "$c")
  podman rm -f -t 1 "$c" >/dev/null 2>"$tmp/err" && [ ! -e "/run/unf-oci/$id" ] && pass podman-rm-leaves-no-state || fail podman-rm-leaves-no-state "$(cat "$tmp/err")"
else
  fail podman-run-pulled-udp-echo "$(head -c 300 "$tmp/err")"
fi
if podman pull -q --arch arm64 --tls-verify=false "$ref" >/dev/null 2>"$tmp/err"; then
  pi=$(podman image inspect "$ref" | jq -r '.[0] | "\(.Os)/\(.Architecture) \(.Annotations["org.unf.kernel"])"')
  [ "$pi" = "linux/arm64 aarch64-virtio" ] && pass podman-pull-arch-arm64 "$pi" || fail podman-pull-arch-arm64 "$pi"
else
  fail podman-pull-arch-arm64 "$(head -c 300 "$tmp/err")"
fi
