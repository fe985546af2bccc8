#!/usr/bin/env bash
# Runs every lab step on a real kubelet (k8s/offline-cluster) and under ./lab at the same time
# (kind-tests' LabVsKubeletIT) and writes the table of what each did into docs/local-lab.md.
# Needs root and Docker; the first run builds Kubernetes (about 15 minutes). A cluster this script
# started is stopped again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../k8s/offline-cluster/lib.sh source-path=SCRIPTDIR
source k8s/offline-cluster/lib.sh

CLUSTER_STARTED_HERE=false
cleanup() { if $CLUSTER_STARTED_HERE; then k8s/offline-cluster/down.sh --quiet; fi; }
trap cleanup EXIT

offline_cluster_up
export KUBECTL PROBE_LAB_CLUSTER_TESTS=1 PROBE_LAB_SERVICE_ROUTE=nodeport PROBE_LAB_DIFFERENTIAL=1 PROBE_LAB_UPDATE_DOCS=1
./mvnw -B -q -pl kind-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LabVsKubeletIT
say "docs/local-lab.md updated from kind-tests/target/lab-vs-kubelet.md"
