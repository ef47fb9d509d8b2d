#!/usr/bin/env bash
# Fuzzes the alipay and wechatpay parsers with cargo-fuzz (libFuzzer, nightly): notify/return
# parse + verify, the key loader, the JSON answer extractor; WeChat Pay notifications (verify,
# decrypt, type).
#   scripts/fuzz.sh SECONDS         run each target for SECONDS (make test: 20)
#   scripts/fuzz.sh runs N          run each target for N executions (make fuzz: 10,000,000)
# Seeds: fuzz/seeds/<target> (committed; regenerate with fuzz/make_seeds.py). New inputs go to
# fuzz/corpus/<target>, crashes to fuzz/artifacts/<target> (both ignored by git).
source "$(dirname "$0")/lib.sh"

if [ "${1:-}" = runs ]; then limit="-runs=${2:?runs N}"; else limit="-max_total_time=${1:-20}"; fi
TARGETS=${FUZZ_TARGETS:-"callback keys response wechat_notify"}

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "[fuzz] skipped: no nightly toolchain (cargo-fuzz needs it; rustup toolchain install nightly)" >&2
  exit 0
fi
if ! command -v cargo-fuzz >/dev/null; then
  echo "[fuzz] cargo-fuzz is missing: run scripts/bootstrap.sh" >&2
  exit 1
fi

# A target dir of its own (sanitizer builds differ anyway): beside a persistent CARGO_TARGET_DIR when
# the caller has one (CI keeps it warm), else fuzz/target.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:+$CARGO_TARGET_DIR/fuzz}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/fuzz/target}"
cd fuzz
for t in $TARGETS; do
  mkdir -p "corpus/$t" target
  echo "[fuzz] $t: $limit"
  start=$(date +%s)
  rc=0
  cargo +nightly fuzz run --release "$t" "corpus/$t" "seeds/$t" -- \
    "$limit" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"target/fuzz-$t.log" 2>&1 || rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "target/fuzz-$t.log" | awk '{print $2}')
  if [ "$rc" -ne 0 ] || [ -z "$runs" ]; then
    tail -n 30 "target/fuzz-$t.log" >&2
    echo "[fuzz] $t FAILED (exit $rc): see fuzz/target/fuzz-$t.log and fuzz/artifacts/$t" >&2
    exit 1
  fi
  echo "[fuzz] $t: $runs executions in $(( $(date +%s) - start )) s, no crash"
done
