"""Browser tests: the portal served on loopback, driven by Playwright in Debian's Chromium.

`live_server` serves the test app (same database as the test) from a thread; `page` is a
fresh Chromium page that remembers every page it opens; `login(page, email)` signs in through
the real form; `check_axe(page)` runs axe-core (from npm, read from node_modules) and fails on any serious or critical violation. A journey that opens a
page and never runs axe on it fails at teardown: every page of every journey is checked.
"""

import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
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
def live_server(app):
    app.config.update(PUBLIC_BASE_URL="http://127.0.0.1:0", SERVER_NAME=None)
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
    page.opened, page.axe_checked = [], set()
    page.on("framenavigated", lambda frame: frame == page.main_frame and page.opened.append(_address(frame.url)))
    yield page
    context.close()
    if not getattr(request.node, "call_failed", True):
        unchecked = sorted({url for url in page.opened if url not in page.axe_checked and url.startswith("http")})
        assert not unchecked, f"pages opened by the journey but never checked with axe: {unchecked}"


def check_axe(page, once: bool = False) -> None:
    """Fail on axe-core's serious and critical violations on the current page (once: skip a
    page already checked, as the sign-in form)."""
    address = _address(page.url)
    if once and address in page.axe_checked:
        return
    page.wait_for_load_state("domcontentloaded")
    violations = axe_violations(page)
    assert violations == [], f"axe on {address}: {violations}"
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


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's serious and critical violations on the current page."""
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
