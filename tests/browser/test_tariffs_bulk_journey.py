"""A member checks a whole price list in a real browser: upload, progress, summary, and the
results workbook downloaded and read back. axe-core checks every page on the way."""

from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.access import Role
from tests.browser.conftest import check_axe, login, screenshot
from tests.tariffs.conftest import tables  # noqa: F401  (fixture)
from tests.tariffs.files import RATES_HEADER, xlsx_bytes

PRICE_LIST = xlsx_bytes(
    RATES_HEADER.split(";"),
    ["A1", "3", "0,40", "minuto", "01/01/2019", None],       # under the labour cost (0,4282)
    ["A2", "3", "25,692", "ora", "01/01/2019", None],        # exactly the labour cost: under the sustainable minimum
    ["A3", "3", "1,47729", "contatto", "01/01/2019", 180],   # 0,4924 €/min: above the minimum
    ["A4", "9", "0,50", "minuto", "01/01/2019", None],       # no such level
    ["A5", "3", "0,50", "minuto", "31/02/2019", None],       # no such date
)
VERDICTS = [("A1", "sotto_costo_lavoro"), ("A2", "sotto_minimo_sostenibile"), ("A3", "conforme"), ("A4", "errore"),
            ("A5", "errore")]


def test_price_list_to_results_workbook(page, app, tables, make_company, make_user, tmp_path):  # noqa: F811
    member = make_user(Role.APPLICANT, company=make_company("Voce Prova S.r.l."))
    web_page = tmp_path / "listino.csv"
    web_page.write_text("<html><script>alert(1)</script></html>")
    price_list = tmp_path / "listino.xlsx"
    price_list.write_bytes(PRICE_LIST)

    login(page, member.email)
    page.get_by_role("link", name="Verifiche delle tariffe").first.click()
    check_axe(page)
    page.get_by_role("link", name="Verifica un listino").click()
    check_axe(page)

    # A web page renamed .csv is refused beside the field.
    page.get_by_label("Listino di tariffe (CSV o Excel)").set_input_files(str(web_page))
    page.get_by_role("button", name="Carica e verifica").click()
    expect(page.locator("#file-error")).to_contain_text("Tipo di file non ammesso")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    check_axe(page)

    page.get_by_label("Listino di tariffe (CSV o Excel)").set_input_files(str(price_list))
    page.get_by_label("Cliente", exact=True).fill("INPS")
    page.get_by_role("button", name="Carica e verifica").click()
    page.wait_for_url("**/tariffe/verifiche/massiva/*")
    expect(page.get_by_role("heading", name="Riepilogo")).to_be_visible()  # the page reloads itself when the job ends
    expect(page.get_by_text("Data impossibile: 31/02/2019").first).to_be_visible()
    check_axe(page)
    screenshot(page, "tariffs-bulk-summary")

    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica gli esiti (Excel)").click()
    assert download.value.suggested_filename.endswith("-esiti.xlsx")
    workbook = tmp_path / download.value.suggested_filename
    download.value.save_as(workbook)
    sheet = load_workbook(workbook).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[:2] == ("riga_id", "esito")
    assert [row[:2] for row in rows] == VERDICTS
    assert rows[0][2] == 0.4 and rows[0][3] == 0.4282
