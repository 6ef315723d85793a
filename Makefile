# Two commands for people: `make run` and `make test`. Everything else is a helper of those.
PORT ?= 8501
VENV ?= .venv
PY := $(VENV)/bin/python
# root needs no sudo (CI, containers); anyone else gets it for apt-get
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test chromium nginx fonts bench screenshots clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)

# Re-install when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian's chromium for the browser tests (Playwright's own browser download does not work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Debian's nginx for the local deployment topology (deploy/local.sh, tests/e2e/test_deploy_local.py).
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null; }

# CJK and emoji fonts, so screenshots show 简体中文 rather than boxes (tests do not need them).
fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q . || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk fonts-noto-color-emoji >/dev/null; }

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: install-test chromium nginx
	$(PY) -m pytest

bench: install-test chromium
	$(PY) bench/latency.py

screenshots: install-test chromium fonts
	$(PY) tools/screenshots.py --out docs/screenshots --only explorer_compare explorer_focal home

clean:
	rm -rf $(VENV) .pytest_cache artifacts
