#!/usr/bin/env bash
# Builds the three app images twice from clean (fresh class files and jars) and checks that
# each gives the same manifest-list digest both times.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

declare -A first
for round in 1 2; do
  bash "$REPO_ROOT/images/build-apps.sh" clean
  for app in "${APPS[@]}"; do
    digest=$(cat "$app/target/jib-image.digest")
    if [[ $round == 1 ]]; then
      first[$app]=$digest
    elif [[ ${first[$app]} == "$digest" ]]; then
      say "$app: same digest twice: $digest"
    else
      die "$app: digest changed between identical builds: ${first[$app]} then $digest"
    fi
  done
done
