"""The brief's XLSX annex: the same figures as the PDF, one sheet per section, sources included."""

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.geography import country_name


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], source: str) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append([_("Fonte:"), source])
    for index, _column in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 42
    sheet.freeze_panes = "A2"


def _verdict_rows(rows: list[dict]) -> list[list]:
    return [[row.get("label") or row["key"], row["total"], row["sotto_costo_lavoro"], row["sotto_costo_lavoro_pct"],
             row["sotto_minimo_sostenibile"], row["sotto_minimo_sostenibile_pct"], row["conforme"], row["conforme_pct"]]
            for row in rows]


def brief_annex(data: dict) -> bytes:
    """`data` is what `brief.gather()` returns."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, _("Proposte"),
           [_("Proposta"), _("Stato"), _("FTE stimati"), _("Da"), _("Verso"), _("Volumi annui"), _("Unità"), _("Costo per lo Stato (€)"),
            _("Tempi (mesi)"), _("Aziende aderenti"), _("FTE delle adesioni")],
           [[p.title, p.state.label, p.fte_reshored, ", ".join(country_name(c) for c in p.from_countries), ", ".join(p.to_regions),
             p.yearly_volume, p.volume_unit, p.state_cost, p.timeframe_months, len(p.supports), sum(s.fte for s in p.supports)]
            for p in data["proposals"]],
           _("stime delle proposte; adesioni dichiarate dalle aziende associate"))
    _sheet(workbook, _("Adesioni"),
           [_("Proposta"), _("Azienda"), _("FTE"), _("Da"), _("Verso"), _("Entro (mesi)"), _("Condizioni")],
           [[p.title, s.company.ragione_sociale, s.fte, ", ".join(country_name(c) for c in s.from_countries), ", ".join(s.to_regions),
             s.timeframe_months, s.conditions] for p in data["proposals"] for s in p.supports],
           _("dati dichiarati dalle aziende associate"))
    verdict_header = [_("Gruppo"), _("Verificate"), _("Sotto il costo del lavoro"), "%", _("Sotto il minimo sostenibile"), "%", _("Conformi"), "%"]
    tariffs = data["tariffs"]
    _sheet(workbook, _("Tariffe per livello"), verdict_header, _verdict_rows(tariffs["by_level"]), tariffs["source"])
    _sheet(workbook, _("Tariffe per settore"), verdict_header, _verdict_rows(tariffs["by_sector"]), tariffs["source"])
    bollino = data["bollino"]
    _sheet(workbook, _("Bollino Blu"), [_("Regione"), _("Aziende"), _("Sedi"), _("Operatori")],
           [[r["region"], r["companies"], r["sites"], r["operators"]] for r in bollino["by_region"]],
           _("registro del Bollino Blu, edizione %(edition)s, certificati in vigore al %(date)s",
             edition=bollino["edition"], date=bollino["on"].strftime("%d/%m/%Y")))
    abroad = data["abroad"]
    _sheet(workbook, _("Lavoro all'estero"),
           [_("Paese"), _("Attività"), _("Aziende"), _("FTE"), _("Contatti l'anno"), _("Ore l'anno"), _("Comunicazioni 24-bis incomplete")],
           [[r["name"], r["records"], r["companies"], r["fte"], r["contacts"], r["hours"], r["incomplete"]] for r in abroad["rows"]],
           _("dichiarazioni delle aziende associate al %(date)s (dato dichiarato)", date=abroad["on"].strftime("%d/%m/%Y")))
    _sheet(workbook, _("Dati di settore"), [_("Dato"), _("Valore"), _("Unità"), _("Anno"), _("Fonte"), _("Natura"), _("Nota")],
           [[f.label, f.value, f.unit, f.year, f.source, _("ufficiale") if f.official else _("dichiarato"), f.note] for f in data["figures"]],
           _("indicata per ogni dato"))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
