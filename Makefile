# Tierdash: the only commands a newcomer needs.
#   make run      build, migrate, load demo data on first start, serve on http://127.0.0.1:8080
#   make test     formatting, lints and every test (PostgreSQL too when TIERDASH_TEST_POSTGRES_URL is set)
#   make openapi  regenerate openapi/openapi.json after changing the API

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
BIN := target/release/tierdash

.PHONY: run test setup build lint openapi clean help

help:
	@sed -n '2,5p' Makefile

# Everything the build needs that is not there yet. Today that is only the Rust toolchain
# (rustup installs it; there is nothing to download at build time beyond crates).
setup:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust with rustup (https://rustup.rs)"; exit 1; }

build: setup
	$(CARGO) build --release -p tierdash-server

run: build
	$(BIN) migrate
	$(BIN) demo-data --if-empty
	@echo "Serving on http://$${TIERDASH_BIND:-127.0.0.1:8080}  (API docs: /api/docs/)"
	$(BIN) serve

lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test: lint
	$(CARGO) test --workspace

openapi: setup
	$(CARGO) run -q -p tierdash-server --bin tierdash -- openapi --output openapi/openapi.json

clean:
	$(CARGO) clean
