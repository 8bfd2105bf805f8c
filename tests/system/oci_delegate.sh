#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# unf-oci hands non-unikernel containers to runc, as Kubernetes needs (RuntimeClass handler unf:
# the CRI sends each pod's sandbox "pause" container to the same runtime): a busybox bundle
# annotated io.kubernetes.cri.container-type=sandbox (or org.unf.delegate=runc) goes through
# create/state/start/kill/delete under runc with its state in <root>/.runc, with real pids;
# the same bundle without the annotation is refused with one line and leaves nothing.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name oci_delegate
oci=$PWD/build/bin/unf-oci
tmp=$(mktemp -d /tmp/unf-oci-delegate.XXXXXX)
root=$tmp/root
on_exit "rm -rf '$tmp'"
busybox=$(command -v busybox || echo /bin/busybox)
if ! command -v runc >/dev/null || [ ! -x "$busybox" ]; then
  skip runc "runc or busybox missing"; exit 0
fi
mkdir -p "$tmp/b/rootfs/bin"
cp "$busybox" "$tmp/b/rootfs/bin/busybox"
(cd "$tmp/b" && runc spec) || { fail spec "runc spec failed"; exit 0; }
config() { # annotations JSON
  jq --argjson a "$1" '.process.terminal = false | .process.args = ["/bin/busybox", "sleep", "30"]
    | .annotations = $a' "$tmp/b/config.json" > "$tmp/c.json" && mv "$tmp/c.json" "$tmp/b/config.json"
}
O() { "$oci" --root "$root" "$@"; }
on_exit "'$oci' --root '$root' delete --force sb$$ >/dev/null 2>&1; '$oci' --root '$root' delete --force ud$$ >/dev/null 2>&1"

for a in '{"io.kubernetes.cri.container-type": "sandbox"}' '{"org.unf.delegate": "runc"}'; do
  id=sb$$; [[ "$a" == *org.unf* ]] && id=ud$$
  key=$(echo "$a" | jq -r 'keys[0]')
  config "$a"
  # The container keeps create's stdio (runc passes it on), so it goes to a file, not a pipe.
  if ! O create --bundle "$tmp/b" --pid-file "$tmp/pid" "$id" >"$tmp/create.out" 2>&1; then
    fail "$key.create" "$(cat "$tmp/create.out")"; continue
  fi
  st=$(O state "$id" | jq -r .status); pid=$(O state "$id" | jq -r .pid)
  [ "$st" = created ] && [ "$pid" = "$(cat "$tmp/pid")" ] && [ -d "$root/.runc/$id" ] \
    && pass "$key.created-by-runc" "pid $pid" || fail "$key.created-by-runc" "status $st, pid $pid, pid file $(cat "$tmp/pid" 2>/dev/null)"
  O start "$id"
  st=$(O state "$id" | jq -r .status)
  cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)
  [ "$st" = running ] && [[ "$cmd" == *"sleep 30"* ]] && pass "$key.running" || fail "$key.running" "status $st, process '$cmd'"
  O kill "$id" KILL
  for _ in $(seq 1 50); do [ "$(O state "$id" | jq -r .status)" = stopped ] && break; sleep 0.05; done
  st=$(O state "$id" | jq -r .status)
  [ "$st" = stopped ] && pass "$key.stopped" || fail "$key.stopped" "status $st"
  O delete "$id"; rc=$?
  # A zombie waiting for init to reap it holds nothing: only a live process counts.
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
  [ $rc = 0 ] && [ ! -e "$root/.runc/$id" ] && { [ -z "$state" ] || [ "$state" = Z ]; } \
    && pass "$key.deleted" || fail "$key.deleted" "status $rc, state dir $(ls "$root/.runc" 2>&1), process state '$state'"
done

# Without the annotation the busybox bundle is not a unf image: one line, non-zero, nothing left.
config '{}'
O create --bundle "$tmp/b" nd$$ >/dev/null 2>"$tmp/err"; rc=$?
[ $rc != 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q 'holds no unf image' "$tmp/err" && [ ! -e "$root/nd$$" ] \
  && pass not-annotated-refused "$(head -c 120 "$tmp/err")" || fail not-annotated-refused "status $rc: $(cat "$tmp/err")"
