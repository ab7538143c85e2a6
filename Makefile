# The README's two set-up commands: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12+ that actually runs: pyenv shims on PATH fail unless selected (docs/stack.md).
PYTHON_CANDIDATES := python3.13 python3.12 python3 $(wildcard /root/.pyenv/versions/3.13*/bin/python3) $(wildcard /root/.pyenv/versions/3.12*/bin/python3) $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3)
HOST ?= 127.0.0.1
PORT ?= 8000
APT_RUNTIME := gettext
APT_TEST := gettext chromium libatomic1 fonts-dejavu-core

.PHONY: demo test lint messages bench serve worker clean apt-runtime apt-test

$(PY):
	@found=""; for c in $(PYTHON_CANDIDATES); do \
	  if $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then found=$$c; break; fi; \
	done; \
	if [ -z "$$found" ]; then echo "Qorgau needs Python 3.12 or newer; none was found (tried: $(PYTHON_CANDIDATES))." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$found ($$($$found --version))"; \
	$$found -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip 2>&1 | grep -v "local index\|is ignored" || true
	$(PY) -m pip install -q -e ".[dev]" 2>&1 | grep -v "local index\|is ignored" || true
	$(PY) -c "import django, playwright; print(\"Django\", django.get_version())"
	touch $@

# Debian packages, installed only when missing (the machine is root; see docs/stack.md).
apt-runtime:
	@bash scripts/apt-ensure $(APT_RUNTIME)

apt-test:
	@bash scripts/apt-ensure $(APT_TEST)

messages: $(VENV)/.installed apt-runtime
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

var/keys/keyring.json: | $(VENV)/.installed
	mkdir -p var/keys && chmod 700 var/keys
	$(PY) manage.py create_keyring

demo: $(VENV)/.installed messages var/keys/keyring.json
	$(PY) manage.py migrate -v 0
	$(PY) manage.py seed_demo --if-empty
	@bash scripts/serve-demo $(HOST) $(PORT)

test: $(VENV)/.installed messages apt-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy config qorgau
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/mypy config qorgau

bench: $(VENV)/.installed messages var/keys/keyring.json
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/db.sqlite3* var/worker.log
