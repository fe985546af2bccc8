# shellcheck shell=bash disable=SC2034
# Shared by up.sh, down.sh and build.sh: versions, checksums, paths and ports, on top of
# lib/probe-lab.sh. Source it, don't run it.
# shellcheck source=../../lib/probe-lab.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/probe-lab.sh"

OC_DIR=$PROBE_LAB_ROOT/k8s/offline-cluster
REPO_ROOT=$PROBE_LAB_ROOT

# Kubernetes v1.20.2 from Debian bookworm's source package `kubernetes`: its .orig.tar.gz is the whole
# upstream tree with vendor/, so it builds with no module download (Debian's later `kubernetes`
# source packages are cut down to kubectl). Debian's `kubernetes-client` is the matching kubectl.
K8S_VERSION=v1.20.2
K8S_DEB_VERSION=1.20.5+really1.20.2-1.1+deb12u1
K8S_ORIG=kubernetes_1.20.5+really1.20.2.orig.tar.gz
K8S_ORIG_SHA256=b83c0780efb182d928dc63d46488a847f161f04e40a94b96bf5247dd671ecdfc
# Go 1.15, the Go of Kubernetes v1.20 (newer Go breaks its vendored modern-go/reflect2 at run time):
# Debian bullseye's golang-1.15 packages, unpacked with dpkg -x, not installed.
GO_DEB_VERSION=1.15.15-1~deb11u4
GO_DEBS_SHA256="33f6680406698b60370322aa5710be199006b3d66fbb0974b44da012de3aa82a  golang-1.15-go_${GO_DEB_VERSION}_amd64.deb
e580f570f706d801191f9a17e55156736fc5979a6a878bab9304ca007ae29941  golang-1.15-src_${GO_DEB_VERSION}_amd64.deb"
COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
# kubectl of the same version, from Debian's kubernetes-client, unpacked into the cache so that the
# machine's own kubectl (often a newer one, of another package) stays as it is.
KUBECTL=${OFFLINE_CLUSTER_CACHE:-/var/cache/probe-lab/offline-cluster}/kubectl-$K8S_DEB_VERSION/usr/bin/kubectl

# The busybox image liveness2.yaml runs, made from Debian bookworm's busybox-static (a static binary:
# the image needs nothing else). The manifest names busybox:1.36.1; this one is BusyBox 1.35.0, and
# its labels say so.
BUSYBOX_TAG=busybox:1.36.1
BUSYBOX_DEB_VERSION=1:1.35.0-4+deb12u1+b1
# The pod sandbox image the v1.20 kubelet asks for, built from the tree's build/pause/linux/pause.c.
PAUSE_IMAGE=k8s.gcr.io/pause:3.2

# Where things live. The cache survives down.sh; the state is made anew by each up.sh.
CACHE_DIR=${OFFLINE_CLUSTER_CACHE:-/var/cache/probe-lab/offline-cluster}
CLUSTER_STATE_DIR=${OFFLINE_CLUSTER_STATE:-/var/lib/probe-lab/offline-cluster}
LOG_DIR=${OFFLINE_CLUSTER_LOGS:-/var/log/probe-lab/offline-cluster}
PID_DIR=$CLUSTER_STATE_DIR/pids
KUBECONFIG_FILE=$CLUSTER_STATE_DIR/admin.kubeconfig

# The node's name. The apiserver reaches the kubelet (logs, exec, port-forward) at the node's
# Hostname address, and `localhost` is the one name that resolves to the 127.0.0.1 the kubelet listens
# on (a node IP may not be loopback: validateNodeIP in pkg/kubelet/kubelet_node_status.go).
NODE_NAME=localhost
SERVICE_CIDR=10.0.0.0/24
CLUSTER_DNS=10.0.0.10
# Every port the cluster listens on, all on 127.0.0.1: etcd client and peer, apiserver, kubelet API and
# healthz, kube-proxy metrics and healthz, controller-manager, scheduler.
PORTS=(2379 2380 6443 10250 10248 10249 10256 10257 10259)
# Kernel settings the kubelet (setupKernelTunables: it sets what it needs) and kube-proxy (node ports on
# 127.0.0.1) change: up.sh saves them, down.sh puts them back.
SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet)
# The kube-proxy flag that also keeps NodePorts on 127.0.0.1.
NODEPORT_ADDRESSES=127.0.0.0/8


# build_key: names one build of the components: the source version and the patch set.
build_key() {
  local patches
  patches=$(cat "$OC_DIR"/patches/*.patch | sha256sum | cut -c1-12)
  printf '%s-go%s-%s' "${K8S_DEB_VERSION//[^A-Za-z0-9.+-]/_}" "${GO_DEB_VERSION%%-*}" "$patches"
}
BIN_DIR=$CACHE_DIR/bin/$(build_key)

# An apt that reads its own sources list (bookworm's sources, bullseye's binaries) into the cache, so
# the machine's apt configuration is never changed. It uses the machine's own Debian mirror.
extra_apt() {
  local dir=$CACHE_DIR/apt mirror
  mirror=$(debian_mirror)
  mkdir -p "$dir/lists/partial" "$dir/archives/partial"
  cat >"$dir/sources.list" <<EOF
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bullseye main
EOF
  apt-get -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir" -o Dir::Cache::archives="$dir/archives" "$@"
}

# debian_mirror: the first Debian archive URI the machine's apt is configured with.
debian_mirror() {
  local uri
  # shellcheck disable=SC2016 # apt's own $(FIELD) syntax, not the shell's
  uri=$(apt-get indextargets --format '$(REPO_URI)' 'Origin: Debian' 2>/dev/null | grep -v -- '-security' | head -n 1)
  [[ -n $uri ]] || die "no Debian archive in the machine's apt sources (apt-get indextargets): cannot fetch the Kubernetes source"
  printf '%s\n' "${uri%/}"
}

# offline_cluster_up: for a script that needs the cluster: starts it unless it is running (then
# CLUSTER_STARTED_HERE=true, so the script's clean-up can stop it again with down.sh) and exports
# its KUBECONFIG.
offline_cluster_up() {
  CLUSTER_STARTED_HERE=false
  [[ -f $PID_DIR/kube-apiserver.pid ]] || CLUSTER_STARTED_HERE=true
  KUBECONFIG=$("$OC_DIR/up.sh" | sed -n 's/^export KUBECONFIG=//p')
  [[ -n $KUBECONFIG ]] || die "up.sh printed no KUBECONFIG: read its output above"
  export KUBECONFIG
}
