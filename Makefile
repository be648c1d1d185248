# zhifa — one command to a working platform.
#   make demo   set up and serve the demo on http://127.0.0.1:8000
#   make test   set up and run the whole suite on SQLite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-cases fonts system-deps clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Debian packages the platform uses, installed only where we may (root +
# apt): CJK fonts for PDFs; Chromium and poppler for the browser and PDF tests;
# LibreOffice Writer to turn official documents' DOCX into the same PDF
# (without it, PDFs come from WeasyPrint).
APT_OK := $(shell command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && echo yes)

fonts:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && [ "$(APT_OK)" = yes ]; then \
		echo "安装中文字体（PDF 文书需要）…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	fi

system-deps: fonts
	@if { [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; } && [ "$(APT_OK)" = yes ]; then \
		echo "安装 Chromium 与 poppler（浏览器测试与 PDF 测试需要）…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi
	@if ! command -v soffice >/dev/null && [ "$(APT_OK)" = yes ]; then \
		echo "安装 LibreOffice Writer（执法文书 DOCX 转 PDF，版式与 DOCX 一致）…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null; \
	fi

demo: $(STAMP) fonts
	$(BIN)/zhifa demo

test: $(STAMP) system-deps
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

# The case engine end to end (hours at the default 10,000 cases: try CASES=500).
# On PostgreSQL when DATABASE_URL names one; see bench/cases.py.
CASES ?= 10000
bench-cases: $(STAMP)
	$(BIN)/python bench/cases.py --cases $(CASES)

clean:
	rm -rf $(VENV) var
