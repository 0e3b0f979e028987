"""The brief's XLSX annex: the figures of the sections the brief includes, one sheet each, with sources.

It follows the same rules as the PDF: a supporting company appears by name only if it consented,
groups of fewer than three companies are merged, and every sheet says where its figures come from
and of what kind they are.
"""

from flask_babel import gettext as _

from portal.exports import Sheet, xlsx_bytes
from portal.formatting import rounded
from portal.geography import country_name
from portal.reshoring.brief_figures import proposals_provenance, supports_provenance


def _source(provenance) -> list:
    return [_("Fonte:"), f"{provenance.source} — {provenance.label}" + (f", {provenance.as_of:%d/%m/%Y}" if provenance.as_of else "")]


def _sheet(sheets: list[Sheet], title: str, header: list[str], rows: list[list], sources: list[list]) -> None:
    """Company names, support conditions and titles were typed by members: `xlsx_bytes` makes them inert."""
    sheets.append(Sheet(title, header, rows, footer=sources, widths=[42] + [18] * (len(header) - 1)))


def _note(text: str | None) -> list[list]:
    """Why a table is empty (figures of fewer than three companies), in the PDF's words."""
    return [[text]] if text else []


def _share_of_sector(share: dict | None) -> list[list]:
    """The coverage as a share of the sector's workers, the sector figure in cells of its own (staff typed its label and source)."""
    if share is None:
        return []
    workers = share["workers"]
    return [[_("Quota degli addetti del settore coperta (%)"), rounded(share["pct"], 1), share["provenance"].label],
            [_("Addetti del settore:"), workers.label, workers.value, workers.year, workers.source, workers.provenance.label]]


def _tariff_rows(rows: list[dict]) -> list[list]:
    """Exact shares, rounded once as the PDF rounds them (`portal.formatting.rounded`)."""
    def pct(value):
        return rounded(value, 1) if value is not None else None
    return [[r["label"], r["rows"], r["lists"], r["companies"], r["first_date"], r["last_date"], _("sì") if r["small_sample"] else _("no"),
             pct(r["per_list"]["sotto_costo_lavoro"]), pct(r["per_company"]["sotto_costo_lavoro"]),
             pct(r["per_list"]["sotto_minimo_sostenibile"]), pct(r["per_company"]["sotto_minimo_sostenibile"]),
             pct(r["per_list"]["conforme"]), pct(r["illustrative_pct"])] for r in rows]


def _countries(codes) -> str:
    return ", ".join(country_name(c) for c in codes)


def _proposals(sheets: list[Sheet], entries: list[dict], on) -> None:
    _sheet(sheets, _("Proposte"),
           [_("Proposta"), _("Stato"), _("FTE stimati"), _("Da"), _("Verso"), _("Volumi annui"), _("Unità"), _("Costo per lo Stato (€)"),
            _("Tempi (mesi)"), _("Aziende aderenti"), _("FTE delle adesioni")],
           [[e["proposal"].title, e["proposal"].state.label, e["proposal"].fte_reshored, _countries(e["proposal"].from_countries),
             ", ".join(e["proposal"].to_regions), e["proposal"].yearly_volume, e["proposal"].volume_unit, e["proposal"].state_cost,
             e["proposal"].timeframe_months, e["supports"].companies,
             e["supports"].total.fte if e["supports"].total else _("riservato")] for e in entries],
           [_source(proposals_provenance(on)), _source(supports_provenance(on))])
    _sheet(sheets, _("Adesioni nominate"),
           [_("Proposta"), _("Azienda"), _("FTE"), _("Da"), _("FTE per regione"), _("Entro (mesi)"), _("Condizioni")],
           [[e["proposal"].title, s.company.ragione_sociale, s.fte, _countries(s.from_countries),
             ", ".join(f"{r}: {fte}" for r, fte in sorted(s.region_fte.items())), s.timeframe_months, s.conditions]
            for e in entries for s in e["supports"].named],
           [[_("Nota:"), _("solo le aziende che hanno acconsentito a essere nominate; le altre compaiono nelle somme del foglio «Proposte».")]]
           + [_source(supports_provenance(on))])


def brief_annex(data: dict) -> bytes:
    """`data` is what `brief.gather()` returns; one sheet per included section that has figures."""
    sheets: list[Sheet] = []
    sections = data["sections"]
    if "sintesi" in sections:
        summary = data["sintesi"]
        _sheet(sheets, _("FTE per regione"), [_("Regione"), _("Regioni comprese"), _("FTE"), _("Aziende")],
               [[r["label"], ", ".join(r["members"]), r["fte"], r["companies"]] for r in summary["regions"]],
               _note(summary["regions_note"]) + [_source(summary["supports_provenance"])])
        trend = summary["trend"]
        _sheet(sheets, _("Andamento"), [_("Trimestre"), _("Nuove adesioni"), _("FTE all'estero a fine trimestre")],
               [[q, n, fte if fte is not None else _("riservato")] for q, n, fte in zip(trend["quarters"], trend["supports"], trend["abroad"], strict=True)],
               [_source(trend["provenance"])])
    if "proposte" in sections:
        _proposals(sheets, data["proposte"], data["on"])
    if "tariffe" in sections and data["tariffe"]["disclosable"]:
        tariffs = data["tariffe"]
        header = [_("Gruppo"), _("Tariffe"), _("Listini"), _("Aziende"), _("Dal"), _("Al"), _("Campione ridotto"),
                  _("Sotto il costo del lavoro, per listino (%)"), _("Sotto il costo del lavoro, per azienda (%)"),
                  _("Sotto il minimo sostenibile, per listino (%)"), _("Sotto il minimo sostenibile, per azienda (%)"),
                  _("Conformi, per listino (%)"), _("Su valori dimostrativi (%)")]
        total = [tariffs["total"]] if tariffs["total"] else []
        for title, rows in ((_("Tariffe per livello"), total + tariffs["by_level"]), (_("Tariffe per settore"), total + tariffs["by_sector"])):
            _sheet(sheets, title, header, _tariff_rows(rows), [_source(tariffs["provenance"])])
    if "bollino" in sections:
        bollino = data["bollino"]
        _sheet(sheets, _("Bollino Blu"), [_("Regione"), _("Aziende"), _("Sedi"), _("Operatori")],
               [[r["region"], r["companies"], r["sites"], r["operators"]] for r in bollino["by_region"]],
               _note(bollino["regions_note"]) + [_source(bollino["provenance"])] + _share_of_sector(bollino["share_of_sector"]))
    if "estero" in sections:
        abroad = data["estero"]
        _sheet(sheets, _("Lavoro all'estero"),
               [_("Paese"), _("Paesi compresi"), _("Attività"), _("Aziende"), _("FTE"), _("Contatti l'anno"), _("Ore l'anno")],
               [[r["label"], ", ".join(r["members"]), r["records"], r["companies"], r["fte"], r["contacts"], r["hours"]] for r in abroad["rows"]],
               [_source(abroad["provenance"])])
    if "conformita" in sections:
        compliance = data["conformita"]
        _sheet(sheets, _("Obblighi art. 24-bis"), [_("Paese"), _("Paesi compresi"), _("Aziende"), _("Attività"), _("Con obblighi da sistemare")],
               [[r["label"], ", ".join(r["members"]), r["companies"], r["records"], r["pending"]] for r in compliance["rows"]],
               [_source(compliance["provenance"])])
    if "settore" in sections:
        _sheet(sheets, _("Dati di settore"), [_("Dato"), _("Valore"), _("Unità"), _("Anno"), _("Fonte"), _("Natura"), _("Nota")],
               [[f.label, f.value, f.unit, f.year, f.source, f.provenance.label, f.note] for f in data["settore"]], [])
    if not sheets:
        _sheet(sheets, _("Dossier"), [_("Nota")], [[_("Le sezioni scelte per questo dossier non hanno tabelle di dati.")]], [])
    return xlsx_bytes(sheets)
