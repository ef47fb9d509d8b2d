#!/usr/bin/env bash
# `make bench`: release build, then every loadgen scenario against a fresh server on 127.0.0.1:3100,
# first on SQLite, then on a throwaway PostgreSQL database, beside the ceilings measured in the same
# run (openssl RSA-2048 on 1 and 2 cores, a static-file GET of the course page's size). Writes the
# figures between the bench markers of BENCHMARKS.md (the text around them is kept).
source "$(dirname "$0")/lib.sh"
port=3100
base="http://127.0.0.1:$port"
pg_server=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
out=$(mktemp -d /tmp/coursepay-bench.XXXXXX)
rows="$out/rows.md"
server_pid=""
db_url=""
pg_db=""
failed=0


cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [[ -n "$pg_db" ]]; then psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

start_load=$(load)
log "load average at start: $start_load"
# --precompress: a brotli .br and a gzip .gz beside every site file, served by src/assets.rs.
cargo leptos build --release --precompress
cargo build -p loadgen --release
lg="$target/release/loadgen"
# A private copy: other engineers' builds may replace target/release/coursepay during the run.
server_bin="$out/coursepay-bench"
cp "$target/release/coursepay" "$server_bin"
build_load=$(load)

# Ceilings: RSA-2048 sign/verify per second, 1 core and 2 cores.
rsa() { awk '$1=="rsa" && $2=="2048" {print int($(NF-1)), int($NF)}'; }
read -r sign1 verify1 < <(openssl speed -seconds 3 rsa2048 2>/dev/null | rsa)
read -r sign2 verify2 < <(openssl speed -multi 2 -seconds 3 rsa2048 2>/dev/null | rsa)
log "openssl rsa2048: 1 core $sign1 sign/s $verify1 verify/s; 2 cores $sign2 sign/s $verify2 verify/s"

# Runs one loadgen scenario; its Markdown rows get the load average before the run appended.
run() {
  local l; l=$(load)
  if ! "$lg" --base "$base" --server-pid "$server_pid" --label "$label" "$@" >"$out/run.md"; then
    failed=1
    log "FAILED: loadgen $* on $label"
  fi
  sed "s/\$/ $l |/" "$out/run.md" | tee -a "$rows"
  if ! kill -0 "$server_pid" 2>/dev/null; then
    local rc=0; wait "$server_pid" 2>/dev/null || rc=$?
    failed=1
    log "server $server_pid died during: $* (exit status $rc; log $out/server-$label.log); restarting"
    echo "| server died during \`$1\` | $label | exit status $rc | - | - | - | - | - | - | - | - | - | - | $l |" >>"$rows"
    start_server "$db_url"
  fi
}
rate() {
  awk -F'|' -v s="$1" -v db="$label" '$2 ~ s && $3 ~ db {gsub(/ /, "", $7); v=$7} END {print v+0}' "$rows"
}

start_server() {
  local data="data/bench-$label"
  db_url=$1
  rm -rf "$data"; mkdir -p "$data"
  COURSEPAY_DATA_DIR="$data" DATABASE_URL="$1" LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn "$server_bin" serve >>"$out/server-$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -fs "$base/course/list" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  log "server did not start:"; cat "$out/server-$label.log" >&2; return 1
}

stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

scenarios() {
  local key="data/bench-$label/keys/sandbox_alipay_private_key.pem"
  run static -c 32 -n 30000 --seconds 15
  local ceiling; ceiling=$(rate "static")
  [[ "$ceiling" -gt 0 ]] || ceiling=1
  run ssr --path / -c 32 -n 30000 --seconds 15 --ceiling "$ceiling"
  run ssr --path /course/1 -c 1 -n 3000 --seconds 15 --ceiling "$ceiling"
  run ssr --path /course/1 -c 32 -n 30000 --seconds 15 --ceiling "$ceiling"
  for c in 1 32 256; do
    run create-order -c "$c" -n 6000 --seconds 15 --ceiling "$sign2"
  done
  run notify -c 32 -n 3000 --seconds 60 --key "$key" --ceiling "$verify2"
}

header='| scenario | db | conc | requests | errors | req/s | p50 ms | p99 ms | max ms | server RSS MB: in-run peak / VmHWM | CPU % server / loader (200 = 2 cores) | ceiling req/s | ratio | load avg before |'
echo "$header" >"$rows"
echo '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|' >>"$rows"

label=sqlite
start_server "sqlite://data/bench-sqlite/coursepay.db?mode=rwc"
scenarios
"$lg" --base "$base" bundle --path /course/1 >"$out/bundle.md" || { failed=1; log "FAILED: bundle"; }
stop_server

label=postgres
pg_db="coursepay_bench_$$"
psql "$pg_server/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
start_server "$pg_server/$pg_db"
scenarios
stop_server
psql "$pg_server/postgres" -qc "DROP DATABASE $pg_db" >/dev/null
pg_db=""

end_load=$(load)
gen="$out/generated.md"
{
  echo "<!-- bench:begin (written by scripts/bench.sh; edit outside the markers) -->"
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- shop src app alipay || echo ' + uncommitted changes') ."
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -m | awk '/^Mem:/ {print $2}') MB RAM; loader and server share the cores."
  echo "Load average (1/5/15 min): at start $start_load, after the build $build_load, at the end $end_load."
  echo
  echo "### Ceilings (same run)"
  echo
  echo "| ceiling | 1 core | 2 cores |"
  echo "|---|---|---|"
  echo "| openssl speed rsa2048 sign/s | $sign1 | $sign2 |"
  echo "| openssl speed rsa2048 verify/s | $verify1 | $verify2 |"
  echo
  echo "### Load (create-order against 2-core sign/s; notify against 2-core verify/s; SSR against the static GET)"
  echo
  cat "$rows"
  echo
  echo "### Bytes before interactive (brotli quality 11, computed by loadgen)"
  echo
  echo "| what | path | raw bytes | brotli bytes | note |"
  echo "|---|---|---|---|---|"
  cat "$out/bundle.md"
  echo "<!-- bench:end -->"
} >"$gen"

if [[ -f BENCHMARKS.md ]] && grep -q '<!-- bench:begin' BENCHMARKS.md; then
  awk -v gen="$gen" '
    /<!-- bench:begin/ { while ((getline line < gen) > 0) print line; skip=1; next }
    /<!-- bench:end/ { skip=0; next }
    !skip { print }' BENCHMARKS.md >"$out/BENCHMARKS.md"
  cp "$out/BENCHMARKS.md" BENCHMARKS.md
else
  { echo "# Benchmarks"; echo; cat "$gen"; } >BENCHMARKS.md
fi
log "figures written to BENCHMARKS.md (raw output in $out)"
if [[ "$failed" -ne 0 ]]; then
  log "a scenario failed its checks (see the errors column and the notify check rows)"
  exit 1
fi
