#!/usr/bin/env bash
# Benchmark of the app images in the local registry (a rerunnable command, not a test).
#   bench/images.sh         per app and platform: compressed (registry) and uncompressed (docker)
#                           size; per app on amd64: container start to first 200 on /healthz, the
#                           container's CPU time until then, and its memory after $REQUESTS requests
#                           (medians of $RUNS runs), under the lab pods' limits ($LIMITS)
#   bench/images.sh flags   the same run figures for the liveness amd64 image with the image's JVM
#                           flags, with the JVM's defaults, and with each flag left out in turn, under
#                           each of $FLAGS_LIMITS (default: the pods' limits; 2 CPUs and 2 GiB; none),
#                           runs interleaved so that other load hits all variants alike:
#                           the measurements behind the flags (docs/images.md)
# Needs what images/ci-prepare.sh sets up and the images pushed (images/build-apps.sh or ./mvnw verify -Pimages).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-5}
REQUESTS=${REQUESTS:-200}
VERSION=${VERSION:-$(project_version)}
HARDENING=(--read-only --cap-drop ALL --security-opt no-new-privileges)
# The k8s/ manifests' limits for the app containers.
LIMITS=${LIMITS:---cpus=1 --memory=384m}
registry_up || die "no registry on $REGISTRY_ADDR"

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b/1048576}'; }

manifest() {  # manifest REPOSITORY REFERENCE ACCEPT
  curl -fsS -H "Accept: $3" "http://$REGISTRY_ADDR/v2/$1/manifests/$2"
}
LIST=application/vnd.docker.distribution.manifest.list.v2+json
ONE=application/vnd.docker.distribution.manifest.v2+json

# Compressed size (bytes) of one platform's image as the registry stores it: config + layers.
compressed_size() {  # REPOSITORY TAG ARCH
  local digest
  digest=$(manifest "$1" "$2" $LIST | json "[m['digest'] for m in d['manifests'] if m['platform']['architecture']=='$3'][0]")
  manifest "$1" "$digest" $ONE | json "d['config']['size'] + sum(l['size'] for l in d['layers'])"
}

# Memory in MiB from a `docker stats` figure like 41.3MiB or 1.2GiB.
to_mib() { awk '{v=$1+0; u=$1; sub(/^[0-9.]+/, "", u); f=(u=="GiB"?1024:(u=="KiB"?1/1024:(u=="B"?1/1048576:1))); printf "%.1f", v*f}'; }

# CPU time (ms) a container has used so far, from its cgroup (v1 or v2); "-" if not found.
cpu_ms() {
  local id=$1 f
  for f in /sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage /sys/fs/cgroup/cpu,cpuacct/docker/$id/cpuacct.usage; do
    [[ -r $f ]] && { echo $(($(cat "$f") / 1000000)); return; }
  done
  for f in /sys/fs/cgroup/system.slice/docker-$id.scope/cpu.stat /sys/fs/cgroup/docker/$id/cpu.stat; do
    [[ -r $f ]] && { awk '$1=="usage_usec" {print int($2/1000)}' "$f"; return; }
  done
  echo -
}

# One run: start the container, time docker run -> first 200 on /healthz and read the CPU time
# used until then, send REQUESTS more, read its memory. Prints
# "START_MS CPU_MS MEMORY_MIB WARNING_LINES". Arguments: extra docker run args, image, command.
measure_once() {
  local name=bench-$$-$RANDOM id port t0 t1 cpu mem warnings
  t0=$(now_ms)
  id=$(docker run -d --name "$name" --pull never "${HARDENING[@]}" -p 127.0.0.1::8080 \
    -e READY_AFTER=0s -e STARTUP_DELAY=0s "$@")
  port=$(docker port "$name" 8080/tcp | head -1)
  if ! await_200 "http://$port/healthz" "$(docker inspect -f '{{.State.Pid}}' "$name")" 60; then
    docker logs "$name" >&2
    docker rm -f "$name" >/dev/null
    die "no 200 from $name"
  fi
  t1=$(now_ms)
  cpu=$(cpu_ms "$id")
  requests "http://$port/healthz" "$REQUESTS"
  mem=$(docker stats --no-stream --format '{{.MemUsage}}' "$name" | cut -d/ -f1 | to_mib)
  warnings=$(docker logs "$name" 2>&1 | grep -ci warning || true)
  docker rm -f "$name" >/dev/null
  echo "$((t1 - t0)) $cpu $mem $warnings"
}

# Lines of measure_once output -> "START_MEDIAN CPU_MEDIAN MEMORY_MEDIAN MAX_WARNINGS".
summarize() {
  local results
  results=$(cat)
  echo "$(cut -d' ' -f1 <<<"$results" | median) $(cut -d' ' -f2 <<<"$results" | median)" \
       "$(cut -d' ' -f3 <<<"$results" | median) $(cut -d' ' -f4 <<<"$results" | sort -n | tail -1)"
}

images() {
  printf '%-14s %-6s %12s %12s %14s\n' app arch compressed uncompressed "app layers"
  for app in "${APPS[@]}"; do
    local repo=${OFFLINE_IMAGE_REGISTRY#*/}/$app ref=$OFFLINE_IMAGE_REGISTRY/$app:$VERSION
    for arch in arm64 amd64; do  # amd64 last: it stays pulled for the runs below
      local base_repo base_size total uncompressed
      total=$(compressed_size "$repo" "$VERSION" $arch)
      base_repo=${BASE_IMAGE#*/}
      base_size=$(compressed_size "${base_repo%:*}" "${BASE_IMAGE##*:}" $arch)
      docker pull -q --platform linux/$arch "$ref" >/dev/null
      uncompressed=$(docker image inspect -f '{{.Size}}' "$ref")
      printf '%-14s %-6s %9s MiB %9s MiB %10s MiB\n' "$app" $arch "$(mib "$total")" "$(mib "$uncompressed")" \
        "$(mib $((total - base_size)))"
    done
  done
  echo
  local limit_args=()
  read -ra limit_args <<<"$LIMITS"
  echo "amd64 runs, hardened, limits $LIMITS; medians of $RUNS"
  printf '%-14s %18s %18s %28s\n' app "start->first 200" "CPU until then" "memory after $REQUESTS requests"
  for app in "${APPS[@]}"; do
    read -r start cpu mem _ < <(for ((r = 0; r < RUNS; r++)); do
      measure_once "${limit_args[@]}" "$OFFLINE_IMAGE_REGISTRY/$app:$VERSION"; done | summarize)
    printf '%-14s %15s ms %15s ms %24s MiB\n' "$app" "$start" "$cpu" "$mem"
  done
}

flags() {
  local ref=$OFFLINE_IMAGE_REGISTRY/liveness-app:$VERSION
  docker pull -q --platform linux/amd64 "$ref" >/dev/null
  local entrypoint chosen=() main
  entrypoint=$(docker image inspect -f '{{json .Config.Entrypoint}}' "$ref")
  mapfile -t chosen < <(json "'\n'.join(d[1:d.index('-cp')])" <<<"$entrypoint")
  main=$(json "d[-1]" <<<"$entrypoint")
  echo "image flags: ${chosen[*]}"
  local variants=("image flags" "JVM defaults") f
  for f in "${chosen[@]}"; do variants+=("without $f"); done
  local limit_sets=()
  IFS=';' read -ra limit_sets <<<"${FLAGS_LIMITS:-$LIMITS;--cpus=2 --memory=2g;none}"
  for limits in "${limit_sets[@]}"; do
    local limit_args=() results
    [[ $limits == none ]] || read -ra limit_args <<<"$limits"
    results=$(mktemp)
    for ((r = 0; r < RUNS; r++)); do  # round-robin over the variants
      for i in "${!variants[@]}"; do
        flags_for "${variants[$i]}"
        echo "$i $(measure_once "${limit_args[@]}" --entrypoint java "$ref" "${flags_now[@]}" \
          -cp @/app/jib-classpath-file "$main")" >>"$results"
      done
    done
    echo
    echo "limits: $limits (medians of $RUNS, interleaved)"
    printf '%-36s %10s %10s %12s %10s\n' variant "start ms" "CPU ms" "memory MiB" warnings
    for i in "${!variants[@]}"; do
      read -r start cpu mem warnings < <(awk -v i="$i" '$1==i {print $2, $3, $4, $5}' "$results" | summarize)
      printf '%-36s %10s %10s %12s %10s\n' "${variants[$i]}" "$start" "$cpu" "$mem" "$warnings"
    done
    rm -f "$results"
  done
}

flags_for() {  # sets flags_now for a variant name
  flags_now=()
  case $1 in
    "image flags") flags_now=("${chosen[@]}") ;;
    "JVM defaults") ;;
    *) local f; for f in "${chosen[@]}"; do [[ "without $f" == "$1" ]] || flags_now+=("$f"); done ;;
  esac
}

case ${1:-images} in
  images) images ;;
  flags) flags ;;
  *) die "usage: $0 [images|flags]" ;;
esac
