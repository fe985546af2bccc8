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
#         KIND_LOG_DIR      where a failed run leaves its logs (default ${TMPDIR:-/tmp}/probe-lab-kind/logs):
#                           `kind export logs`, cloud-provider-kind's log and its load balancers' logs
#         PROBE_LAB_LB_WAIT_SECONDS  how long a step waits for its LoadBalancer address (default 120)
#         LB_PROVIDER, METALLB_MANIFEST, KIND_VERSION, KIND_NODE_IMAGE: passed on to create-cluster.sh
# The tests run with PROBE_LAB_SERVICE_ROUTE=loadbalancer: a step whose Service gets no answering
# LoadBalancer address fails, it never falls back to a port-forward. LB_PROVIDER=none: port-forwards
# (PROBE_LAB_SERVICE_ROUTE=auto, PROBE_LAB_LB_WAIT_SECONDS=0).
# Exit:   0 every cluster test passed; otherwise 1 (one line on stderr says which step failed)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export KIND_CLUSTER=${KIND_CLUSTER:-probe-lab-e2e}
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
export KIND_LOG_DIR

# ---- tools and settings: stop at once, with one line, before anything is created
for tool in docker kind kubectl java; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (or not on PATH); this script needs docker, kind, kubectl and java"
done
docker info >/dev/null 2>&1 || die "docker is installed but its daemon does not answer (docker info failed): start Docker"
for script in create-cluster.sh load-images.sh delete-cluster.sh; do
  [[ -f $here/$script ]] || die "k8s/kind/$script is missing"
done

if [[ ${LB_PROVIDER:-auto} == none ]]; then
  route=auto lb_wait=0
else
  route=loadbalancer lb_wait=${PROBE_LAB_LB_WAIT_SECONDS:-120}
fi
chosen=$(printf '%s' "${PROBE_LAB_SERVICE_ROUTE:-$route}" | tr '[:upper:]' '[:lower:]')
[[ $chosen == "$route" ]] ||
  die "PROBE_LAB_SERVICE_ROUTE=$PROBE_LAB_SERVICE_ROUTE does not fit LB_PROVIDER=${LB_PROVIDER:-auto}: e2e.sh tests through $route (LB_PROVIDER=none for port-forwards)"
[[ $lb_wait =~ ^[0-9]+$ ]] || die "PROBE_LAB_LB_WAIT_SECONDS=$lb_wait is not a whole number of seconds"

# ---- the cluster, deleted on the way out whatever happens; on failure its logs are exported first
# (the exit trap of kind's own hack/ci/e2e.sh: export the logs, delete the cluster, the temp dir last)
cleanup() {
  local status=$?
  ((status == 0)) || export_logs
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
# KEEP_CLUSTER=1: on failure create-cluster.sh leaves the cluster to this script's cleanup (logs first).
KEEP_CLUSTER=1 bash "$here/create-cluster.sh" || status=$?
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
say "building the app images (images/build-apps.sh --docker)"
images/build-apps.sh --docker || die "the image build failed"

say "loading the images into $KIND_CLUSTER"
bash "$here/load-images.sh" || die "load-images.sh failed"

say "running the cluster tests (kind-tests, PROBE_LAB_SERVICE_ROUTE=$route, PROBE_LAB_LB_WAIT_SECONDS=$lb_wait)"
KUBECONFIG="$work/kubeconfig" PROBE_LAB_CLUSTER_TESTS=1 PROBE_LAB_SERVICE_ROUTE=$route PROBE_LAB_LB_WAIT_SECONDS=$lb_wait \
  ./mvnw -B -pl kind-tests -am verify ||
  die "cluster tests failed: see the output above and kind-tests/target/failsafe-reports/"
say "all cluster tests passed on $KIND_CLUSTER"
