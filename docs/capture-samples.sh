#!/usr/bin/env bash
# Runs the walkthrough's commands (docs/lab-walkthrough.md) on a real cluster, step by step in the
# walkthrough's order, writes what they printed into docs/samples/, and checks each answer against
# what the text says (a wrong one ends the run with one line naming the step, the command and the
# file). The walkthrough's console blocks are quoted from these files (CapturedSamplesTest checks it).
#
#   sudo docs/capture-samples.sh [--out DIR]
#       on the offline cluster (k8s/offline-cluster/), started here and stopped again if it was not
#       running; the Service is reached at its node port on 127.0.0.1
#   KUBECONFIG=... docs/capture-samples.sh [--out DIR]
#       on another cluster (kind, minikube), at the Service's EXTERNAL-IP
#       (PROBE_LAB_SERVICE_ROUTE=nodeport: at its node port on 127.0.0.1 instead;
#       PROBE_LAB_SERVICE_ROUTE=localhost: at the port Docker publishes for cloud-provider-kind's
#       load balancer, the walkthrough's macOS fallback)
#
# --out DIR writes the files there instead of docs/samples/ (to check the walkthrough without
# changing its samples). Each file is a terminal session: "$ <command>" as the walkthrough types it,
# then what it printed. A run takes about 14 minutes: the steps run one after another in the default
# namespace, as in the walkthrough, with its timings, and each is deleted before the next. It needs
# bash, curl, kubectl and POSIX tools only; it has been run on Linux only.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../lib/probe-lab.sh
source lib/probe-lab.sh
walkthrough=docs/lab-walkthrough.md
out=docs/samples
while (($#)); do
  case $1 in
    --out) [[ $# -ge 2 ]] || die "--out needs a directory"; out=$2; shift 2 ;;
    *) die "unknown argument '$1' (usage: docs/capture-samples.sh [--out DIR])" ;;
  esac
done

CLUSTER_STARTED_HERE=false
watch_pid=
applied=
CURL_HOME=
cleanup() {
  local status=$?
  if [[ -n $watch_pid ]]; then kill "$watch_pid" 2>/dev/null || true; fi
  if [[ -n $applied ]]; then kubectl delete -f "$applied" --ignore-not-found --wait=false >/dev/null 2>&1 || true; fi
  if $CLUSTER_STARTED_HERE; then k8s/offline-cluster/down.sh >/dev/null 2>&1 || true; fi
  if [[ -n $CURL_HOME ]]; then rm -rf "$CURL_HOME"; fi
  ((status == 0)) || say "stopped early; what was captured so far is in $out"
}
trap cleanup EXIT

route=${PROBE_LAB_SERVICE_ROUTE:-loadbalancer}
kubectl_bin=${KUBECTL:-kubectl}
if [[ -z ${KUBECONFIG:-} ]]; then
  [[ $(id -u) == 0 ]] || die "no KUBECONFIG: run as root to use the offline cluster, or set KUBECONFIG"
  # shellcheck source=../k8s/offline-cluster/lib.sh
  source k8s/offline-cluster/lib.sh
  offline_cluster_up
  kubectl_bin=$KUBECTL
  route=nodeport # the offline cluster has no LoadBalancer provider
fi
need "$kubectl_bin" curl
kubectl_bin=$(command -v "$kubectl_bin")
# The commands run as the walkthrough types them: `kubectl` is this cluster's.
kubectl() { "$kubectl_bin" "$@"; }
kubectl get --raw /version >/dev/null || die "the cluster does not answer (KUBECONFIG=$KUBECONFIG)"
if kubectl get svc nodeapp-lb >/dev/null 2>&1 || kubectl get pod liveness2 >/dev/null 2>&1 ||
  [[ -n $(kubectl get pods -l app=nodeapp -o name 2>/dev/null) ]]; then
  die "a lab step is still in namespace default (service nodeapp-lb, pod liveness2 or pods app=nodeapp): delete it, and wait until its pods are gone"
fi

# lb_addr, as the walkthrough defines it for this route: its bash block that starts with `lb_addr()`
# and mentions nodePort (the node port on 127.0.0.1), loadBalancer.ingress (the EXTERNAL-IP) or
# cloud-provider-kind (the port Docker publishes on localhost).
case $route in
  nodeport) lb_key=nodePort ;;
  loadbalancer) lb_key=loadBalancer.ingress ;;
  localhost) lb_key=cloud-provider-kind ;;
  *) die "PROBE_LAB_SERVICE_ROUTE=$route: use nodeport, loadbalancer or localhost" ;;
esac
lb_definition=$(awk -v key="$lb_key" '
  /^```/ { if (inblock && index(block, key) && block ~ /^lb_addr\(\)/) { print block; exit }
           inblock = !inblock; block = ""; next }
  inblock { block = block $0 "\n" }' "$walkthrough")
[[ -n $lb_definition ]] || die "$walkthrough has no lb_addr() block for the $route route"
eval "$lb_definition"

# curl shows a progress meter only when its output is not a terminal; a terminal is what the
# walkthrough shows, so the meter is turned off in a .curlrc of the run's own, not on the command line.
CURL_HOME=$(mktemp -d)
export CURL_HOME
echo no-progress-meter >"$CURL_HOME/.curlrc"
mkdir -p "$out"
last=$CURL_HOME/last-output
last_command=
LB=

step=
file=
step_start=$SECONDS
# begin NAME FILE: the step that writes FILE (in $out) from here on.
begin() {
  step=$1
  file=$out/$2
  : >"$file"
  say "$step (into $file)"
}
# run COMMAND: appends "$ COMMAND" and what it printed to the step's file, as a terminal shows it:
# HTTP's CRLF line ends (curl -i) as plain ones, and a last line without a newline gets one (a
# terminal would print the next prompt after it).
run() {
  last_command=$1
  printf '$ %s\n' "$1" >>"$file"
  eval "$1" >"$last.raw" 2>&1 || true
  tr -d '\r' <"$last.raw" >"$last"
  [[ -s $last && -n $(tail -c 1 "$last") ]] && echo >>"$last"
  cat "$last" >>"$file"
}
# shows PATTERN WHAT / hides PATTERN WHAT: the last command's output has (has no) line matching
# the extended regular expression PATTERN, as the walkthrough says (WHAT).
shows() {
  grep -Eq -- "$1" "$last" || die "$step: the walkthrough says \`$last_command\` shows $2, but it printed: $(head -n 3 "$last" | tr '\n' ' ')(all: $file)"
}
hides() {
  ! grep -Eq -- "$1" "$last" || die "$step: the walkthrough says \`$last_command\` shows no $2, but it printed: $(grep -E -- "$1" "$last" | head -n 1) (all: $file)"
}
# apply MANIFEST: the step's apply; its time is the step's start.
apply() {
  applied=$1
  step_start=$SECONDS
  run "kubectl apply -f $1"
  shows ' created$' "what it created"
}
# lb: the walkthrough's `LB=$(lb_addr)`.
lb() {
  run 'LB=$(lb_addr)'
  [[ -n $LB ]] || die "$step: lb_addr gave no address: $(cat "$last")"
}
# delete: the walkthrough's clean-up, then (not shown) waits until the step's pods are gone.
delete() {
  run "kubectl delete -f $applied"
  shows '" deleted' "what it deleted"
  applied=
  kubectl wait --for=delete pod -l app=nodeapp --timeout=120s >/dev/null 2>&1 || true
  kubectl wait --for=delete pod/liveness2 --timeout=120s >/dev/null 2>&1 || true
}

# The reader's pace: waits that the walkthrough says in words ("about 20 seconds after it started",
# "after a minute"), not shown as commands.
at() { # at SECONDS: until SECONDS after the step's apply
  local left=$(($1 - (SECONDS - step_start)))
  ((left <= 0)) || sleep "$left"
}
until_true() { # until_true SECONDS WHAT COMMAND...: polls COMMAND every half second
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$step: $what not within $((SECONDS - step_start)) s of the apply"
    sleep 0.5
  done
}
pod_ready() { [[ $(kubectl get pods -l app=nodeapp -o 'jsonpath={.items[*].status.containerStatuses[*].ready}') == true ]]; }
pod_running() { [[ $(kubectl get pods -l app=nodeapp -o 'jsonpath={.items[*].status.phase}') == Running ]]; }
answers() { curl -s -o /dev/null --max-time 2 "http://$LB$1"; } # any HTTP answer at all
# until_uptime SECONDS: until the app behind the Service has been up SECONDS (its page shows its uptime).
until_uptime() {
  local uptime
  uptime=$(curl -s --max-time 2 "http://$LB/" | sed -n 's|.*<h2> uptime: \([0-9.]*\)s </h2>.*|\1|p')
  [[ -n $uptime ]] || die "$step: the app's page at http://$LB/ shows no uptime"
  sleep "$(awk -v want="$1" -v up="$uptime" 'BEGIN { d = want - up; print (d > 0 ? d : 0) }')"
}
restarts_in() { awk -v n="$2" '$4 == n' "$1" | grep -q .; } # restarts_in WATCH_FILE N

# watch WATCH_FILE ARGS...: `kubectl ARGS` (a `get ... -w` the walkthrough shows) in the background,
# into its own file, while the step goes on; kubectl itself is the background job, so that
# stop_watch ends it.
watch() {
  local file=$out/$1
  shift
  printf '$ kubectl %s\n' "$*" >"$file"
  "$kubectl_bin" "$@" >>"$file" 2>&1 &
  watch_pid=$!
}
stop_watch() {
  kill "$watch_pid" 2>/dev/null || true
  wait "$watch_pid" 2>/dev/null || true
  watch_pid=
}

begin versions versions.txt
# kubectl 1.28 and later have no --short: they print the short form anyway.
if kubectl version --short >/dev/null 2>&1; then run 'kubectl version --short'; else run 'kubectl version'; fi
shows '^Server Version' "the server's version"

begin "5.1 liveness1 (2.5 minutes)" liveness1.txt
apply k8s/liveness1.yaml
lb
run 'kubectl get svc nodeapp-lb'
shows '^nodeapp-lb +LoadBalancer ' "the Service"
until_true 60 "an answer at http://$LB" answers /healthz
run 'curl -H "health: check" http://$LB/healthz'
shows '^\{"status":"ok","message":"server : available."\}$' "the healthy answer at first"
until_uptime 22 # "about 20 seconds after it started", and before the third failed probe (26 s or later)
run 'curl -H "health: check" http://$LB/healthz'
shows '^\{"status":"fail","message":"server : not available"\}$' "the failing answer after 20 s"
run 'curl -i -H "health: check" http://$LB/healthz'
shows '^HTTP/1.1 500 ' "status 500"
run 'curl http://$LB/healthz'
shows '"status":"ok"' "200 to a request without the header"
at 120
run 'kubectl get pods'
shows ' 1/1 +Running +[34] ' "3 or 4 restarts after 2 minutes (runs of 28 to 31 s)"
run 'kubectl describe pod -l app=nodeapp'
shows 'Liveness probe failed: HTTP probe failed with statuscode: 500' "the failed probes"
shows 'Killing .*failed liveness probe, will be restarted' "the kills"
run 'kubectl logs deploy/nodeapp-liveness --previous --tail=4'
shows 'GET /healthz 500 .*agent=kube-probe/' "the failed probes, with the kubelet's version"
shows 'SIGTERM received: stopped gracefully' "the run's end"
delete

begin "5.1 liveness2 (4.5 minutes)" liveness2.txt
apply k8s/liveness2.yaml
watch liveness2-watch.txt get pod liveness2 -w
until_true 300 "the third restart" restarts_in "$out/liveness2-watch.txt" 3
stop_watch
if grep -q CrashLoopBackOff "$out/liveness2-watch.txt"; then
  die "$step: the walkthrough says the first restarts never wait, but the pod showed CrashLoopBackOff ($out/liveness2-watch.txt)"
fi
run 'kubectl describe pod liveness2'
shows "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory" "the failed probes"
shows 'Exit Code: +137' "the run killed after the grace period"
delete

begin "5.2 readiness (1.5 minutes)" readiness.txt
apply k8s/readiness.yaml
until_true 60 "the pod running" pod_running
run 'kubectl get all'
shows '^pod/nodeapp-readiness-.* 0/1 +Running +0 ' "the pod running but not ready"
lb
run 'curl --max-time 5 http://$LB'
shows '^curl: \([0-9]+\)' "no answer from the app"
at 40
run 'kubectl describe pod -l app=nodeapp | grep -A8 Events:'
shows 'Readiness probe failed: HTTP probe failed with statuscode: 500' "the failed readiness probes"
until_true 90 "the pod ready" pod_ready
((SECONDS - step_start >= 60)) || die "$step: ready after $((SECONDS - step_start)) s, the walkthrough says after a minute"
until_true 30 "an answer at http://$LB" answers /
run 'kubectl get pods'
shows ' 1/1 +Running +0 ' "the pod ready, never restarted"
pod=$(kubectl get pods -l app=nodeapp -o 'jsonpath={.items[0].metadata.name}')
run 'curl http://$LB'
shows "<h2> hostname: $pod </h2>" "the pod's name"
run 'curl http://$LB/healthz'
shows '"status":"ok"' "the healthy answer"
delete

begin "5.3 startup (3.5 minutes)" startup.txt
apply k8s/startup.yaml
lb
until_true 60 "an answer at http://$LB" answers /healthz
run 'curl -i http://$LB/healthz'
shows '^HTTP/1.1 500 ' "status 500"
watch startup-watch.txt get pods -w
at 180
until_true 90 "the fifth restart" restarts_in "$out/startup-watch.txt" 5
stop_watch
if ! grep -q CrashLoopBackOff "$out/startup-watch.txt"; then
  die "$step: the walkthrough says the pod shows CrashLoopBackOff while a restart waits, but it never did ($out/startup-watch.txt)"
fi
run 'kubectl get pods'
shows ' [01]/1 +[A-Za-z]+ +([5-9]|[1-9][0-9]) ' "5 or more restarts"
run 'kubectl describe pod -l app=nodeapp'
shows 'Liveness probe failed: HTTP probe failed with statuscode: 500' "the failed probes"
shows 'BackOff .*Back-off restarting failed container' "the back-off"
run 'kubectl logs deploy/nodeapp-startup --previous'
shows 'SIGTERM received: stopped gracefully' "the last run's end"
delete

begin "5.3 startup-probe (2 minutes)" startup-probe.txt
applied=lab-manifests/src/test/resources/fixtures/course/startup-probe-misindented.yaml # deleted if it gets through
run "kubectl apply -f $applied"
shows 'unknown field "[^"]*periodSeconds"' "the refusal"
hides ' created$' "object created"
applied=
apply k8s/startup-probe.yaml
lb
until_true 60 "the pod running" pod_running
run 'kubectl get pods'
shows ' 0/1 +Running +0 ' "the pod running but not ready"
run 'curl --max-time 5 http://$LB/healthz'
shows '^curl: \([0-9]+\)' "no answer from the app"
until_true 150 "the pod ready" pod_ready
((SECONDS - step_start >= 60)) || die "$step: ready after $((SECONDS - step_start)) s, the walkthrough says after about 60 seconds"
until_true 30 "an answer at http://$LB" answers /healthz
run 'kubectl get pods'
shows ' 1/1 +Running +0 ' "the pod ready, never restarted"
run 'curl http://$LB/healthz'
shows '"status":"ok"' "the healthy answer"
run 'kubectl describe pod -l app=nodeapp'
shows 'Startup probe failed: HTTP probe failed with statuscode: 500' "the failed startup probes"
hides 'Unhealthy .*\(x([1-9][0-9]+) over' "10 or more failed startup probes"
hides 'Killing' "restart"
delete

begin "extra tcp-socket (half a minute)" tcp-socket.txt
apply k8s/tcp-socket.yaml
lb
# Ready at the first readiness probe, 5 to 10 s after the container started (which takes a few
# seconds after the apply).
until_true 20 "the pod ready" pod_ready
until_true 30 "an answer at http://$LB" answers /
run 'kubectl get pods'
shows ' 1/1 +Running +0 ' "the pod ready"
run 'curl http://$LB/healthz'
shows '^\{"status":"fail","message":"server : not available"\}$' "the failing /healthz"
run 'curl http://$LB'
shows '<h2> hostname: nodeapp-tcp-socket-' "the page"
at 30 # after the first liveness probe (15 to 25 s in)
run 'kubectl describe pod -l app=nodeapp | grep -A8 Events:'
hides 'Unhealthy' "failed probe"
delete

say "written: $(cd "$out" && echo *.txt)"
