#!/usr/bin/env bash
# The liveness app against the course's Node app (bench/node/server.js, express), side by side in one
# run: a rerunnable benchmark, not a test. For each variant, the time from start to the first 200 on
# /healthz and the process's resident memory after $REQUESTS more requests, medians of $RUNS runs,
# the variants interleaved so that load on the machine hits all of them alike.
#
#   bench/vs-node.sh          both: the jars and the images
#   bench/vs-node.sh jar      `java -jar` (the README's way) against `node server.js`, on this machine
#   bench/vs-node.sh image    the image against a container of the Node app, both run as
#                             k8s/liveness1.yaml runs the pod: 1 CPU, 384 MiB, read-only root, all
#                             capabilities dropped, uid 65532 (the app also gets its tmpfs on /tmp)
#
# The image writes the JVM's class-data archive into /dev/shm when it stops (docs/images.md,
# "Class-data sharing"); in a pod /dev/shm belongs to the pod's sandbox and outlives the container, so
# every restart after the first starts from it. "restart" shares the IPC namespace (and so /dev/shm)
# of a holder container, as a pod's containers share the sandbox's; "first start" has its own. The
# jar's "archive" variant does the same with the same flags.
#
# Needs curl, node and npm (the Node app's express comes from the npm registry); for the images,
# Docker, root (the Node container's root file system is Debian's nodejs, built with mmdebstrap) and
# the app image in Docker (images/build-apps.sh --docker). Caches and logs: $CACHE_DIR/bench as root,
# else ~/.cache/probe-lab/bench.
# Environment: RUNS (5), REQUESTS (200), JAVA (java on PATH); IMAGE (probe-lab/liveness-app:<version>)
# and ARCH (the host's) for another image or platform, e.g. arm64 under qemu: pull the image for
# that platform first (docker pull --platform linux/arm64 ...).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
REQUESTS=${REQUESTS:-200}
JAVA=${JAVA:-java}
ARCH=${ARCH:-$(dpkg --print-architecture 2>/dev/null || uname -m)}
APP=liveness-app
VERSION=$(project_version)
IMAGE=${IMAGE:-probe-lab/$APP:$VERSION}
if [[ $(id -u) == 0 ]]; then BENCH_CACHE=$CACHE_DIR/bench; else BENCH_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/probe-lab/bench; fi
NODE_APP=$BENCH_CACHE/node-app
LOGS=$BENCH_CACHE/logs
mkdir -p "$LOGS"
# As k8s/liveness1.yaml runs the app: its limits and securityContext.
POD_LIKE=(--cpus=1 --memory=384m --read-only --cap-drop ALL --security-opt no-new-privileges --user 65532:65532)

work=$(mktemp -d /tmp/probe-lab-bench.XXXXXX)
containers=()
cleanup() {
  local pid
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  if ((${#containers[@]})); then docker rm -f "${containers[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the Node side

node_app() {
  need node npm
  if [[ ! -d $NODE_APP/node_modules ]] || ! cmp -s "$REPO_ROOT/bench/node/package.json" "$NODE_APP/package.json"; then
    say "installing the Node app's express into $NODE_APP (npm)"
    rm -rf "$NODE_APP" && mkdir -p "$NODE_APP"
    cp "$REPO_ROOT"/bench/node/{server.js,package.json} "$NODE_APP/"
    (cd "$NODE_APP" && npm install --no-package-lock --no-audit --no-fund --omit=dev >"$LOGS/npm.log" 2>&1) \
      || die "npm install failed: read $LOGS/npm.log"
  fi
  cp "$REPO_ROOT/bench/node/server.js" "$NODE_APP/"
}

# The course's app in a container: Debian's nodejs (the release the offline JRE base comes from).
node_image() {
  need docker mmdebstrap
  local rootfs recipe=(--variant=essential --include=nodejs
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/locale/*')
  rootfs=$(debian_rootfs "$ARCH" nodejs "${recipe[@]}")
  node_tag=probe-lab-bench/node-liveness:$ARCH
  mkdir -p "$work/node-image"
  ln "$rootfs" "$work/node-image/rootfs.tar" 2>/dev/null || cp "$rootfs" "$work/node-image/rootfs.tar"
  cp -r "$NODE_APP" "$work/node-image/app"
  cat >"$work/node-image/Dockerfile" <<'DOCKERFILE'
FROM scratch
ADD rootfs.tar /
COPY app /app
WORKDIR /app
CMD ["node", "server.js"]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q --platform "linux/$ARCH" -t "$node_tag" "$work/node-image" >/dev/null 2>"$LOGS/docker-build.log" \
    || die "building the Node image failed: read $LOGS/docker-build.log"
}

# ---- one run of each kind; each prints "FIRST_200_MS RSS_MIB"

run_process() {  # run_process PORT COMMAND...
  local port=$1 t0 pid rss
  shift
  t0=$(now_ms)
  "$@" >>"$LOGS/processes.log" 2>&1 &
  pid=$!
  await_200 "http://127.0.0.1:$port/healthz" "$pid" 60 || die "no 200: read $LOGS/processes.log"
  echo -n "$(($(now_ms) - t0)) "
  requests "http://127.0.0.1:$port/healthz" "$REQUESTS"
  rss=$(rss_mib "$pid")
  kill -TERM "$pid" && wait "$pid" 2>/dev/null || true
  echo "$rss"
}

run_container() {  # run_container DOCKER_RUN_ARGS... IMAGE
  local name=probe-lab-bench-$$-$RANDOM t0 port pid
  containers+=("$name")
  t0=$(now_ms)
  docker run -d --name "$name" --pull never --platform "linux/$ARCH" "${POD_LIKE[@]}" -p 127.0.0.1::8080 "$@" >/dev/null
  port=$(docker port "$name" 8080/tcp | head -1)
  pid=$(docker inspect -f '{{.State.Pid}}' "$name")
  await_200 "http://$port/healthz" "$pid" 120 \
    || { docker logs "$name" >"$LOGS/container.log" 2>&1; die "read $LOGS/container.log"; }
  echo -n "$(($(now_ms) - t0)) "
  requests "http://$port/healthz" "$REQUESTS"
  rss_mib "$pid"
  echo
  docker stop -t 10 "$name" >/dev/null  # the JVM writes its archive on the way out, as in a pod
  docker rm "$name" >/dev/null
}

# ---- the variants; run NAME prints a measurement for the variant NAME

jar=$REPO_ROOT/$APP/target/$APP.jar
archive_flags=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$work/$APP.jsa" -Xlog:cds=off)
run() {
  case $1 in
    "node server.js") run_process 8080 node "$NODE_APP/server.js" ;;
    "java -jar") PORT=18481 run_process 18481 "$JAVA" -jar "$jar" ;;
    "java -jar, archive") PORT=18482 run_process 18482 "$JAVA" "${archive_flags[@]}" -jar "$jar" ;;
    "Node container") run_container "$node_tag" ;;
    "image, first start") run_container --tmpfs /tmp "$IMAGE" ;;
    "image, restart") run_container --tmpfs /tmp --ipc "container:$sandbox" "$IMAGE" ;;
  esac
}

# measure BASELINE VARIANT...: RUNS rounds over all variants, then a table with each one's ratio to
# BASELINE.
measure() {
  local variants=("$@") round v results=$work/results
  : >"$results"
  for ((round = 1; round <= RUNS; round++)); do
    for v in "${!variants[@]}"; do
      # Not in a $(...): a failed run must end the script, and its process or container be cleaned up.
      run "${variants[$v]}" >"$work/one"
      echo "$v $(<"$work/one")" >>"$results"
    done
  done
  local base_ms base_mib ms mib
  base_ms=$(awk '$1==0 {print $2}' "$results" | median)
  base_mib=$(awk '$1==0 {print $3}' "$results" | median)
  printf '%-22s %16s %8s %12s %8s   %s\n' variant "first 200 (ms)" ratio "RSS (MiB)" ratio "runs (ms)"
  for v in "${!variants[@]}"; do
    ms=$(awk -v v="$v" '$1==v {print $2}' "$results" | median)
    mib=$(awk -v v="$v" '$1==v {print $3}' "$results" | median)
    printf '%-22s %16s %8s %12s %8s   %s\n' "${variants[$v]}" "$ms" "$(awk -v a="$ms" -v b="$base_ms" 'BEGIN {printf "%.2fx", a/b}')" \
      "$mib" "$(awk -v a="$mib" -v b="$base_mib" 'BEGIN {printf "%.2fx", a/b}')" \
      "$(awk -v v="$v" '$1==v {printf "%s ", $2}' "$results")"
  done
}

jars() {
  need "$JAVA" curl
  [[ -f $jar ]] || die "$jar is missing: build it with ./mvnw -B -q -pl $APP -am package -DskipTests"
  node_app
  local variants=("node server.js" "java -jar")
  if "$JAVA" -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$work/check.jsa" -version >/dev/null 2>&1; then
    # The archive is written by the first start's exit; later starts map it.
    PORT=18482 run_process 18482 "$JAVA" "${archive_flags[@]}" -jar "$jar" >/dev/null
    variants+=("java -jar, archive")
  else
    say "$JAVA has no -XX:+AutoCreateSharedArchive (JDK 19 and later): the jar runs without an archive only"
  fi
  echo "jar: $("$JAVA" -version 2>&1 | head -1); node $(node --version); medians of $RUNS, interleaved"
  measure "${variants[@]}"
}

images() {
  need docker curl
  [[ $(id -u) == 0 ]] || die "run as root: the Node image's root file system is built with mmdebstrap"
  docker image inspect "$IMAGE" >/dev/null 2>&1 \
    || die "$IMAGE is not in Docker: build it with images/build-apps.sh --docker"
  node_app
  node_image
  # The pod's sandbox: it holds the IPC namespace and /dev/shm that the app's containers join.
  sandbox=probe-lab-bench-sandbox-$$
  containers+=("$sandbox")
  docker run -d --name "$sandbox" --pull never --platform "linux/$ARCH" --ipc shareable --read-only \
    --entrypoint sleep "$IMAGE" infinity >/dev/null
  run_container --tmpfs /tmp --ipc "container:$sandbox" "$IMAGE" >/dev/null  # writes the archive
  local ours theirs
  ours=$(docker image inspect -f '{{.Size}}' "$IMAGE")
  theirs=$(docker image inspect -f '{{.Size}}' "$node_tag")
  echo "images ($ARCH): $IMAGE $((ours / 1048576)) MiB, Node container $((theirs / 1048576)) MiB;" \
    "run as pods run (${POD_LIKE[*]}); medians of $RUNS, interleaved"
  measure "Node container" "image, first start" "image, restart"
}

machine
case ${1:-both} in
  jar) jars ;;
  image) images ;;
  both) jars; echo; images ;;
  *) die "usage: $0 [jar|image|both]" ;;
esac
