"""Staff statistics: shares of checked rates under the two thresholds, per row, per list and per
company, as tables, charts and files. The files leave the association: a figure over fewer than
three companies is left out of them (its counts stay, its shares do not)."""

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.access import staff_only
from portal.exports import Sheet, csv_bytes, download, xlsx_bytes
from portal.formatting import rounded
from portal.tariffs.blueprint import bp
from portal.tariffs.charts import bar_chart
from portal.tariffs.forms import PeriodForm
from portal.tariffs.stats import MIN_COMPANIES, SMALL_SAMPLE_LISTS, VERDICTS, Figure, RateStatistics, rate_statistics

DIMENSION_LABELS = {"livello": _l("Livello CCNL"), "settore": _l("Settore del cliente"), "trimestre": _l("Trimestre")}
READINGS = {"per_row": _l("per tariffa"), "per_list": _l("per listino"), "per_company": _l("per azienda")}
EXPORT_HEADER = (
    "dimensione", "voce", "tariffe", "listini", "aziende", "sotto_costo_lavoro", "sotto_minimo_sostenibile", "conforme",
    "quota_sotto_costo_lavoro_per_tariffa_pct", "quota_sotto_costo_lavoro_per_listino_pct", "quota_sotto_costo_lavoro_per_azienda_pct",
    "quota_sotto_minimo_sostenibile_per_tariffa_pct", "quota_sotto_minimo_sostenibile_per_listino_pct",
    "quota_sotto_minimo_sostenibile_per_azienda_pct", "quota_su_tabelle_dimostrative_pct", "dal", "al", "campione_ridotto",
    "nota",
)


def _period() -> tuple[PeriodForm, RateStatistics]:
    form = PeriodForm(request.args)
    if not form.validate():
        return form, rate_statistics()
    return form, rate_statistics(form.dal.data, form.al.data)


@bp.get("/statistiche")
@staff_only
def stats():
    form, statistics = _period()
    return render_template("tariffs/stats.html", form=form, statistics=statistics, dimension_labels=DIMENSION_LABELS,
                           readings=READINGS, small_lists=SMALL_SAMPLE_LISTS, min_companies=MIN_COMPANIES,
                           args=request.args.to_dict())


@bp.get("/statistiche/<dimension>.svg")
@staff_only
def stats_chart(dimension: str):
    if dimension not in DIMENSION_LABELS:
        return Response(status=404)
    _form, statistics = _period()
    figures = [f for f in statistics.dimensions[dimension] if not f.small_sample]  # 1-2 checks are not a 100 % bar
    chart = bar_chart(
        _("Quota sotto il costo del lavoro — %(dimension)s (campioni ridotti esclusi)", dimension=DIMENSION_LABELS[dimension]),
        [f.label for f in figures],
        {str(label): [_float(f.shares["sotto_costo_lavoro"], reading) for f in figures] for reading, label in READINGS.items()},
    )
    return Response(chart, mimetype="image/svg+xml")


def _float(share, reading: str) -> float | None:
    value = getattr(share, reading)
    return None if value is None else float(rounded(value, 1))


def _pct(value) -> object:
    return None if value is None else rounded(value, 1)


def export_row(dimension: str, figure: Figure) -> tuple:
    """One figure as a row of the files; its shares only when three companies at least stand behind it."""
    shares = []
    for verdict in ("sotto_costo_lavoro", "sotto_minimo_sostenibile"):
        share = figure.shares[verdict]
        shares += [_pct(share.per_row), _pct(share.per_list), _pct(share.per_company)] if figure.disclosable else [None] * 3
    note = "" if figure.disclosable else _("quote omesse: meno di %(n)s aziende", n=MIN_COMPANIES)
    return (dimension, figure.label, figure.rows, figure.lists, figure.companies, *(figure.counts[v] for v in VERDICTS),
            *shares, _pct(figure.illustrative_pct), figure.first_date, figure.last_date, "sì" if figure.small_sample else "no", note)


def export_rows(statistics: RateStatistics) -> list[tuple]:
    rows = [export_row("totale", statistics.total)]
    for name, figures in statistics.dimensions.items():
        rows += [export_row(name, f) for f in figures]
    return rows


@bp.get("/statistiche/esporta.<fmt>")
@staff_only
def stats_export(fmt: str):
    _form, statistics = _period()
    rows = export_rows(statistics)
    footer = [("fonte", f"{statistics.provenance.source} — {statistics.provenance.label}")]
    if fmt == "xlsx":
        data = xlsx_bytes([Sheet("Quote", EXPORT_HEADER, rows, footer=footer)])
    elif fmt == "csv":
        data = csv_bytes(EXPORT_HEADER, [*rows, (), *footer])
    else:
        return Response(status=404)
    return download(data, f"statistiche-tariffe.{fmt}")
