# shellcheck shell=bash disable=SC2034 # the names are for the scripts that source it
# What every script of the repository shares: where the repository is, the apps, the project's
# version, and how a script speaks (one line on stderr; an ERROR line ends it). Source it, don't run
# it. It stays within bash 3.2, which macOS ships.

PROBE_LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The modules that become images, the apps the lab steps run.
APPS=(liveness-app readiness-app startup-app)
# The same, as Maven's -pl takes them.
APP_MODULES=$(IFS=,; echo "${APPS[*]}")

# The parent pom's own <version> (the first one indented by two spaces): every app image's tag.
project_version() {
  sed -n 's|^  <version>\(.*\)</version>.*|\1|p' "$PROBE_LAB_ROOT/pom.xml" | head -n 1
}

say() { printf '%s %s: %s\n' "$(date +%H:%M:%S)" "$(basename "$0")" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# need TOOL...: fails with one line naming the first tool that is missing.
need() {
  local tool
  for tool; do command -v "$tool" >/dev/null || die "$tool is missing: install it first"; done
}
