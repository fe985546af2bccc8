# shellcheck shell=bash disable=SC2034 # the names are for the scripts that source it
# Shared by the scripts in images/: names, paths and small helpers, on top of lib/probe-lab.sh.
# Source it, don't run it.
# shellcheck source=../lib/probe-lab.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/probe-lab.sh"

REGISTRY_ADDR=${REGISTRY_ADDR:-127.0.0.1:5000}
# Where the app images go offline: the default names (probe-lab/<app>) with this registry in front.
OFFLINE_IMAGE_REGISTRY=${OFFLINE_IMAGE_REGISTRY:-$REGISTRY_ADDR/probe-lab}
# The offline JRE base: Debian's OpenJDK 21 (an LTS, like the default eclipse-temurin:21-jre).
BASE_SUITE=${BASE_SUITE:-trixie}
BASE_JDK=${BASE_JDK:-21}
BASE_IMAGE=${BASE_IMAGE:-$REGISTRY_ADDR/base-jre:$BASE_JDK}
BASE_ARCHES=${BASE_ARCHES:-"amd64 arm64"}

CACHE_DIR=${CACHE_DIR:-/var/cache/probe-lab}
# The local registry's configuration and data.
REGISTRY_DIR=${REGISTRY_DIR:-/var/lib/probe-lab/registry}
LOG_DIR=${LOG_DIR:-/var/log/probe-lab}

REPO_ROOT=$PROBE_LAB_ROOT

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.5 s until it succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what not ready after ${limit}s"
    sleep 0.5
  done
}

registry_up() { command -v curl >/dev/null && curl -fs "http://$REGISTRY_ADDR/v2/" >/dev/null; }

# base_in_registry: the local registry serves $BASE_IMAGE (build-base.sh pushed it).
base_in_registry() {
  local repo=${BASE_IMAGE#*/}
  curl -fs -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$REGISTRY_ADDR/v2/${repo%:*}/manifests/${repo##*:}"
}

# debian_rootfs ARCH NAME MMDEBSTRAP_ARGS...: prints the path of a tarball of a Debian $BASE_SUITE root
# file system made by mmdebstrap with those arguments, built once and cached in $CACHE_DIR (arm64 runs
# its package scripts under qemu and takes minutes). The arguments' hash is part of the file name, so a
# changed recipe builds anew.
debian_rootfs() {
  local arch=$1 name=$2 hash tarball start
  shift 2
  hash=$(printf '%s\n' "$BASE_SUITE" "$@" | sha256sum | cut -c1-12)
  tarball=$CACHE_DIR/rootfs-$BASE_SUITE-$name-$arch-$hash.tar
  mkdir -p "$CACHE_DIR"
  if [[ -s $tarball ]]; then
    say "$arch: cached root file system $tarball"
  else
    say "$arch: building root file system with mmdebstrap (arm64 under qemu takes a few minutes)"
    start=$SECONDS
    # Called as $(debian_rootfs ...), where set -e does not reach: each failure is stopped here.
    mmdebstrap --quiet --format=tar --arch="$arch" "$@" "$BASE_SUITE" "$tarball.partial" >&2 \
      || { rm -f "$tarball.partial"; die "$arch: mmdebstrap failed (its output is above)"; }
    mv "$tarball.partial" "$tarball" || die "$arch: cannot move $tarball.partial into place"
    say "$arch: root file system built in $((SECONDS - start))s: $tarball"
  fi
  echo "$tarball"
}
