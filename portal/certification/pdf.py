"""The certificate as a PDF: the association's look and a QR code to the public verification page."""

import segno
from flask import render_template

from portal.certification.certificates import certificate_url
from portal.certification.models import Certificate
from portal.pdf import render_pdf


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, dark="#003366")


def certificate_pdf(certificate: Certificate) -> bytes:
    url = certificate_url(certificate)
    html = render_template("certification/certificate_pdf.html", certificate=certificate, url=url, qr=qr_data_uri(url))
    return render_pdf(html)
