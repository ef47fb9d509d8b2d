#!/usr/bin/env bash
# Prints, once, how long `make run` took to the first page: waits in the background until the
# course list answers, then reports the time since START (unix seconds, when make run began).
#   scripts/first-page.sh START URL WATCHED_PID   (make run starts it; it gives up with WATCHED_PID)
source "$(dirname "$0")/lib.sh"
start=${1:?start time (unix seconds)} url=${2:?url} watched=${3:?pid to watch}
while kill -0 "$watched" 2>/dev/null; do
  if curl -fs -o /dev/null --max-time 5 "$url"; then
    secs=$(( $(date +%s) - start ))
    printf '\033[1;34m[make run]\033[0m the course list answered at %s, %d min %02d s after make run started\n' \
      "$url" $((secs / 60)) $((secs % 60))
    exit 0
  fi
  sleep 1
done
