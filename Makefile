# Two entry points for people: `make demo` and `make test`. Both build their own virtual environment.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= demo.db

.PHONY: demo test bench venv clean

$(BIN)/storyline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/storyline

demo: venv
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/storyline ingest examples/diplomacy-fr --db $(DB)
	$(BIN)/storyline stories --db $(DB) --articles

test: venv
	$(BIN)/python -m pytest -q tests

bench: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
