#!/usr/bin/env bash
# A real one-node Kubernetes v1.20.2 on this machine, from Debian's packages only: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, a kubelet on the host's Docker engine (its built-in
# dockershim) and kube-proxy in iptables mode. Everything listens on 127.0.0.1; clients use tokens.
#
#   sudo k8s/offline-cluster/up.sh      # the last line is: export KUBECONFIG=...
#   k8s/offline-cluster/down.sh         # stops it; the build cache stays
#
# Needs root and a running Docker engine (images/start-docker.sh starts one). The first run installs
# Debian packages and builds Kubernetes (build.sh, about 15 minutes on 2 cores); later runs start in
# seconds. A Service of type LoadBalancer gets no EXTERNAL-IP here: use its NodePort on 127.0.0.1.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

[[ $(id -u) == 0 ]] || die "run as root: it installs packages, runs the kubelet and writes iptables rules"
[[ $(dpkg --print-architecture) == amd64 ]] || die "the offline cluster is built for amd64 only (Go 1.15 packages pinned for amd64)"
export KUBECONFIG=$KUBECONFIG_FILE

# ---- already up?
running=() stopped=()
for c in etcd "${COMPONENTS[@]}"; do
  if [[ -f $PID_DIR/$c.pid ]] && kill -0 "$(cat "$PID_DIR/$c.pid")" 2>/dev/null; then running+=("$c"); else stopped+=("$c"); fi
done
if ((${#stopped[@]} == 0)); then
  say "the cluster is already up (logs: $LOG_DIR)"
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
  exit 0
fi
if ((${#running[@]})); then
  say "a cluster is partly up (${stopped[*]} not running; logs: $LOG_DIR): stopping it first"
fi
# Leftovers of an earlier cluster (processes, pod containers, iptables rules) go before anything starts.
"$OC_DIR/down.sh" --quiet

# ---- preconditions, each a one-line answer
started=$SECONDS
mkdir -p "$LOG_DIR"
command -v docker >/dev/null || die "docker is not installed: the kubelet runs pods on the host's Docker engine (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "Docker does not answer (docker info failed): start it first, e.g. images/start-docker.sh"
for port in "${PORTS[@]}"; do
  holder=$(ss -Htlnp "sport = :$port" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\).*/\1/p' | head -n 1)
  if [[ -n $(ss -Htln "sport = :$port" 2>/dev/null) ]]; then
    die "port $port is already taken${holder:+ by $holder}: the cluster needs ${PORTS[*]} free on 127.0.0.1 (ss -ltnp)"
  fi
done

# ---- packages: etcd, kubectl, and what the kubelet, kube-proxy and the image builds call
packages=(etcd-server conntrack iptables socat util-linux openssl rsync make gcc libc6-dev curl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"

  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$LOG_DIR/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed; read $LOG_DIR/apt.log"
fi

# ---- the binaries (cached), kubectl of the same version, and the images the lab needs
if [[ ! -x $KUBECTL ]]; then
  work=$(mktemp -d)
  (cd "$work" && apt-get download "kubernetes-client=$K8S_DEB_VERSION") >>"$LOG_DIR/apt.log" 2>&1 ||
    { rm -rf "$work"; die "apt-get download kubernetes-client=$K8S_DEB_VERSION failed; read $LOG_DIR/apt.log"; }
  dpkg -x "$work"/kubernetes-client_*.deb "${KUBECTL%/usr/bin/kubectl}"
  rm -rf "$work"
fi
kubectl() { "$KUBECTL" "$@"; }
"$OC_DIR/build.sh"
"$OC_DIR/images.sh"

# ---- from here on, a failure stops everything this run started
mkdir -p "$CLUSTER_STATE_DIR" "$PID_DIR" "$LOG_DIR"
for c in etcd "${COMPONENTS[@]}"; do : >"$LOG_DIR/$c.log"; done
cleanup_on_failure() {
  local status=$?
  ((status == 0)) && return
  "$OC_DIR/down.sh" --quiet || true
  exit "$status"
}
trap cleanup_on_failure EXIT

# ---- credentials: one CA, the API server's serving and kubelet-client certificates, the
# service-account key pair, and a static token per client (the insecure port is gone in v1.20)
pki=$CLUSTER_STATE_DIR/pki
mkdir -p "$pki" && chmod 700 "$pki"
openssl_log=$LOG_DIR/openssl.log
sign() { # sign NAME SUBJECT [SAN]: NAME.key and NAME.crt, signed by the CA
  local ext=()
  openssl genrsa -out "$pki/$1.key" 2048
  openssl req -new -key "$pki/$1.key" -subj "$2" -out "$pki/$1.csr"
  if [[ -n ${3:-} ]]; then printf 'subjectAltName=%s\n' "$3" >"$pki/$1.ext" && ext=(-extfile "$pki/$1.ext"); fi
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -out "$pki/$1.crt" "${ext[@]}"
}
{
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 30 -subj "/CN=probe-lab-offline-ca"
  sign apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  openssl genrsa -out "$pki/sa.key" 2048
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
} >"$openssl_log" 2>&1 || die "making the cluster's certificates failed; read $openssl_log"

# Users as the RBAC bootstrap policy knows them, so --authorization-mode=Node,RBAC works as on kind.
declare -A users=(
  [admin]="admin,admin,system:masters"
  [kubelet]="system:node:$NODE_NAME,system:node:$NODE_NAME,system:nodes"
  [kube-controller-manager]="system:kube-controller-manager,system:kube-controller-manager,"
  [kube-scheduler]="system:kube-scheduler,system:kube-scheduler,"
  [kube-proxy]="system:kube-proxy,system:kube-proxy,"
)
: >"$pki/tokens.csv"
for who in "${!users[@]}"; do
  token=$(openssl rand -hex 24)
  IFS=, read -r user uid group <<<"${users[$who]}"
  printf '%s,%s,%s,"%s"\n' "$token" "$user" "$uid" "$group" >>"$pki/tokens.csv"
  kubeconfig=$CLUSTER_STATE_DIR/$who.kubeconfig
  [[ $who == admin ]] && kubeconfig=$KUBECONFIG_FILE
  cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: offline
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
- name: $who
  user:
    token: $token
contexts:
- name: offline
  context:
    cluster: offline
    user: $who
current-context: offline
EOF
done
chmod 600 "$pki"/*.key "$pki/tokens.csv" "$CLUSTER_STATE_DIR"/*.kubeconfig

# ---- start: start NAME ARGS...: in its own session, its output in $LOG_DIR/NAME.log, its pid recorded
start() {
  local name=$1; shift
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$name.pid"
}
# alive NAME: dies with the component's log when it has exited
alive() {
  kill -0 "$(cat "$PID_DIR/$1.pid")" 2>/dev/null || die "$1 exited; read $LOG_DIR/$1.log (last line: $(tail -n 1 "$LOG_DIR/$1.log"))"
}
# wait_for SECONDS WHAT COMMAND...: polls COMMAND while every started component is alive
wait_for() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1)); shift 2
  until "$@" >/dev/null 2>&1; do
    for pid_file in "$PID_DIR"/*.pid; do alive "$(basename "$pid_file" .pid)"; done
    ((SECONDS < deadline)) || die "$what not within ${limit}s; logs in $LOG_DIR"
    sleep 0.5
  done
}

for key in "${SYSCTLS[@]}"; do printf '%s = %s\n' "$key" "$(sysctl -n "$key")"; done >"$CLUSTER_STATE_DIR/sysctl.saved"

say "starting Kubernetes $K8S_VERSION (logs: $LOG_DIR)"
start etcd etcd --name offline --data-dir "$CLUSTER_STATE_DIR/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster offline=http://127.0.0.1:2380
wait_for 30 "etcd answering" curl -fs http://127.0.0.1:2379/health

start kube-apiserver "$BIN_DIR/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=6443 --insecure-port=0 \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
  --token-auth-file="$pki/tokens.csv" --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction --service-cluster-ip-range="$SERVICE_CIDR" \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=Hostname
wait_for 60 "kube-apiserver ready" kubectl get --raw /readyz

start kube-controller-manager "$BIN_DIR/kube-controller-manager" --kubeconfig="$CLUSTER_STATE_DIR/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig="$CLUSTER_STATE_DIR/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig="$CLUSTER_STATE_DIR/kube-controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --port=0 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" --service-cluster-ip-range="$SERVICE_CIDR"
start kube-scheduler "$BIN_DIR/kube-scheduler" --kubeconfig="$CLUSTER_STATE_DIR/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig="$CLUSTER_STATE_DIR/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig="$CLUSTER_STATE_DIR/kube-scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --port=0 --leader-elect=false

# --cluster-dns: without it every pod sync records a MissingClusterDNS warning, and those would use
# up the pod's event budget before the probe events come. --image-gc-high-threshold=100: the lab's
# images cannot be pulled again, so they are never collected.
start kubelet "$BIN_DIR/kubelet" --kubeconfig="$CLUSTER_STATE_DIR/kubelet.kubeconfig" --hostname-override="$NODE_NAME" \
  --address=127.0.0.1 --healthz-bind-address=127.0.0.1 --read-only-port=0 \
  --anonymous-auth=false --client-ca-file="$pki/ca.crt" --authentication-token-webhook --authorization-mode=Webhook \
  --container-runtime=docker --cgroup-driver=cgroupfs --pod-infra-container-image="$PAUSE_IMAGE" \
  --root-dir="$CLUSTER_STATE_DIR/kubelet" --experimental-dockershim-root-directory="$CLUSTER_STATE_DIR/dockershim" \
  --cert-dir="$CLUSTER_STATE_DIR/kubelet/pki" --fail-swap-on=false --image-gc-high-threshold=100 --eviction-hard= \
  --cluster-dns="$CLUSTER_DNS" --cluster-domain=cluster.local
# --nodeport-addresses keeps NodePorts on 127.0.0.1 too; the --conntrack-* flags at 0 leave the host's
# conntrack settings alone.
start kube-proxy "$BIN_DIR/kube-proxy" --kubeconfig="$CLUSTER_STATE_DIR/kube-proxy.kubeconfig" --hostname-override="$NODE_NAME" \
  --proxy-mode=iptables --nodeport-addresses="$NODEPORT_ADDRESSES" --conntrack-max-per-core=0 \
  --conntrack-tcp-timeout-established=0s --conntrack-tcp-timeout-close-wait=0s \
  --metrics-bind-address=127.0.0.1:10249 --healthz-bind-address=127.0.0.1:10256

wait_for 90 "node $NODE_NAME Ready" kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s
wait_for 60 "the default service account" kubectl get serviceaccount default --namespace default
trap - EXIT
say "up in $((SECONDS - started)) s: $(kubectl version --short 2>/dev/null | tail -n 1); logs in $LOG_DIR; down: $OC_DIR/down.sh"
say "kubectl of the same version: $KUBECTL"
echo "export KUBECONFIG=$KUBECONFIG_FILE"
