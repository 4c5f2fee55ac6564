# The two set-up commands of the README, plus developer conveniences.
.PHONY: run test install install-test lint format

run: install
	.venv/bin/barometre demo

test: install-test
	scripts/test

install:
	scripts/install

install-test:
	scripts/install test

lint:
	uv run ruff check src tests bench
	uv run mypy

format:
	uv run ruff format src tests bench
	uv run ruff check --fix src tests bench
