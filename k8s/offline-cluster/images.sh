#!/usr/bin/env bash
# The images the offline cluster's pods need, built into the host's Docker when missing (nothing can be
# pulled here):
#  - $PAUSE_IMAGE, every pod's sandbox: the tree's own build/pause/linux/pause.c, compiled static;
#  - $BUSYBOX_TAG for liveness2.yaml: Debian bookworm's busybox-static $BUSYBOX_DEB_VERSION (BusyBox
#    1.35.0), under the tag the manifest names, its real origin and version in its labels;
#  - the three app images, by the README's image build (images/build-apps.sh --docker).
# Called by up.sh; needs build.sh's downloads (for pause.c), gcc, libc6-dev and a running Docker.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

log=$LOG_DIR/images.log
mkdir -p "$LOG_DIR"
has_image() { docker image inspect "$1" >/dev/null 2>&1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! has_image "$PAUSE_IMAGE"; then
  say "building $PAUSE_IMAGE from build/pause/linux/pause.c of Kubernetes $K8S_VERSION"
  tar xzf "$CACHE_DIR/downloads/$K8S_ORIG" -C "$work" --wildcards --strip-components=4 '*/build/pause/linux/pause.c'
  {
    gcc -Os -static -DVERSION=v3.2-offline -o "$work/pause" "$work/pause.c" &&
      printf 'FROM scratch\nADD pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$work/Dockerfile" &&
      docker build --label "org.opencontainers.image.source=kubernetes $K8S_VERSION build/pause/linux/pause.c" \
        -t "$PAUSE_IMAGE" "$work"
  } >>"$log" 2>&1 || die "building $PAUSE_IMAGE failed; read $log"
fi

if ! has_image "$BUSYBOX_TAG"; then
  say "building $BUSYBOX_TAG from Debian's busybox-static $BUSYBOX_DEB_VERSION"
  (cd "$work" && apt-get download "busybox-static=$BUSYBOX_DEB_VERSION") >>"$log" 2>&1 ||
    die "apt-get download busybox-static=$BUSYBOX_DEB_VERSION failed; read $log"
  dpkg -x "$work"/busybox-static_*.deb "$work/deb"
  mkdir -p "$work/root/bin" "$work/root/tmp"
  cp "$work/deb/bin/busybox" "$work/root/bin/busybox"
  # One link per applet, as the official image has them; sh, cat, touch, rm and sleep are what the lab runs.
  for applet in $("$work/root/bin/busybox" --list); do
    [[ $applet == busybox ]] || ln -s busybox "$work/root/bin/$applet"
  done
  chmod 1777 "$work/root/tmp"
  printf 'FROM scratch\nCOPY root/ /\nENV PATH=/bin\nCMD ["sh"]\n' >"$work/Dockerfile"
  docker build -t "$BUSYBOX_TAG" \
    --label "org.opencontainers.image.title=BusyBox from Debian's busybox-static $BUSYBOX_DEB_VERSION" \
    --label "org.opencontainers.image.version=$BUSYBOX_DEB_VERSION" \
    --label "org.opencontainers.image.source=Debian bookworm, package busybox-static" \
    "$work" >>"$log" 2>&1 || die "building $BUSYBOX_TAG failed; read $log"
fi

version=$(project_version)
for app in "${APPS[@]}"; do
  if ! has_image "probe-lab/$app:$version"; then
    say "probe-lab/$app:$version is not in Docker: building the app images (images/build-apps.sh --docker)"
    "$REPO_ROOT/images/build-apps.sh" --docker >>"$log" 2>&1 || die "building the app images failed; read $log"
    break
  fi
done
