#!/usr/bin/env bash
# Loads the lab's images from the local docker into the kind cluster's node, so that the
# manifests' imagePullPolicy IfNotPresent finds them there and nothing is pulled.
#
# Usage:  k8s/kind/load-images.sh [IMAGE...]
#         no arguments: probe-lab/{liveness,readiness,startup}-app:$IMAGE_VERSION, which must be in
#         docker (build them first: docs/images.md), and busybox:1.36.1 if docker has it (if not,
#         the node pulls it itself when liveness2.yaml is applied)
# Env:    KIND_CLUSTER   cluster name (default probe-lab)
#         IMAGE_VERSION  tag of our images (default: the version in the parent pom.xml)
# Exit:   0 every image loaded; 1 a tool, the cluster or an image is missing, or a load failed
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

need_tools
cluster_exists || die "no kind cluster $KIND_CLUSTER: run $KIND_DIR/create-cluster.sh first"

images=("$@")
if ((${#images[@]} == 0)); then
  while IFS= read -r image; do images+=("$image"); done < <(app_images)  # no mapfile: macOS bash 3.2
  if docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1; then
    images+=("$BUSYBOX_IMAGE")
  else
    say "$BUSYBOX_IMAGE is not in docker: the node will pull it when liveness2.yaml is applied"
  fi
fi

for image in "${images[@]}"; do
  docker image inspect "$image" >/dev/null 2>&1 ||
    die "image $image is not in docker: build it first (docs/images.md) or docker pull it"
done

arch=$(docker version --format '{{.Server.Arch}}')
for image in "${images[@]}"; do
  say "loading $image into $KIND_CLUSTER"
  if ! kind load docker-image "$image" --name "$KIND_CLUSTER" >/dev/null 2>&1; then
    # Docker's containerd image store keeps only the host's platform of a multi-platform image,
    # and `kind load docker-image` then fails ("content digest ... not found"): save that platform only.
    say "kind load docker-image failed for $image; retrying with the linux/$arch platform only"
    archive=$(mktemp "${TMPDIR:-/tmp}/probe-lab-image.XXXXXX")
    if docker save --platform "linux/$arch" -o "$archive" "$image" &&
      kind load image-archive "$archive" --name "$KIND_CLUSTER" >/dev/null; then
      rm -f "$archive"
    else
      rm -f "$archive"
      die "could not load $image into $KIND_CLUSTER"
    fi
  fi
done
say "loaded ${#images[@]} image(s) into $KIND_CLUSTER"
