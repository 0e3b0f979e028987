# The two commands of the README: `make run` and `make test`. Everything else is what they need.
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal

.PHONY: run test setup setup-test assets translations translations-update system-packages clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) certificates demo-signing-key
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

# The front end, built from the npm packages of package-lock.json (no CDN): assets/build.py runs
# `npm ci` when the lock changed, and rebuilds build/static/ only when its sources changed.
assets: $(VENV)/.installed
	$(PY) assets/build.py

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -f -d translations 2>&1 | grep -v "^compiling" || true

# Chromium (browser tests), poppler (PDF to text and PNG), Java (the Nu HTML Checker) and Redis (the
# rate-limit counters of the tests that start the portal as in production) come from Debian.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v java >/dev/null || ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver poppler-utils default-jre-headless redis-server >/dev/null; \
	  else echo "Installa chromium, poppler-utils, Java e Redis (sudo apt-get install chromium poppler-utils default-jre-headless redis-server)"; fi; \
	fi

clean:
	rm -rf $(VENV) node_modules build instance

translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
