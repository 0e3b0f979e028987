"""What a keyboard user, a screen reader user and a phone user get from the shared markup.

The error summary after a failed submit (focus, links to the fields, page title), the contrast
computed for text axe cannot decide, and the phone layouts the audit found cut (390 px): the
register's state and expiry, the comparison's spread column, the application's area tabs.
"""

import re

from playwright.sync_api import expect

from portal.certification import services
from portal.certification.models import Outcome
from tests.browser.conftest import CONTRAST_JS, check_axe, login
from tests.certification.conftest import (
    request_context,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)

PHONE = {"width": 390, "height": 844}


def test_after_a_failed_submit_the_keyboard_goes_from_the_error_summary_to_each_field(page):
    page.goto("/aderisci")
    check_axe(page)
    page.get_by_label("Ragione sociale").press("Enter")  # submitted from the keyboard, every field empty
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Errore: Aderisci ad Assocontact"))
    check_axe(page)
    links = summary.get_by_role("link")
    assert links.count() >= 5
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    target = links.first.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page.locator(target)).to_be_focused()
    page.keyboard.type("Voce Chiara S.p.A.")
    expect(page.locator(target)).to_have_value("Voce Chiara S.p.A.")


def test_contrast_is_computed_from_the_styles_where_axe_cannot_decide(page):
    page.goto("/")
    check_axe(page)
    page.evaluate("""() => {
        const add = (id, classes) => { const e = document.createElement('span'); e.id = id; e.className = classes;
                                       e.textContent = 'Sospeso'; document.querySelector('main').append(e) }
        add('dark-on-warning', 'bg-warning text-dark')     // Bootstrap's habit: 2.4:1 on Bootstrap Italia's warning
        add('badge-on-warning', 'badge bg-warning text-dark')  // the portal's badges take white text
    }""")
    bare, badge = page.evaluate(CONTRAST_JS.read_text(), ["#dark-on-warning", "#badge-on-warning"])
    assert bare["ratio"] < 2.5 and bare["required"] == 4.5
    assert badge["ratio"] >= 4.5 and badge["text"] == "rgb(255,255,255)"


def _right_edge(page, locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]


def test_on_a_phone_the_register_shows_state_and_expiry_without_scrolling_sideways(page, world):  # noqa: F811
    application = world.awaiting_decision()
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    page.set_viewport_size(PHONE)
    page.goto("/bollino/registro")
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for header in ("Stato", "Scadenza"):
        assert _right_edge(page, page.get_by_role("columnheader", name=header)) <= PHONE["width"], header


def test_on_a_phone_the_comparison_shows_the_spread_of_the_scores(page, world):  # noqa: F811
    application = world.awaiting_decision(auditors=("auditor1", "auditor2"))
    login(page, world.staff.email)
    page.set_viewport_size(PHONE)
    page.goto(f"/bollino/domande/{application.id}/confronto")
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _right_edge(page, page.get_by_role("columnheader", name="Scarto")) <= PHONE["width"]


def test_on_a_phone_every_area_tab_of_an_application_is_in_view(page, world):  # noqa: F811
    application = world.open()
    login(page, world.applicant.email)
    page.set_viewport_size(PHONE)
    page.goto(f"/bollino/domande/{application.id}/aree/A")
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tabs = page.locator(".nav-tabs .nav-link")
    assert tabs.count() == len(application.edition.areas) >= 6
    for index in range(tabs.count()):
        assert _right_edge(page, tabs.nth(index)) <= PHONE["width"], tabs.nth(index).inner_text()
