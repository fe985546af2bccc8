#!/usr/bin/env bash
# Builds the five Kubernetes components (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet, kube-proxy) once per source version and patch set, into $CACHE_DIR/bin/<key>/, with Go's
# build cache beside them. up.sh calls it; it returns at once when the binaries are there.
# Fetches with an apt of its own (lib.sh: extra_apt), checks every download's SHA-256, applies
# patches/*.patch and nothing else. Needs root (apt), rsync and make.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

if [[ -x $BIN_DIR/kubelet && -f $BIN_DIR/.complete ]]; then
  exit 0
fi
build_log=$LOG_DIR/build.log
mkdir -p "$LOG_DIR" "$CACHE_DIR/downloads"
: >"$build_log"
trap 'say "ERROR: the Kubernetes build failed; read $build_log"' ERR
started=$SECONDS

# 1. Sources and Go, fetched into the cache and checked.
downloads=$CACHE_DIR/downloads
check() { (cd "$downloads" && sha256sum --quiet -c -) <<<"$1" >>"$build_log" 2>&1; }
if ! check "$K8S_ORIG_SHA256  $K8S_ORIG" 2>/dev/null || ! check "$GO_DEBS_SHA256" 2>/dev/null; then
  say "fetching Kubernetes $K8S_VERSION (Debian source package kubernetes $K8S_DEB_VERSION) and Go $GO_DEB_VERSION"
  [[ -n $(apt-get indextargets 2>/dev/null) ]] || apt-get update -q >>"$build_log" 2>&1
  extra_apt update >>"$build_log" 2>&1
  # apt checks the source package's files against the .dsc, and the .dsc against the signed index.
  (cd "$downloads" && extra_apt source --download-only "kubernetes=$K8S_DEB_VERSION" &&
    extra_apt download "golang-1.15-go=$GO_DEB_VERSION" "golang-1.15-src=$GO_DEB_VERSION") >>"$build_log" 2>&1
  check "$K8S_ORIG_SHA256  $K8S_ORIG" || { say "ERROR: $K8S_ORIG does not match its SHA-256 ($build_log)"; exit 1; }
  check "$GO_DEBS_SHA256" || { say "ERROR: the Go 1.15 packages do not match their SHA-256 ($build_log)"; exit 1; }
fi

go_root=$CACHE_DIR/go-$GO_DEB_VERSION
if [[ ! -x $go_root/usr/lib/go-1.15/bin/go ]]; then
  rm -rf "$go_root"
  for deb in "$downloads"/golang-1.15-*_"$GO_DEB_VERSION"_amd64.deb; do dpkg -x "$deb" "$go_root"; done
fi

# 2. The tree, always at the same path so that Go's build cache hits on a rebuild.
src=$CACHE_DIR/build/kubernetes
say "unpacking and patching the source (log: $build_log)"
rm -rf "$src" && mkdir -p "$src"
tar xzf "$downloads/$K8S_ORIG" --strip-components=1 -C "$src"
for patch in "$OC_DIR"/patches/*.patch; do
  patch -d "$src" -p1 --forward --batch <"$patch" >>"$build_log" 2>&1 ||
    { trap - ERR; die "patches/$(basename "$patch") does not apply to Kubernetes $K8S_VERSION; read $build_log"; }
done

# 3. The build: generated OpenAPI code first (kube-apiserver needs it), then the five components.
export GOROOT=$go_root/usr/lib/go-1.15 GOFLAGS=-mod=vendor GOPROXY=off GO111MODULE=on
export GOCACHE=$CACHE_DIR/go-build GOPATH=$CACHE_DIR/gopath PATH=$go_root/usr/lib/go-1.15/bin:$PATH
say "building Kubernetes $K8S_VERSION with $(go version | cut -d' ' -f3) (about 15 minutes of CPU on 2 cores the first time)"
(cd "$src" && make gen_openapi) >>"$build_log" 2>&1
# Without the version stamped in, the binaries report an empty version and clients complain.
minor=$(cut -d. -f2 <<<"$K8S_VERSION")
version_flags="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1
  -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean
  -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
mkdir -p "$BIN_DIR.tmp"
for component in "${COMPONENTS[@]}"; do
  say "  $component"
  (cd "$src" && CGO_ENABLED=0 go build -ldflags "-s -w $version_flags" -o "$BIN_DIR.tmp/$component" "./cmd/$component") >>"$build_log" 2>&1
done
touch "$BIN_DIR.tmp/.complete"
rm -rf "$BIN_DIR" && mv "$BIN_DIR.tmp" "$BIN_DIR"
rm -rf "$src"
say "built in $((SECONDS - started)) s: $BIN_DIR"
