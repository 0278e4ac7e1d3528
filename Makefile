# One entry point per task; `make help` lists them.
PYTHON ?= python3
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Material prints an end-of-life notice on every build; the README covers it (Zensical, later).
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help serve build bench compare zensical test snippet snippet-env new-snippet lock clean

help: ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Zensical has no wheel a free-threaded Python can load (pyproject.toml): leave it out there.
FREE_THREADED = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("Py_GIL_DISABLED") or 0)')

# --compile-bytecode: every build, test and snippet starts Python processes that import the same
# libraries; compiled once here (4 s), they are not compiled again by each process where Python
# may not write bytecode (PYTHONDONTWRITEBYTECODE, as on some CI machines).
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --compile-bytecode --python $(PYTHON) $(if $(filter 1,$(FREE_THREADED)),,--group zensical)
	@touch $@

# The page checkers (axe-core, the Nu HTML checker), pinned in package-lock.json. No install
# scripts: vnu-jar's would download a Java runtime; the system's Java runs it (README).
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

serve: $(VENV)/.synced node_modules/.installed ## serve the site on http://127.0.0.1:8000 with live reload
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.synced node_modules/.installed ## build the site into site/ (strict)
	$(VENV)/bin/mkdocs build --strict

bench: build ## time the builds (cold, warm, no execution, rebuilds, runner overhead), weigh the site beside Material's
	$(VENV)/bin/python tools/bench.py site

# Your interpreter (SNIPPET_PYTHON, or the project's) beside a reference run (REFERENCE: a folder
# of runs, a built site, or a published site's data/runs/ URL; by default the newest in reference/).
compare: $(VENV)/.synced ## your machine beside a reference run: make compare SNIPPET_PYTHON=python3.14
	$(VENV)/bin/python tools/compare.py $(if $(SNIPPET_PYTHON),--python $(SNIPPET_PYTHON)) \
		$(if $(REFERENCE),--reference $(REFERENCE)) $(if $(OUT),--out $(OUT))

zensical: $(VENV)/.synced node_modules/.installed ## build with Zensical into site/ (a trial: MkDocs is the primary build)
	$(VENV)/bin/zensical build -f mkdocs.yml

test: $(VENV)/.synced node_modules/.installed ## run every test: snippets, build, browser, a11y
	$(VENV)/bin/pytest

snippet: $(VENV)/.synced ## run one snippet: make snippet S=snippets/cost/01_sleepers.py
	$(VENV)/bin/python $(S)

# A compared interpreter (SNIPPET_PYTHONS) needs the libraries the snippets import, the project's
# runtime dependencies as uv.lock pins them, or a snippet about joblib fails there alone. One
# environment per interpreter, named by its version and build (a venv's python does not say),
# under .tools/ so that git ignores it and `make clean` removes it. Remade every time, from the
# interpreter named. The last line printed, alone on stdout, is its python.
SNIPPET_ENV_PYTHON ?= $(PYTHON)
SNIPPET_ENV_NAME = $(shell $(SNIPPET_ENV_PYTHON) -c 'import sys, sysconfig; v = sys.version_info; print(f"{sys.implementation.name}-{v.major}.{v.minor}" + ("t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""))')
SNIPPET_ENV = $(TOOLS)/snippet-envs/$(SNIPPET_ENV_NAME)

snippet-env: $(UV) ## a compared interpreter's venv: make snippet-env SNIPPET_ENV_PYTHON=python3.14t
	$(if $(SNIPPET_ENV_NAME),,$(error SNIPPET_ENV_PYTHON=$(SNIPPET_ENV_PYTHON) does not run: name an interpreter))
	@$(UV) venv --quiet --clear --python $(SNIPPET_ENV_PYTHON) $(SNIPPET_ENV) >&2
	@$(UV) export --quiet --frozen --no-default-groups --no-emit-project --no-hashes \
		--output-file $(SNIPPET_ENV)/requirements.txt >&2
	@$(UV) pip sync --quiet --python $(SNIPPET_ENV)/bin/python $(SNIPPET_ENV)/requirements.txt >&2
	@echo $(abspath $(SNIPPET_ENV))/bin/python

new-snippet: $(VENV)/.synced ## new snippet + page stub: make new-snippet TOPIC=cost SLUG=pools
	$(VENV)/bin/python tools/new_snippet.py $(TOPIC) $(SLUG)

lock: $(UV) ## update uv.lock after editing pyproject.toml
	$(UV) lock --python $(PYTHON)

clean: ## remove the environments (.venv, node_modules), the snippet cache and the built site
	rm -rf $(VENV) $(TOOLS) node_modules .cache site
