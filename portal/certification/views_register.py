"""The public register of certificates (no login): search, verification page, JSON."""

from datetime import date

from flask import jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.access import public
from portal.certification.blueprint import bp
from portal.certification.labels import CERT_STATES
from portal.certification.models import Certificate, CertStatus, certificate_site
from portal.errors import render_error
from portal.extensions import db
from portal.geography import REGIONS
from portal.members.models import Company, Site
from portal.navigation import add_nav

PER_PAGE = 20

add_nav(_l("Registro Bollino Blu"), "certification.register", order=19)


def register_query(args):
    """Certificates matching the register's filters; status is the one the public sees today."""
    today = date.today()
    query = (select(Certificate).join(Company).order_by(Company.ragione_sociale, Certificate.number)
             .options(contains_eager(Certificate.company), joinedload(Certificate.edition), selectinload(Certificate.sites)))
    q = args.get("q", "").strip()
    if q:
        # Companies first: the name is matched once per company, not once per certificate.
        companies = select(Company.id).where(or_(Company.ragione_sociale.ilike(f"%{q}%"), Company.partita_iva.like(f"%{q}%")))
        query = query.where(or_(Certificate.company_id.in_(companies), Certificate.number.ilike(f"%{q}%")))
    region = args.get("regione", "")
    if region in REGIONS:
        # Certificates with a site in the region, found through the link table's site_id index.
        sites = select(Site.id).where(Site.regione == region)
        in_region = select(certificate_site.c.certificate_id).where(certificate_site.c.site_id.in_(sites))
        query = query.where(or_(Company.regione == region, Certificate.id.in_(in_region)))
    status = args.get("stato", "")
    if status == CertStatus.EXPIRED:
        query = query.where(or_(Certificate.status == CertStatus.EXPIRED,
                                (Certificate.status == CertStatus.ACTIVE) & (Certificate.expires_on < today)))
    elif status == CertStatus.ACTIVE:
        query = query.where(Certificate.status == CertStatus.ACTIVE, Certificate.expires_on >= today)
    elif status in (CertStatus.SUSPENDED, CertStatus.WITHDRAWN):
        query = query.where(Certificate.status == status)
    return query


def public_record(certificate: Certificate) -> dict:
    """What anybody may know of a certificate."""
    status = certificate.current_status
    return {
        "number": certificate.number,
        "company": certificate.company.ragione_sociale,
        "partita_iva": certificate.company.partita_iva,
        "region": certificate.company.regione,
        "sites": [{"name": s.name, "comune": s.comune, "region": s.regione, "country": s.country} for s in certificate.sites],
        "edition": certificate.edition.code,
        "edition_illustrative": certificate.edition.illustrative,
        "band": "distinction" if certificate.distinction else "granted",
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "status": status.value,
        "status_label": str(CERT_STATES[status]),
        "valid": status == CertStatus.ACTIVE,
        "url": url_for("certification.verify", number=certificate.number, _external=False),
    }


def _filters():
    return {k: request.args.get(k, "") for k in ("q", "regione", "stato")}


@bp.get("/registro")
@public
def register():
    page = db.paginate(register_query(request.args), per_page=PER_PAGE)
    return render_template("certification/register.html", page=page, filters=_filters(), regions=REGIONS)


@bp.get("/registro.json")
@public
def register_json():
    page = db.paginate(register_query(request.args), per_page=PER_PAGE, error_out=False)
    return jsonify({
        "page": page.page, "pages": page.pages, "total": page.total,
        "certificates": [public_record(c) for c in page.items],
    })


def _by_number(number: str) -> Certificate:
    return db.first_or_404(select(Certificate).where(Certificate.number == number.upper()))


@bp.get("/registro/<number>")
@public
def verify(number: str):
    certificate = db.session.scalar(select(Certificate).where(Certificate.number == number.upper()))
    if certificate is None:  # a mistyped number: say so, not just "page not found"
        return render_error(404, _("Nel registro del Bollino Blu non c'è un certificato numero %(n)s: controlla il numero "
                                   "o cerca l'azienda nel registro.", n=number))
    return render_template("certification/verify.html", certificate=certificate, record=public_record(certificate))


@bp.get("/registro/<number>.json")
@public
def verify_json(number: str):
    return jsonify(public_record(_by_number(number)))
