#!/usr/bin/env bash
# Builds the three app images for linux/amd64 and linux/arm64 with Jib on the offline base
# ($BASE_IMAGE, from build-base.sh) and pushes them to the local registry as Docker manifest
# lists: 127.0.0.1:5000/probe-lab/<app>:<version>. This is what `./mvnw verify -Pimages` does
# before the image tests; run it alone to (re)build the images. Extra arguments go to Maven
# before the phase (e.g. `clean`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
registry_up || die "no registry on $REGISTRY_ADDR: run images/start-registry.sh (or images/ci-prepare.sh)"

cd "$REPO_ROOT"
./mvnw -B -q -Pimages -DskipTests \
  -Dimage.registry="$OFFLINE_IMAGE_REGISTRY" -Djib.from.image="$BASE_IMAGE" \
  -pl "$(echo $APPS | tr ' ' ,)" -am "$@" package
for app in $APPS; do
  log "pushed $OFFLINE_IMAGE_REGISTRY/$app ($(cat "$app/target/jib-image.digest"))"
done
