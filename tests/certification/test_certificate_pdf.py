"""The certificate a company frames: signed (PAdES) and checked here with pyHanko's own validator;
marked when it is not valid; and a production portal that cannot sign or link refuses to start."""

import asyncio
import importlib
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from weasyprint import HTML

from portal.certification import certificates as lifecycle
from portal.certification import services, signing
from portal.certification.models import Certificate, CertStatus, Outcome
from portal.config import Config
from tests.sessions import sign_in


@pytest.fixture
def certificate(world):
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.DISTINCTION, "ok", application.version)
    return Certificate.query.one()


def download(client, user, certificate) -> bytes:
    sign_in(client, user)
    response = client.get(f"/bollino/certificati/{certificate.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def validate(pdf: bytes, trust_root):
    """pyHanko's validation of the document's only signature, trusting `trust_root` alone.

    In a thread: pyHanko's sync API runs asyncio.run, refused while the browser tests' loop runs."""
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(validate_pdf_signature, signatures[0], ValidationContext(trust_roots=[trust_root])).result()


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_pdf_carries_a_pades_signature_that_pyhanko_validates(client, world, certificate):
    pdf = download(client, world.applicant, certificate)

    status = validate(pdf, signing.trust_root())

    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["common_name"] == signing.current_identity().signatory
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES, not the older adbe.pkcs7


def test_a_changed_byte_or_another_trust_root_fails_validation(client, world, certificate, tmp_path):
    pdf = download(client, world.applicant, certificate)
    tampered = bytearray(pdf)
    tampered[11] ^= 0x01  # a byte of the binary comment after the header: the file still reads, the digest differs

    assert not validate(bytes(tampered), signing.trust_root()).intact

    stranger = signing.create_demo_identity(tmp_path / "another-ca")
    other_root = load_cert_from_pemder(str(stranger["root"]))
    assert not validate(pdf, other_root).trusted


def test_the_certificate_states_issuer_signatory_scope_edition_and_dates(client, world, certificate):
    text = text_of(download(client, world.applicant, certificate))

    for expected in ("Assocontact", "Organismo che rilascia il Bollino Blu", signing.current_identity().signatory,
                     certificate.number, certificate.company_name, certificate.partita_iva, "edizione 2026",
                     "con distinzione", certificate.issued_on.strftime("%d/%m/%Y"), certificate.expires_on.strftime("%d/%m/%Y")):
        assert expected in text, expected
    assert "http://localhost/bollino/registro/" + certificate.number in "".join(text.split())  # the QR's link, printed
    for site in certificate.sites:
        assert site.name in text and site.comune in text


def test_a_suspended_certificate_pdf_says_so_and_is_never_the_valid_document(client, world, certificate):
    valid = download(client, world.applicant, certificate)
    lifecycle.change_status(certificate, CertStatus.SUSPENDED, "requirements", "Reclami non gestiti", world.staff)

    suspended = download(client, world.applicant, certificate)

    assert suspended != valid
    assert "SOSPESO" in text_of(suspended) and "SOSPESO" not in text_of(valid)
    assert "non attesta un Bollino Blu valido" in text_of(suspended)
    assert "Reclami non gestiti" not in text_of(suspended)  # the internal reason stays with staff
    assert validate(suspended, signing.trust_root()).bottom_line  # still signed: the association says it is suspended
    lifecycle.change_status(certificate, CertStatus.WITHDRAWN, "requirements", "Uso improprio del marchio", world.staff)
    assert "REVOCATO" in text_of(download(client, world.applicant, certificate))


def test_the_verification_page_explains_how_to_check_the_signature(client, world, certificate):
    html = client.get(f"/bollino/registro/{certificate.number}").get_data(as_text=True)
    assert "Come verificare il PDF del certificato" in html and signing.current_identity().fingerprint in html
    pem = client.get("/bollino/firma-certificati.pem")
    assert pem.status_code == 200 and pem.data == signing.current_identity().chain_pem()
    assert b"PRIVATE KEY" not in pem.data


# --- production start --------------------------------------------------------------------------

@pytest.fixture
def production_env(monkeypatch, tmp_path, database_url, _schema):
    """The production configuration as gunicorn reads it (Config read the environment at import)."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    for name, value in {"SECRET_KEY": "production-test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                        "UPLOAD_FOLDER": str(tmp_path / "uploads"), "PUBLIC_BASE_URL": "https://portale.assocontact.it"}.items():
        monkeypatch.setattr(Config, name, value)
    files = signing.create_demo_identity(tmp_path / "keys")
    monkeypatch.setattr(Config, "CERT_SIGNING_KEY", str(files["key"]))
    monkeypatch.setattr(Config, "CERT_SIGNING_CERT", str(files["cert"]))
    monkeypatch.setattr(Config, "CERT_SIGNING_CHAIN", str(files["root"]))
    return monkeypatch


def start_production():
    return importlib.reload(importlib.import_module("wsgi")).app


def test_production_refuses_to_start_without_public_base_url(production_env):
    production_env.setattr(Config, "PUBLIC_BASE_URL", "")
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        start_production()
    production_env.setattr(Config, "PUBLIC_BASE_URL", "portale.assocontact.it")  # no scheme: links would be relative
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        start_production()


def test_production_refuses_to_start_without_the_signing_key(production_env):
    production_env.setattr(Config, "CERT_SIGNING_KEY", "")
    with pytest.raises(RuntimeError, match="CERT_SIGNING_KEY"):
        start_production()


def test_production_starts_with_both_and_signs_with_the_configured_key(production_env):
    app = start_production()
    with app.app_context():
        identity = app.extensions["certificate_signing"]
        assert not identity.demo and identity.signatory == signing.DEMO_SIGNATORY
    assert app.config["PUBLIC_BASE_URL"] == "https://portale.assocontact.it"
    assert app.test_client().get("/healthz").status_code == 200


def test_signing_works_inside_a_running_event_loop(app):
    """As when a browser test (Playwright) or an async server holds the thread's loop (a thread of
    its own here, so the test holds whether or not the browser tests' loop already runs)."""
    document = HTML(string="<p>Bollino Blu</p>").write_pdf()

    def sign_inside_a_loop() -> bytes:
        async def inside_a_loop():
            return signing.sign_pdf(document, "prova", "Roma")
        with app.app_context():
            return asyncio.run(inside_a_loop())

    with ThreadPoolExecutor(max_workers=1) as pool:
        signed = pool.submit(sign_inside_a_loop).result()
    with app.app_context():
        assert validate(signed, signing.trust_root()).bottom_line
