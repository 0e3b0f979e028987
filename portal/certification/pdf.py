"""The certificate as a PDF: the Bollino Blu mark, scope, edition, dates, a QR code to the public
verification page, and the association's PAdES signature. A certificate that is not valid today
says so across the page (the PDF is dated: it states the status on the day it was made)."""

from datetime import date

import segno
from flask import current_app, render_template

from portal.certification import signing, statements
from portal.certification.certificates import certificate_url
from portal.certification.mark import bollino_data_uri
from portal.certification.models import Certificate, CertStatus
from portal.pdf import render_pdf


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, dark="#003366")


def certificate_pdf(certificate: Certificate, on: date | None = None) -> bytes:
    on = on or date.today()
    url = certificate_url(certificate)
    identity = signing.current_identity()
    status = certificate.status_on(on)
    html = render_template(
        "certification/certificate_pdf.html", certificate=certificate, url=url, qr=qr_data_uri(url),
        mark=bollino_data_uri(certificate.distinction, certificate.edition.code), status=status, on=on,
        statement=statements.public_statement(certificate) if status != CertStatus.ACTIVE else "",
        signatory=identity.signatory, signatory_role=current_app.config["CERT_SIGNATORY_ROLE"], demo_signature=identity.demo,
    )
    return signing.sign_pdf(render_pdf(html), reason=f"Certificato Bollino Blu {certificate.number}", location="Roma, Italia")
