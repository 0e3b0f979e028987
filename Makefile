# The two commands of the README: `make run` and `make test`. Everything else is what they need.
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
VENDOR := portal/static/vendor

.PHONY: run test setup setup-test assets translations translations-update system-packages clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup-test
	$(PY) -m tests.run

setup: $(VENV)/.installed assets translations

setup-test: setup $(VENV)/.installed-dev system-packages

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end assets from the npm registry, served by the portal itself (no CDN).
assets: $(VENDOR)/.installed

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bootstrap-italia $(VENDOR)/axe-core
	cp -r node_modules/bootstrap-italia/dist/css node_modules/bootstrap-italia/dist/js \
	      node_modules/bootstrap-italia/dist/fonts node_modules/bootstrap-italia/dist/svg $(VENDOR)/bootstrap-italia/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	touch $@

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -f -d translations 2>&1 | grep -v "^compiling" || true

# Chromium (browser tests) and poppler (PDF to text and PNG) come from Debian.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null; \
	  else echo "Installa chromium e poppler-utils (sudo apt-get install chromium poppler-utils)"; fi; \
	fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance

translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
