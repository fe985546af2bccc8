# shellcheck shell=bash disable=SC2034
# Shared by the scripts in k8s/kind/: names, defaults and small helpers. Source it, don't run it.

KIND_CLUSTER=${KIND_CLUSTER:-probe-lab}
KIND_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$KIND_DIR/../.." && pwd)

# The images the lab's manifests name (k8s/*.yaml): ours, tagged with the project version, and busybox.
APPS=(liveness-app readiness-app startup-app)
BUSYBOX_IMAGE=busybox:1.36.1
# The parent pom's own <version> (the first one indented by two spaces), unless IMAGE_VERSION is set.
IMAGE_VERSION=${IMAGE_VERSION:-$(sed -n 's|^  <version>\(.*\)</version>.*|\1|p' "$REPO_ROOT/pom.xml" | head -n 1)}

# Where create-cluster.sh keeps the cloud-provider-kind it started (one serves every kind cluster).
STATE_DIR=${STATE_DIR:-${TMPDIR:-/tmp}/probe-lab-kind}
CPK_PID_FILE=$STATE_DIR/cloud-provider-kind.pid
CPK_LOG=${CPK_LOG:-$STATE_DIR/cloud-provider-kind.log}
# The label cloud-provider-kind puts on the load balancer containers it creates for a cluster.
CPK_CLUSTER_LABEL=io.x-k8s.cloud-provider-kind.cluster

say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

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

cluster_exists() { kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; }

app_images() {
  local app
  for app in "${APPS[@]}"; do
    printf 'probe-lab/%s:%s\n' "$app" "$IMAGE_VERSION"
  done
}
