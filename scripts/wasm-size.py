#!/usr/bin/env python3
"""What takes the space in a WASM front end, per crate.

Usage: scripts/wasm-size.py [WASM]   (default: the hydrate build cargo-leptos leaves before
wasm-bindgen and wasm-opt, which still has its function names)

Runs `twiggy top` (cargo install twiggy --locked) and sums the shallow size of every function and
data segment by the crate its name starts with (`<X as crate::Trait>` counts for `crate`).
wasm-bindgen's describe exports, the names section and wasm-bindgen's custom section are left out:
none of them reaches the browser.
"""
import collections
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys

SKIP = ('"function names" subsection', "custom section '__wasm_bindgen_unstable'")


def default_wasm():
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
        check=True, capture_output=True, text=True,
    ).stdout
    target = json.loads(meta)["target_directory"]
    return os.path.join(target, "front/wasm32-unknown-unknown/wasm-release/frontend.wasm")


def crate_of(name):
    impl = re.match(r"^<[A-Z][A-Za-z0-9_]* as ([a-z_][a-z0-9_]*)", name)
    if impl:
        return impl.group(1)
    bare = re.sub(r"^[<&\s(]*(mut |dyn |impl )?", "", name)
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", bare)
    crate = m.group(1) if m else "(other)"
    return "(data)" if crate == "data" else crate


def main():
    wasm = sys.argv[1] if len(sys.argv) > 1 else default_wasm()
    if not os.path.isfile(wasm):
        sys.exit(f"wasm-size: {wasm} not found; build first (make build), or pass a .wasm path")
    if shutil.which("twiggy") is None:
        sys.exit("wasm-size: twiggy is missing: cargo install twiggy --locked")
    out = subprocess.run(
        ["twiggy", "top", "-n", "1000000", "-f", "csv", wasm],
        check=True, capture_output=True, text=True,
    ).stdout
    sizes = collections.Counter()
    for row in csv.DictReader(io.StringIO(out)):
        name = row["Name"]
        if name in SKIP or name.startswith(("export \"__wbindgen_describe", "... and", "Σ")):
            continue
        sizes[crate_of(name)] += int(row["ShallowSize"])
    total = sum(sizes.values())
    print(f"{wasm}: {total} bytes of code and data (before wasm-bindgen and wasm-opt)")
    print("| crate | bytes | share |\n|---|---|---|")
    for crate, size in sizes.most_common(20):
        print(f"| {crate} | {size} | {100 * size / total:.1f}% |")


if __name__ == "__main__":
    main()
