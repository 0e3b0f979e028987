"""The ministry brief read back as the official gets it: sections, consent, provenance, no placeholders."""

import base64
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.access import Role
from portal.certification.edition_2026 import ensure_starting_edition
from portal.certification.scheme import current_edition
from portal.certification.stats import bollino_coverage
from portal.demo import seed_all
from portal.formatting import number
from portal.jobs import Job
from portal.jobs.engine import run_task
from portal.reshoring import disclosure
from portal.reshoring.annex import brief_annex
from portal.reshoring.brief import brief_html, brief_pdf, gather, scope_of
from portal.reshoring.brief_figures import quarters_until, share, trend_picture
from portal.reshoring.charts import shares_chart
from portal.reshoring.models import DEFAULT_SECTIONS, AgendaItem, Brief, SectorFigure, Support
from portal.tariffs import services as tariffs
from portal.tariffs.rates import Unit
from portal.tariffs.stats import rate_statistics
from tests.reshoring.conftest import pdf_text
from tests.tariffs.files import csv_bytes


def html_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&amp;", "&").split())


def section(text: str, title: str, next_title: str | None = None) -> str:
    """The text of one section (its heading's last occurrence: the first is in the index)."""
    start = text.rindex(title)
    return text[start:text.rindex(next_title)] if next_title else text[start:]


def chart_texts(html: str) -> list[str]:
    """The text drawn in every chart of the page (the charts are SVG data URIs)."""
    return [base64.b64decode(uri).decode() for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]


def built_pdf(client, brief) -> bytes:
    """Staff ask for the PDF, a job builds it (run right after the commit in tests), they download it."""
    assert client.post(f"/reshoring/dossier/{brief.id}/pdf").status_code == 302
    response = client.get(f"/reshoring/dossier/{brief.id}/dossier.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def test_the_pdf_reads_as_the_official_gets_it(client, auth, staff, brief):
    auth.login(staff.email)
    text = pdf_text(built_pdf(client, brief))
    for n, title in enumerate(["Sintesi per il Ministero", "La posizione dell'associazione", "Le proposte all'ordine del giorno",
                               "Il quadro delle tariffe", "Il Bollino Blu", "Il lavoro all'estero", "I dati del settore",
                               "Riferimenti normativi"], start=1):
        assert f"{n}. {title}" in text
    assert "Alla cortese attenzione di Ministero delle Imprese Gabinetto del Ministro" in text
    assert "BOZZA non ancora emessa" in text and "Sara Staff — staff@example.it" in text
    assert "Assocontact chiede misure stabili per il reshoring." in text
    assert "Credito d'imposta per FTE riportati" in text and "1.500" in text and "27.000.000 €" in text
    assert "Art. 24-bis DL 83/2012" in text and "D.Lgs 36/2023" in text and "Protocollo del 4 maggio 2017" in text
    assert "la posizione dell'associazione non è ancora stata scritta" not in text.lower()
    assert "Indice" in text and "pag. 2 di" in text


def test_the_pdf_is_built_by_a_job_while_the_page_shows_its_progress(client, auth, staff, brief, db, app, monkeypatch):
    auth.login(staff.email)
    early = client.get(f"/reshoring/dossier/{brief.id}/dossier.pdf", follow_redirects=True)
    assert "Il PDF non è ancora stato preparato" in html_text(early.get_data(as_text=True))
    monkeypatch.setattr("portal.jobs._send", lambda *args: None)  # no worker takes it yet
    client.post(f"/reshoring/dossier/{brief.id}/pdf")
    client.post(f"/reshoring/dossier/{brief.id}/pdf")  # a second click while it waits: the same job
    assert db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == "reshoring.brief_pdf")) == 1
    page = client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True)
    assert "job-progress" in page and "js/jobs/progress." in page and "Scarica la bozza in PDF" not in page
    assert client.get(f"/reshoring/dossier/{brief.id}/pdf/stato").get_json()["status"] == "queued"
    monkeypatch.undo()
    pending = db.session.scalar(select(Job).where(Job.kind == "reshoring.brief_pdf"))
    run_task(app, "reshoring.brief_pdf", [pending.id], "")  # what a worker does with the message
    db.session.expire_all()  # the test's session still holds the job as it was queued
    assert client.get(f"/reshoring/dossier/{brief.id}/pdf/stato").get_json()["status"] == "done"
    page = html_text(client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
    assert "Scarica la bozza in PDF" in page and "modificato dopo" not in page
    assert "Sintesi per il Ministero" in pdf_text(client.get(f"/reshoring/dossier/{brief.id}/dossier.pdf").data)
    client.post(f"/reshoring/dossier/{brief.id}/modifica", data={
        "title": "Dossier rivisto", "roundtable_id": brief.roundtable_id, "position": brief.position,
        "addressees": brief.addressees, "sections": list(DEFAULT_SECTIONS)})
    page = html_text(client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
    assert "il dossier è stato modificato dopo: preparala di nuovo" in page


def test_a_company_that_did_not_consent_is_never_named(client, auth, staff, brief):
    auth.login(staff.email)
    text = pdf_text(built_pdf(client, brief))
    assert "Voce Chiara S.p.A." in text and "Se il credito dura tre anni" in text
    assert "Riservata" not in text and "Condizione riservata" not in text
    assert "Altre 2 aziende aderiscono senza essere nominate: essendo meno di tre, i loro dati restano riservati." in text
    assert "195" not in text  # the total of the three would give the two hidden companies' 75 away
    annex = load_workbook(io.BytesIO(client.get(f"/reshoring/dossier/{brief.id}/allegato.xlsx").data))
    cells = [str(c.value) for sheet in annex for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Voce Chiara S.p.A." in cells
    assert not any("Riservata" in c for c in cells)


def test_the_company_changes_its_mind_and_the_brief_follows(client, auth, staff, brief, db):
    support = db.session.query(Support).filter_by(named=True).one()
    support.named = False
    db.session.commit()
    auth.login(staff.email)
    text = html_text(client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
    assert "Voce Chiara" not in text and "Le 3 aziende aderiscono senza essere nominate: insieme indicano 195 FTE." in text
    assert "Altre 3" not in text  # nobody named: the three are not "three more"


def test_sections_left_out_stay_out_of_the_pdf_and_the_annex(client, auth, staff, brief, db):
    auth.login(staff.email)
    response = client.post(f"/reshoring/dossier/{brief.id}/modifica", data={
        "title": brief.title, "roundtable_id": brief.roundtable_id, "position": brief.position, "addressees": brief.addressees,
        "sections": ["sintesi", "posizione", "normativa"]})
    assert response.status_code == 302
    assert db.session.get(Brief, brief.id).sections == ["sintesi", "posizione", "normativa"]
    text = pdf_text(built_pdf(client, brief))
    assert "1. Sintesi per il Ministero" in text and "3. Riferimenti normativi" in text
    for left_out in ("Il quadro delle tariffe", "Il Bollino Blu", "Il lavoro all'estero", "I dati del settore", "Le proposte all'ordine"):
        assert not re.search(rf"\d\. {left_out}", text)  # neither in the index nor as a section
    annex = load_workbook(io.BytesIO(client.get(f"/reshoring/dossier/{brief.id}/allegato.xlsx").data))
    assert "Tariffe per livello" not in annex.sheetnames and "Lavoro all'estero" not in annex.sheetnames


def test_members_compliance_stays_out_unless_staff_include_it(client, auth, staff, brief, db, make_company, make_work):
    for n in range(3):
        make_work(make_company(name=f"Inadempiente {n} S.r.l."), notices_days_before=None)  # no notice sent
    assert "conformita" not in DEFAULT_SECTIONS and "conformita" not in brief.sections
    auth.login(staff.email)
    text = html_text(client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
    assert "Le comunicazioni art. 24-bis" not in text and "24-bis incomplete" not in text and "da sistemare" not in text
    brief.sections = [*brief.sections, "conformita"]
    db.session.commit()
    text = html_text(client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True))
    assert "Le comunicazioni art. 24-bis delle aziende associate" in text
    assert "Albania 6 6 3" in text  # six companies, six activities, three with obligations pending


def test_a_position_section_without_text_cannot_be_saved(client, auth, staff, brief):
    auth.login(staff.email)
    response = client.post(f"/reshoring/dossier/{brief.id}/modifica", data={
        "title": brief.title, "roundtable_id": brief.roundtable_id, "position": "  ", "sections": ["sintesi", "posizione"]})
    assert response.status_code == 422
    assert "il testo è vuoto: scrivilo o togli la sezione" in response.get_data(as_text=True)


def test_a_figure_nobody_declared_says_so_and_never_reads_zero(app, db, brief, make_proposal):
    proposal = make_proposal("in_discussione", title="Proposta senza stime", fte_reshored=None)
    proposal.from_countries, proposal.to_regions = [], []
    db.session.add(AgendaItem(roundtable=brief.roundtable, proposal=proposal, position=2))
    db.session.commit()
    text = html_text(brief_html(brief))
    section = text[text.index("Proposta senza stime Stato"):]
    assert "FTE riportati in Italia non indicato" in section and "Costo per lo Stato non indicato" in section
    assert "Nessuna azienda associata ha ancora aderito." in section
    assert " 0 FTE" not in text and "potrebbe riportare in Italia 0" not in text


def test_labels_follow_the_flags_of_the_data(app, db, brief):
    ensure_starting_edition()
    db.session.commit()
    edition = current_edition()
    text = html_text(brief_html(brief))
    assert "Bollino Blu del portale Assocontact, edizione 2026 dello schema" in text
    bollino = section(text, "5. Il Bollino Blu", "6. Il lavoro all'estero")
    assert ("dimostrativo" in bollino) == edition.illustrative and ("ufficiale" in bollino) != edition.illustrative
    edition.illustrative = not edition.illustrative
    db.session.commit()
    bollino = section(html_text(brief_html(brief)), "5. Il Bollino Blu", "6. Il lavoro all'estero")
    assert ("dimostrativo" in bollino) == edition.illustrative
    figures = section(text, "7. I dati del settore")
    assert "Addetti dei contact center in Italia 80.000 addetti 2024 Stime di settore riportate dalla stampa riportato dalla stampa" in figures
    assert "Numero Unico del Lavoro: contatti 68.673 contatti 2018 ANPAL e Formez PA ufficiale" in figures
    assert "dato ufficiale" not in text
    abroad = section(text, "6. Il lavoro all'estero", "7. I dati del settore")
    assert "dichiarato dalle aziende" in abroad


def test_the_bollino_coverage_is_a_share_of_the_sector_reported_as_such(app, db, brief):
    text = html_text(brief_html(brief))
    assert "addetti del settore" in section(text, "5. Il Bollino Blu", "6. Il lavoro all'estero")
    assert "rispetto a: Addetti dei contact center in Italia, Stime di settore riportate dalla stampa (2024)" in text


def test_tables_and_charts_round_alike_and_every_bar_has_its_count(client, auth, staff, brief):
    auth.login(staff.email)
    html = client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True)
    text = html_text(html)
    assert "Albania 3 3 226,5" in text  # three activities of 75,5 FTE: the table's figure...
    charts = chart_texts(html)
    abroad = next(svg for svg in charts if "FTE all'estero per Paese" in svg)
    assert re.findall(r"<text[^>]*>([^<]*)</text>", abroad) == ["Albania", "FTE all'estero per Paese (dichiarati dalle aziende)", "226,5"]
    assert all("…" not in svg for svg in charts)  # no label cut short


def test_each_bar_of_the_shares_says_what_it_stands_for_and_no_label_is_cut(app):
    rows = [("Livello 3 — operatori di primo livello con un'etichetta lunga (412 listini, 9 aziende)",
             {"sotto_costo_lavoro": Decimal("50.6"), "conforme": Decimal("25.3")}),
            ("Livello 7 (1 listini, 3 aziende)", {"sotto_costo_lavoro": Decimal(100), "conforme": Decimal(0)})]
    svg = base64.b64decode(shares_chart("Quote", rows, [("sotto_costo_lavoro", "Sotto"), ("conforme", "Conformi")]).split(",")[1]).decode()
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "Livello 3 — operatori di primo livello con un'etichetta lunga (412 listini, 9 aziende)" in labels
    assert "Livello 7 (1 listini, 3 aziende)" in labels and "50,6 %" in labels


def test_tariffs_of_fewer_than_three_companies_are_not_shown(app, db, brief, make_company, make_user):
    tariffs.import_table_file(csv_bytes("livello;decorrenza;euro_minuto", "3;01/01/2018;0,4282"), tariffs.DecreeInfo("D.D. 123/2017", date(2017, 12, 29), source="G.U."))
    for n in range(2):
        user = make_user(Role.COMPANY_ADMIN, make_company(name=f"Verificante {n} S.r.l."))
        tariffs.save_check(tariffs.RateInput("3", Decimal("0.40"), Unit.MINUTO, date.today() - timedelta(days=30)), "Cliente", None, user)
    text = html_text(brief_html(brief))
    assert "Le tariffe verificate nel periodo riguardano meno di tre aziende: per riservatezza il quadro non è mostrato." in text
    assert "per listino" not in section(text, "4. Il quadro delle tariffe", "5. Il Bollino Blu")


def test_regions_where_fewer_than_three_companies_go_are_merged(app, db, brief):
    text = html_text(brief_html(brief))
    summary = text[text.index("Posti di lavoro in gioco per regione"):text.index("L'andamento")]
    assert "Altre regioni Calabria, Puglia, Sicilia 195 3" in summary or "Le aziende che hanno indicato le regioni sono meno di tre" in summary
    assert "Calabria 120" not in summary


def test_shares_and_quarters():
    assert share(1, 8) == Decimal("12.5") and share(0, 5) == 0 and share(1, 0) is None
    quarters = quarters_until(date(2026, 2, 10), 3)
    assert [(q.start, q.end) for q in quarters] == [(date(2025, 7, 1), date(2025, 9, 30)), (date(2025, 10, 1), date(2025, 12, 31)),
                                                     (date(2026, 1, 1), date(2026, 3, 31))]


def test_position_is_editable_and_sanitised(client, auth, staff, brief):
    auth.login(staff.email)
    client.post(f"/reshoring/dossier/{brief.id}/modifica", data={"title": brief.title, "roundtable_id": brief.roundtable_id,
                                                                 "sections": DEFAULT_SECTIONS,
                                                                 "position": '<script>alert("x")</script> **Nuova posizione**'})
    page = client.get(f"/reshoring/dossier/{brief.id}").get_data(as_text=True)
    assert "<strong>Nuova posizione</strong>" in page and "<script>alert" not in page and "&lt;script&gt;" in page


def test_brief_for_a_period_needs_a_valid_range(client, auth, staff, db):
    auth.login(staff.email)
    data = {"title": "Dossier 2026", "sections": ["sintesi", "normativa"]}
    response = client.post("/reshoring/dossier/nuovo", data=data | {"date_from": "2026-06-30", "date_to": "2026-01-01"})
    assert response.status_code == 422 and "La fine del periodo non può precedere l&#39;inizio." in response.get_data(as_text=True)
    response = client.post("/reshoring/dossier/nuovo", data=data)
    assert "Scegli un tavolo oppure indica il periodo" in response.get_data(as_text=True)
    today = date.today()
    client.post("/reshoring/dossier/nuovo", data=data | {"date_from": (today - timedelta(days=30)).isoformat(), "date_to": today.isoformat()})
    assert db.session.query(Brief).one().date_to == today


def test_a_figure_needs_a_source(client, auth, staff, db):
    auth.login(staff.email)
    response = client.post("/reshoring/dati-settore/nuovo", data={"label": "Fatturato", "value": "3.000.000.000", "year": "2024",
                                                                  "source": "  ", "kind": "riportato"})
    assert response.status_code == 422
    assert db.session.query(SectorFigure).count() == 0


def test_a_figure_out_of_scale_is_refused_beside_the_field(client, auth, staff, db):
    auth.login(staff.email)
    response = client.post("/reshoring/dati-settore/nuovo", data={"label": "Fatturato", "value": "1" + "0" * 20, "year": "2024",
                                                                  "source": "ISTAT", "kind": "ufficiale"})
    assert response.status_code == 422 and 'id="value-error"' in response.get_data(as_text=True)
    assert db.session.query(SectorFigure).count() == 0


def test_the_demo_brief_names_only_consenting_companies_and_carries_the_live_figures(app, db):
    """On the whole demo world, against the real tariffs and certification modules (PDF text read back)."""
    seed_all()
    brief = db.session.query(Brief).filter(Brief.roundtable_id.is_not(None)).one()
    scope = scope_of(brief)
    rates, coverage = rate_statistics(scope.date_from, scope.date_to).total, bollino_coverage(scope.date_to)
    assert rates.disclosable and coverage["certificates"]  # the demo has both, so the test says something
    text = pdf_text(brief_pdf(brief))
    supports = [s for item in brief.roundtable.items if item.proposal for s in item.proposal.supports]
    assert any(s.named for s in supports) and any(not s.named for s in supports)
    named = {s.company.ragione_sociale for s in supports if s.named}
    hidden = {s.company.ragione_sociale for s in supports if not s.named} - named
    assert all(name in text for name in named)
    assert not any(name in text for name in hidden)
    assert f"{number(rates.rows)} tariffe in {number(rates.lists)} listini di {number(rates.companies)} aziende" in text
    assert f"sono in vigore {coverage['certificates']} certificati" in text


def test_the_summary_total_minus_a_proposal_total_gives_no_unnamed_company_away(app, db, brief, make_company, make_proposal):
    """The attack of the review: the summary's supporters' FTE minus the total the brief prints for one proposal
    would leave one unnamed company's FTE (its data are said to stay reserved)."""
    premialita = brief.roundtable.items[0].proposal  # named 120 + two unnamed (40, 35): its total is printed
    for n in range(1, 3):  # two more unnamed supporters there: its total (and "others") stays printable
        db.session.add(Support(proposal_id=premialita.id, company_id=make_company(name=f"Riservata Altra {n} S.r.l.").id, fte=10 * n))
    fondo = make_proposal("in_discussione", title="Fondo per la formazione")
    alone = make_company(name="Sola Riservata S.r.l.")
    db.session.add_all([Support(proposal_id=fondo.id, company_id=alone.id, fte=30),
                        AgendaItem(roundtable=brief.roundtable, proposal=fondo, position=2)])
    db.session.commit()
    data = gather(db.session.get(Brief, brief.id))
    printed = [disclosure.support_picture(p.supports).total for p in data["proposals"]]
    assert any(t is not None for t in printed)  # the proposal total the attacker subtracts is there
    summary = data["sintesi"]
    assert summary["support_fte"] is None and summary["support_fte_withheld"]
    assert "riservato: meno di tre aziende non nominate" in html_text(brief_html(db.session.get(Brief, brief.id)))


def test_the_change_between_two_printed_quarters_is_never_one_company(app, db, make_company, make_work):
    """The attack of the review: two quarters each over three companies, but the difference is one company's new activity."""
    today = date.today()
    quarters = quarters_until(today)
    long_ago = quarters[0].start - timedelta(days=400)
    for n in range(3):
        make_work(make_company(name=f"Estero {n} S.r.l."), start=long_ago, fte=Decimal(100 + n))
    newcomer = make_work(make_company(name="Nuova in Moldova S.r.l."), start=quarters[-2].end - timedelta(days=5), country="MD",
                         fte=Decimal(30))
    trend = trend_picture(today)["abroad"]
    before = quarters.index(next(q for q in quarters if q.start <= newcomer.start_date <= q.end))
    shown = [(i, v) for i, v in enumerate(trend) if v is not None]
    steps = [b - a for (_i, a), (_j, b) in zip(shown, shown[1:], strict=False)]
    assert Decimal(30) not in steps  # no two printed quarters differ by the newcomer's FTE
    assert trend[before] is None  # the quarter where only it changed is reserved
    assert trend[before - 1] == Decimal(303)


def test_no_certified_companys_operators_can_be_read_from_the_bollino_figures(app, db):
    """The attack of the review: the public register names the only certified company of a region, so a region row
    (or a headline over fewer than three companies) is that company's declared operators."""
    seed_all()
    brief = db.session.query(Brief).filter(Brief.roundtable_id.is_not(None)).one()
    raw = bollino_coverage(scope_of(brief).date_to)
    lonely = [r for r in raw["by_region"] if r["companies"] < 3]
    assert lonely  # the demo has regions with one certified company: the test says something
    text = section(html_text(brief_html(brief)), "5. Il Bollino Blu", "6. Il lavoro all'estero")
    for row in lonely:
        assert f"{row['region']} {row['companies']} {row['sites']} {number(row['operators'])}" not in text
    if raw["companies"] < 3:
        assert number(raw["operators"]) not in text and "sedi e operatori coperti non sono mostrati" in text
    annex = load_workbook(io.BytesIO(brief_annex(gather(brief))), read_only=True)
    rows = [tuple(r) for r in annex["Bollino Blu"].iter_rows(values_only=True)]
    assert not any((row["region"], row["companies"], row["sites"], row["operators"]) in rows for row in lonely)


def test_a_table_the_annex_leaves_empty_says_why_as_the_pdf_does(db):
    """The demo's regions are declared by fewer than three companies: the PDF says so, and so must
    the spreadsheet, not hand the ministry an empty table."""
    seed_all()
    brief = db.session.query(Brief).filter(Brief.roundtable_id.is_not(None)).one()
    data = gather(brief)
    note = data["sintesi"]["regions_note"]
    assert note and not data["sintesi"]["regions"]  # the demo withholds them: the test says something
    assert note in html_text(brief_html(brief))
    annex = load_workbook(io.BytesIO(brief_annex(data)), read_only=True)
    assert note in [c for row in annex["FTE per regione"].iter_rows(values_only=True) for c in row if c]
