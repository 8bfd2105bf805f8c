#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Images through the real CLI: `unf build` output is a deterministic ustar (manifest first, fixed
# owners and times) that `unf inspect` reads back; an Oakestra-layout tar (`kernel` + files/)
# opens; and every broken image (random bytes, truncated, garbage manifest, missing kernel,
# corrupt kernel, kernel for another architecture only) makes `unf run` and `unf inspect` fail
# with exactly one line on stderr and leave no instance behind.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name image
unf=build/bin/unf
kernel=build/kernels/echo/x86_64-proc
prefix=im$$
tmp=$(mktemp -d)

on_exit 'rm -rf "$tmp"'
on_exit rm_instances "$prefix"

if [ ! -x "$unf" ] || [ ! -f "$kernel" ]; then
  echo "FAIL image.prerequisites: need $unf and $kernel (make build/bin/unf $kernel)"
  exit 1
fi

# --- unf build / unf inspect ---------------------------------------------------------------
if out=$(timeout 60 $unf build apps/echo -o "$tmp/a.unf" 2>&1); then pass build
else fail build "$out"; fi
if json=$(timeout 30 $unf inspect "$tmp/a.unf" 2>&1) && [ "$(jq -r .name <<<"$json")" = echo ] \
   && [ "$(jq -r .layout <<<"$json")" = unf ] && [ "$(jq '.kernels | length' <<<"$json")" -ge 1 ] \
   && [ "$(jq -r .size <<<"$json")" = "$(stat -c %s "$tmp/a.unf")" ] \
   && [ "$(jq -r '.kernels[0].sha256' <<<"$json")" = "$(tar -xOf "$tmp/a.unf" "$(jq -r '.kernels[0].path' <<<"$json")" | sha256sum | cut -d' ' -f1)" ]
then pass inspect-reads-manifest
else fail inspect-reads-manifest "$(head -c 300 <<<"$json")"; fi

listing=$(tar -tvf "$tmp/a.unf" --numeric-owner --utc 2>&1)
first=$(tar -tf "$tmp/a.unf" 2>/dev/null | head -n1)
if [ "$first" = manifest.json ] && ! grep -qv ' 0/0 .* 1970-01-01 00:00 ' <<<"$listing"; then
  pass build-layout-manifest-first-owner-0-mtime-0
else fail build-layout-manifest-first-owner-0-mtime-0 "$(head -n3 <<<"$listing")"; fi

# The same inputs give the same bytes, whatever the files' times and the order they were made in.
timeout 60 $unf build apps/echo -o "$tmp/b.unf" >/dev/null 2>&1
cmp -s "$tmp/a.unf" "$tmp/b.unf" && pass build-deterministic || fail build-deterministic "two builds differ"
mkdir -p "$tmp/app1/echo" "$tmp/app2/echo"
for d in app1 app2; do cp apps/echo/app.json "$tmp/$d/echo/"; done
mkdir -p "$tmp/app1/echo/files/www" "$tmp/app2/echo/files/www"
echo hello > "$tmp/app1/echo/files/www/b.txt"; echo index > "$tmp/app1/echo/files/a.html"
echo index > "$tmp/app2/echo/files/a.html"; sleep 1; echo hello > "$tmp/app2/echo/files/www/b.txt"
touch -d @12345 "$tmp/app2/echo/files/a.html"
ok=1
for d in app1 app2; do
  timeout 60 $unf build "$tmp/$d/echo" --kernels build/kernels/echo -o "$tmp/$d.unf" >/dev/null 2>&1 || ok=0
done
[ $ok = 1 ] && cmp -s "$tmp/app1.unf" "$tmp/app2.unf" && pass build-deterministic-with-files \
  || fail build-deterministic-with-files "builds of equal trees differ (or failed)"
if tar -tf "$tmp/app1.unf" 2>/dev/null | grep -qx 'files/www/b.txt'; then pass build-includes-files
else fail build-includes-files "files/www/b.txt missing from $(tar -tf "$tmp/app1.unf" 2>&1 | tr '\n' ' ')"; fi

# app.json is validated: an unknown key fails the build with one line.
mkdir -p "$tmp/badapp/echo"
echo '{"name": "echo", "version": "1", "memory": "8M"}' > "$tmp/badapp/echo/app.json"
if timeout 30 $unf build "$tmp/badapp/echo" --kernels build/kernels/echo -o "$tmp/bad.unf" >/dev/null 2>"$tmp/err"; then
  fail build-rejects-unknown-key "build succeeded"
elif [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q memory "$tmp/err" && [ ! -e "$tmp/bad.unf" ]; then
  pass build-rejects-unknown-key
else fail build-rejects-unknown-key "$(head -c 200 "$tmp/err")"; fi

# --- the Oakestra layout ---------------------------------------------------------------------
oak_kernel=build/kernels/echo/x86_64-virtio
[ -f "$oak_kernel" ] || oak_kernel=$kernel
mkdir -p "$tmp/oak/files"
cp "$oak_kernel" "$tmp/oak/kernel"; echo '<h1>hi</h1>' > "$tmp/oak/files/index.html"
tar -C "$tmp/oak" -cf "$tmp/oakapp.tar" kernel files
json=$(timeout 30 $unf inspect "$tmp/oakapp.tar" 2>&1)
if [ "$(jq -r .layout <<<"$json" 2>/dev/null)" = oakestra ] && [ "$(jq -r .name <<<"$json")" = oakapp ] \
   && [ "$(jq -r '.kernels[0].platform' <<<"$json")" = virtio ] \
   && [ "$(jq -r '.kernels[0].sha256' <<<"$json")" = "$(sha256sum < "$oak_kernel" | cut -d' ' -f1)" ]; then
  pass oakestra-tar-opens
else fail oakestra-tar-opens "$(head -c 300 <<<"$json")"; fi

# --- broken images ---------------------------------------------------------------------------
sha() { sha256sum < "$1" | cut -d' ' -f1; }
manifest() { # arch platform path sha256
  jq -n --arg a "$1" --arg p "$2" --arg path "$3" --arg s "$4" \
    '{name: "t", version: "1", args: [], mem: "8M", nics: 1,
      kernels: [{arch: $a, platform: $p, path: $path, sha256: $s}]}'
}
pack() { # dir out: a ustar of dir's manifest.json, kernels/ and files/ (those present)
  local dir=$1 out=$2 m=()
  for e in manifest.json kernels files; do [ -e "$dir/$e" ] && m+=("$e"); done
  tar --format=ustar -C "$dir" -cf "$out" "${m[@]}"
}

bad=$tmp/bad
mkdir -p "$bad"
head -c 65536 /dev/urandom > "$bad/corrupt.unf"
head -c "$(( $(stat -c %s "$tmp/a.unf") / 2 ))" "$tmp/a.unf" > "$bad/truncated.unf"

mkdir -p "$tmp/m1/kernels"; cp "$kernel" "$tmp/m1/kernels/x86_64-proc"
printf '{"name": "t", "kernels": [garbage' > "$tmp/m1/manifest.json"
pack "$tmp/m1" "$bad/bad-manifest.unf"

mkdir -p "$tmp/m2/files"; echo x > "$tmp/m2/files/x"
manifest x86_64 proc kernels/x86_64-proc "$(sha "$kernel")" > "$tmp/m2/manifest.json"
pack "$tmp/m2" "$bad/missing-kernel.unf"

mkdir -p "$tmp/m3/kernels"; cp "$kernel" "$tmp/m3/kernels/x86_64-proc"
manifest x86_64 proc kernels/x86_64-proc "$(sha "$kernel")" > "$tmp/m3/manifest.json"
printf 'XXXX' | dd of="$tmp/m3/kernels/x86_64-proc" bs=1 seek=4096 conv=notrunc status=none
pack "$tmp/m3" "$bad/corrupt-kernel.unf"

mkdir -p "$tmp/m4/kernels"; cp "$kernel" "$tmp/m4/kernels/aarch64-virtio"
printf '\xb7\x00' | dd of="$tmp/m4/kernels/aarch64-virtio" bs=1 seek=18 conv=notrunc status=none
manifest aarch64 virtio kernels/aarch64-virtio "$(sha "$tmp/m4/kernels/aarch64-virtio")" > "$tmp/m4/manifest.json"
pack "$tmp/m4" "$bad/other-arch.unf"

instances() { $unf ps -a 2>/dev/null | awk 'NR>1 {print $1}' | sort; }

check_bad() { # case expected-text: run and inspect fail with one line; no instance appears
  local case=$1 want=$2 img=$bad/$1.unf before after rc lines
  before=$(instances)
  timeout 60 $unf run -d --name "$prefix-$case" "$img" >/dev/null 2>"$tmp/err"; rc=$?
  after=$(instances)
  lines=$(wc -l < "$tmp/err")
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ]; then fail "run-rejects-$case" "unf run exited $rc"
  elif [ "$lines" -ne 1 ]; then fail "run-rejects-$case" "$lines lines on stderr: $(head -c 300 "$tmp/err" | tr '\n' '|')"
  elif ! grep -q -- "$want" "$tmp/err"; then fail "run-rejects-$case" "stderr lacks '$want': $(cat "$tmp/err")"
  elif [ "$before" != "$after" ]; then fail "run-rejects-$case" "instances changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | tr '\n' ' ')"
  else pass "run-rejects-$case ($(cat "$tmp/err"))"; fi
}
check_bad corrupt "not a tar archive"
check_bad truncated "truncated archive"
check_bad bad-manifest "bad manifest.json"
check_bad missing-kernel "does not contain"
check_bad corrupt-kernel "sha256 mismatch"
check_bad other-arch "no kernel for x86_64"

# inspect reads the manifest only: the image-level faults fail it with one line too.
for case in corrupt truncated bad-manifest missing-kernel; do
  if timeout 30 $unf inspect "$bad/$case.unf" >/dev/null 2>"$tmp/err"; then
    fail "inspect-rejects-$case" "unf inspect succeeded"
  elif [ "$(wc -l < "$tmp/err")" -ne 1 ]; then
    fail "inspect-rejects-$case" "$(wc -l < "$tmp/err") lines on stderr"
  else pass "inspect-rejects-$case"; fi
done

# unf build --oci: the image also as an OCI image layout whose index lists every kernel.
if $unf build apps/echo -o "$tmp/echo-oci.unf" --oci "$tmp/layout" >/dev/null 2>"$tmp/err"; then
  want=$($unf inspect "$tmp/echo-oci.unf" | jq '.kernels | length')
  # index.json names the tagged image index; that index has one manifest per kernel.
  nested=$(jq -r '.manifests[0].digest' "$tmp/layout/index.json" 2>/dev/null | cut -d: -f2)
  got=$(jq '.manifests | length' "$tmp/layout/blobs/sha256/$nested" 2>/dev/null)
  [ -f "$tmp/layout/oci-layout" ] && [ -n "$got" ] && [ "$got" = "$want" ] \
    && pass "build-oci-layout" "$got manifests for $want kernels" || fail "build-oci-layout" "index has '$got' manifests, image $want kernels"
else
  fail "build-oci-layout" "$(cat "$tmp/err")"
fi
