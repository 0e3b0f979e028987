"""The ministry brief: sections, figures with their sources, PDF text, XLSX annex, preview."""

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.certification.stats import bollino_coverage
from portal.demo import seed_all
from portal.formatting import number
from portal.reshoring.brief import brief_html, scope_of, share, with_shares
from portal.reshoring.models import AgendaItem, Brief, SectorFigure, Support
from portal.tariffs.stats import rate_shares

SECTIONS = ["1. La posizione dell'associazione", "2. Le proposte all'ordine del giorno", "3. Il quadro delle tariffe",
            "4. Il Bollino Blu", "5. Il lavoro all'estero", "6. I dati del settore"]


@pytest.fixture
def brief(db, make_company, make_proposal, make_roundtable, make_work):
    company = make_company(name="Voce Chiara S.p.A.")
    proposal = make_proposal("in_discussione", fte_reshored=1500, state_cost=27_000_000)
    db.session.add(Support(proposal=proposal, company_id=company.id, fte=120, from_countries=["AL"], to_regions=["Calabria"],
                           conditions="Se il credito dura tre anni"))
    roundtable = make_roundtable(days_from_now=7, title="Tavolo di settore MIMIT")
    db.session.add(AgendaItem(roundtable=roundtable, proposal=proposal, position=1))
    make_work(company, fte=210, yearly_contacts=2_400_000)
    db.session.add_all([
        SectorFigure(label="Addetti dei contact center in Italia", value=80000, unit="addetti", year=2024,
                     source="Stime di settore riportate dalla stampa", official=False),
        SectorFigure(label="Volumi in outsourcing da gestire in Italia", value=80, unit="%", year=2017,
                     source="Protocollo del 4 maggio 2017", official=True),
    ])
    brief = Brief(title="Dossier per il tavolo MIMIT", roundtable=roundtable,
                  position="Assocontact chiede **misure stabili** per il reshoring.")
    db.session.add(brief)
    db.session.commit()
    return brief


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_every_section_and_figure_with_its_source(client, auth, staff, brief):
    auth.login(staff.email)
    response = client.get(f"/reshoring/dossier/{brief.id}/dossier.pdf")
    assert response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data).split())
    for section in SECTIONS:
        assert section in text
    assert "Dossier per il tavolo MIMIT" in text and "Assocontact chiede misure stabili per il reshoring." in text
    assert "Credito d'imposta per FTE riportati" in text and "1.500" in text and "27.000.000 €" in text
    assert "Voce Chiara S.p.A." in text and "120" in text
    assert "Albania" in text and "210,0" in text and "2.400.000" in text
    assert "80.000 addetti 2024 Stime di settore riportate dalla stampa dichiarato" in text
    assert "80 % 2017 Protocollo del 4 maggio 2017 ufficiale" in text
    assert text.count("Fonte:") >= 4  # tariffs, Bollino Blu, work abroad, supports
    assert "Indice" in text and "pag. 2 di" in text


def test_preview_and_annex(client, auth, staff, brief):
    auth.login(staff.email)
    preview = client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True)
    for section in SECTIONS:
        assert section in preview
    assert '<img class="chart img-fluid" src="data:image/svg+xml;base64,' in preview
    annex = load_workbook(io.BytesIO(client.get(f"/reshoring/dossier/{brief.id}/allegato.xlsx").data))
    assert annex.sheetnames == ["Proposte", "Adesioni", "Tariffe per livello", "Tariffe per settore", "Bollino Blu",
                                "Lavoro all'estero", "Dati di settore"]
    figures = [[c.value for c in row] for row in annex["Dati di settore"].iter_rows(min_row=2, max_row=3)]
    assert ["Addetti dei contact center in Italia", 80000, "addetti", 2024, "Stime di settore riportate dalla stampa", "dichiarato"] == figures[0][:6]
    assert annex["Proposte"]["C2"].value == 1500 and annex["Adesioni"]["C2"].value == 120
    assert annex["Lavoro all'estero"]["A2"].value == "Albania"


def test_position_is_editable_and_sanitised(client, auth, staff, brief, db):
    auth.login(staff.email)
    client.post(f"/reshoring/dossier/{brief.id}/modifica", data={"title": brief.title, "roundtable_id": brief.roundtable_id,
                                                                 "position": '<script>alert("x")</script> **Nuova posizione**'})
    page = client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True)
    assert "<strong>Nuova posizione</strong>" in page and "<script>alert" not in page and "&lt;script&gt;" in page


def test_brief_for_a_period_needs_a_valid_range(client, auth, staff, db):
    auth.login(staff.email)
    response = client.post("/reshoring/dossier/nuovo", data={"title": "Dossier 2026", "date_from": "2026-06-30", "date_to": "2026-01-01"})
    assert response.status_code == 422 and "La fine del periodo non può precedere l&#39;inizio." in response.get_data(as_text=True)
    response = client.post("/reshoring/dossier/nuovo", data={"title": "Dossier 2026"})
    assert "Scegli un tavolo oppure indica il periodo" in response.get_data(as_text=True)
    today = date.today()
    client.post("/reshoring/dossier/nuovo", data={"title": "Dossier 2026", "date_from": (today - timedelta(days=30)).isoformat(),
                                                  "date_to": today.isoformat()})
    assert db.session.query(Brief).one().date_to == today


def test_a_figure_needs_a_source(client, auth, staff, db):
    auth.login(staff.email)
    response = client.post("/reshoring/dati-settore/nuovo", data={"label": "Fatturato", "value": "3.000.000.000", "year": "2024", "source": "  "})
    assert response.status_code == 422
    assert db.session.query(SectorFigure).count() == 0


def test_shares_of_the_documented_shape():
    row = {"key": "3", "total": 8, "sotto_costo_lavoro": 2, "sotto_minimo_sostenibile": 1, "conforme": 5}
    assert with_shares(row) | {} == row | {"sotto_costo_lavoro_pct": 25.0, "sotto_minimo_sostenibile_pct": 12.5, "conforme_pct": 62.5}
    assert share(1, 0) is None


def test_brief_carries_the_live_tariff_and_bollino_figures(app, db):
    """Against the real tariffs and certification modules, on the whole demo world (HTML: the PDF is tested above)."""
    seed_all()
    brief = db.session.query(Brief).filter(Brief.roundtable_id.is_not(None)).one()
    scope = scope_of(brief)
    shares, coverage = rate_shares(scope.date_from, scope.date_to), bollino_coverage(scope.date_to)
    assert shares["total"] and coverage["certificates"]  # the demo has both, so the test says something
    text = " ".join(re.sub(r"<[^>]+>", " ", brief_html(brief)).replace("&#39;", "'").split())
    assert f"Su {number(shares['total'])} tariffe verificate" in text
    assert f"sono in vigore {coverage['certificates']} certificati: {coverage['companies']} aziende" in text
    assert all(row["region"] in text for row in coverage["by_region"])
    assert " ".join(shares["source"].split())[:60] in text


def test_a_figure_out_of_scale_is_refused_beside_the_field(client, auth, staff, db):
    auth.login(staff.email)
    response = client.post("/reshoring/dati-settore/nuovo", data={"label": "Fatturato", "value": "1" + "0" * 20, "year": "2024", "source": "ISTAT"})
    assert response.status_code == 422 and 'id="value-error"' in response.get_data(as_text=True)
    assert db.session.query(SectorFigure).count() == 0
