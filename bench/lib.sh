# shellcheck shell=bash
# Shared by the benchmarks in bench/: the image scripts' names and helpers, plus timing. Source it.
# shellcheck source=../images/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../images/lib.sh"

now_ms() { date +%s%3N; }
# The median of the numbers on stdin, one per line.
median() { sort -n | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
# Resident memory of a process in MiB (VmRSS).
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

# await_200 URL PID SECONDS: polls URL until it answers 200; returns 1, with a line saying why, once
# PID is gone or time runs out.
await_200() {
  local url=$1 pid=$2 deadline=$((SECONDS + $3))
  until curl -fs -o /dev/null "$url"; do
    kill -0 "$pid" 2>/dev/null || { say "the process behind $url ended before answering"; return 1; }
    ((SECONDS < deadline)) || { say "no 200 from $url within $3 s"; return 1; }
    sleep 0.005
  done
}

# requests URL N: N GETs over one curl process.
requests() {
  local urls=() i
  for ((i = 0; i < $2; i++)); do urls+=(-o /dev/null "$1"); done
  curl -fs "${urls[@]}"
}

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(. /etc/os-release && echo "$PRETTY_NAME")"
}
