"""The brief's XLSX annex: the same figures as the PDF, one sheet per section, sources included."""

from flask_babel import gettext as _

from portal.exports import Sheet, xlsx_bytes
from portal.geography import country_name


def _sheet(sheets: list[Sheet], title: str, header: list[str], rows: list[list], source: str) -> None:
    """Company names, support conditions and titles were typed by members: `xlsx_bytes` makes them inert."""
    sheets.append(Sheet(title, header, rows, footer=[[_("Fonte:"), source]], widths=[42] + [18] * (len(header) - 1)))


def _verdict_rows(rows: list[dict]) -> list[list]:
    return [[row.get("label") or row["key"], row["total"], row["sotto_costo_lavoro"], row["sotto_costo_lavoro_pct"],
             row["sotto_minimo_sostenibile"], row["sotto_minimo_sostenibile_pct"], row["conforme"], row["conforme_pct"]]
            for row in rows]


def brief_annex(data: dict) -> bytes:
    """`data` is what `brief.gather()` returns."""
    sheets: list[Sheet] = []
    _sheet(sheets, _("Proposte"),
           [_("Proposta"), _("Stato"), _("FTE stimati"), _("Da"), _("Verso"), _("Volumi annui"), _("Unità"), _("Costo per lo Stato (€)"),
            _("Tempi (mesi)"), _("Aziende aderenti"), _("FTE delle adesioni")],
           [[p.title, p.state.label, p.fte_reshored, ", ".join(country_name(c) for c in p.from_countries), ", ".join(p.to_regions),
             p.yearly_volume, p.volume_unit, p.state_cost, p.timeframe_months, len(p.supports), sum(s.fte for s in p.supports)]
            for p in data["proposals"]],
           _("stime delle proposte; adesioni dichiarate dalle aziende associate"))
    _sheet(sheets, _("Adesioni"),
           [_("Proposta"), _("Azienda"), _("FTE"), _("Da"), _("Verso"), _("Entro (mesi)"), _("Condizioni")],
           [[p.title, s.company.ragione_sociale, s.fte, ", ".join(country_name(c) for c in s.from_countries), ", ".join(s.to_regions),
             s.timeframe_months, s.conditions] for p in data["proposals"] for s in p.supports],
           _("dati dichiarati dalle aziende associate"))
    verdict_header = [_("Gruppo"), _("Verificate"), _("Sotto il costo del lavoro"), "%", _("Sotto il minimo sostenibile"), "%", _("Conformi"), "%"]
    tariffs = data["tariffs"]
    _sheet(sheets, _("Tariffe per livello"), verdict_header, _verdict_rows(tariffs["by_level"]), tariffs["source"])
    _sheet(sheets, _("Tariffe per settore"), verdict_header, _verdict_rows(tariffs["by_sector"]), tariffs["source"])
    bollino = data["bollino"]
    _sheet(sheets, _("Bollino Blu"), [_("Regione"), _("Aziende"), _("Sedi"), _("Operatori")],
           [[r["region"], r["companies"], r["sites"], r["operators"]] for r in bollino["by_region"]],
           _("registro del Bollino Blu, edizione %(edition)s, certificati in vigore al %(date)s",
             edition=bollino["edition"], date=bollino["on"].strftime("%d/%m/%Y")))
    abroad = data["abroad"]
    _sheet(sheets, _("Lavoro all'estero"),
           [_("Paese"), _("Attività"), _("Aziende"), _("FTE"), _("Contatti l'anno"), _("Ore l'anno"), _("Comunicazioni 24-bis incomplete")],
           [[r["name"], r["records"], r["companies"], r["fte"], r["contacts"], r["hours"], r["incomplete"]] for r in abroad["rows"]],
           _("dichiarazioni delle aziende associate al %(date)s (dato dichiarato)", date=abroad["on"].strftime("%d/%m/%Y")))
    _sheet(sheets, _("Dati di settore"), [_("Dato"), _("Valore"), _("Unità"), _("Anno"), _("Fonte"), _("Natura"), _("Nota")],
           [[f.label, f.value, f.unit, f.year, f.source, _("ufficiale") if f.official else _("dichiarato"), f.note] for f in data["figures"]],
           _("indicata per ogni dato"))
    return xlsx_bytes(sheets)
