#!/usr/bin/env bash
# Creates the probe lab's kind cluster (or reuses it) and gives LoadBalancer Services an EXTERNAL-IP.
#
# Usage:  k8s/kind/create-cluster.sh
# Env:    KIND_CLUSTER       cluster name (default probe-lab); kubectl context kind-$KIND_CLUSTER
#         KIND_NODE_IMAGE    node image for `kind create cluster --image` (default: kind's own)
#         LB_PROVIDER        auto (default): cloud-provider-kind if installed, else MetalLB if
#                            METALLB_MANIFEST is set, else explain and exit 3;
#                            cloud-provider-kind | metallb | none
#         METALLB_MANIFEST   MetalLB's metallb-native.yaml (file or URL), for the MetalLB fallback
#         CPK_LOG            cloud-provider-kind's log (default ${TMPDIR:-/tmp}/probe-lab-kind/cloud-provider-kind.log)
# Exit:   0 cluster ready, kubectl context set, LoadBalancer provider running
#         1 a tool is missing or a step failed (one line on stderr says which)
#         3 cluster ready but no LoadBalancer provider (stderr says how to get one)
# Then:   k8s/kind/load-images.sh; kubectl apply -f k8s/<step>.yaml; k8s/kind/delete-cluster.sh
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_tools
LB_PROVIDER=${LB_PROVIDER:-auto}
case $LB_PROVIDER in
  auto | cloud-provider-kind | metallb | none) ;;
  *) die "LB_PROVIDER=$LB_PROVIDER: use auto, cloud-provider-kind, metallb or none" ;;
esac

if cluster_exists; then
  say "cluster $KIND_CLUSTER exists: reusing it"
  kind export kubeconfig --name "$KIND_CLUSTER" >/dev/null  # writes and selects its context, also for a new kubeconfig
else
  say "creating cluster $KIND_CLUSTER"
  kind create cluster --name "$KIND_CLUSTER" --config "$KIND_DIR/kind-config.yaml" \
    ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"} --wait 180s
fi
kubectl wait --for=condition=Ready nodes --all --timeout=180s >/dev/null ||
  die "the nodes of $KIND_CLUSTER are not Ready after 180s (kubectl get nodes)"

# kubeadm marks control-plane nodes "exclude from external load balancers"; here the control plane
# is the only node and runs the pods, so a LoadBalancer would have no backend without this.
kubectl label nodes --all node.kubernetes.io/exclude-from-external-load-balancers- >/dev/null 2>&1 || true

start_cloud_provider_kind() {
  if cpk_running; then
    say "cloud-provider-kind is already running: it serves every kind cluster, $KIND_CLUSTER included"
    return 0
  fi
  if [[ $(uname -s) != Linux ]]; then
    # On macOS (and Windows) it needs root to expose the load balancers on the host.
    say "start cloud-provider-kind in another terminal and keep it running: sudo cloud-provider-kind"
    return 0
  fi
  mkdir -p "$STATE_DIR"
  nohup cloud-provider-kind >"$CPK_LOG" 2>&1 &
  echo $! >"$CPK_PID_FILE"
  sleep 2
  kill -0 "$(cat "$CPK_PID_FILE")" 2>/dev/null || die "cloud-provider-kind stopped at once; see $CPK_LOG"
  say "cloud-provider-kind started in the background (pid $(cat "$CPK_PID_FILE"), log $CPK_LOG)"
}

explain_lb() {
  say "no LoadBalancer provider: Services of type LoadBalancer would stay <pending>. Either:"
  say "  install cloud-provider-kind (what kind recommends): go install sigs.k8s.io/cloud-provider-kind@latest"
  say "    (or a release binary of the cloud-provider-kind project) and run this script again;"
  say "  or use MetalLB: METALLB_MANIFEST=<metallb-native.yaml file or URL> LB_PROVIDER=metallb $0"
  say "    (the manifest for your MetalLB version is in MetalLB's installation docs, \"Installation by manifest\")."
}

case $LB_PROVIDER in
  none) say "LB_PROVIDER=none: no LoadBalancer provider started" ;;
  cloud-provider-kind)
    command -v cloud-provider-kind >/dev/null 2>&1 || { explain_lb; exit 3; }
    start_cloud_provider_kind ;;
  metallb) "$KIND_DIR/metallb.sh" ;;
  auto)
    if command -v cloud-provider-kind >/dev/null 2>&1 || cpk_running; then
      start_cloud_provider_kind
    elif [[ -n ${METALLB_MANIFEST:-} ]]; then
      say "cloud-provider-kind is not installed; METALLB_MANIFEST is set: falling back to MetalLB"
      "$KIND_DIR/metallb.sh"
    else
      explain_lb
      exit 3
    fi ;;
esac
say "cluster $KIND_CLUSTER ready (kubectl context kind-$KIND_CLUSTER); next: $KIND_DIR/load-images.sh"
