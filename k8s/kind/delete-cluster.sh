#!/usr/bin/env bash
# Deletes the probe lab's kind cluster, the load balancer containers cloud-provider-kind made for
# it, and the cloud-provider-kind that create-cluster.sh started (once no kind cluster is left).
#
# Usage:  k8s/kind/delete-cluster.sh
# Env:    KIND_CLUSTER   cluster name (default probe-lab)
# Exit:   0 the cluster is gone (also when there was none); 1 a tool is missing or the delete failed
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_tools
if cluster_exists; then
  kind delete cluster --name "$KIND_CLUSTER"
else
  say "no kind cluster $KIND_CLUSTER: nothing to delete"
fi

leftovers=()  # no mapfile: macOS's bash 3.2 lacks it
while IFS= read -r id; do leftovers+=("$id"); done < <(docker ps -aq --filter "label=$CPK_CLUSTER_LABEL=$KIND_CLUSTER")
if ((${#leftovers[@]} > 0)); then
  say "removing ${#leftovers[@]} load balancer container(s) of $KIND_CLUSTER"
  docker rm -f "${leftovers[@]}" >/dev/null
fi

# Stop cloud-provider-kind only if create-cluster.sh started it and no other kind cluster needs it.
if [[ -f $CPK_PID_FILE ]]; then
  pid=$(cat "$CPK_PID_FILE")
  if [[ -n $(kind get clusters 2>/dev/null) ]]; then
    say "other kind clusters remain: leaving cloud-provider-kind (pid $pid) running"
  else
    if [[ $(ps -p "$pid" -o comm= 2>/dev/null) == cloud-provider* ]]; then
      kill "$pid" && say "stopped cloud-provider-kind (pid $pid)"
    fi
    rm -f "$CPK_PID_FILE"
  fi
fi
