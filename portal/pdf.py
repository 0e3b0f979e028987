"""Every PDF of the portal is rendered here, with WeasyPrint, from HTML.

Static files (fonts, logos, CSS) are read from the portal's own folders: the renderer never
fetches anything from the network.
"""

from pathlib import Path
from urllib.parse import urlsplit

from flask import Response, current_app
from weasyprint import HTML, default_url_fetcher


def _local_fetcher(url: str, *args, **kwargs):
    """Resolve `/static/...` to files on disk; refuse any other network address."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        static_url = current_app.static_url_path.rstrip("/") + "/"
        if parts.path.startswith(static_url):
            path = Path(current_app.static_folder) / parts.path[len(static_url):]
            return default_url_fetcher(path.resolve().as_uri())
        raise ValueError(f"PDF rendering does not fetch remote resources: {url}")
    return default_url_fetcher(url, *args, **kwargs)


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url="http://portal.local/", url_fetcher=_local_fetcher).write_pdf()


def pdf_response(pdf: bytes, filename: str, as_attachment: bool = False) -> Response:
    disposition = "attachment" if as_attachment else "inline"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )
