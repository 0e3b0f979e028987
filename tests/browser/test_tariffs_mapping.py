"""A member brings a price list whose headers the portal cannot recognise: the mapping step shows
the file's first rows, the member names the columns, the list is checked, and the next upload
with the same headers is recognised without asking. axe-core checks every page on the way."""

from playwright.sync_api import expect

from portal.access import Role
from tests.browser.conftest import check_axe, login, screenshot
from tests.tariffs.conftest import tables  # noqa: F401  (fixture)
from tests.tariffs.files import csv_bytes

PRICE_LIST = csv_bytes(
    "Gara 12/2026 - offerta economica;;;;;",
    "Importi IVA esclusa;;;;;",
    ";;;;;",
    "Pos.;Inq.;Importo richiesto;Modalità di fatturazione;Validità;Note",
    "1;Liv. 3;0,40 €;€/min;01/01/2019;sede Bari",
    "2;III;25,692;orario;1/1/19;",
    "3;3°;1,47729;per contatto;01.01.2019;AHT mancante",
    encoding="cp1252",
)


def test_naming_the_columns_of_a_price_list(page, app, tables, make_company, make_user, tmp_path):  # noqa: F811
    member = make_user(Role.APPLICANT, company=make_company("Voce Prova S.r.l."))
    price_list = tmp_path / "offerta.csv"
    price_list.write_bytes(PRICE_LIST)

    login(page, member.email)
    page.goto("/tariffe/verifiche/massiva")
    check_axe(page)
    page.get_by_label("Listino di tariffe (CSV o Excel)").set_input_files(str(price_list))
    page.get_by_role("button", name="Carica e verifica").click()

    page.wait_for_url("**/colonne")
    expect(page.get_by_role("heading", name="Indica le colonne del listino")).to_be_visible()
    expect(page.get_by_role("cell", name="Gara 12/2026 - offerta economica")).to_be_visible()  # the file's first rows
    expect(page.get_by_text("mancano le colonne")).to_be_visible()
    check_axe(page)
    page.get_by_label("Riga di intestazione").select_option("4")
    page.get_by_role("button", name="Usa questa riga").click()
    for field, header in (("livello", "Inq."), ("tariffa", "Importo richiesto"), ("unita", "Modalità di fatturazione"),
                          ("data", "Validità"), ("riga_id", "Pos.")):
        page.locator(f"select#{field}").select_option(header)
    screenshot(page, "tariffs-mapping-step")
    page.get_by_role("button", name="Verifica il listino con queste colonne").click()

    page.wait_for_url("**/tariffe/verifiche/massiva/*")
    expect(page.get_by_role("heading", name="Riepilogo")).to_be_visible()
    rows = page.locator("#righe ~ .table-responsive tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Sotto il costo del lavoro")
    expect(rows.nth(1)).to_contain_text("Sotto il minimo sostenibile")
    expect(rows.nth(2)).to_contain_text("AHT")  # per contact, no AHT: a row error
    expect(page.get_by_text("«Note»")).to_be_visible()  # the other column is carried into the results
    check_axe(page)

    # The company's next list with the same headers is read without asking.
    page.goto("/tariffe/verifiche/massiva")
    page.get_by_label("Listino di tariffe (CSV o Excel)").set_input_files(str(price_list))
    page.get_by_role("button", name="Carica e verifica").click()
    page.wait_for_url("**/tariffe/verifiche/massiva/*")
    expect(page.get_by_role("heading", name="Riepilogo")).to_be_visible()
    assert not page.url.endswith("/colonne")
    check_axe(page)
