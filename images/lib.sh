# Shared by the scripts in images/: names, paths and small helpers. Source it, don't run it.

REGISTRY_ADDR=${REGISTRY_ADDR:-127.0.0.1:5000}
# Where the app images go offline: the default names (probe-lab/<app>) with this registry in front.
OFFLINE_IMAGE_REGISTRY=${OFFLINE_IMAGE_REGISTRY:-$REGISTRY_ADDR/probe-lab}
# The offline JRE base: Debian's OpenJDK 21 (an LTS, like the default eclipse-temurin:21-jre).
BASE_SUITE=${BASE_SUITE:-trixie}
BASE_JDK=${BASE_JDK:-21}
BASE_IMAGE=${BASE_IMAGE:-$REGISTRY_ADDR/base-jre:$BASE_JDK}
BASE_ARCHES=${BASE_ARCHES:-"amd64 arm64"}
APPS="liveness-app readiness-app startup-app"

CACHE_DIR=${CACHE_DIR:-/var/cache/probe-lab}
STATE_DIR=${STATE_DIR:-/var/lib/probe-lab}
LOG_DIR=${LOG_DIR:-/var/log/probe-lab}

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "$(basename "$0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.5 s until it succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what not ready after ${limit}s"
    sleep 0.5
  done
}

registry_up() { curl -fs "http://$REGISTRY_ADDR/v2/" >/dev/null; }

# base_in_registry: the local registry serves $BASE_IMAGE (build-base.sh pushed it).
base_in_registry() {
  local repo=${BASE_IMAGE#*/}
  curl -fs -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$REGISTRY_ADDR/v2/${repo%:*}/manifests/${repo##*:}"
}
