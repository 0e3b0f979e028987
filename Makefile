# The two commands of the README: `make run` and `make test`. Everything else is what they need.
# Debian packages are installed when missing if make runs as root; otherwise make names them and stops.
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
PORT ?= 5000
export PORT  # the development config builds PUBLIC_BASE_URL (links in e-mails) on it
REDIS_PORT ?= 6379

.PHONY: run serve port-free database test setup setup-test assets translations translations-update \
        run-packages test-packages clean

# --- make run: set up, build the database with demo data, serve -------------------------------------

run: setup database port-free serve

# The web server, one Celery worker, beat and Redis (unless one already answers on REDIS_PORT), started
# together by honcho (Procfile); Ctrl-C stops them all.
serve:
	REDIS_PORT=$(REDIS_PORT) REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/0 $(VENV)/bin/honcho start --port $(PORT) \
	  web worker beat $$(redis-cli -p $(REDIS_PORT) ping >/dev/null 2>&1 || echo redis)

port-free:
	@$(PY) -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $(PORT))) == 0)" || \
	  { echo "La porta $(PORT) è già in uso: scegline un'altra, ad esempio  make run PORT=5001"; exit 1; }

database: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) certificates demo-signing-key

# --- make test: the whole suite on SQLite and on a throw-away PostgreSQL ------------------------------

test: setup-test
	$(PY) -m tests.run

setup: run-packages $(VENV)/.installed assets translations

setup-test: setup test-packages $(VENV)/.installed-dev

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

translations-update: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

# --- Debian packages (scripts/system-packages.sh "package:check" ...) ---------------------------------

# python3-venv for .venv, npm for the front end, Pango for WeasyPrint (PDFs; loaded when the portal starts),
# Redis for the queue of the Celery workers (`make run` and the job tests start their own).
run-packages:
	@sh scripts/system-packages.sh \
	  "redis-server:command -v redis-server" \
	  "python3-venv:python3 -c 'import ensurepip'" \
	  "npm:command -v npm" \
	  "libpango-1.0-0:ldconfig -p | grep -q libpango-1.0.so" \
	  "libpangoft2-1.0-0:ldconfig -p | grep -q libpangoft2-1.0.so"

# PostgreSQL for the second pass (Debian keeps its programs off the PATH: tests/pgserver.py finds them),
# Chromium for the browser tests, poppler for PDF to text and PNG, Java for the Nu HTML Checker.
test-packages:
	@sh scripts/system-packages.sh \
	  "postgresql:ls /usr/lib/postgresql/*/bin/initdb || command -v initdb" \
	  "chromium:command -v chromium" \
	  "poppler-utils:command -v pdftoppm" \
	  "default-jre-headless:command -v java"

clean:
	rm -rf $(VENV) node_modules build instance
