# coursepay — `make run` starts the shop, `make test` runs every check. Both bootstrap first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# binaryen's wasm-opt from npm first (Debian's breaks hydration), then cargo-installed tools.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# PostgreSQL the database tests create their throwaway databases in.
export COURSEPAY_TEST_PG ?= postgres://postgres@127.0.0.1:5432/postgres
NATIVE := --workspace --exclude frontend

.PHONY: bootstrap bootstrap-run run build test fmt-check clippy cargo-test e2e

bootstrap:
	@scripts/bootstrap.sh test

# What running needs only (no browser, trunk, cargo-deny, fuzzing, nginx, Python packages).
bootstrap-run:
	@scripts/bootstrap.sh run

## make run: build the release app and serve it on http://127.0.0.1:3000 (SQLite under data/).
## It prints how long it took to the first page (from when make started, tools and build included).
RUN_STARTED := $(shell date +%s)
run: bootstrap-run
	scripts/first-page.sh $(RUN_STARTED) "http://$${LEPTOS_SITE_ADDR:-127.0.0.1:3000}/" $$$$ & \
	  exec cargo leptos serve --release --precompress

build: bootstrap
	cargo leptos build --release --precompress

## make test: fmt, clippy, cargo deny, every cargo test (SQLite + PostgreSQL), a 20 s fuzz run per
## target, Playwright (hydrated + no-JS on the server-rendered site, then every spec on the CSR build).
test: bootstrap fmt-check clippy deny cargo-test fuzz-smoke storm-smoke nginx-test e2e
	@echo "make test: all checks passed"

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy $(NATIVE) --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown --no-default-features --features csr --bins -- -D warnings

cargo-test:
	scripts/ensure-postgres.sh
	cargo test $(NATIVE)

## make csr: the client-side-rendered build (Trunk.toml) into target/csr.
.PHONY: csr
csr: bootstrap
	cargo fetch --quiet
	trunk build --release
	node scripts/precompress.mjs target/csr

e2e: build csr
	cd end2end && npx playwright test

## make bench: release build, loadgen scenarios on SQLite and PostgreSQL, figures into BENCHMARKS.md.
.PHONY: bench
bench: bootstrap
	scripts/bench.sh

## make wasm-size: what takes the space in the hydrate WASM, per crate (twiggy; after make build).
.PHONY: wasm-size
wasm-size:
	@command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked
	scripts/wasm-size.py

## Supply chain (deny.toml): licenses, bans, sources; advisories when an offline snapshot exists.
.PHONY: deny fuzz-smoke fuzz
deny:
	scripts/deny.sh

## Fuzzing (cargo-fuzz, nightly): 20 s per target in make test; make fuzz runs 10M executions each.
fuzz-smoke:
	scripts/fuzz.sh 20

fuzz: bootstrap
	scripts/fuzz.sh runs 10000000

## The release server behind Debian nginx terminating TLS (deploy/nginx-coursepay.conf).
.PHONY: nginx-test
nginx-test: build
	scripts/nginx-test.sh --no-build

## Reliability (RELIABILITY.md): notify storm over two instances sharing PostgreSQL and one on SQLite,
## and crash runs (kill -9 the server, restart PostgreSQL) with the standalone sandbox retrying.
.PHONY: storm crash storm-smoke
storm: bootstrap
	scripts/ensure-postgres.sh
	scripts/storm.sh --orders 20000

crash: bootstrap
	scripts/ensure-postgres.sh
	scripts/crash.sh --orders 3000

# Depends on build: the server is built once, by cargo leptos, for this and e2e.
storm-smoke: build
	scripts/ensure-postgres.sh
	cargo build --release -p alipay-sandbox -p loadgen
	scripts/storm.sh --no-build --orders 600 --sqlite-orders 300
	scripts/crash.sh --no-build --orders 120 --db-down 11
