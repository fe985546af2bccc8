#!/usr/bin/env bash
# The whole lab on a throw-away kind cluster: create it (with LoadBalancer support), build the app
# images with Jib, load them into kind, run the cluster tests (kind-tests, every step of k8s/ checked
# against LabStep's expected outcome), and delete the cluster again, also when something fails.
#
# Usage:  k8s/kind/e2e.sh
# Needs:  docker (running), kind, kubectl, java 17+; for LoadBalancer IPs cloud-provider-kind on PATH
#         (or METALLB_MANIFEST set, see create-cluster.sh). LB_PROVIDER=none runs without one: the
#         tests then reach the Service through port-forwards and say so.
# Env:    KIND_CLUSTER      cluster name (default probe-lab-e2e, so a lab cluster of yours is left alone)
#         KEEP_CLUSTER=1    do not delete the cluster at the end (to look around with kubectl)
#         LB_PROVIDER, METALLB_MANIFEST, KIND_NODE_IMAGE: passed on to create-cluster.sh
# Exit:   0 every cluster test passed; otherwise 1 (one line on stderr says which step failed)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export KIND_CLUSTER=${KIND_CLUSTER:-probe-lab-e2e}

say() { printf 'e2e.sh: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ---- tools: stop at once, with one line, when one is missing
for tool in docker kind kubectl java; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (or not on PATH); this script needs docker, kind, kubectl and java"
done
docker info >/dev/null 2>&1 || die "docker is installed but its daemon does not answer (docker info failed): start Docker"
for script in create-cluster.sh load-images.sh delete-cluster.sh; do
  [[ -f $here/$script ]] || die "k8s/kind/$script is missing"
done
# ---- the cluster, deleted on the way out whatever happens
cleanup() {
  local status=$?
  if [[ ${KEEP_CLUSTER:-0} == 1 ]]; then
    say "KEEP_CLUSTER=1: leaving cluster $KIND_CLUSTER (delete it with k8s/kind/delete-cluster.sh, KIND_CLUSTER=$KIND_CLUSTER)"
  else
    bash "$here/delete-cluster.sh" || say "could not delete cluster $KIND_CLUSTER; run k8s/kind/delete-cluster.sh"
  fi
  [[ -z ${work:-} ]] || rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "creating kind cluster $KIND_CLUSTER"
status=0
bash "$here/create-cluster.sh" || status=$?
if ((status == 3)); then
  die "cluster $KIND_CLUSTER has no LoadBalancer provider (create-cluster.sh said how to get one); LB_PROVIDER=none runs the tests through port-forwards"
elif ((status != 0)); then
  die "create-cluster.sh failed (exit $status)"
fi

# The tests use a kubeconfig of their own holding only this cluster: whatever context the user's
# kubeconfig has current, they cannot touch another cluster.
work=$(mktemp -d "${TMPDIR:-/tmp}/probe-lab-e2e.XXXXXX")
kind get kubeconfig --name "$KIND_CLUSTER" >"$work/kubeconfig"

cd "$root"
say "building the app images (jib:dockerBuild)"
./mvnw -B -pl liveness-app,readiness-app,startup-app -am package jib:dockerBuild -DskipTests ||
  die "the image build failed"

say "loading the images into $KIND_CLUSTER"
bash "$here/load-images.sh" || die "load-images.sh failed"

say "running the cluster tests (kind-tests)"
KUBECONFIG="$work/kubeconfig" PROBE_LAB_CLUSTER_TESTS=1 ./mvnw -B -pl kind-tests -am verify ||
  die "cluster tests failed: see the output above and kind-tests/target/failsafe-reports/"
say "all cluster tests passed on $KIND_CLUSTER"
