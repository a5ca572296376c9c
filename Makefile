# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.llm-server
LAB_STAMP := $(VENV)/.lab-on-path
# pytest-xdist workers for `make test` and `test-fast` (CI has 2 cores; each worker loads the model)
TEST_WORKERS ?= 2

.PHONY: setup system-packages demo sample test test-fast eval eval-ci bench clean stack

setup: system-packages $(STAMP) $(LAB_STAMP)
	$(BIN)/python -m service.index.onnx_export

# Debian packages: OCR at run time; Chromium (and a font) for the browser tests. Installed only
# when running as root; otherwise a warning says what is missing (the browser tests then skip).
system-packages:
	@missing=""; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr tesseract-ocr-eng"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing (Debian):$$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "warning: not installed:$$missing (sudo apt-get install$$missing); scanned pages will not be read without tesseract, browser tests skip without chromium"; \
		fi; \
	fi

# torch first, pinned to the CPU wheel: any other spec pulls gigabytes of CUDA packages.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# The lab (eval/: generators, sets, harness) is not in the package; a development install puts the
# checkout on the venv's path so `overturn eval`, the benchmarks and the tests import it as `eval.*`.
$(LAB_STAMP): $(STAMP)
	$(BIN)/python -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'overturn-lab.pth').write_text(str(pathlib.Path.cwd()) + '\\n')"
	touch $(LAB_STAMP)

demo: setup
	$(BIN)/overturn draft --case eval/sample/case.json --records eval/sample/records.pdf --format text
	$(BIN)/overturn import 835 eval/sample/remittance.835
	$(BIN)/overturn cases list --sort queue

# The production layout on this machine: PostgreSQL, Chroma server, 2 API + 2 job workers.
stack: setup
	deploy/stack.sh

sample: setup
	$(BIN)/python -m eval.synth.sample eval/sample

# The llama.cpp server (the model-path integration tier) is built only for the tests. Built for
# the portable x86-64/AVX2 baseline, not -march=native: on virtual machines whose CPU reports
# AVX-512 and AMX, the native build dies on its first completion with SIGILL. No wheel cache, so
# a natively built wheel from an earlier install is never reused.
$(LLM_STAMP): $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/python -m pip install -q --no-cache-dir -e '.[test,llm-server]'
	touch $(LLM_STAMP)

test: setup $(LLM_STAMP)
	$(BIN)/ruff check service tests eval
	$(BIN)/ruff format --check service tests eval
	$(BIN)/mypy service
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope
	$(BIN)/python eval/ci_floors.py

# The ci subset (20 cases, every style and system, 5-6 minutes on 2 cores) against the safety
# bars, the floors and the baselines: a step of `make test` of its own, outside pytest.
eval-ci: setup
	$(BIN)/python eval/ci_floors.py

test-fast: setup
	$(BIN)/ruff check service tests eval
	$(BIN)/ruff format --check service tests eval
	$(BIN)/mypy service
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope -m "not integration and not browser"

# Quality against the baselines on the full 180-case set (5 codes x 9 profiles x 4 chart styles),
# all five systems: about an hour on 2 cores (the ci subset, 20 cases, takes 5-6 minutes).
eval: setup
	$(BIN)/overturn eval

# Speed and memory, ours beside the LangChain recipe; prints figures, asserts nothing.
bench: setup
	$(BIN)/python eval/bench.py
	$(BIN)/python eval/bench_api.py
	$(BIN)/python eval/bench_load.py
	$(BIN)/python eval/bench_ocr.py
	$(BIN)/python eval/embedder_parity.py

clean:
	rm -rf $(VENV) build *.egg-info
