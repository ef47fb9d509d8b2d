#!/usr/bin/env bash
# The notify storm. See --help.
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'EOF'
scripts/storm.sh: the notify storm, checked in the database.

  Two release servers share one fresh PostgreSQL database (and their keys); then one server on a
  fresh SQLite file. On each: `loadgen storm` creates the orders over HTTP, signs every genuine
  TRADE_SUCCESS notify as the sandbox (Alipay), and posts each genuine notify --copies times (3),
  shuffled together with signed-but-wrong notifies (amount, app_id, seller_id, unknown order) and
  unsigned or tampered ones, --concurrency in flight, spread over the instances. It requires every
  answer to be exactly `success` (genuine) or `failure` (everything else), then reads the database:
  every genuine order paid once (status, its trade_no, one `applied` event), every other order
  untouched, every notify recorded once with the verdict its kind calls for. Any lost payment,
  double application, wrong answer, 5xx, dead server or panic in a server log fails the run.

Usage: scripts/storm.sh [options]
  --orders N        orders per database (default 20000; one in ten gets only wrong notifies)
  --sqlite-orders N orders for the SQLite run (default: --orders)
  --concurrency C   requests in flight (default 64)
  --copies K        deliveries of each genuine notify (default 3)
  --only pg|sqlite  run one database only
  --seed S          shuffle seed (default: from the clock; printed)
  --no-build        use the binaries already in $CARGO_TARGET_DIR/release
  -h, --help        this text

Environment: CARGO_TARGET_DIR (default target), STORM_PG (default postgres://postgres@127.0.0.1:5432).
`make storm` = the full run (20,000 orders); `make storm-smoke` (in `make test`) runs 600 + 300.
Prints the figures (orders, notifies, answers by kind, duration, rate) and a Markdown row per run.
EOF
}

orders=20000 sqlite_orders="" conc=64 copies=3 only="" seed="" build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --orders) orders=$2; shift 2 ;;
    --sqlite-orders) sqlite_orders=$2; shift 2 ;;
    --concurrency) conc=$2; shift 2 ;;
    --copies) copies=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "storm: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
sqlite_orders=${sqlite_orders:-$orders}

pg_server=${STORM_PG:-postgres://postgres@127.0.0.1:5432}
out=$(mktemp -d /tmp/coursepay-storm.XXXXXX)
pids=()
pg_db=""

cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [[ -n "$pg_db" ]]; then psql "$pg_server/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  if [[ $rc -ne 0 ]]; then log "FAILED (exit $rc); logs and outputs kept in $out"; else rm -rf "$out"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $build -eq 1 ]]; then
  log "building the release server (cargo leptos, as make build and bench.sh) and loadgen"
  cargo leptos build --release --precompress
  cargo build --release -p loadgen
fi
# Private copies: other builds may replace the binaries in the shared target dir meanwhile.
cp "$target/release/coursepay" "$out/coursepay"
cp "$target/release/loadgen" "$out/loadgen"

# start NAME PORT DATABASE_URL: a release server with its own data dir; its pid lands in $pid.
start() {
  local name=$1 port=$2 url=$3
  port_free "$port" || { log "port $port is in use"; exit 1; }
  mkdir -p "$out/$name"
  COURSEPAY_DATA_DIR="$out/$name" DATABASE_URL="$url" LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn "$out/coursepay" serve >>"$out/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/course/list" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  log "server $name did not start:"; tail -20 "$out/$name.log" >&2; exit 1
}

# After a run: every server still alive, no panic logged.
servers_ok() {
  local ok=0
  for name in "$@"; do
    if grep -q "panicked" "$out/$name.log"; then log "PANIC in server $name:"; grep -m3 -A3 panicked "$out/$name.log" >&2; ok=1; fi
  done
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { log "a server died during the run (pid $p)"; ok=1; }; done
  return $ok
}

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}

failed=0
rows="$out/rows.md"
: >"$rows"
seed_arg=()
[[ -n "$seed" ]] && seed_arg=(--seed "$seed")

# run LABEL INSTANCES ORDERS DB_URL BASE [ALSO...]
run() {
  local label=$1 instances=$2 n=$3 url=$4 base=$5; shift 5
  local also=() l; l=$(load)
  for b in "$@"; do also+=(--also "$b"); done
  log "$label: $n orders, $instances instance(s), c=$conc, copies=$copies (load $l)"
  local rc=0
  "$out/loadgen" --base "$base" storm "${also[@]}" --key "$out/a/keys/sandbox_alipay_private_key.pem" \
    --db "$url" -n "$n" -c "$conc" --copies "$copies" "${seed_arg[@]}" >"$out/$label.out" || rc=$?
  cat "$out/$label.out"
  if [[ $rc -ne 0 ]]; then failed=1; log "FAILED: $label (loadgen exit $rc)"; fi
  servers_ok "${names[@]}" || failed=1
  # storm: orders=.. genuine=.. ... -> one Markdown row
  local kv; kv=$(grep '^storm:' "$out/$label.out" | tail -1 || true)
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$kv"; }
  echo "| $label | $instances | $(get orders) | $(get notifies) | $(get success) | $(get failure) | $(get other) | $(get no_answer) | $(get wrong_answers) | $(get db_problems) | $(get seconds) | $(get rate) | $l |" >>"$rows"
}

if [[ "$only" != "sqlite" ]]; then
  pg_db="coursepay_storm_$$"
  url="$pg_server/$pg_db"
  psql "$pg_server/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
  start a 3211 "$url"
  # The second instance shares the first one's keys (sandbox key, app key, JWT secret).
  mkdir -p "$out/b" && cp -a "$out/a/keys" "$out/b/keys"
  start b 3212 "$url"
  names=(a b)
  run postgres-2 2 "$orders" "$url" http://127.0.0.1:3211 http://127.0.0.1:3212
  stop_all
  psql "$pg_server/postgres" -qc "DROP DATABASE $pg_db" >/dev/null
  pg_db=""
fi

if [[ "$only" != "pg" ]]; then
  rm -rf "$out/a"
  start a 3213 "sqlite://$out/a/coursepay.db?mode=rwc"
  names=(a)
  run sqlite-1 1 "$sqlite_orders" "sqlite://$out/a/coursepay.db?mode=rwc" http://127.0.0.1:3213
  stop_all
fi

echo
echo "Storm $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(commit), $(nproc) cores; c=$conc, $copies deliveries per genuine notify:"
echo
echo "| run | instances | orders | notifies | success | failure | other | no answer | wrong answers | DB problems | seconds | notifies/s | load avg before |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
cat "$rows"
if [[ $failed -ne 0 ]]; then log "FAILED: see above (outputs in $out)"; exit 1; fi
log "passed: nothing lost, nothing applied twice, every answer right"
