#!/usr/bin/env bash
# Starts the release server on a fresh SQLite database for the Playwright suite (its webServer).
#   scripts/e2e-server.sh        server-rendered site on 127.0.0.1:3000 (hydrated and no-JS projects)
#   scripts/e2e-server.sh csr    the Trunk build (target/csr) on 127.0.0.1:3002 (csr project)
source "$(dirname "$0")/lib.sh"
mode=${1:-ssr}
case "$mode" in
  ssr) data=data/e2e addr=127.0.0.1:3000 ;;
  csr) data=data/e2e-csr addr=127.0.0.1:3002
       export COURSEPAY_FRONTEND=csr COURSEPAY_CSR_DIR=target/csr ;;
  *) echo "usage: $0 [ssr|csr]" >&2; exit 2 ;;
esac
rm -rf "$data"
mkdir -p "$data"
export COURSEPAY_DATA_DIR="$data"
export DATABASE_URL="sqlite://$data/coursepay.db?mode=rwc"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=$addr
export RUST_LOG=${RUST_LOG:-warn}
exec "$target/release/coursepay" serve
