# deepseek-papers: `make site` then `make test` on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SYS_STAMP := build/.system-deps
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test lint golden schema serve check offline bench clean setup system-deps

site: setup ## Build the trilingual site into site/
	$(BIN)/dspapers build

test: setup lint ## Lint, type-check, then run the whole test suite
	$(BIN)/python -m pytest

lint: setup ## ruff (lint and format check) and mypy (strict on generators/)
	$(BIN)/ruff check generators tests
	$(BIN)/ruff format --check generators tests
	$(BIN)/mypy

golden: setup ## Regenerate tests/golden/ from the fixture catalogue (review the diff)
	$(BIN)/python tests/golden.py

schema: setup ## Regenerate data/schema/ (the data files' JSON Schemas) from the models
	$(BIN)/dspapers schema

PREVIEW ?= zh-Hant
serve: setup ## Live preview of one language (PREVIEW=zh-Hant|zh-Hans|en|all); reloads on changes to data/, content/ and templates
	$(BIN)/dspapers serve --lang $(PREVIEW)

offline: setup ## Build dist/offline/ and dist/deepseek-papers-offline.zip for opening from disk (the slide downloads stay on the hosted site; dspapers offline --with-slides for them too)
	$(BIN)/dspapers offline

bench: setup ## Measure build speed and page weight (prints a table)
	$(BIN)/dspapers bench

check: setup ## Validate data and prose without building
	$(BIN)/dspapers check

setup: $(SYS_STAMP) $(PY_STAMP) $(NODE_STAMP)

# Debian packages the build and tests need, installed (as root) only where missing.
$(SYS_STAMP): Makefile
	@missing=""; \
	$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK TC" || missing="$$missing fonts-noto-cjk fontconfig"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-impress"; \
	command -v pdfinfo >/dev/null || missing="$$missing poppler-utils"; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then echo "install with apt-get:$$missing" >&2; exit 1; fi; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p $(dir $@) && touch $@

$(PY_STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.lock
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean: ## Remove generated output (keeps .venv and node_modules)
	rm -rf site build dist .pytest_cache
