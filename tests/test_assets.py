"""Static files as a phone gets them: hashed names, cached for good, compressed ahead of time."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import url_for

from portal import assets
from portal.config import PROJECT_ROOT

STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"#]+)')


def static_urls(html: str) -> list[str]:
    return STATIC_URL.findall(html)


def test_a_page_names_its_static_files_by_content_hash_and_they_are_kept_for_good(client):
    urls = static_urls(client.get("/").get_data(as_text=True))
    assert {re.sub(r"\.[0-9a-f]{12}\.", ".", url) for url in urls} >= {"/static/css/site.css", "/static/js/site.js"}
    for url in urls:
        assert assets.HASHED.search(url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_stylesheet_and_script_are_sent_compressed_ahead_of_time(client, encoding):
    for url in static_urls(client.get("/").get_data(as_text=True)):
        if url.endswith((".css", ".js")):
            response = client.get(url, headers={"Accept-Encoding": encoding})
            assert response.headers["Content-Encoding"] == encoding
            served = Path(assets.STATIC_FOLDER, url.removeprefix("/static/"))
            assert response.get_data() == Path(f"{served}.{'br' if encoding == 'br' else 'gz'}").read_bytes()


def test_the_whole_front_end_of_a_first_visit_is_small(client):
    """What the public home loads, compressed as a browser gets it (bench/frontend.py measures it in Chromium)."""
    total = len(client.get("/").get_data())
    for url in static_urls(client.get("/").get_data(as_text=True)):
        total += len(client.get(url, headers={"Accept-Encoding": "br"}).get_data())
    assert total < 80 * 1024, total  # the whole Bootstrap Italia bundle alone was 1.6 MB


def test_stylesheet_urls_point_to_hashed_files_that_exist(client):
    css_url = next(u for u in static_urls(client.get("/").get_data(as_text=True)) if "/css/site." in u)
    css = client.get(css_url).get_data(as_text=True)
    fonts = re.findall(r'url\("?(\.\./fonts/[^")]+)"?\)', css)
    assert fonts and all(assets.HASHED.search(font) for font in fonts)
    for font in fonts:
        assert client.get(f"/static/{font.removeprefix('../')}").status_code == 200


def test_browsers_asking_for_favicon_ico_at_the_root_get_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/x-icon"


def test_every_icon_a_template_names_is_in_the_built_sprite():
    named = {name for path in (PROJECT_ROOT / "templates").rglob("*.html")
             for name in re.findall(r"icons\.svg'\) }}#(it-[a-z0-9-]+)", path.read_text())}
    sprite = ET.parse(assets.STATIC_FOLDER / "icons.svg").getroot()
    built = {symbol.get("id") for symbol in sprite}
    assert named and named <= built, f"add {sorted(named - built)} to ICONS in assets/build.py"


def test_a_static_file_that_does_not_exist_is_an_error_not_a_broken_link(app):
    with app.test_request_context(), pytest.raises(assets.MissingAsset):
        url_for("static", filename="css/nowhere.css")
