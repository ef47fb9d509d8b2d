#!/usr/bin/env bash
# Crash runs. See --help.
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<'EOF'
scripts/crash.sh: kill the shop, or restart its database, in the middle of a notify storm.

  The gateway is the standalone alipay-sandbox (its own process, SQLite store and clock), so
  killing the shop does not stop its notify retries (Alipay's schedule, +4m 10m 10m 1h ..., on a
  clock --clock-speed times faster, each attempt posted --copies times at once). `loadgen
  gateway-storm` creates the orders, then pays them all at the sandbox cashier while this script
  strikes; it then waits until every notify is settled and checks both databases: every trade paid
  at the gateway is paid in the shop exactly once with the gateway's trade_no (one `applied` event,
  whatever its source: notify or the shop's reconciliation query), every notify attempt was answered
  `success` or `failure` or not at all (server down), and every `success` is backed by a recorded
  notify (a `success` while the database is down would show up as a missing record). A run where
  the strike missed the storm (no unanswered attempt for a kill, no `failure` for a restart) fails.

Scenarios:
  kill-pg       kill -9 the server mid-storm (PostgreSQL), restart it after --down seconds
  kill-sqlite   the same on SQLite
  pg-restart    stop PostgreSQL mid-storm (pg_ctl -m fast), start it again after --db-down seconds.
                Runs on a private throwaway PostgreSQL 15 cluster (initdb in a temp dir, port
                5499) so the shared cluster on 5432 that other tests use is never restarted.

Usage: scripts/crash.sh [options] [scenario...]     (default: all three)
  --orders N        orders per scenario (default 3000)
  --concurrency C   payments in flight (default 32)
  --kill-after S    seconds after payments start before the strike (default 1)
  --pay-over S      spread the payments over S seconds, so the strike lands mid-storm however
                    fast the sandbox cashier is (default 8; 0 = as fast as possible)
  --down S          seconds the server stays down (default 5)
  --db-down S       seconds PostgreSQL stays down (default 15: longer than the shop's 10 s
                    connection-acquire timeout, so notifies waiting for the database get `failure`;
                    a shorter outage is absorbed: they wait and succeed)
  --clock-speed X   sandbox clock speed (default 60: the +4m retry comes after 4 s)
  --copies K        sandbox fault: each notify attempt posted K times at once (default 2)
  --no-build        use the binaries already in $CARGO_TARGET_DIR/release
  -h, --help        this text

`make crash` runs all three with 3000 orders; `make storm-smoke` runs them with 120 (PostgreSQL down 11 s).
Payments at the sandbox cashier run at about 20/s here (its SQLite store), so N orders keep the
storm going for about N/20 s.
EOF
}

orders=3000 conc=32 kill_after=1 pay_over=8 down=5 db_down=15 speed=60 copies=2 build=1 scenarios=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --orders) orders=$2; shift 2 ;;
    --concurrency) conc=$2; shift 2 ;;
    --kill-after) kill_after=$2; shift 2 ;;
    --pay-over) pay_over=$2; shift 2 ;;
    --down) down=$2; shift 2 ;;
    --db-down) db_down=$2; shift 2 ;;
    --clock-speed) speed=$2; shift 2 ;;
    --copies) copies=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    kill-pg|kill-sqlite|pg-restart) scenarios+=("$1"); shift ;;
    *) echo "crash: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#scenarios[@]} -gt 0 ]] || scenarios=(kill-pg kill-sqlite pg-restart)

shared_pg=${STORM_PG:-postgres://postgres@127.0.0.1:5432}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
shop_port=3221 sandbox_port=8491 private_pg_port=5499
out=$(mktemp -d /tmp/coursepay-crash.XXXXXX)
chmod 755 "$out"
shop_pid="" sandbox_pid="" lg_pid="" pg_db="" pg_db_server="" private_pg=""
# A sleep that a signal interrupts at once (bash runs traps only between foreground commands).
pause() { sleep "$1" & wait $!; }

# initdb and postgres refuse to run as root: as root, run them as the postgres user.
as_postgres() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
private_pg_up() { [[ -n "$private_pg" ]] && as_postgres "$pg_bin/pg_ctl" -D "$private_pg" status >/dev/null 2>&1; }

cleanup() {
  local rc=$?
  for p in "$lg_pid" "$shop_pid" "$sandbox_pid"; do
    [[ -n "$p" ]] && { kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; }
  done
  if [[ -n "$pg_db" ]]; then psql "$pg_db_server/postgres" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
  if [[ -n "$private_pg" ]]; then
    as_postgres "$pg_bin/pg_ctl" -D "$private_pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  # The shared cluster is never touched, but leave it answering whatever happened.
  scripts/ensure-postgres.sh >/dev/null 2>&1 || log "WARNING: the shared PostgreSQL on 5432 is not answering"
  if [[ $rc -ne 0 ]]; then log "FAILED (exit $rc); logs kept in $out"; else rm -rf "$out"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ $build -eq 1 ]]; then
  log "building the release server (cargo leptos, as make build and bench.sh), alipay-sandbox and loadgen"
  cargo leptos build --release --precompress
  cargo build --release -p alipay-sandbox -p loadgen
fi
for b in coursepay alipay-sandbox loadgen; do cp "$target/release/$b" "$out/$b"; done

wait_http() { # URL PID LOG
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.25
  done
  log "did not start ($1):"; tail -20 "$3" >&2; exit 1
}

# The merchant's app key pair (the sandbox verifies the shop's requests with its public half).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/app_private_key.pem" 2>/dev/null
openssl pkey -in "$out/app_private_key.pem" -pubout -out "$out/app_public_key.pem"

start_sandbox() { # DIR
  port_free "$sandbox_port" || { log "port $sandbox_port is in use"; exit 1; }
  RUST_LOG=warn "$out/alipay-sandbox" --port "$sandbox_port" --data-dir "$1" \
    --app-public-key-file "$out/app_public_key.pem" --clock-speed "$speed" --notify-copies "$copies" \
    >>"$1.log" 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 1 120); do
    grep -q '^gateway:' "$1.log" 2>/dev/null && return 0
    kill -0 "$sandbox_pid" 2>/dev/null || break
    sleep 0.25
  done
  log "the sandbox did not start:"; tail -20 "$1.log" >&2; exit 1
}

start_shop() { # DIR DATABASE_URL
  port_free "$shop_port" || { log "port $shop_port is in use"; exit 1; }
  mkdir -p "$1"
  COURSEPAY_DATA_DIR="$1" DATABASE_URL="$2" LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_ADDR="127.0.0.1:$shop_port" RUST_LOG=warn JOBS_INTERVAL_SECS=5 ORDER_TIMEOUT_MINUTES=10080 \
    ALIPAY_GATEWAY="http://127.0.0.1:$sandbox_port/gateway.do" ALIPAY_APP_ID=9021000000000001 \
    ALIPAY_SELLER_ID=2088721000000001 ALIPAY_APP_PRIVATE_KEY_FILE="$out/app_private_key.pem" \
    ALIPAY_PUBLIC_KEY_FILE="$sandbox_dir/alipay_public_key.txt" \
    "$out/coursepay" serve >>"$1.log" 2>&1 &
  shop_pid=$!
  wait_http "http://127.0.0.1:$shop_port/course/list" "$shop_pid" "$1.log"
}

stop() { # PID-VARIABLE
  local p=${!1}
  [[ -n "$p" ]] && { kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; }
  printf -v "$1" '%s' ""
}

private_pg_start() {
  if [[ -z "$private_pg" ]]; then
    private_pg="$out/pgdata"
    [[ -x "$pg_bin/initdb" ]] || { log "pg-restart needs PostgreSQL's server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin"; exit 1; }
    mkdir -p "$private_pg" "$out/pgsock"
    if [[ $EUID -eq 0 ]]; then chown postgres "$private_pg" "$out/pgsock"; fi
    chmod 700 "$private_pg"
    as_postgres "$pg_bin/initdb" -D "$private_pg" -A trust -U postgres >"$out/initdb.log" 2>&1
  fi
  port_free "$private_pg_port" || { log "port $private_pg_port is in use"; exit 1; }
  as_postgres "$pg_bin/pg_ctl" -D "$private_pg" -l "$out/pgsock/postgres.log" -w \
    -o "-p $private_pg_port -k $out/pgsock -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
}

failed=0
rows="$out/rows.md"
: >"$rows"

scenario() {
  local name=$1 l; l=$(load)
  sandbox_dir="$out/$name-sandbox"
  local shop_dir="$out/$name-shop" url
  case "$name" in
    kill-sqlite) url="sqlite://$shop_dir/coursepay.db?mode=rwc" ;;
    kill-pg) pg_db_server=$shared_pg ;;
    pg-restart) private_pg_start; pg_db_server="postgres://postgres@127.0.0.1:$private_pg_port" ;;
  esac
  if [[ "$name" != kill-sqlite ]]; then
    pg_db="coursepay_storm_crash_$$"
    psql "$pg_db_server/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
    url="$pg_db_server/$pg_db"
  fi
  log "$name: $orders orders, sandbox clock x$speed, $copies copies per attempt, strike ${kill_after}s into the payments, down ${down}s (database: ${db_down}s) (load $l)"
  start_sandbox "$sandbox_dir"
  start_shop "$shop_dir" "$url"
  local marker="$out/$name.paying"
  "$out/loadgen" --base "http://127.0.0.1:$shop_port" gateway-storm --db "$url" \
    --sandbox-db "$sandbox_dir/sandbox.db" -n "$orders" -c "$conc" --pay-over "$pay_over" --marker "$marker" --wait 600 \
    >"$out/$name.out" 2>"$out/$name.err" &
  lg_pid=$!
  while [[ ! -f "$marker" ]]; do
    kill -0 "$lg_pid" 2>/dev/null || { log "loadgen ended before paying:"; cat "$out/$name.err" >&2; exit 1; }
    sleep 0.1
  done
  pause "$kill_after"
  local t0=$SECONDS
  case "$name" in
    kill-*)
      log "$name: kill -9 $shop_pid"
      kill -9 "$shop_pid"; wait "$shop_pid" 2>/dev/null || true; shop_pid=""
      pause "$down"
      log "$name: restarting the server"
      start_shop "$shop_dir" "$url" ;;
    pg-restart)
      log "$name: stopping PostgreSQL (private cluster, port $private_pg_port)"
      as_postgres "$pg_bin/pg_ctl" -D "$private_pg" -m fast -w stop >/dev/null
      pause "$db_down"
      log "$name: starting PostgreSQL again"
      private_pg_start ;;
  esac
  log "$name: back after $((SECONDS - t0)) s; waiting for the storm to settle"
  local rc=0
  wait "$lg_pid" || rc=$?
  lg_pid=""
  cat "$out/$name.err" >&2
  cat "$out/$name.out"
  local kv; kv=$(grep '^gateway-storm:' "$out/$name.out" | tail -1 || true)
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$kv"; }
  if [[ $rc -ne 0 ]]; then failed=1; log "FAILED: $name (loadgen exit $rc)"; fi
  case "$name" in
    kill-*) if [[ "$(get attempts_no_answer)" == "0" ]]; then failed=1; log "FAILED: $name: no notify went unanswered: the kill missed the storm (more --orders or a smaller --kill-after)"; fi ;;
    pg-restart) if [[ "$(get attempts_failure)" == "0" ]]; then failed=1; log "FAILED: $name: no notify was answered failure: the outage missed the storm"; fi ;;
  esac
  if grep -q panicked "$shop_dir.log"; then failed=1; log "PANIC in the shop:"; grep -m3 -A3 panicked "$shop_dir.log" >&2; fi
  kill -0 "$shop_pid" 2>/dev/null || { failed=1; log "the shop died after the strike"; }
  echo "| $name | $(get orders) | $(get attempts_success) | $(get attempts_failure) | $(get attempts_no_answer) | $(get attempts_other) | $(get applied_notify) | $(get applied_query) | $(get db_problems) | $l |" >>"$rows"
  stop shop_pid
  stop sandbox_pid
  if [[ -n "$pg_db" ]]; then psql "$pg_db_server/postgres" -qc "DROP DATABASE $pg_db" >/dev/null; pg_db=""; fi
}

for s in "${scenarios[@]}"; do scenario "$s"; done

echo
echo "Crash runs $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(commit), $(nproc) cores; $orders orders each, sandbox clock x$speed, $copies posts per attempt, strike ${kill_after}s into the payments, server down ${down}s, PostgreSQL down ${db_down}s:"
echo
echo "| scenario | orders | attempts answered success | failure | no answer | other | applied by notify | applied by query | DB problems | load avg before |"
echo "|---|---|---|---|---|---|---|---|---|---|"
cat "$rows"
if [[ $failed -ne 0 ]]; then log "FAILED: see above (logs in $out)"; exit 1; fi
log "passed: every paid order paid exactly once, no success without a record"
