#!/usr/bin/env bash
# Starts the release server on a fresh SQLite database for the Playwright suite (its webServer).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
data=data/e2e
rm -rf "$data"
mkdir -p "$data"
export COURSEPAY_DATA_DIR="$data"
export DATABASE_URL="sqlite://$data/coursepay.db?mode=rwc"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:3000
export RUST_LOG=${RUST_LOG:-warn}
exec "$target/release/coursepay" serve
