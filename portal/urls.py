"""URLs that leave the request: absolute links for e-mails and PDFs, and safe redirect targets."""

from urllib.parse import urlsplit

from flask import current_app, url_for


def absolute_url(endpoint: str, **values) -> str:
    """A link that works outside the portal (e-mail, PDF, calendar): on PUBLIC_BASE_URL."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback` (no open redirect)."""
    if target and "\\" not in target and target.isprintable():  # browsers read "/\evil" as "//evil"
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return fallback
