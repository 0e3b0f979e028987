"""Browser tests: the portal served on loopback, driven by Playwright in Debian's Chromium.

`live_server` serves the test app (same database as the test, CSRF protection on, as in
production) from a thread; `page` is a fresh Chromium page that remembers every page it opens;
`login(page, email)` signs in through the real form. `check_axe(page)` runs axe-core (from npm,
read from node_modules) and fails on any violation of a WCAG 2.1 A/AA rule, on serious and
critical ones of its other rules, and on text whose contrast axe could not decide ("incomplete")
when the contrast computed from the styles is too low (`contrast.js`).
Every journey is also checked as a whole, at teardown: it fails on a page it opened and never
checked with axe, and on any error in the browser's console (a script error, a file that did not
load, a Content-Security-Policy violation); the pages the server sent go to the Nu HTML Checker
at the end of the run (`tests/html_gate.py`).
"""

import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CONTRAST_JS = Path(__file__).with_name("contrast.js")
WCAG_AA = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# A 2-core CI machine shared with other jobs can take seconds to answer and render a page:
# waits are for a condition, with room for a loaded machine.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.when == "call":
        item.call_failed = report.failed


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium non trovato: `make test` lo installa (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, html_pages):
    app.config.update(PUBLIC_BASE_URL="http://127.0.0.1:0", SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=5)


def _address(url: str) -> str:
    """The page a URL shows: the same view with another query (a filter, a calculator's
    figures) is the same page for axe."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server, locale="it-IT", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.opened, page.axe_checked, page.documents, page.console_errors = [], set(), set(), []
    page.on("framenavigated", lambda frame: frame == page.main_frame and page.opened.append(_address(frame.url)))
    page.on("request", lambda r: r.is_navigation_request() and page.documents.add(r.url.split("#")[0]))
    page.on("console", lambda message: _console_error(page, message))
    page.on("pageerror", lambda error: page.console_errors.append(f"{page.url}: {error}"))
    yield page
    context.close()
    if not getattr(request.node, "call_failed", True):
        unchecked = sorted({url for url in page.opened if url not in page.axe_checked and url.startswith("http")})
        assert not unchecked, f"pages opened by the journey but never checked with axe: {unchecked}"
        assert page.console_errors == [], "errors in the browser's console"


def _console_error(page, message) -> None:
    """Keep the console's errors, but not the status of a page the journey asked for (a form
    sent back with errors answers 422, and Chromium logs that as a resource that failed)."""
    if message.type != "error":
        return
    if message.text.startswith("Failed to load resource") and message.location.get("url", "").split("#")[0] in page.documents:
        return
    page.console_errors.append(f"{page.url}: {message.text} ({message.location.get('url')})")


def check_axe(page, once: bool = False) -> None:
    """Fail on axe-core's findings on the current page (once: skip a page already checked, as the
    sign-in form)."""
    address = _address(page.url)
    if once and address in page.axe_checked:
        return
    page.wait_for_load_state("domcontentloaded")
    try:
        findings = axe_findings(page)
    except PlaywrightError as error:  # the page reloaded itself meanwhile (a bulk check that ended): check the new one
        if "context was destroyed" not in str(error):
            raise
        page.wait_for_load_state("domcontentloaded")
        findings = axe_findings(page)
    assert findings == [], f"axe on {address}: {findings}"
    page.axe_checked.add(address)


def login(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accedi")
    check_axe(page, once=True)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").last.click()
    page.wait_for_url("**/home")
    check_axe(page, once=True)


def logout(page) -> None:
    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_text("Sei uscito dal portale.")).to_be_visible()
    check_axe(page, once=True)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_findings(page) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A/AA rules (any impact) and serious or critical ones of
    its other rules, and the text whose contrast axe left undecided and a computation finds too low."""
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations', 'incomplete']})")
    findings = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"]][:5]}
        for v in result["violations"]
        if WCAG_AA & set(v["tags"]) or v["impact"] in ("serious", "critical")
    ]
    undecided = [n["target"][-1] for v in result["incomplete"] if v["id"] == "color-contrast" for n in v["nodes"]]
    too_low = [c for c in page.evaluate(CONTRAST_JS.read_text(), undecided) if c and c["ratio"] < c["required"]]
    if too_low:
        findings.append({"id": "color-contrast (computed)", "nodes": too_low[:5]})
    return findings
