#!/usr/bin/env bash
# Starts dockerd in the background unless `docker info` already answers. Idempotent; needs docker.io.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

if docker info >/dev/null 2>&1; then
  say "docker already running"
  exit 0
fi
command -v dockerd >/dev/null || die "dockerd is not installed (apt-get install docker.io)"
mkdir -p "$LOG_DIR"
setsid nohup dockerd >>"$LOG_DIR/dockerd.log" 2>&1 < /dev/null &
wait_until 60 "dockerd (log: $LOG_DIR/dockerd.log)" docker info
say "dockerd started (pid $!, log $LOG_DIR/dockerd.log)"
