#!/usr/bin/env bash
# Runs the walkthrough's steps on a real cluster and writes what kubectl printed into docs/samples/:
# the sample outputs docs/lab-walkthrough.md shows are quoted from these files (DocsTest checks it).
#
#   sudo docs/capture-samples.sh     on the offline cluster (k8s/offline-cluster/), started here and
#                                    stopped again if it was not running
#   KUBECONFIG=... docs/capture-samples.sh
#                                    on another cluster (kind), in its current namespace
#
# Each file starts with the command that printed each part ("$ kubectl ..."). It takes about ten
# minutes: the steps run one after another, with the course's timings, in the default namespace as
# the walkthrough does, and each is deleted before the next.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../lib/probe-lab.sh
source lib/probe-lab.sh
out=docs/samples
kubectl=${KUBECTL:-kubectl}

CLUSTER_STARTED_HERE=false
watch_pid=
applied=
cleanup() {
  local status=$?
  [[ -n $watch_pid ]] && kill "$watch_pid" 2>/dev/null
  [[ -n $applied ]] && "$kubectl" delete -f "$applied" --ignore-not-found --wait=false >/dev/null 2>&1
  if $CLUSTER_STARTED_HERE; then k8s/offline-cluster/down.sh >/dev/null 2>&1 || true; fi
  ((status == 0)) || say "stopped early; what was captured so far is in $out"
}
trap cleanup EXIT

if [[ -z ${KUBECONFIG:-} ]]; then
  [[ $(id -u) == 0 ]] || die "no KUBECONFIG: run as root to use the offline cluster, or set KUBECONFIG"
  # shellcheck source=../k8s/offline-cluster/lib.sh
  source k8s/offline-cluster/lib.sh
  offline_cluster_up
  kubectl=$KUBECTL
fi
need "$kubectl"
"$kubectl" get --raw /version >/dev/null || die "the cluster does not answer (KUBECONFIG=$KUBECONFIG)"
mkdir -p "$out"

# kubectl as the walkthrough types it ("kubectl ..."), run with this cluster's kubectl.
k() {
  printf '$ kubectl %s\n' "$*"
  "$kubectl" "$@" 2>&1 || true
}

# apply MANIFEST: applies it and remembers it for the clean-up.
apply() {
  applied=$1
  k apply -f "$1"
}
# finish: deletes the step's objects and waits until its pods are gone.
finish() {
  "$kubectl" delete -f "$applied" --ignore-not-found --wait=true --timeout=120s >/dev/null
  applied=
}
# watch FILE ARGS...: `kubectl get ... -w` into FILE in the background.
watch() {
  local file=$1
  shift
  printf '$ kubectl %s\n' "$*" >"$file"
  "$kubectl" "$@" >>"$file" 2>&1 &
  watch_pid=$!
}
stop_watch() {
  kill "$watch_pid" 2>/dev/null || true
  wait "$watch_pid" 2>/dev/null || true
  watch_pid=
}
# until_restarts FILE N SECONDS: waits until the watch in FILE shows RESTARTS N, at most SECONDS.
until_restarts() {
  local deadline=$((SECONDS + $3))
  until awk -v n="$2" '$4 == n' "$1" | grep -q .; do
    ((SECONDS < deadline)) || { say "no restart $2 within $3 s"; return 0; }
    sleep 2
  done
}

say "versions"
{
  k version --short
} >"$out/versions.txt"

say "5.1 liveness1: 2 minutes"
{
  apply k8s/liveness1.yaml
  sleep 120
  k get pods
  k describe pod -l app=nodeapp
  finish
} >"$out/liveness1.txt"

say "5.1 liveness2: until the third restart (about 4 minutes)"
{
  apply k8s/liveness2.yaml
} >"$out/liveness2.txt"
watch "$out/liveness2-watch.txt" get pod liveness2 -w
sleep 180
k describe pod liveness2 >>"$out/liveness2.txt"
until_restarts "$out/liveness2-watch.txt" 3 180
stop_watch
finish

say "5.3 startup: 3 minutes, and the watch until the fifth restart"
{
  apply k8s/startup.yaml
} >"$out/startup.txt"
watch "$out/startup-watch.txt" get pods -w
sleep 180
until_restarts "$out/startup-watch.txt" 5 60
stop_watch
{
  k get pods
  k describe pod -l app=nodeapp
} >>"$out/startup.txt"
finish

say "5.3 startup-probe: the course's misindented file"
k apply -f lab-manifests/src/test/resources/fixtures/course/startup-probe-misindented.yaml \
  >"$out/startup-probe-misindented.txt"

say "written: $(cd "$out" && echo *.txt)"
