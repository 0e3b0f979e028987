"""The shared PDF renderer: portal static files only, never the network or other files."""

from io import BytesIO

from pypdf import PdfReader

from portal.pdf import render_pdf


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_renders_html_with_the_portal_fonts(app):
    html = """<html><head><link rel="stylesheet" href="/static/css/fonts.css">
    <style>body { font-family: "Titillium Web"; }</style></head><body><h1>Bollino Blu</h1><p>1.234,56 €</p></body></html>"""
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert "Bollino Blu" in pdf_text(pdf) and "1.234,56 €" in pdf_text(pdf)
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(BytesIO(pdf)).pages for f in page["/Resources"]["/Font"].values()}
    assert any("Titillium" in name for name in fonts), fonts


def test_refuses_files_outside_static_and_remote_addresses(app, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("segreto")
    html = f"""<html><body><p>prima</p>
      <object data="file://{secret}"></object>
      <img src="https://example.com/pixel.png" alt="x">
      <img src="/static/../../../etc/passwd" alt="y">
      <p>dopo</p></body></html>"""
    text = pdf_text(render_pdf(html))
    assert "prima" in text and "dopo" in text
    assert "segreto" not in text
