#!/usr/bin/env bash
# Creates the probe lab's kind cluster (or reuses it) and gives LoadBalancer Services an EXTERNAL-IP.
#
# Usage:  k8s/kind/create-cluster.sh
# Env:    KIND_CLUSTER       cluster name (default probe-lab); kubectl context kind-$KIND_CLUSTER
#         KIND_VERSION       the kind release expected on PATH (default from versions.env: v0.31.0;
#                            another one only warns)
#         KIND_NODE_IMAGE    node image, pinned by digest (default from versions.env: Kubernetes v1.35.0,
#                            the default of kind v0.31.0); another one: an image listed in the release
#                            notes of your kind
#         LB_PROVIDER        auto (default): cloud-provider-kind if installed, else MetalLB if
#                            METALLB_MANIFEST is set, else explain and exit 3;
#                            cloud-provider-kind | metallb | none
#         METALLB_MANIFEST   MetalLB's metallb-native.yaml (file or URL), for the MetalLB fallback
#         KIND_LOG_DIR       the logs (default ${TMPDIR:-/tmp}/probe-lab-kind/logs): cloud-provider-kind's
#                            log and its load balancers' logs; after a failure also `kind export logs`
#         KEEP_CLUSTER=1     after a failure, keep the cluster this run created (default: export its
#                            logs to KIND_LOG_DIR and delete it)
# Exit:   0 cluster ready, kubectl context set, LoadBalancer provider running
#         1 a tool is missing, a setting is bad or a step failed (one line on stderr says which)
#         3 cluster ready but no LoadBalancer provider (stderr says how to get one)
# Then:   k8s/kind/load-images.sh; kubectl apply -f k8s/<step>.yaml; k8s/kind/delete-cluster.sh
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_tools
check_pins
LB_PROVIDER=${LB_PROVIDER:-auto}
case $LB_PROVIDER in
  auto | cloud-provider-kind | metallb | none) ;;
  *) die "LB_PROVIDER=$LB_PROVIDER: use auto, cloud-provider-kind, metallb or none" ;;
esac
mkdir -p "$KIND_LOG_DIR" 2>/dev/null || die "KIND_LOG_DIR=$KIND_LOG_DIR cannot be created"

# A failed run leaves nothing running: the cluster it created is deleted (its logs exported first).
created=0
cleanup_failed_run() {
  local status=$?
  if ((status != 0 && status != 3 && created == 1)); then
    if [[ ${KEEP_CLUSTER:-0} == 1 ]]; then
      say "cluster $KIND_CLUSTER kept (KEEP_CLUSTER=1)"
    else
      export_logs
      bash "$KIND_DIR/delete-cluster.sh" || say "could not delete cluster $KIND_CLUSTER; run $KIND_DIR/delete-cluster.sh"
    fi
  fi
  exit "$status"
}
trap cleanup_failed_run EXIT
trap 'exit 130' INT TERM

# cloud-provider-kind's usage text (-h), read once: which flags and subcommands this version has.
cpk_usage=
cpk_has() {
  [[ -n $cpk_usage ]] || cpk_usage=$(cloud-provider-kind -h 2>&1 || true)
  grep -qe "$1" <<<"$cpk_usage"
}

# cloud-provider-kind pulls its load balancer image on the first LoadBalancer Service and only then
# writes the address: pulled here, a cold machine's first lab step does not wait for it.
prepull_cpk_images() {
  if ! cpk_has 'list-images'; then
    say "this cloud-provider-kind has no list-images: it pulls its load balancer image on the first Service"
    return 0
  fi
  local images image
  images=$(cloud-provider-kind list-images 2>/dev/null) || die "cloud-provider-kind list-images failed"
  for image in $images; do
    if docker image inspect "$image" >/dev/null 2>&1; then
      say "$image (cloud-provider-kind's load balancer) is in docker"
    else
      say "pulling $image (cloud-provider-kind's load balancer)"
      docker pull "$image" >/dev/null || die "could not pull $image, which cloud-provider-kind runs for every LoadBalancer Service"
    fi
  done
}

case $LB_PROVIDER in
  auto | cloud-provider-kind) if command -v cloud-provider-kind >/dev/null 2>&1; then prepull_cpk_images; fi ;;
esac

if cluster_exists; then
  say "cluster $KIND_CLUSTER exists: reusing it"
  kind export kubeconfig --name "$KIND_CLUSTER" >/dev/null  # writes and selects its context, also for a new kubeconfig
else
  say "creating cluster $KIND_CLUSTER (kind $KIND_VERSION, $KIND_NODE_IMAGE)"
  created=1
  # --retain: a failed create keeps its node for `kind export logs`; the exit trap then deletes it
  # (kind's own hack/ci/e2e.sh creates its clusters the same way).
  kind create cluster --name "$KIND_CLUSTER" --config "$KIND_DIR/kind-config.yaml" \
    --image "$KIND_NODE_IMAGE" --retain --wait 180s || die "kind could not create cluster $KIND_CLUSTER from $KIND_NODE_IMAGE"
fi
kubectl wait --for=condition=Ready nodes --all --timeout=180s >/dev/null ||
  die "the nodes of $KIND_CLUSTER are not Ready after 180s (kubectl get nodes)"

# The Kubernetes version decides the kubelet's restart back-off and event wording the lab shows.
want=$(node_image_kubernetes)
have=$(kubectl get nodes -o 'jsonpath={.items[0].status.nodeInfo.kubeletVersion}' 2>/dev/null || true)
if [[ $have != "$want" ]]; then
  ((created == 0)) || die "cluster $KIND_CLUSTER runs Kubernetes ${have:-(unknown)}, not $want of $KIND_NODE_IMAGE"
  say "WARNING: the existing cluster $KIND_CLUSTER runs Kubernetes ${have:-(unknown)}, not $want: delete it ($KIND_DIR/delete-cluster.sh) to get $want"
fi

# kubeadm marks control-plane nodes "exclude from external load balancers"; here the control plane
# is the only node and runs the pods, so a LoadBalancer would have no backend without this.
kubectl label nodes --all node.kubernetes.io/exclude-from-external-load-balancers- >/dev/null 2>&1 || true

start_cloud_provider_kind() {
  if cpk_running; then
    say "cloud-provider-kind is already running: it serves every kind cluster, $KIND_CLUSTER included"
    return 0
  fi
  # Only flags this version's usage lists (--gateway-channel came with v0.8.0). The lab needs
  # LoadBalancer Services only, not the Gateway API CRDs and Ingress support that v0.9 and later
  # install by default.
  local flags=(--enable-log-dumping --logs-dir "$CPK_LB_LOGS")
  if cpk_has '-gateway-channel'; then flags+=(--gateway-channel disabled); else say "this cloud-provider-kind has no --gateway-channel (it predates its Gateway API support)"; fi
  if cpk_has '-enable-default-ingress'; then flags+=(--enable-default-ingress=false); else say "this cloud-provider-kind has no --enable-default-ingress: its default Ingress support, if any, stays on"; fi
  if ! host_reaches_docker_network; then
    # On macOS (and Windows) it needs root to expose the load balancers on the host.
    say "start cloud-provider-kind in another terminal and keep it running: sudo cloud-provider-kind ${flags[*]}"
    return 0
  fi
  mkdir -p "$KIND_STATE_DIR" "$CPK_LB_LOGS" || die "cannot create $KIND_STATE_DIR and $CPK_LB_LOGS"
  nohup cloud-provider-kind "${flags[@]}" >"$CPK_LOG" 2>&1 &
  echo $! >"$CPK_PID_FILE"
  sleep 2
  if ! kill -0 "$(cat "$CPK_PID_FILE")" 2>/dev/null; then
    rm -f "$CPK_PID_FILE"
    die "cloud-provider-kind stopped at once; see $CPK_LOG"
  fi
  say "cloud-provider-kind started in the background (pid $(cat "$CPK_PID_FILE"), ${flags[*]}, log $CPK_LOG)"
}

explain_lb() {
  say "no LoadBalancer provider: Services of type LoadBalancer would stay <pending>. Either:"
  say "  install cloud-provider-kind (what kind recommends): go install sigs.k8s.io/cloud-provider-kind@$CLOUD_PROVIDER_KIND_VERSION"
  say "    (or that release's binary of the cloud-provider-kind project) and run this script again;"
  if host_reaches_docker_network; then
    say "  or use MetalLB: METALLB_MANIFEST=<metallb-native.yaml file or URL> LB_PROVIDER=metallb $0"
    say "    (the manifest for your MetalLB version is in MetalLB's installation docs, \"Installation by manifest\")."
  fi
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
    elif [[ -n ${METALLB_MANIFEST:-} ]] && host_reaches_docker_network; then
      say "cloud-provider-kind is not installed; METALLB_MANIFEST is set: falling back to MetalLB"
      "$KIND_DIR/metallb.sh"
    else
      explain_lb
      exit 3
    fi ;;
esac
say "cluster $KIND_CLUSTER ready (Kubernetes $want, kubectl context kind-$KIND_CLUSTER); next: $KIND_DIR/load-images.sh"
