"""The public register as a client or a journalist uses it: search by city, clear errors for bad
filters, JSON for an unknown number, and what it says of a suspended certificate (never the
internal reason)."""

import pytest

from portal.certification import certificates as lifecycle
from portal.certification import services
from portal.certification.models import Certificate, CertStatus, Outcome


@pytest.fixture
def certificate(world, db):
    world.company.sites[1].comune, world.company.sites[1].regione = "Cosenza", "Calabria"
    db.session.commit()
    application = world.awaiting_decision(4)
    services.decide(application, world.staff2, Outcome.GRANT, "ok", application.version)
    return Certificate.query.one()


def test_an_unknown_number_answers_json_with_a_message(client, world):
    response = client.get("/bollino/registro/BB-1999-0042.json")
    assert response.status_code == 404 and response.is_json
    assert "BB-1999-0042" in response.get_json()["error"]


def test_search_matches_the_city_of_a_certified_site(client, certificate):
    found = client.get("/bollino/registro.json?q=cosenza").get_json()
    assert found["total"] == 1
    sites = found["certificates"][0]["sites"]
    assert {"name": "Sede 2", "comune": "Cosenza", "region": "Calabria", "country": "IT"} in sites
    assert client.get("/bollino/registro.json?q=Catanzaro").get_json()["total"] == 0
    assert client.get("/bollino/registro.json?regione=Calabria").get_json()["total"] == 1  # a site's region, not the seat's
    html = client.get("/bollino/registro?q=Cosenza").get_data(as_text=True)
    assert certificate.number in html and "Cosenza (Calabria)" in html


@pytest.mark.parametrize("query, words", [
    ("regione=Atlantide", "Regione sconosciuta"),
    ("stato=valid", "Stato sconosciuto"),
    ("page=abc", "numero di pagina"),
    ("page=0", "numero di pagina"),
    ("q=" + "x" * 101, "al massimo 100 caratteri"),
])
def test_an_invalid_filter_is_a_400_with_a_message(client, world, query, words):
    as_json = client.get(f"/bollino/registro.json?{query}")
    assert as_json.status_code == 400 and words in as_json.get_json()["error"]
    page = client.get(f"/bollino/registro?{query}")
    assert page.status_code == 400 and words in page.get_data(as_text=True)


def test_suspended_and_withdrawn_carry_the_public_statement_not_the_internal_reason(client, world, certificate):
    lifecycle.change_status(certificate, CertStatus.SUSPENDED, "company_request", "Telefonata del 3/11 con il direttore",
                            world.staff)
    record = client.get(f"/bollino/registro/{certificate.number}.json").get_json()
    assert record["status"] == "suspended" and record["public_statement"] == "Certificato sospeso su richiesta dell'azienda."
    listed = client.get("/bollino/registro.json?stato=suspended").get_json()["certificates"][0]
    assert listed["public_statement"] == record["public_statement"]
    assert "su richiesta dell&#39;azienda" in client.get("/bollino/registro?stato=suspended").get_data(as_text=True)

    lifecycle.change_status(certificate, CertStatus.WITHDRAWN, "requirements", "Ispezione dell'INL, verbale 88/2026", world.staff,
                            own_statement="Revocato: il CCNL non è applicato a tutti gli operatori della sede di Roma.")
    record = client.get(f"/bollino/registro/{certificate.number}.json").get_json()
    assert record["public_statement"] == "Revocato: il CCNL non è applicato a tutti gli operatori della sede di Roma."
    for url in (f"/bollino/registro/{certificate.number}", f"/bollino/registro/{certificate.number}.json", "/bollino/registro",
                "/bollino/registro.json"):
        body = client.get(url).get_data(as_text=True)
        assert "direttore" not in body and "verbale 88" not in body, url


def test_an_active_certificate_has_no_statement_and_a_reinstated_one_says_so(client, world, certificate):
    assert client.get(f"/bollino/registro/{certificate.number}.json").get_json()["public_statement"] == ""
    lifecycle.change_status(certificate, CertStatus.SUSPENDED, "requirements", "verifica", world.staff)
    lifecycle.change_status(certificate, CertStatus.ACTIVE, "resolved", "verificato", world.staff)
    record = client.get(f"/bollino/registro/{certificate.number}.json").get_json()
    assert record["valid"] and "di nuovo valido" in record["public_statement"]
