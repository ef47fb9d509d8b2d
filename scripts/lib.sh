# The preamble every scripts/*.sh sources: `source "$(dirname "$0")/lib.sh"`.
# Strict mode, the repository root as working directory, the tools on PATH (binaryen's wasm-opt
# from npm first: Debian's breaks hydration; then cargo-installed tools), the cargo target dir, and
# the helpers several scripts share. Set SCRIPT (the message prefix) before sourcing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# shellcheck disable=SC2034 # used by the scripts that source this file
target=${CARGO_TARGET_DIR:-target}

log() { echo "${SCRIPT:-$(basename "$0" .sh)}: $*" >&2; }
# The machine's load averages (1, 5, 15 min), printed beside every measured figure.
load() { cut -d' ' -f1-3 /proc/loadavg; }
# The commit, and whether the code differs from it (outside a git checkout: unknown).
commit() {
  local c; c=$(git rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
  printf '%s' "$c"
  git diff --quiet HEAD -- shop src app alipay alipay-sandbox loadgen 2>/dev/null || echo ' + uncommitted changes'
}
# Whether nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
