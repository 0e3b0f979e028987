"""What other modules may ask of the Bollino Blu: the certificates in force and what they cover."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.certification.models import Certificate, CertStatus
from portal.certification.scheme import current_edition
from portal.extensions import db


def certificates_in_force(on: date):
    """Active (not suspended or withdrawn) and not past their term on that day."""
    return select(Certificate).where(
        Certificate.status == CertStatus.ACTIVE, Certificate.issued_on <= on, Certificate.expires_on >= on
    )


def bollino_coverage(on: date | None = None) -> dict:
    """Certificates in force on `on` (default today), with the companies, sites and operators they cover."""
    on = on or date.today()
    certificates = db.session.scalars(certificates_in_force(on).options(selectinload(Certificate.sites))).all()
    sites = {site.id: site for c in certificates for site in c.sites}
    by_region: dict[str, dict] = {}
    for c in certificates:
        for site in c.sites:
            region = site.regione or "Estero"
            row = by_region.setdefault(region, {"region": region, "companies": set(), "sites": 0, "operators": 0})
            row["companies"].add(c.company_id)
            row["sites"] += 1
            row["operators"] += site.operators
    edition = current_edition()
    return {
        "certificates": len(certificates),
        "companies": len({c.company_id for c in certificates}),
        "sites": len(sites),
        "operators": sum(s.operators for s in sites.values()),
        "distinction": sum(1 for c in certificates if c.distinction),
        "by_region": [
            {"region": r["region"], "companies": len(r["companies"]), "company_ids": sorted(r["companies"]), "sites": r["sites"],
             "operators": r["operators"]}
            for r in sorted(by_region.values(), key=lambda r: r["region"])
        ],
        "edition": edition.code if edition else "",
        "edition_official": edition is not None and not edition.illustrative,  # an illustrative scheme makes its figures so
    }
