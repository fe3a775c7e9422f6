# Tierdash: the only commands a newcomer needs.
#   make run      install what is missing, build the app and the server, migrate, load demo data
#                 on first start, serve on http://127.0.0.1:8080 and print the demo logins
#   make test     formatting, lints, every test (PostgreSQL too when TIERDASH_TEST_POSTGRES_URL
#                 is set), the browser tests in headless Chromium, the API fuzzer and a generated
#                 client against the real binary
#   make bench    the benchmarks: the web app's download size, import speed and memory, Home latency
#   make soak     ten minutes of mixed load against the binary: throughput, latency, errors, memory
#   make openapi  regenerate openapi/openapi.json after changing the API

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
BIN := target/release/tierdash
# Splits the app's wasm at its lazy routes (scripts/build-app.sh); trunk cannot.
WASM_SPLIT_VERSION := 0.2.4
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
NODE_BIN := $(CURDIR)/frontend/node_modules/.bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup tools browser loadtools run build frontend server test lint unit e2e size fuzz-api client-test soak bench bench-import bench-home openapi clean venv

help:
	@sed -n '2,8p' Makefile

# ---- tools: each installed only when missing ---------------------------------------------
setup: tools

tools:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust with rustup (https://rustup.rs)"; exit 1; }
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 20 or newer"; exit 1; }
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@$(CARGO) install --list | grep -q "^wasm_split_cli_support v$(WASM_SPLIT_VERSION)" || $(CARGO) install wasm_split_cli_support --version $(WASM_SPLIT_VERSION) --features build-binary --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ -x frontend/node_modules/.bin/wasm-opt ] || (cd frontend && npm ci --no-audit --no-fund)

browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	@[ -f e2e/node_modules/playwright-core/package.json ] || (cd e2e && npm ci --no-audit --no-fund)

# wrk (load generator), the sqlite3 tool and GNU time (peak memory), for the benchmarks only.
loadtools:
	@command -v wrk >/dev/null && command -v sqlite3 >/dev/null && [ -x /usr/bin/time ] || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk sqlite3 curl time; }

# Python tools for the test fixtures (scripts/make-focus-fixtures.sh): .venv with the pinned
# scripts/requirements-dev.txt, installed again only when that file changes.
venv: .venv/.installed

.venv/.installed: scripts/requirements-dev.txt
	@[ -x .venv/bin/python ] || python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check --no-input -r scripts/requirements-dev.txt
	@touch $@

# ---- build -------------------------------------------------------------------------------
frontend: tools
	scripts/build-app.sh

server:
	$(CARGO) build --release --locked -p tierdash-server

build: frontend server

run: build
	$(BIN) migrate
	$(BIN) demo-data --if-empty
	@echo "Serving on http://$${TIERDASH_BIND:-127.0.0.1:8080}  (API docs: /api/docs/)"
	$(BIN) serve

# ---- checks ------------------------------------------------------------------------------
lint: tools
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy -p tierdash-frontend --target wasm32-unknown-unknown --locked -- -D warnings

unit:
	$(CARGO) test --workspace --locked

# The app as the server sends it (brotli, then gzip), per file, against the first-load budget.
size: build
	scripts/app-size.sh frontend/dist

e2e: build browser
	cd e2e && node browser.test.mjs

# schemathesis over every operation of openapi/openapi.json against the binary (bounded: a fixed
# seed, a dozen cases per operation and phase, a timeout per run).
fuzz-api: server venv
	scripts/fuzz-api.sh

# A Python client generated from openapi/openapi.json, unmodified, against the binary.
client-test: server venv
	scripts/client-test.sh

test: lint unit e2e size fuzz-api client-test

# Ten minutes of mixed load (SOAK_SECONDS) on loopback: throughput, p50/p99, errors, memory.
soak: server
	scripts/soak.sh

bench: frontend size bench-import bench-home

# Import speed and memory: 1,000,000 generated lines into SQLite and PostgreSQL (LINES=… to change;
# RUNS=… runs of the 1M-line SQLite import, median reported, default 3).
bench-import: server loadtools venv
	scripts/bench-import.sh $(or $(LINES),1000000)

# Dashboard latency under wrk beside DuckDB over the same lines: 1,000,000 and 10,000,000 line
# items, 100,000 customers, 500 resellers, SQLite and PostgreSQL (HOME_LINES="…" to change the sizes).
bench-home: server loadtools venv
	scripts/bench-home.sh $(or $(HOME_LINES),1000000 10000000)

openapi:
	$(CARGO) run -q -p tierdash-server --bin tierdash -- openapi --output openapi/openapi.json

clean:
	$(CARGO) clean
	rm -rf frontend/dist
