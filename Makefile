# Everything a new user or CI needs: `make demo` and `make test` create .venv and install on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: install demo test chromium app clean-reports mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,app,dask]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/python -m toolkit analyze data/000_739a1000ab1b0261.txt --out reports/sample
	$(BIN)/python -m toolkit report data/000_739a1000ab1b0261.txt --out reports/sample-report.html
	$(BIN)/python -m toolkit render --out reports

# The type check (mypy over toolkit/, settings in pyproject.toml) first, then the whole suite.
test: install chromium
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium: install it when missing and we can (root with apt-get, as in CI).
# Never fails: without Chromium those tests skip and say why.
chromium:
	@if [ -x $(CHROMIUM) ]; then echo "browser tests use $(CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "could not install chromium: the browser tests will be skipped"; \
	else echo "no $(CHROMIUM) and no root apt-get: the browser tests will be skipped"; fi

# The newslens app (upload articles, explore, download CSV) on http://localhost:8866 (Ctrl-C stops it).
# Idle kernels are culled after 15 minutes; see toolkit/app.py.
app: install
	$(BIN)/python -m toolkit.app --port 8866

clean-reports:
	rm -rf reports

# Mutation testing of the stage modules (benchmarks/mutation.py, settings in pyproject's [tool.mutmut]):
# slow (an hour or more on two cores), so not part of `make test`. `make mutate MODULES="clean text"` runs
# only those; the mutated copy lives in mutants/ (git-ignored).
mutate: install
	nice -n 10 $(BIN)/python benchmarks/mutation.py $(MODULES)
