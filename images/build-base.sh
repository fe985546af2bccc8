#!/usr/bin/env bash
# Builds the offline JRE base image from Debian's packages for each of $BASE_ARCHES (amd64, arm64),
# pushes one image per architecture and a manifest list $BASE_IMAGE (127.0.0.1:5000/base-jre:21)
# joining them. Root file systems come from mmdebstrap, cached in $CACHE_DIR (debian_rootfs in
# lib.sh). Needs root, mmdebstrap, docker (running), qemu-user-static for arm64,
# and the registry (start-registry.sh).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

jre_package=openjdk-$BASE_JDK-jre-headless
# Everything that decides the root file system's content.
mmdebstrap_args=(
  --variant=essential                      # no apt, no package manager: just what the JRE needs
  --include="$jre_package"
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/lintian/*'
  # the JRE's postinst registers man pages with update-alternatives, which needs this directory
  --essential-hook='mkdir -p "$1"/usr/share/man/man1'
)
build_dir=$(mktemp -d /tmp/probe-lab-base.XXXXXX)
trap 'rm -rf "$build_dir"' EXIT

per_arch_images=()
for arch in $BASE_ARCHES; do
  tarball=$(debian_rootfs "$arch" "$jre_package" "${mmdebstrap_args[@]}")

  # `docker import --platform` does not record the architecture; a FROM-scratch build does.
  ctx=$build_dir/$arch
  mkdir -p "$ctx"
  ln "$tarball" "$ctx/rootfs.tar" 2>/dev/null || cp "$tarball" "$ctx/rootfs.tar"
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
ADD rootfs.tar /
ENV JAVA_HOME=/usr/lib/jvm/java-$BASE_JDK-openjdk-$arch
LABEL org.opencontainers.image.title="base-jre" \\
      org.opencontainers.image.description="Debian $BASE_SUITE $jre_package, built offline by images/build-base.sh"
DOCKERFILE
  image=$BASE_IMAGE-$arch
  # The classic builder (no buildx needed); its deprecation notice is only shown on failure.
  if ! out=$(DOCKER_BUILDKIT=0 docker build -q --platform "linux/$arch" -t "$image" "$ctx" 2>&1); then
    printf '%s\n' "$out" >&2
    die "$arch: docker build failed"
  fi
  docker push -q "$image" >/dev/null
  per_arch_images+=("$image")
  say "$arch: pushed $image"
done

docker manifest rm "$BASE_IMAGE" >/dev/null 2>&1 || true
docker manifest create --insecure "$BASE_IMAGE" "${per_arch_images[@]}" >/dev/null
docker manifest push --insecure --purge "$BASE_IMAGE" >/dev/null
say "pushed manifest list $BASE_IMAGE ($BASE_ARCHES)"
