"""Staff statistics: shares of checked rates under the two thresholds, as tables, charts, files."""

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.access import staff_only
from portal.exports import Sheet, csv_bytes, download, xlsx_bytes
from portal.tariffs.blueprint import bp
from portal.tariffs.charts import bar_chart
from portal.tariffs.forms import PeriodForm
from portal.tariffs.stats import VERDICTS, rate_shares, share_pct

DIMENSIONS = {"livello": "by_level", "settore": "by_sector", "trimestre": "by_quarter"}
DIMENSION_LABELS = {"livello": _l("Livello CCNL"), "settore": _l("Settore del cliente"), "trimestre": _l("Trimestre")}
EXPORT_HEADER = ("dimensione", "voce", "verifiche", "sotto_costo_lavoro", "sotto_minimo_sostenibile", "conforme",
                 "quota_sotto_costo_lavoro_pct", "quota_sotto_minimo_sostenibile_pct")


def _period() -> tuple[PeriodForm, dict]:
    form = PeriodForm(request.args)
    if not form.validate():
        return form, rate_shares()
    return form, rate_shares(form.dal.data, form.al.data)


def _label(entry: dict) -> str:
    return entry.get("label") or entry["key"]


@bp.get("/statistiche")
@staff_only
def stats():
    form, shares = _period()
    return render_template("tariffs/stats.html", form=form, shares=shares, dimensions=DIMENSIONS,
                           dimension_labels=DIMENSION_LABELS, share_pct=share_pct, args=request.args.to_dict())


@bp.get("/statistiche/<dimension>.svg")
@staff_only
def stats_chart(dimension: str):
    if dimension not in DIMENSIONS:
        return Response(status=404)
    _form, shares = _period()
    entries = [e for e in shares[DIMENSIONS[dimension]] if e["total"]]
    chart = bar_chart(
        _("Quota di tariffe sotto le soglie — %(dimension)s", dimension=DIMENSION_LABELS[dimension]),
        [_label(e) for e in entries],
        {
            _("sotto il costo del lavoro"): [share_pct(e["sotto_costo_lavoro"], e["total"]) for e in entries],
            _("sotto il minimo sostenibile"): [share_pct(e["sotto_minimo_sostenibile"], e["total"]) for e in entries],
        },
    )
    return Response(chart, mimetype="image/svg+xml")


def export_rows(shares: dict) -> list[tuple]:
    rows = [("totale", "tutte", shares["total"], *(shares[v] for v in VERDICTS[::-1]),
             share_pct(shares["sotto_costo_lavoro"], shares["total"]), share_pct(shares["sotto_minimo_sostenibile"], shares["total"]))]
    for name, key in DIMENSIONS.items():
        for e in shares[key]:
            rows.append((name, _label(e), e["total"], e["sotto_costo_lavoro"], e["sotto_minimo_sostenibile"], e["conforme"],
                         share_pct(e["sotto_costo_lavoro"], e["total"]), share_pct(e["sotto_minimo_sostenibile"], e["total"])))
    return rows


@bp.get("/statistiche/esporta.<fmt>")
@staff_only
def stats_export(fmt: str):
    _form, shares = _period()
    rows = export_rows(shares)
    if fmt == "xlsx":
        data = xlsx_bytes([Sheet("Quote", EXPORT_HEADER, rows), Sheet("Fonte", ("fonte",), [(shares["source"],)])])
    elif fmt == "csv":
        data = csv_bytes(EXPORT_HEADER, [*rows, (), ("fonte", shares["source"])])
    else:
        return Response(status=404)
    return download(data, f"statistiche-tariffe.{fmt}")
