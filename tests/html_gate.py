"""The Nu HTML Checker on every page the browser journeys and the authorisation matrix receive.

Tests that crawl the portal ask for the `html_pages` fixture: while it is active, every HTML
page the app sends (any status but redirects) is kept as the server sent it, labelled with the
test and the request. At the end of the run all the pages are checked in one batch (vnu.jar
from npm starts Java once: a page costs milliseconds, a start seconds), and the run fails with
each error and the page it is on. Identical pages are checked once.
"""

import hashlib
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import request as current_request
from flask import request_finished

from portal.config import PROJECT_ROOT

VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass
class Pages:
    """The pages kept in this run, by content: {sha256: (first label, html)}."""

    kept: dict[str, tuple[str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def keep(self, label: str, html: str) -> None:
        self.kept.setdefault(hashlib.sha256(html.encode()).hexdigest(), (label, html))


PAGES = Pages()


@pytest.fixture
def html_pages(app, request):
    """Keep every HTML page `app` sends during the test for the Nu HTML Checker."""

    def keep(sender, response, **extra):
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400 and not response.is_streamed:
            PAGES.keep(f"{request.node.nodeid}: {_request_line()} -> {response.status_code}", response.get_data(as_text=True))

    request_finished.connect(keep, app)
    yield PAGES
    request_finished.disconnect(keep, app)


def _request_line() -> str:
    return f"{current_request.method} {current_request.full_path.rstrip('?')}"


def check(pages: dict[str, tuple[str, str]]) -> list[str]:
    """Run vnu.jar once on all the pages; one line per error: the page's label, line and message."""
    java = shutil.which("java")
    if java is None:
        return ["Java non trovato: il Nu HTML Checker ne ha bisogno (`make test` installa default-jre-headless)."]
    with tempfile.TemporaryDirectory() as folder:
        for digest, (_, html) in pages.items():
            Path(folder, f"{digest}.html").write_text(html)
        result = subprocess.run([java, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only", "--exit-zero-always",
                                 *sorted(str(Path(folder, f"{d}.html")) for d in pages)], capture_output=True, text=True)
    messages = json.loads(result.stdout)["messages"]
    return [f"{pages[Path(m.get('url', '')).stem][0]}, line {m.get('lastLine', '?')}: {m['message']}"
            f"{' [' + m['extract'].strip() + ']' if m.get('extract') else ''}"
            for m in messages if m["type"] in ("error", "non-document-error")]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    if PAGES.kept:
        start = time.monotonic()
        PAGES.errors = check(PAGES.kept)
        PAGES.seconds = time.monotonic() - start
        if PAGES.errors:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not PAGES.kept:
        return
    reporter = terminalreporter
    if PAGES.errors:
        reporter.section(f"Nu HTML Checker: {len(PAGES.errors)} errori in {len(PAGES.kept)} pagine", red=True)
        for line in PAGES.errors:
            reporter.line(line)
    else:
        reporter.write_line(f"Nu HTML Checker: {len(PAGES.kept)} pagine, nessun errore ({PAGES.seconds:.0f} s)")
