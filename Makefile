# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL is part of the suite; `make test REQUIRE_PG=0` skips it where none runs.
REQUIRE_PG ?= 1

.PHONY: run test install clean playground

$(BIN)/naervaer: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The tab's browser code (the Teams JavaScript client, Chart.js) comes from npm, pinned by the
# lock file.
TAB_JS := bot/tab/node_modules/.package-lock.json
$(TAB_JS): bot/tab/package.json bot/tab/package-lock.json
	cd bot/tab && npm ci --no-audit --no-fund --loglevel=error

# The Playground walk runs the Microsoft 365 Agents Playground (and check.mjs playwright-core),
# pinned by the lock file: nothing is fetched by npx at test time.
PLAYGROUND_JS := manifest/playground/node_modules/.package-lock.json
$(PLAYGROUND_JS): manifest/playground/package.json manifest/playground/package-lock.json
	cd manifest/playground && npm ci --no-audit --no-fund --loglevel=error

# The browser tests run Debian's Chromium (no browser downloads by Playwright), with an emoji
# font so the screenshots show the check-in symbols as Teams users see them.
CHROMIUM := /usr/bin/chromium
BROWSER_PACKAGES := chromium fonts-noto-color-emoji
$(CHROMIUM):
	apt-get install -y --no-install-recommends $(BROWSER_PACKAGES) || \
		(apt-get update && apt-get install -y --no-install-recommends $(BROWSER_PACKAGES))

install: $(BIN)/naervaer $(TAB_JS) $(PLAYGROUND_JS)

run: install
	$(BIN)/naervaer demo

# Teams' emulator (the Agents Playground) against `make run`, as one persona of the demo:
# employee (Alex), leader (Megan), english (Adele), hr (Patti): a folder in manifest/playground/.
PERSONA ?= employee
PLAYGROUND_PORT ?= 56150
BOT_URL ?= http://127.0.0.1:3978
playground: $(PLAYGROUND_JS)
	@test -f manifest/playground/$(PERSONA)/.m365agentsplayground.yml || { \
		echo "no persona '$(PERSONA)'; pick one of:" $$(cd manifest/playground && \
			ls */.m365agentsplayground.yml | cut -d/ -f1); exit 2; }
	@curl -sf -o /dev/null $(BOT_URL)/healthz 2>/dev/null || \
		echo "naervaer does not answer on $(BOT_URL) yet: start it with 'make run' in another terminal"
	@echo "Agents Playground as '$(PERSONA)': open http://localhost:$(PLAYGROUND_PORT)  (Ctrl+C stops it)"
	@mkdir -p out  # its log goes there, not into the persona folder
	cd manifest/playground/$(PERSONA) && \
		M365_AGENTS_PLAYGROUND_LOGFILE=$(CURDIR)/out/playground-$(PERSONA).log \
		../node_modules/.bin/agentsplayground -e $(BOT_URL)/api/messages -c msteams --dt \
		-p $(PLAYGROUND_PORT)

test: install $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	NAERVAER_REQUIRE_PG=$(REQUIRE_PG) $(BIN)/pytest

clean:
	rm -rf $(VENV) naervaer.db naervaer.db-* out bot/tab/node_modules manifest/playground/node_modules
