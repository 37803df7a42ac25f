# Set-up and everyday commands. `make run` and `make test` are all a fresh clone needs.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test serve ingest eval bench clean browser

install: $(STAMP)

# Re-installs only when the project's dependencies change.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned: an unpinned torch pulls gigabytes of CUDA packages.
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# Chromium (and a CJK font for legible screenshots) for the browser test come from Debian, never from a download.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
		else \
			echo "Chromium not installed: the browser test will be skipped (apt-get install chromium fonts-wqy-zenhei)."; \
		fi; \
	fi

ingest: install
	$(BIN)/policyqa ingest

run: install
	$(BIN)/policyqa ingest
	$(BIN)/policyqa serve

test: install browser
	$(BIN)/python -m pytest

eval: install
	$(BIN)/policyqa eval --report eval/report

bench: install
	$(BIN)/python bench/search_latency.py

clean:
	rm -rf $(VENV) .pytest_cache
