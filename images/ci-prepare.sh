#!/usr/bin/env bash
# The one entry CI calls before `./mvnw -B verify -Pimages`. Idempotent; run as root.
#  1. installs docker.io docker-registry qemu-user-static binfmt-support mmdebstrap if missing
#  2. starts dockerd (background) and waits for `docker info`
#  3. starts the local registry on 127.0.0.1:5000
#  4. enables arm64 emulation (binfmt_misc, qemu-aarch64)
#  5. builds (or takes from /var/cache/probe-lab) and pushes the offline JRE base images
#     with a manifest list: 127.0.0.1:5000/base-jre:21 for linux/amd64 and linux/arm64
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root (installs packages, starts dockerd)"
start=$SECONDS

packages=(docker.io docker-registry qemu-user-static binfmt-support mmdebstrap curl)
missing=()
for p in "${packages[@]}"; do
  # A machine with its own Docker engine (e.g. a hosted CI runner) keeps it.
  [[ $p == docker.io ]] && command -v dockerd >/dev/null && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
else
  say "packages already installed"
fi

bash "$here/start-docker.sh"
bash "$here/start-registry.sh"

if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
update-binfmts --enable qemu-aarch64 2>/dev/null || true
grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 || die "arm64 emulation (qemu-aarch64) not enabled"
say "arm64 emulation enabled"

bash "$here/build-base.sh"
say "ready in $((SECONDS - start))s: docker, registry $REGISTRY_ADDR, base $BASE_IMAGE"
