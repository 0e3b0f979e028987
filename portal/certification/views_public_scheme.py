"""The scheme in the open (no login): each published edition, its PDF, and what changed between two."""

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.access import public
from portal.certification import edition_diff, published
from portal.certification.blueprint import bp
from portal.certification.models import Edition
from portal.errors import render_error
from portal.navigation import add_nav
from portal.pdf import pdf_response, render_pdf
from portal.urls import absolute_url

add_nav(_l("Parametri del Bollino Blu"), "certification.public_scheme_current", order=18)


def _published(code: str) -> Edition:
    """The published edition with this code, or a 404 page that says so."""
    edition = published.edition(code)
    if edition is None:
        abort(make_response(render_error(404, _("Non c'è un'edizione pubblicata del Bollino Blu con il codice %(c)s: l'elenco "
                                                "delle edizioni è nella pagina dei parametri.", c=code))))
    return edition


def _context(edition: Edition) -> dict:
    editions = published.editions()
    return {
        "edition": edition, "editions": editions, "previous": published.previous_edition(edition, editions),
        "shares": published.shares(edition), "scale": published.scale_meanings(edition.scale_max),
        "figures": published.figures(edition), "provenance": published.provenance(edition),
        "consultation": edition.consultation,
        "next_consultation": published.consultation_on_next_edition() if edition.id == editions[0].id else None,
    }


@bp.get("/parametri")
@public
def public_scheme_current():
    editions = published.editions()
    if not editions:
        return render_error(404, _("Lo schema del Bollino Blu non è ancora stato pubblicato."))
    return redirect(url_for("certification.public_scheme", code=editions[0].code))


@bp.get("/parametri/<code>")
@public
def public_scheme(code: str):
    edition = _published(code)
    return render_template("certification/public_scheme.html", **_context(edition))


@bp.get("/parametri/<code>/pdf")
@public
def public_scheme_pdf(code: str):
    edition = _published(code)
    report_url = absolute_url("certification.consultation_report", consultation_id=edition.consultation.id) if edition.consultation else ""
    html = render_template("certification/public_scheme_pdf.html", **_context(edition), report_url=report_url,
                           page_url=absolute_url("certification.public_scheme", code=edition.code))
    return pdf_response(render_pdf(html), f"bollino-blu-{edition.code}.pdf")


@bp.get("/parametri/<code>/modifiche")
@public
def scheme_changes(code: str):
    """What changed in edition `code` from the one before it, or from `?rispetto=<code>`."""
    edition = _published(code)
    editions = published.editions()
    others = [e for e in editions if e.id != edition.id]
    wanted = request.args.get("rispetto", "").strip()
    if wanted:
        old = next((e for e in others if e.code == wanted), None)
        if old is None:
            return render_template("certification/scheme_changes.html", edition=edition, old=None, others=others, changes=None,
                                   error=_("Scegli un'altra edizione pubblicata da confrontare con la %(c)s.", c=edition.code)), 400
    else:
        old = published.previous_edition(edition, editions)
    changes = edition_diff.compare_editions(old, edition) if old is not None else None
    return render_template("certification/scheme_changes.html", edition=edition, old=old, others=others, changes=changes, error=None)
