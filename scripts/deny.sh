#!/usr/bin/env bash
# Supply-chain checks with cargo-deny (deny.toml), never touching the network:
# licenses, bans (duplicate versions are warnings) and sources always; advisories only when an
# offline RustSec advisory-db snapshot is present at $CARGO_HOME/advisory-dbs (cargo-deny's
# default db-path). To provide one, on a connected machine:
#   git clone https://github.com/rustsec/advisory-db "$CARGO_HOME/advisory-dbs/github.com-2f857891b7f43c59"
# and copy that folder here; every ignored advisory must be listed with a reason in deny.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-deny >/dev/null || { echo "[deny] cargo-deny is missing: run scripts/bootstrap.sh" >&2; exit 1; }

db="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
checks=(licenses bans sources)
if compgen -G "$db/*/crates" >/dev/null; then
  checks=(advisories "${checks[@]}")
  echo "[deny] advisories from the offline snapshot in $db"
else
  echo "[deny] advisories skipped: no offline advisory database at $db (see scripts/deny.sh to add one)"
fi
# cargo-deny reads every platform's dependencies through `cargo metadata`; fetch them (crates.io is
# reachable) so --offline finds them all, also on a machine that only ever built for Linux.
cargo fetch --quiet
cargo deny --offline --log-level error check --show-stats "${checks[@]}"
