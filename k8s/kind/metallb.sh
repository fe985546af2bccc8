#!/usr/bin/env bash
# The MetalLB fallback for when cloud-provider-kind cannot be used: installs MetalLB in the current
# kind cluster and gives it a pool of addresses from the end of docker's "kind" network.
# Works where the host can reach the docker network directly (Linux); on macOS and Windows use
# cloud-provider-kind instead.
#
# Usage:  METALLB_MANIFEST=<metallb-native.yaml file or URL> k8s/kind/metallb.sh
#         (create-cluster.sh calls it with LB_PROVIDER=metallb)
# Env:    KIND_CLUSTER       cluster name (default probe-lab)
#         METALLB_MANIFEST   required: MetalLB's "installation by manifest" file for your version
#         METALLB_RANGE      address range to hand out (default: x.y.255.200-x.y.255.250 of the
#                            "kind" network's IPv4 subnet)
# Exit:   0 MetalLB ready with its pool; 1 a tool, the manifest or a step failed (one line says which)
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_tools
# MetalLB's addresses live on docker's network.
host_reaches_docker_network ||
  die "MetalLB needs a host that reaches docker's network (Linux); on $(uname -s) use cloud-provider-kind (see docs/lab-walkthrough.md, \"kind\")"
[[ -n ${METALLB_MANIFEST:-} ]] ||
  die "set METALLB_MANIFEST to MetalLB's metallb-native.yaml (file or URL) for the version you want"
cluster_exists || die "no kind cluster $KIND_CLUSTER: run $KIND_DIR/create-cluster.sh first"
kind export kubeconfig --name "$KIND_CLUSTER" >/dev/null  # writes and selects its context, also for a new kubeconfig

if [[ -z ${METALLB_RANGE:-} ]]; then
  subnet=$(docker network inspect kind -f '{{range .IPAM.Config}}{{println .Subnet}}{{end}}' | grep -m1 -E '^[0-9]+\.' || true)
  [[ -n $subnet ]] || die "no IPv4 subnet on docker network \"kind\": set METALLB_RANGE=first-last"
  prefix=$(cut -d. -f1-2 <<<"$subnet")
  METALLB_RANGE="$prefix.255.200-$prefix.255.250"
fi

say "installing MetalLB from $METALLB_MANIFEST"
kubectl apply -f "$METALLB_MANIFEST" >/dev/null
kubectl -n metallb-system wait --for=condition=Available deployment/controller --timeout=180s >/dev/null ||
  die "MetalLB's controller is not Available after 180s (kubectl -n metallb-system get pods)"
kubectl -n metallb-system rollout status daemonset/speaker --timeout=180s >/dev/null ||
  die "MetalLB's speaker is not ready after 180s (kubectl -n metallb-system get pods)"

# The webhook that validates pools may need a moment after the controller reports Available.
for attempt in 1 2 3 4 5 6; do
  if kubectl apply -f - >/dev/null <<YAML; then
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: probe-lab
  namespace: metallb-system
spec:
  addresses:
    - $METALLB_RANGE
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: probe-lab
  namespace: metallb-system
spec:
  ipAddressPools:
    - probe-lab
YAML
    say "MetalLB ready: LoadBalancer Services get addresses from $METALLB_RANGE"
    exit 0
  fi
  say "MetalLB's webhook is not ready yet (attempt $attempt of 6); retrying in 5s"
  sleep 5
done
die "could not create MetalLB's address pool (kubectl -n metallb-system get pods)"
