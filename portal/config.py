"""Configuration read from the environment: one place, one class per situation."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-safe defaults; every setting can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Sessions: the cookie never reaches scripts and never leaves the site on cross-site posts.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PERMANENT_SESSION_LIFETIME = 8 * 3600

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "it"
    BABEL_DEFAULT_TIMEZONE = "Europe/Rome"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = ("it", "en")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    PASSWORD_HASH_METHOD = "scrypt"
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

    # E-mail: "console" prints and keeps the message in the outbox; "smtp" delivers.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Assocontact <noreply@assocontact.it>")
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "300"))  # beat looks for failed e-mails this often

    # Absolute links in e-mails and QR codes: required in production (the portal refuses to start without).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

    # The Bollino Blu certificates' PAdES signature (portal/certification/signing.py): a PEM key and
    # certificate (and the issuing CA's chain, paths separated by ":"), or one PKCS#12 file.
    # Required in production; elsewhere a demo identity is created in CERT_SIGNING_DIR.
    CERT_SIGNING_KEY = os.environ.get("CERT_SIGNING_KEY", "")
    CERT_SIGNING_CERT = os.environ.get("CERT_SIGNING_CERT", "")
    CERT_SIGNING_CHAIN = os.environ.get("CERT_SIGNING_CHAIN", "")
    CERT_SIGNING_PKCS12 = os.environ.get("CERT_SIGNING_PKCS12", "")
    CERT_SIGNING_PASSPHRASE = os.environ.get("CERT_SIGNING_PASSPHRASE", "")
    CERT_SIGNING_TSA_URL = os.environ.get("CERT_SIGNING_TSA_URL", "")  # RFC 3161 timestamps (PAdES B-T)
    CERT_SIGNING_DIR = os.environ.get("CERT_SIGNING_DIR", "")  # default: <instance>/signing
    CERT_SIGNATORY_ROLE = os.environ.get("CERT_SIGNATORY_ROLE", "Per Assocontact, l'organismo che rilascia il Bollino Blu")

    INVITATION_MAX_AGE = int(os.environ.get("INVITATION_MAX_AGE", str(7 * 24 * 3600)))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", str(2 * 3600)))

    # Files (evidence, attachments, generated results): a local folder, or S3-compatible storage (portal/storage.py).
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", "")  # local: one machine only
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")  # e.g. "portale/": several portals may share a bucket
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")  # MinIO, Ceph, Garage...; empty: AWS
    S3_REGION = os.environ.get("S3_REGION", "")
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")  # empty: boto3's own chain (AWS_* variables, roles)
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")
    S3_DOWNLOADS = os.environ.get("S3_DOWNLOADS", "stream")  # or "redirect": a signed URL valid S3_URL_SECONDS
    S3_URL_SECONDS = int(os.environ.get("S3_URL_SECONDS", "60"))
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "20"))

    ITEMS_PER_PAGE = 20

    # Background work: Celery workers and beat take their messages from Redis (portal/jobs/).
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    JOBS_MODE = "celery"  # "inline" exists for the test suite only (create_app refuses it elsewhere)
    JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "60"))  # a run not heard of for this long is dead
    JOB_SWEEP_SECONDS = int(os.environ.get("JOB_SWEEP_SECONDS", "30"))  # how often beat looks for orphaned jobs
    JOB_REDISPATCH_SECONDS = int(os.environ.get("JOB_REDISPATCH_SECONDS", "300"))  # a queued job's message presumed lost
    JOB_VISIBILITY_TIMEOUT = int(os.environ.get("JOB_VISIBILITY_TIMEOUT", "3600"))  # Redis gives back an unacked message
    JOB_MAX_TASKS_PER_CHILD = int(os.environ.get("JOB_MAX_TASKS_PER_CHILD", "200"))
    JOB_KEEP_DAYS = int(os.environ.get("JOB_KEEP_DAYS", "30"))  # finished jobs (and their result files) kept

    # Prometheus (portal/metrics.py): /metrics on each web node for the holder of the token (unset: no /metrics);
    # a Celery worker serves its own on WORKER_METRICS_PORT (unset: none) at METRICS_BIND.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    WORKER_METRICS_PORT = int(os.environ.get("WORKER_METRICS_PORT", "0"))
    METRICS_BIND = os.environ.get("METRICS_BIND", "127.0.0.1")

    # Logs: JSON lines on standard error, each with the request id (portal/logs.py).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # Where the accessibility statement tells people to write (besides its feedback form).
    ACCESSIBILITY_EMAIL = os.environ.get("ACCESSIBILITY_EMAIL", "accessibilita@assocontact.it")


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, mail printed, cookies over plain http."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    # `make run PORT=5001`: the links in e-mails point to the port the portal is served on
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestingConfig(DevelopmentConfig):
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing: tests create hundreds of accounts
    MAIL_BACKEND = "smtp"
    JOBS_MODE = "inline"  # jobs and e-mails run right after the commit; tests/jobs/ use real workers
    RATELIMIT_ENABLED = True
    SERVER_NAME = None


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestingConfig}
