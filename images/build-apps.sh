#!/usr/bin/env bash
# The one image build of the three apps (Jib, no Dockerfile). Two targets:
#   images/build-apps.sh --docker   the host's platform into the local Docker engine, as
#                                   probe-lab/<app>:<version>: what kind, minikube and the offline
#                                   cluster run. The base is eclipse-temurin:21-jre, or the offline base
#                                   ($BASE_IMAGE) when the local registry serves it (images/ci-prepare.sh).
#   images/build-apps.sh            linux/amd64 and linux/arm64 on the offline base, pushed to the local
#                                   registry as manifest lists: 127.0.0.1:5000/probe-lab/<app>:<version>;
#                                   what `./mvnw verify -Pimages` does before the image tests.
# Other arguments go to Maven before the phase (e.g. `clean`).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
modules=$APP_MODULES

if [[ ${1:-} == --docker ]]; then
  shift
  base=()
  if registry_up && base_in_registry; then
    base=(-Djib.from.image="$BASE_IMAGE" -Djib.allowInsecureRegistries=true)
    say "base image: $BASE_IMAGE (offline)"
  fi
  ./mvnw -B -q -DskipTests -pl "$modules" -am ${base[@]+"${base[@]}"} "$@" package jib:dockerBuild
  docker images 'probe-lab/*' >&2
  exit 0
fi

registry_up || die "no registry on $REGISTRY_ADDR: run images/start-registry.sh (or images/ci-prepare.sh)"
./mvnw -B -q -Pimages -DskipTests \
  -Dimage.registry="$OFFLINE_IMAGE_REGISTRY" -Djib.from.image="$BASE_IMAGE" \
  -pl "$modules" -am "$@" package
for app in "${APPS[@]}"; do
  say "pushed $OFFLINE_IMAGE_REGISTRY/$app ($(cat "$app/target/jib-image.digest"))"
done
