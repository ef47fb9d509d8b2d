#!/usr/bin/env bash
# Installs exactly what is missing to build (and test) coursepay, from the package registries only
# (crates.io, npm, Debian). Idempotent: a second run only checks versions and takes seconds.
source "$(dirname "$0")/lib.sh"
# `scripts/bootstrap.sh run`: only what `make run` needs (wasm32 target, cargo-leptos,
# wasm-bindgen, binaryen's wasm-opt). `scripts/bootstrap.sh` (or `test`): everything `make test` adds.
scope=${1:-test}
case "$scope" in run|test) ;; *) echo "usage: $0 [run|test]" >&2; exit 2 ;; esac

CARGO_LEPTOS_VERSION=0.3.11
# wasm-bindgen CLI must equal the library version pinned in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)

# Tools are built without their own release profile's LTO and single codegen unit: on 2 cores that
# profile costs minutes (cargo-leptos alone ~12 min with fat LTO) for no gain in a build tool.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=0

say() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[bootstrap] %s\033[0m\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs) and retry."
command -v npm >/dev/null || die "npm is missing: install Node.js 20+ with npm (Debian: apt-get install nodejs npm) and retry."

# 1. the wasm32 target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# Builds a crates.io tool from its source with a lockfile fix-up, offline-safe (no tool downloads).
# $1 crate, $2 version, $3 "pkg@precise ..." lock pins, $4 extra install flags
install_patched() {
  local crate=$1 version=$2 pins=$3 flags=$4
  local src
  src=$(ls -d "$HOME"/.cargo/registry/src/*/"$crate-$version" 2>/dev/null | head -n1 || true)
  if [ -z "$src" ]; then
    cargo info "$crate@$version" >/dev/null 2>&1 || die "could not fetch $crate $version from crates.io"
    src=$(ls -d "$HOME"/.cargo/registry/src/*/"$crate-$version" | head -n1)
  fi
  local work
  work=$(mktemp -d)
  cp -r "$src" "$work/"
  (
    cd "$work/$crate-$version"
    for pin in $pins; do
      cargo update -p "${pin%@*}" --precise "${pin#*@}"
    done
    # shellcheck disable=SC2086
    CARGO_TARGET_DIR="$work/target" cargo install --path . --locked $flags
  )
  rm -rf "$work"
}

# 2. cargo-leptos, built so it never downloads a tool (sass, tailwind, wasm-opt come from PATH or fail loudly)
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "building cargo-leptos $CARGO_LEPTOS_VERSION (about 7 minutes, once per machine)"
  install_patched cargo-leptos "$CARGO_LEPTOS_VERSION" "cargo-util-schemas@0.14.1" "--features no_downloads"
fi

# 3. wasm-bindgen CLI at the exact Cargo.lock version
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once per machine)"
  install_patched wasm-bindgen-cli "$WASM_BINDGEN_VERSION" "webpki-roots@1.0.10" ""
fi

# 4. end2end npm packages (Playwright runner, binaryen's wasm-opt); reinstall only when the lockfile changed
if [ -f end2end/package-lock.json ]; then
  stamp=end2end/node_modules/.lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s end2end/package-lock.json "$stamp"; then
    say "installing end2end npm packages (npm ci)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp end2end/package-lock.json "$stamp"
  fi
fi

# `make run` stops here: the server and its WASM front end build with what is above.
if [ "$scope" = run ]; then
  say "ready to run: $(cargo leptos --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version 2>/dev/null | awk '{print $3}')"
  exit 0
fi

# 5. trunk, for the client-side-rendered build (Trunk.toml); it finds wasm-bindgen and wasm-opt on PATH
TRUNK_VERSION=0.21.14
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "building trunk $TRUNK_VERSION (about 6 minutes, once per machine)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 6. Debian Chromium for Playwright (never `npx playwright install`: it downloads a browser)
if [ ! -x /usr/bin/chromium ]; then
  command -v apt-get >/dev/null || die "Chromium is missing at /usr/bin/chromium: install your system's chromium package."
  say "installing Debian chromium"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# 7. Debian nginx for the reverse-proxy test (scripts/nginx-test.sh); never started as a service
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  command -v apt-get >/dev/null || die "nginx is missing: install your system's nginx package."
  say "installing Debian nginx-light"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null
  # The package starts the default site on port 80; the test runs its own instance.
  $SUDO nginx -s stop 2>/dev/null || true
fi

# 8. Python packages for the cross-implementation tests (python-alipay-sdk and wechatpayv3 sign/verify independently)
if [ -f scripts/requirements-dev.txt ]; then
  if ! python3 -c "import alipay, Cryptodome, wechatpayv3" 2>/dev/null; then
    say "installing Python test packages (pip)"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r scripts/requirements-dev.txt
  fi
fi

# 9. cargo-deny (supply-chain checks) and cargo-fuzz (fuzzing on nightly; skipped when nightly is absent)
CARGO_DENY_VERSION=0.20.2
CARGO_FUZZ_VERSION=0.13.2
if ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
  say "building cargo-deny $CARGO_DENY_VERSION (about 4 minutes, once per machine)"
  cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  say "no nightly toolchain: fuzzing will be skipped (rustup toolchain install nightly to enable it)"
elif ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  say "building cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes, once per machine)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

say "toolchain ready: $(cargo leptos --version), $(wasm-bindgen --version), $(trunk --version), $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
