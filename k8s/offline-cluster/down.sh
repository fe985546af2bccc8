#!/usr/bin/env bash
# Stops the offline cluster up.sh started: its processes by the pids it recorded, the pods' Docker
# containers (dockershim labels them), kube-proxy's and the kubelet's iptables rules, the kubelet's mounts, the cluster's
# state, and the kernel settings they changed. Keeps the cache (binaries, Go build cache, downloads) and the logs. Exits 0 when nothing runs.
#   k8s/offline-cluster/down.sh [--quiet]
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
quiet=false
[[ ${1:-} == --quiet ]] && quiet=true
note() { $quiet || say "$@"; }

[[ $(id -u) == 0 ]] || die "run as root: it stops the kubelet and removes iptables rules"

# Stop order: the kubelet and kube-proxy first (no restarts while the rest goes), etcd last.
stopped=()
for c in kubelet kube-proxy kube-scheduler kube-controller-manager kube-apiserver etcd; do
  pid_file=$PID_DIR/$c.pid
  [[ -f $pid_file ]] || continue
  pid=$(cat "$pid_file")
  # Only a process that is still the one started (its command names the component) is stopped.
  if kill -0 "$pid" 2>/dev/null && grep -qa "$c" "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    stopped+=("$c")
  fi
  rm -f "$pid_file"
done

# The pods' containers, sandboxes included: every container dockershim made carries this label.
if docker info >/dev/null 2>&1; then
  containers=$(docker ps -aq --filter label=io.kubernetes.docker.type)
  if [[ -n $containers ]]; then
    # shellcheck disable=SC2086 # one id per word
    docker rm -f $containers >/dev/null
    note "removed $(wc -w <<<"$containers") pod containers"
  fi
fi

# The chains kube-proxy and the kubelet made (all named KUBE-*) and every rule that jumps to them, in
# each table: each table is restored as it is, less those lines, so Docker's own rules stay.
for save in iptables-save ip6tables-save; do
  command -v "$save" >/dev/null || continue
  for table in filter nat mangle; do
    rules=$("$save" -t "$table" 2>/dev/null) || continue
    [[ $rules == *KUBE-* ]] || continue
    grep -v 'KUBE-' <<<"$rules" | "${save%-save}-restore" -T "$table"
    note "removed the KUBE-* chains and rules of ${save%-save} table $table"
  done
done

# The kernel settings the kubelet and kube-proxy change (up.sh saved them before they started).
if [[ -f $CLUSTER_STATE_DIR/sysctl.saved ]]; then
  sysctl -q -p "$CLUSTER_STATE_DIR/sysctl.saved" >/dev/null 2>&1 || note "could not restore every setting of $CLUSTER_STATE_DIR/sysctl.saved"
fi

# The kubelet mounts volumes (tmpfs for secrets) under its root directory: unmount before removing.
if [[ -d $CLUSTER_STATE_DIR ]]; then
  findmnt -rn -o TARGET | { grep "^$CLUSTER_STATE_DIR/" || true; } | sort -r | while read -r target; do umount -l "$target" || true; done
  rm -rf "$CLUSTER_STATE_DIR"
fi

if ((${#stopped[@]})); then
  note "stopped ${stopped[*]}; cache kept in $CACHE_DIR, logs in $LOG_DIR"
else
  note "nothing was running"
fi
