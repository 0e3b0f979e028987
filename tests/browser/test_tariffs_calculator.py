"""The public tariff calculator in a real browser: anyone checks a rate; a member saves it."""

from portal.access import Role
from portal.tariffs.demo import seed_decrees, seed_uplift
from tests.browser.conftest import check_axe, login, screenshot


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().replace("\u00a0", " ").split())


def fill(page, level: str, rate: str, unit: str, day: str, aht: str = "") -> None:
    page.get_by_label("Livello CCNL TLC del personale").select_option(level)
    page.get_by_label("Tariffa (euro)").fill(rate)
    page.get_by_label("Unità della tariffa").select_option(unit)
    page.get_by_label("Tempo medio di gestione (AHT) in secondi").fill(aht)
    page.get_by_label("Data di applicazione della tariffa").fill(day)
    page.get_by_role("button", name="Verifica", exact=True).click()


def test_public_calculator_then_saving_as_a_member(page, db, make_company, make_user):
    seed_decrees()
    seed_uplift()
    db.session.commit()
    member = make_user(Role.APPLICANT, company=make_company("Voce Prova S.r.l."))

    page.goto("/")
    check_axe(page)
    page.get_by_role("heading", name="Verifica una tariffa").locator("xpath=..").get_by_role("link", name="Apri").click()
    check_axe(page)

    fill(page, "3", "25,692", "ora", "2018-06-01")  # exactly the labour cost of D.D. 123/2017
    result = page.locator("#esito")
    assert "SOTTO IL MINIMO SOSTENIBILE" in result.inner_text().upper()
    text = main_text(page)
    assert "0,4282 € al minuto" in text
    assert "D.D. 123/2017, livello 3, in vigore dal 01/01/2018" in text
    assert "Salva la verifica" not in text  # anonymous: nothing can be stored
    check_axe(page)
    screenshot(page, "tariffs-calculator-result")

    fill(page, "4", "1,50", "contatto", "2023-03-01")  # no AHT for a per-contact rate
    assert "indica l'AHT in secondi" in page.locator("#aht-error").inner_text()
    assert page.get_by_label("Tariffa (euro)").input_value() == "1,50"

    fill(page, "4", "1,50", "contatto", "2023-03-01", aht="150")  # 0,60 €/min against an illustrative row
    assert "dimostrativa" in main_text(page)

    login(page, member.email)
    page.goto("/tariffe/verifica")
    check_axe(page)
    fill(page, "2", "27,50", "ora", "2026-03-01")
    page.get_by_label("Cliente (facoltativo)", exact=True).fill("Comune di Prova")
    page.get_by_label("Settore del cliente (facoltativo)").select_option("pa")
    page.get_by_role("button", name="Salva la verifica").click()
    page.get_by_text("Verifica salvata nello storico dell'azienda").wait_for()
    assert "Comune di Prova" in main_text(page)
    check_axe(page)
    screenshot(page, "tariffs-saved-check")
