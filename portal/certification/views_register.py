"""The public register of certificates (no login): search, verification page, JSON."""

from datetime import date

from flask import Response, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.access import public
from portal.certification import signing, statements
from portal.certification.blueprint import bp
from portal.certification.labels import CERT_STATES
from portal.certification.mark import bollino_data_uri
from portal.certification.models import Certificate, CertStatus, certificate_site
from portal.errors import render_error
from portal.extensions import db
from portal.geography import REGIONS
from portal.members.models import Site
from portal.navigation import add_nav

PER_PAGE = 20
MAX_QUERY = 100
FILTERS = ("q", "regione", "stato")

add_nav(_l("Registro Bollino Blu"), "certification.register", order=19)


class FilterError(ValueError):
    """A register filter with a value the register does not know; the message says which."""


def register_filters(args) -> dict[str, str]:
    """The register's filters, checked: an unknown region or status is an error, not an empty list."""
    filters = {k: args.get(k, "").strip() for k in FILTERS}
    if len(filters["q"]) > MAX_QUERY:
        raise FilterError(_("La ricerca può avere al massimo %(n)s caratteri.", n=MAX_QUERY))
    if filters["regione"] and filters["regione"] not in REGIONS:
        raise FilterError(_("Regione sconosciuta: «%(v)s». Usa il nome di una regione italiana, ad esempio Lazio.",
                            v=filters["regione"][:40]))
    if filters["stato"] and filters["stato"] not in {s.value for s in CertStatus}:
        raise FilterError(_("Stato sconosciuto: «%(v)s». Valori ammessi: %(all)s.", v=filters["stato"][:40],
                            all=", ".join(s.value for s in CertStatus)))
    page = args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        raise FilterError(_("Il numero di pagina deve essere un intero da 1 in su."))
    return filters


def register_query(filters: dict[str, str]):
    """Certificates matching the register's checked filters; status is the one the public sees today.

    Name and Partita IVA are the certified ones (`Certificate.company_name`, `.partita_iva`); the
    search also matches the city of a certified site."""
    today = date.today()
    query = (select(Certificate).order_by(Certificate.company_name, Certificate.number)
             .options(joinedload(Certificate.edition), selectinload(Certificate.sites)))
    q = filters.get("q", "")
    if q:
        like = f"%{q}%"
        in_city = select(certificate_site.c.certificate_id).where(
            certificate_site.c.site_id.in_(select(Site.id).where(Site.comune.ilike(like))))
        query = query.where(or_(Certificate.company_name.ilike(like), Certificate.partita_iva.like(like),
                                Certificate.number.ilike(like), Certificate.id.in_(in_city)))
    region = filters.get("regione", "")
    if region:
        # Certificates with a site in the region, found through the link table's site_id index.
        sites = select(Site.id).where(Site.regione == region)
        query = query.where(Certificate.id.in_(select(certificate_site.c.certificate_id).where(certificate_site.c.site_id.in_(sites))))
    status = filters.get("stato", "")
    if status == CertStatus.EXPIRED:
        query = query.where(or_(Certificate.status == CertStatus.EXPIRED,
                                (Certificate.status == CertStatus.ACTIVE) & (Certificate.expires_on < today)))
    elif status == CertStatus.ACTIVE:
        query = query.where(Certificate.status == CertStatus.ACTIVE, Certificate.expires_on >= today)
    elif status in (CertStatus.SUSPENDED, CertStatus.WITHDRAWN):
        query = query.where(Certificate.status == status)
    return query


def filtered_page(args, company_id: int | None = None):
    """(page, filters, error): the register's page for these arguments, or None and the filter's error."""
    try:
        filters = register_filters(args)
    except FilterError as exc:
        return None, {k: args.get(k, "") for k in FILTERS}, str(exc)
    query = register_query(filters)
    if company_id is not None:
        query = query.where(Certificate.company_id == company_id)
    return db.paginate(query, per_page=PER_PAGE, error_out=False), filters, None


def public_record(certificate: Certificate) -> dict:
    """What anybody may know of a certificate: its certified identity and scope, its status today."""
    status = certificate.current_status
    return {
        "number": certificate.number,
        "company": certificate.company_name,
        "partita_iva": certificate.partita_iva,
        "sites": [{"name": s.name, "comune": s.comune, "region": s.regione, "country": s.country} for s in certificate.sites],
        "edition": certificate.edition.code,
        "edition_illustrative": certificate.edition.illustrative,
        "band": "distinction" if certificate.distinction else "granted",
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "status": status.value,
        "status_label": str(CERT_STATES[status]),
        "public_statement": statements.public_statement(certificate),
        "valid": status == CertStatus.ACTIVE,
        "url": url_for("certification.verify", number=certificate.number, _external=False),
    }


@bp.get("/registro")
@public
def register():
    page, filters, error = filtered_page(request.args)
    return render_template("certification/register.html", page=page, filters=filters, regions=REGIONS,
                           error=error), (400 if error else 200)


@bp.get("/registro.json")
@public
def register_json():
    page, _filters, error = filtered_page(request.args)
    if error:
        return jsonify({"error": error}), 400
    return jsonify({
        "page": page.page, "pages": page.pages, "total": page.total,
        "certificates": [public_record(c) for c in page.items],
    })


def _by_number(number: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.number == number.upper()))


def _unknown_number(number: str) -> str:
    return _("Nel registro del Bollino Blu non c'è un certificato numero %(n)s: controlla il numero "
             "o cerca l'azienda nel registro.", n=number[:40])


@bp.get("/registro/<number>")
@public
def verify(number: str):
    certificate = _by_number(number)
    if certificate is None:  # a mistyped number: say so, not just "page not found"
        return render_error(404, _unknown_number(number))
    return render_template("certification/verify.html", certificate=certificate, record=public_record(certificate),
                           signature=signing.current_identity(),
                           mark=bollino_data_uri(certificate.distinction, certificate.edition.code))


@bp.get("/firma-certificati.pem")
@public
def signing_certificate():
    """The certificate the PDFs are signed with, and its issuers: what a validator is told to trust."""
    return Response(signing.current_identity().chain_pem(), mimetype="application/x-pem-file",
                    headers={"Content-Disposition": 'attachment; filename="assocontact-firma-bollino-blu.pem"'})


@bp.get("/registro/<number>.json")
@public
def verify_json(number: str):
    certificate = _by_number(number)
    if certificate is None:
        return jsonify({"error": _unknown_number(number), "number": number[:40]}), 404
    return jsonify(public_record(certificate))
