#!/usr/bin/env bash
# Benchmark of the three app jars (not a test): for each, the time from process start to the
# first 200 on /healthz (median of RUNS runs) and the resident memory after 200 requests.
#
#   bench/apps.sh                      # JDK on PATH, no JVM flags
#   JAVA_OPTS="-XX:+UseSerialGC" bench/apps.sh
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/apps.sh
#   CDS=1 bench/apps.sh                # first records an AppCDS archive per app (target/<app>.jsa)
#
# Builds the jars if they are missing. Needs curl. Timings are set to 0 so that /healthz answers
# 200 at once (readiness and startup would otherwise answer 500 for 60 s).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

JAVA=${JAVA:-java}
RUNS=${RUNS:-5}
PORT=${PORT:-18480}
read -r -a JAVA_FLAGS <<<"${JAVA_OPTS:-}"

need curl
for app in "${APPS[@]}"; do
  [ -f "$app/target/$app.jar" ] || { ./mvnw -B -q -pl "$APP_MODULES" -am package -DskipTests; break; }
done

# Waits for a 200 on /healthz from the app started as $pid.
await_first_200() {
  await_200 "http://127.0.0.1:$PORT/healthz" "$pid" 60 || die "$app gave no 200"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); java: $("$JAVA" -version 2>&1 | head -1); flags: ${JAVA_OPTS:-none}; AppCDS: ${CDS:-0}"
printf "%-14s %22s %18s\n" app "first 200 (median ms)" "RSS after 200 (MB)"
for app in "${APPS[@]}"; do
  starts=() rss=() cds=()
  if [ "${CDS:-0}" = 1 ]; then
    # JDK 17 has no -XX:+AutoCreateSharedArchive: record the classes of one start, then reuse them.
    archive="$app/target/$app.jsa"
    rm -f "$archive"
    PORT=$PORT FAIL_AFTER=60m READY_AFTER=0 STARTUP_DELAY=0 "$JAVA" "${JAVA_FLAGS[@]}" -XX:ArchiveClassesAtExit="$archive" \
      -jar "$app/target/$app.jar" >/dev/null 2>&1 &
    pid=$!
    await_first_200
    curl -s -o /dev/null "http://127.0.0.1:$PORT/"
    kill -TERM "$pid"; wait "$pid" || true
    cds=(-XX:SharedArchiveFile="$archive")
  fi
  for _ in $(seq "$RUNS"); do
    begin=$(now_ms)
    PORT=$PORT FAIL_AFTER=60m READY_AFTER=0 STARTUP_DELAY=0 "$JAVA" "${JAVA_FLAGS[@]}" "${cds[@]}" -jar "$app/target/$app.jar" >/dev/null 2>&1 &
    pid=$!
    await_first_200
    starts+=($(( $(now_ms) - begin )))
    for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; done
    rss+=("$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")")
    kill -TERM "$pid"; wait "$pid" || true
  done
  printf '%-14s %22s %18s   (runs: %s ms; %s MB)\n' "$app" "$(printf '%s\n' "${starts[@]}" | median)" \
    "$(printf '%s\n' "${rss[@]}" | median)" "${starts[*]}" "${rss[*]}"
done
