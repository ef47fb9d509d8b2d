#!/usr/bin/env bash
# Supply-chain checks with cargo-deny (deny.toml), never touching the network: advisories (from an
# offline RustSec snapshot), licenses, bans (duplicate versions are warnings) and sources.
#
# The advisory database is a git bundle of the RustSec advisory-db (COURSEPAY_ADVISORY_BUNDLE,
# default: the workplace's shared snapshot beside the checkout). It is cloned once to where
# cargo-deny 0.20 looks for it ($CARGO_HOME/advisory-dbs/advisory-db-3157b0e258782691) and
# refreshed when the bundle is newer. Without any snapshot the advisories check fails (set
# COURSEPAY_SKIP_ADVISORIES=1 to skip it knowingly).
source "$(dirname "$0")/lib.sh"
command -v cargo-deny >/dev/null || { echo "[deny] cargo-deny is missing: run scripts/bootstrap.sh" >&2; exit 1; }

db="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
snapshot="$db/advisory-db-3157b0e258782691"
bundle="${COURSEPAY_ADVISORY_BUNDLE:-}"
if [ -z "$bundle" ]; then
  for candidate in ../shared/advisory-db.bundle /work/shared/advisory-db.bundle; do
    if [ -f "$candidate" ]; then bundle=$candidate; break; fi
  done
fi
if [ -n "$bundle" ] && [ -f "$bundle" ]; then
  if [ ! -d "$snapshot/.git" ] || [ "$bundle" -nt "$snapshot/.git/FETCH_HEAD" ]; then
    echo "[deny] advisory database from $bundle"
    rm -rf "$snapshot"
    mkdir -p "$db"
    branch=$(git bundle list-heads "$bundle" | awk '{sub("refs/heads/","",$2); print $2; exit}')
    git clone -q -b "$branch" "$bundle" "$snapshot"
    touch "$snapshot/.git/FETCH_HEAD"
  fi
fi
checks=(licenses bans sources)
if compgen -G "$db/*/crates" >/dev/null; then
  checks=(advisories "${checks[@]}")
  echo "[deny] advisories from the offline snapshot in $db ($(git -C "$snapshot" log -1 --format=%cs 2>/dev/null || echo unknown date))"
elif [ "${COURSEPAY_SKIP_ADVISORIES:-}" = 1 ]; then
  echo "[deny] advisories skipped (COURSEPAY_SKIP_ADVISORIES=1)"
else
  echo "[deny] no RustSec snapshot: set COURSEPAY_ADVISORY_BUNDLE to a bundle of github.com/rustsec/advisory-db (or COURSEPAY_SKIP_ADVISORIES=1)" >&2
  exit 1
fi
# cargo-deny reads every platform's dependencies through `cargo metadata`; fetch them (crates.io is
# reachable) so --offline finds them all, also on a machine that only ever built for Linux.
cargo fetch --quiet
cargo deny --offline --log-level error check --show-stats "${checks[@]}"
