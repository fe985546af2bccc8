#!/usr/bin/env bash
# Starts Debian's docker-registry on 127.0.0.1:5000 (loopback only, plain HTTP) unless one answers
# there already. Docker and Jib treat 127.0.0.0/8 registries as insecure-allowed, so nothing else
# needs configuring. Idempotent; needs the docker-registry package.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

if registry_up; then
  say "registry already answering on $REGISTRY_ADDR"
  exit 0
fi
command -v docker-registry >/dev/null || die "docker-registry is not installed (apt-get install docker-registry)"
mkdir -p "$REGISTRY_DIR" "$LOG_DIR"
cat > "${REGISTRY_DIR%/}.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YML
setsid nohup docker-registry serve "${REGISTRY_DIR%/}.yml" >>"$LOG_DIR/registry.log" 2>&1 < /dev/null &
wait_until 30 "registry on $REGISTRY_ADDR (log: $LOG_DIR/registry.log)" registry_up
say "registry started on $REGISTRY_ADDR (pid $!, data in $REGISTRY_DIR)"
