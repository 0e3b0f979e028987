"""The certificate PDF's digital signature: PAdES with pyHanko and the association's key.

Production reads the key and its certificate from the environment (`CERT_SIGNING_KEY` and
`CERT_SIGNING_CERT` in PEM, with `CERT_SIGNING_CHAIN` for the issuing CA; or one
`CERT_SIGNING_PKCS12` file; `CERT_SIGNING_PASSPHRASE` when the key is protected;
`CERT_SIGNING_TSA_URL` adds a trusted timestamp) and refuses to start without them. Elsewhere a
demo CA and signing certificate are created once in `CERT_SIGNING_DIR` (`make run` does it;
`flask --app portal certificates demo-signing-key`), clearly named as demo.
"""

import asyncio
import datetime
import hashlib
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask, current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps

DEMO_FILES = {"root": "demo-root.pem", "key": "demo-key.pem", "cert": "demo-cert.pem"}
DEMO_ORGANISATION = "Assocontact (DIMOSTRATIVO)"
DEMO_SIGNATORY = "Firma dimostrativa del Bollino Blu"
FIELD_NAME = "FirmaAssocontact"


class SigningConfigError(RuntimeError):
    """The signing key or certificate is missing or unreadable."""


@dataclass(frozen=True)
class SigningIdentity:
    signer: signers.SimpleSigner
    chain: tuple[asn1_x509.Certificate, ...]  # the signing certificate first, then its issuers
    timestamper: timestamps.TimeStamper | None
    demo: bool

    @property
    def certificate(self) -> asn1_x509.Certificate:
        return self.chain[0]

    def _subject(self, field_name: str) -> str:
        return self.certificate.subject.native.get(field_name, "")

    @property
    def signatory(self) -> str:
        return self._subject("common_name")

    @property
    def organisation(self) -> str:
        return self._subject("organization_name")

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the signing certificate, as validators show it (AA:BB:...)."""
        digest = hashlib.sha256(self.certificate.dump()).hexdigest().upper()
        return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))

    def chain_pem(self) -> bytes:
        """The signing certificate and its issuers in PEM: what a validator is given to trust."""
        return b"".join(x509.load_der_x509_certificate(c.dump()).public_bytes(serialization.Encoding.PEM) for c in self.chain)


# --- configuration --------------------------------------------------------------------------

def _configured(app: Flask) -> bool:
    return bool(app.config.get("CERT_SIGNING_PKCS12") or app.config.get("CERT_SIGNING_KEY"))


def init_app(app: Flask) -> None:
    """Production loads the configured identity now, so that a portal that cannot sign does not start."""
    if not app.config["CERT_SIGNING_DIR"]:
        app.config["CERT_SIGNING_DIR"] = str(Path(app.instance_path) / "signing")
    if app.config["PORTAL_ENV"] == "production":
        if not _configured(app):
            raise RuntimeError("CERT_SIGNING_KEY and CERT_SIGNING_CERT (or CERT_SIGNING_PKCS12) must be set in production: "
                               "Bollino Blu certificates are signed with the association's key.")
        app.extensions["certificate_signing"] = _load_configured(app.config)


def _passphrase(config) -> bytes | None:
    return config["CERT_SIGNING_PASSPHRASE"].encode() if config["CERT_SIGNING_PASSPHRASE"] else None


def _timestamper(config) -> timestamps.TimeStamper | None:
    return timestamps.HTTPTimeStamper(config["CERT_SIGNING_TSA_URL"]) if config["CERT_SIGNING_TSA_URL"] else None


def _identity(signer: signers.SimpleSigner, config, demo: bool) -> SigningIdentity:
    if signer is None:
        raise SigningConfigError("The signing key or certificate could not be read (wrong file or passphrase?).")
    others = [c for c in signer.cert_registry if c.dump() != signer.signing_cert.dump()]
    return SigningIdentity(signer, (signer.signing_cert, *others), _timestamper(config), demo)


def _load_configured(config) -> SigningIdentity:
    if config["CERT_SIGNING_PKCS12"]:
        signer = signers.SimpleSigner.load_pkcs12(config["CERT_SIGNING_PKCS12"], passphrase=_passphrase(config))
    else:
        if not config["CERT_SIGNING_CERT"]:
            raise SigningConfigError("CERT_SIGNING_CERT must name the PEM certificate of CERT_SIGNING_KEY.")
        chain = tuple(p for p in config["CERT_SIGNING_CHAIN"].split(os.pathsep) if p)
        signer = signers.SimpleSigner.load(config["CERT_SIGNING_KEY"], config["CERT_SIGNING_CERT"],
                                           ca_chain_files=chain, key_passphrase=_passphrase(config))
    return _identity(signer, config, demo=False)


def current_identity() -> SigningIdentity:
    """The identity certificates are signed with (loaded once per process)."""
    app = current_app._get_current_object()
    found = app.extensions.get("certificate_signing")
    if found is None:
        if _configured(app):
            found = _load_configured(app.config)
        else:
            folder = Path(app.config["CERT_SIGNING_DIR"])
            files = create_demo_identity(folder)
            signer = signers.SimpleSigner.load(str(files["key"]), str(files["cert"]), ca_chain_files=(str(files["root"]),))
            found = _identity(signer, app.config, demo=True)
        app.extensions["certificate_signing"] = found
    return found


def trust_root() -> asn1_x509.Certificate:
    """The root a validator trusts: the demo CA, or the last certificate of the configured chain."""
    return current_identity().chain[-1]


# --- signing ---------------------------------------------------------------------------------

def sign_pdf(pdf: bytes, reason: str, location: str) -> bytes:
    """The PDF with a PAdES signature of the whole document (baseline B-B, or B-T with a TSA)."""
    identity = current_identity()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location, name=identity.signatory,
    )

    def sign() -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        return signers.sign_pdf(writer, metadata, signer=identity.signer, timestamper=identity.timestamper).getvalue()

    # pyHanko's synchronous API runs its own event loop (asyncio.run), which Python refuses inside a
    # running one (an async server, a test driving a browser): there it signs in a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign).result()


# --- the demo identity ---------------------------------------------------------------------------

def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISATION),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _usage(**allowed) -> x509.KeyUsage:
    flags = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                           "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
    return x509.KeyUsage(**(flags | allowed))


def _demo_certificates(now: datetime.datetime):
    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root_name = _name("CA dimostrativa Assocontact (non valida)")
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name).public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=20 * 365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(_name(DEMO_SIGNATORY)).issuer_name(root_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=10 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(digital_signature=True, content_commitment=True), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    return root, key, cert


def create_demo_identity(folder: Path) -> dict[str, Path]:
    """A demo CA and signing certificate in `folder`, created once (several processes may race: one wins)."""
    files = {role: folder / name for role, name in DEMO_FILES.items()}
    if all(path.exists() for path in files.values()):
        return files
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".signing-", dir=folder.parent))
    root, key, cert = _demo_certificates(datetime.datetime.now(datetime.UTC))
    (staging / DEMO_FILES["root"]).write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (staging / DEMO_FILES["cert"]).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (staging / DEMO_FILES["key"]).write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (staging / DEMO_FILES["key"]).chmod(0o600)
    try:
        staging.rename(folder)  # atomic: the whole identity appears at once, or another process's did
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return files
