# SPDX-License-Identifier: BSD-2-Clause
# Sourced by system tests: a snapshot of everything an instance could leave behind on the host
# (namespaces, links, nft tables, cgroups, processes, state dirs), to compare before and after.
# The unf0 bridge and the shared "ip unf" and "ip6 unf" nft tables are host setup, created once
# and kept.
host_state() {
  {
    echo "# netns"; ip netns list 2>/dev/null | awk '{print $1}' | grep '^unf' | sort
    echo "# links"; ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -v '^unf0$' | grep -E '^(unf|uv|ut|tap)' | sort
    echo "# nft"; nft list tables 2>/dev/null | grep -v -e '^table ip unf$' -e '^table ip6 unf$' | grep unf | sort
    echo "# cgroups"; find /sys/fs/cgroup -maxdepth 3 -type d -path '*unf*' 2>/dev/null | sort
    # A detached monitor that has exited is reaped by init, which may take a moment: a zombie
    # holds no resources, so it is not counted as left behind.
    echo "# processes"; pgrep -a -f 'unf-proc|unf-hvt|qemu-system|unf-monitor' 2>/dev/null | grep -v -e pgrep -e '<defunct>' | awk '{print $2, $3}' | sort
    echo "# state"; ls -1 /run/unf 2>/dev/null | grep -v '^\.' | sort
  }
}

# Prints the differences between two snapshots; empty when nothing leaked.
host_state_diff() { diff <(printf '%s\n' "$1") <(printf '%s\n' "$2") | grep '^[<>]' || true; }
