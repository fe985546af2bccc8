# shellcheck shell=bash disable=SC2034
# Shared by the scripts in k8s/kind/: names, defaults and small helpers, on top of lib/probe-lab.sh.
# Source it, don't run it.
# shellcheck source=../../lib/probe-lab.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/probe-lab.sh"

KIND_CLUSTER=${KIND_CLUSTER:-probe-lab}
KIND_DIR=$PROBE_LAB_ROOT/k8s/kind
REPO_ROOT=$PROBE_LAB_ROOT

# The images the lab's manifests name (k8s/*.yaml): ours (APPS), tagged with the project version
# unless IMAGE_VERSION is set, and busybox.
BUSYBOX_IMAGE=busybox:1.36.1
IMAGE_VERSION=${IMAGE_VERSION:-$(project_version)}

# The pinned versions (versions.env): defaults only, a variable already set in the environment wins.
# No `source`: that would override the environment. ${!key} and printf -v work in bash 3.2.
while IFS='=' read -r key value; do
  case $key in '' | \#*) continue ;; esac
  [[ -n ${!key:-} ]] || printf -v "$key" '%s' "$value"
done <"$KIND_DIR/versions.env"

# Where create-cluster.sh keeps the cloud-provider-kind it started (one serves every kind cluster).
KIND_STATE_DIR=${KIND_STATE_DIR:-${TMPDIR:-/tmp}/probe-lab-kind}
CPK_PID_FILE=$KIND_STATE_DIR/cloud-provider-kind.pid
# Everything to read after a failure, in one directory (the kind workflow uploads it):
# cloud-provider-kind's log and its load balancers' logs while it runs, `kind export logs` on failure.
KIND_LOG_DIR=${KIND_LOG_DIR:-$KIND_STATE_DIR/logs}
CPK_LOG=$KIND_LOG_DIR/cloud-provider-kind.log
CPK_LB_LOGS=$KIND_LOG_DIR/cloud-provider-kind
# The label cloud-provider-kind puts on the load balancer containers it creates for a cluster.
CPK_CLUSTER_LABEL=io.x-k8s.cloud-provider-kind.cluster


# need_tools: the one-line failure when docker, kind or kubectl is missing or docker is not running.
need_tools() {
  local tool
  for tool in docker kind kubectl; do
    command -v "$tool" >/dev/null 2>&1 ||
      die "$tool is not installed (or not on PATH); see docs/lab-walkthrough.md, \"Set up a cluster\""
  done
  docker info >/dev/null 2>&1 || die "docker is installed but its daemon does not answer (docker info failed): start Docker"
}

# cloud-provider-kind running (any user's); by command line, its name being longer than 15 characters.
cpk_running() {
  { [[ -f $CPK_PID_FILE ]] && kill -0 "$(cat "$CPK_PID_FILE")" 2>/dev/null; } ||
    pgrep -f '(^|/)cloud-provider-kind( |$)' >/dev/null 2>&1
}

# The host reaches docker's network (kind's nodes, MetalLB's addresses) directly only on Linux; on
# macOS and Windows docker runs in a VM.
host_reaches_docker_network() { [[ $(uname -s) == Linux ]]; }
cluster_exists() { kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; }

app_images() {
  local app
  for app in "${APPS[@]}"; do
    printf 'probe-lab/%s:%s\n' "$app" "$IMAGE_VERSION"
  done
}

# check_pins: one line and exit 1 for a malformed KIND_VERSION or a node image without its digest;
# a warning when the kind on PATH is not KIND_VERSION (the node image still fixes Kubernetes).
check_pins() {
  [[ $KIND_VERSION =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die "KIND_VERSION=$KIND_VERSION is not a kind release such as v0.31.0"
  # kind's release notes: "You must use the @sha256 digest to guarantee an image built for this release".
  [[ $KIND_NODE_IMAGE =~ ^[^@]+:v[0-9]+\.[0-9]+\.[0-9]+@sha256:[0-9a-f]{64}$ ]] ||
    die "KIND_NODE_IMAGE=$KIND_NODE_IMAGE is not a node image pinned by digest (kindest/node:vX.Y.Z@sha256:...), as kind's release notes list them"
  local installed
  installed=$(kind version 2>/dev/null | awk '{print $2}')
  [[ $installed == "$KIND_VERSION" ]] ||
    say "WARNING: kind ${installed:-of unknown version} is on PATH, but the lab pins kind $KIND_VERSION with $KIND_NODE_IMAGE (k8s/kind/versions.env): install kind $KIND_VERSION, or set KIND_VERSION and KIND_NODE_IMAGE to a pair from your kind's release notes"
}

# The Kubernetes version a node image runs: its tag (kindest/node:v1.35.0@sha256:... -> v1.35.0).
node_image_kubernetes() {
  local image=${KIND_NODE_IMAGE%%@*}
  printf '%s\n' "${image##*:}"
}

# export_logs: what a failed run leaves to read, all in KIND_LOG_DIR (kind's own hack/ci/e2e.sh
# exports the cluster's logs in its exit trap the same way, before it deletes the cluster).
export_logs() {
  mkdir -p "$KIND_LOG_DIR" || { say "could not create KIND_LOG_DIR=$KIND_LOG_DIR: no logs kept"; return 0; }
  if cluster_exists; then
    rm -rf "$KIND_LOG_DIR/kind"  # not mixed with an earlier run's
    kind export logs "$KIND_LOG_DIR/kind" --name "$KIND_CLUSTER" >/dev/null 2>&1 ||
      say "kind export logs failed for $KIND_CLUSTER"
  fi
  [[ -f $CPK_LOG ]] || say "no cloud-provider-kind log in $KIND_LOG_DIR (this run did not start cloud-provider-kind)"
  say "logs of the failed run: $KIND_LOG_DIR"
}

