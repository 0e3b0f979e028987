"""Static files as assets/build.py made them: hashed names, compressed, served by WhiteNoise.

`url_for('static', filename='css/site.css')` gives the hashed name of the file
(`/static/css/site.3f9c0a1b2d4e.css`), read from build/manifest.json: a page always names the
content it was rendered with, so browsers keep static files for a year without asking again
(`Cache-Control: immutable`). WhiteNoise serves them in front of Flask, with the gzip or brotli
copy the build made when the browser accepts it. A name missing from the manifest is an error:
the file does not exist, or the build is older than the sources (`make assets`).
"""

import json
import re
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

from portal.config import PROJECT_ROOT

BUILD = PROJECT_ROOT / "build"
STATIC_FOLDER = BUILD / "static"
SITE_ROOT = BUILD / "root"  # /favicon.ico, which browsers ask for at the root
MANIFEST = BUILD / "manifest.json"
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
NAMES_CACHE_SECONDS = 3600  # files asked for by their plain name (and the root's favicon.ico)


class MissingAsset(LookupError):
    pass


def load_manifest(path: Path = MANIFEST) -> dict[str, str]:
    if not path.exists():
        raise MissingAsset(f"{path} is missing: build the front end with `make assets`.")
    return json.loads(path.read_text())["files"]


def init_app(app: Flask) -> None:
    files = load_manifest()

    @app.url_defaults
    def hashed_static_name(endpoint: str, values: dict) -> None:
        if endpoint == "static":
            name = values["filename"]
            if name not in files:
                raise MissingAsset(f"{name} is not a static file of the last build (`make assets`).")
            values["filename"] = files[name]

    static = WhiteNoise(app.wsgi_app, root=STATIC_FOLDER, prefix=app.static_url_path, max_age=NAMES_CACHE_SECONDS,
                        immutable_file_test=lambda path, url: bool(HASHED.search(url)),
                        add_headers_function=_no_sniffing, allow_all_origins=False)
    static.add_files(SITE_ROOT, prefix="/")
    app.wsgi_app = static


def _no_sniffing(headers, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
