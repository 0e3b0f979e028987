"""The laws the portal cites come from one place (portal.legal) and read the same everywhere."""

from portal.access import Role
from portal.legal import ART_24_BIS, BRIEF_REFERENCES, REFERENCES
from tests.sessions import sign_in


def test_every_reference_says_what_it_is_and_where_to_read_it():
    for ref in REFERENCES.values():
        assert str(ref.citation) and str(ref.title) and len(str(ref.summary)) > 40
        assert not ref.url or ref.url.startswith("https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:")
    assert {ref.key for ref in BRIEF_REFERENCES} == {"art24bis", "protocollo2017", "dlgs36art41", "dlgs36art110"}


def test_the_work_abroad_help_quotes_art_24_bis_from_the_one_place(client, make_company, make_user):
    sign_in(client, make_user(Role.COMPANY_ADMIN, make_company("Voce S.r.l.")))
    page = client.get("/reshoring/estero").get_data(as_text=True)
    assert str(ART_24_BIS.citation) in page
    assert ART_24_BIS.url in page


def test_english_readers_get_the_english_citation(client, make_company, make_user):
    sign_in(client, make_user(Role.COMPANY_ADMIN, make_company("Voce S.r.l."), locale="en"))
    page = client.get("/reshoring/estero").get_data(as_text=True)
    assert "Art. 24-bis of Decree-Law 83/2012" in page
