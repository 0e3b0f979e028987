"""Formula injection, as the outside test did it: formulas typed into every text field of every
form (and into a price list's row ids), then every spreadsheet and CSV the portal serves opened
as staff and as a member would open them.

The exports are found, not listed by hand: every GET route of the URL map is opened as the admin
and as a company user, and each answer that is a CSV or an XLSX is an export. The test fails when
an export appears that `EXPORTS` does not name (a new export must be checked here), when a cell
holds a live formula, and when the payloads stop reaching the exports (the attack must be real).
A source check adds that no module writes CSV or XLSX except through `portal.exports`.
"""

import csv
import io
import itertools
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from wtforms.validators import Length

from portal.exports import FORMULA_STARTS
from portal.extensions import db
from portal.reshoring.models import BRIEF_SECTIONS
from portal.tariffs.models import RateBatch
from tests.security.test_headers_and_sessions import URL_VALUES
from tests.security.test_stored_xss import (  # noqa: F401 (demo_app is a fixture)
    ADMIN,
    CASES,
    COMPANY_USER,
    _post,
    client_for,
    demo_app,
    messages,
)

# Every export of the portal (endpoint, format): the test finds them and compares.
EXPORTS = {
    ("tariffs.batch_results", "csv"), ("tariffs.batch_results", "xlsx"),
    ("tariffs.stats_export", "csv"), ("tariffs.stats_export", "xlsx"),
    ("reshoring.brief_xlsx", "xlsx"),
    ("certification.consultation_table", "csv"), ("certification.consultation_table", "xlsx"),
}
# What members and staff type that the exports carry: each must arrive, and arrive inert.
REACHING = {
    "CompanyForm.ragione_sociale", "ProposalForm.title", "SupportForm.conditions",
    "FigureForm.label", "FigureForm.unit", "FigureForm.source", "FigureForm.note", "price list row id",
    "CommentForm.text", "CommentForm.proposal", "AnswerForm.answer",
}
NUMBER = re.compile(r"-?\d+(,\d+)?")  # a negative number in a CSV: Excel reads it as the number it is
SPREADSHEET_TYPES = {"text/csv": "csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}

_numbers = itertools.count(1)
_starts = itertools.cycle(FORMULA_STARTS[:4])  # = + - @ (tab and CR are covered by tests/test_exports.py)


def formula_for(form_class, name: str) -> str:
    """A short formula with a unique marker, within the field's maximum length."""
    validators = getattr(form_class, name).kwargs.get("validators") or ()
    limit = min((v.max for v in validators if isinstance(v, Length) and v.max > 0), default=100)
    payload = f'{next(_starts)}HYPERLINK("https://evil.example/f{next(_numbers)}x")'
    return payload if len(payload) <= limit else payload[0] + re.search(r"f\d+x", payload).group()


@pytest.fixture(scope="module")
def attacked(demo_app):  # noqa: F811 (the imported fixture)
    """The demo world after every text field received a formula: {marker: where it was typed}."""
    typed = {}
    for case in CASES:
        for name in case.fields:
            payload = formula_for(case.form, name)
            client, response = _post(demo_app, case, name, payload)
            assert response.status_code in (200, 302, 303) and "is-invalid" not in response.get_data(as_text=True), \
                f"{case.form.__name__}.{name}: {messages(response)}"
            case.then(client, response)
            typed[re.search(r"f\d+x", payload).group()] = f"{case.form.__name__}.{name}"
    member = client_for(demo_app, COMPANY_USER)
    row_id = f"=HYPERLINK(\"https://evil.example/f{next(_numbers)}x\")"
    price_list = f"riga_id;livello;tariffa;unita;data\n{row_id};3;0,90;minuto;01/01/2024\n".encode()
    upload = member.post("/tariffe/verifiche/massiva", data={"file": (io.BytesIO(price_list), "listino.csv")},
                         content_type="multipart/form-data")
    assert upload.status_code == 302
    typed[re.search(r"f\d+x", row_id).group()] = "price list row id"
    brief = client_for(demo_app, ADMIN).post("/reshoring/dossier/nuovo", data={  # every proposal of the last years
        "title": "Dossier di periodo", "date_from": "2020-01-01", "date_to": date.today().isoformat(),
        "sections": list(BRIEF_SECTIONS), "position": "Posizione"})
    assert brief.status_code == 302, messages(brief)
    return demo_app, typed


def newest(model) -> int:
    return db.session.scalar(select(func.max(model.id)))


def urls(app) -> list[tuple[str, str]]:
    """(endpoint, url) for every GET route, the newest objects in its URL (what the attack wrote)."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for fmt in ("csv", "xlsx") if "fmt" in rule.arguments else ("",):
            values = {name: fmt if name == "fmt" else newest(source) if isinstance(source, type) else source()
                      for name, source in URL_VALUES.items() if name in rule.arguments}
            found.append((rule.endpoint, rule.build(values, append_unknown=False)[1]))
    return found


def cells(kind: str, data: bytes) -> list[tuple[str, object, bool]]:
    """(where, value, inert) for every text cell of a CSV or an XLSX."""
    if kind == "csv":
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
        return [(f"row {n}", value, value.startswith("'")) for n, row in enumerate(rows, 1) for value in row]
    workbook = load_workbook(io.BytesIO(data))
    return [(f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type == "s" and bool(cell.quotePrefix))
            for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
            or cell.data_type == "f"]


@pytest.fixture(scope="module")
def exports(attacked):
    """Every export the portal served to the admin or to a company user, by (endpoint, format)."""
    app, _typed = attacked
    with app.app_context():
        db.session.expire_all()
        batch = db.session.get(RateBatch, newest(RateBatch))
        assert batch.status == "done", batch.failure
        served = {}
        for email in (ADMIN, COMPANY_USER):
            client = client_for(app, email)
            for endpoint, url in urls(app):
                response = client.get(url)
                kind = SPREADSHEET_TYPES.get(response.mimetype)
                if response.status_code == 200 and kind:
                    served[(endpoint, kind)] = (url, kind, response.data)
    return served


def test_every_export_of_the_portal_is_known(exports):
    assert set(exports) == EXPORTS


def test_no_cell_of_any_export_is_a_live_formula(exports):
    live = [f"{url} {where}: {value!r}" for url, kind, data in exports.values() for where, value, inert in cells(kind, data)
            if value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value) and not inert]
    assert live == []


def test_what_users_typed_reaches_the_exports_and_arrives_inert(attacked, exports):
    _app, typed = attacked
    arrived = {}
    for url, kind, data in exports.values():
        for where, value, inert in cells(kind, data):
            for marker in re.findall(r"f\d+x", value or ""):
                if marker in typed:
                    arrived.setdefault(typed[marker], []).append((url, where, inert))
    assert REACHING <= set(arrived), f"these payloads no longer reach an export: {REACHING - set(arrived)}"
    assert [(field, place) for field, places in arrived.items() for place in places if not place[2]] == []


def test_no_module_writes_a_spreadsheet_except_through_portal_exports():
    writers = re.compile(r"csv\.writer|csv\.DictWriter|openpyxl import Workbook|Workbook\(|xlsxwriter")
    root = Path(__file__).resolve().parents[2] / "portal"
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name != "exports.py" or path.parent != root
                 if writers.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
