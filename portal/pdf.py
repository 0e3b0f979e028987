"""Every PDF of the portal is rendered here, with WeasyPrint, from HTML.

Static files (fonts, logos, CSS) are read from the portal's own folder and images may be
`data:` URIs (charts, QR codes); nothing else is fetched: not the network, and not any other
file on disk, even if user text smuggled an address into the HTML.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Response, current_app
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

BASE_URL = "http://portal.local/"


class LocalFetcher(URLFetcher):
    def __init__(self, static_folder: str, static_url_path: str):
        super().__init__(allowed_protocols={"file", "data"})
        self._root = Path(static_folder).resolve()
        self._prefix = static_url_path.rstrip("/") + "/"

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = None
        if parts.scheme in ("http", "https") and parts.netloc == urlsplit(BASE_URL).netloc:
            if parts.path.startswith(self._prefix):
                path = (self._root / unquote(parts.path).removeprefix(self._prefix)).resolve()
        elif parts.scheme == "file":  # relative URLs inside a stylesheet read from disk
            path = Path(unquote(parts.path)).resolve()
        if path is not None and path.is_relative_to(self._root) and path.is_file():
            return super().fetch(path.as_uri(), headers)
        raise ValueError(f"PDF rendering fetches only the portal's static files: {url}")


def render_pdf(html: str) -> bytes:
    fetcher = LocalFetcher(current_app.static_folder, current_app.static_url_path)
    # @font-face rules are honoured only with a FontConfiguration.
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(font_config=FontConfiguration())


def pdf_response(pdf: bytes, filename: str, as_attachment: bool = False) -> Response:
    disposition = "attachment" if as_attachment else "inline"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )
