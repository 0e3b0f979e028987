"""Finding 9: weak passwords were accepted (`password12`, `aaaaaaaaaa`). Every place a password is
chosen refuses them with a reason in the user's language, and accepts a long passphrase."""

import re

import pytest

from portal.access import Role
from portal.members.passwords import password_problem
from tests.members.pages import field_error, link_in
from tests.sessions import sign_in

WEAK = {  # the outside test's two, then what else people type
    "password12": "almeno 12 caratteri",
    "aaaaaaaaaa": "almeno 12 caratteri",
    "password1234": "comune",
    "aaaaaaaaaaaa": "ripetizioni",
    "qwertyuiop12": "comune",
    "123456789012": "comune",
    "abcdefghijkl": "sequenze",
    "Password2024!": "comune",
}
GOOD = "cavallo batteria graffetta corretta"


@pytest.mark.parametrize(("password", "reason"), WEAK.items())
def test_weak_passwords_are_refused_with_the_reason(app, password, reason):
    with app.test_request_context():
        problem = password_problem(password)
    assert problem and reason in problem


def test_the_persons_own_name_and_email_do_not_make_a_password(app):
    with app.test_request_context():
        assert "nome" in password_problem("mario.rossi.voce", ("mario.rossi@voce.example.it", "Mario Rossi"))
        assert "nome" in password_problem("assocontact-portale", ())
        assert password_problem(GOOD, ("mario.rossi@voce.example.it", "Mario Rossi")) is None


def test_the_reason_is_in_english_for_an_english_user(app):
    with app.test_request_context(headers={"Cookie": ""}):
        from flask_babel import force_locale

        with force_locale("en"):
            assert "common password" in password_problem("password1234")


def test_changing_to_a_weak_password_is_refused(app, client, make_user):
    user = make_user(Role.STAFF)
    sign_in(client, user)

    response = client.post("/profilo/password", data={"current": "password-di-prova-1", "password": "password1234",
                                                      "confirm": "password1234"})

    assert response.status_code == 422 and "comune" in field_error(response, "password")
    assert client.post("/profilo/password", data={"current": "password-di-prova-1", "password": GOOD,
                                                  "confirm": GOOD}).location == "/profilo"


def test_a_reset_link_does_not_accept_a_weak_password(app, client, smtp, make_user):
    user = make_user(Role.STAFF)
    client.post("/password/dimenticata", data={"email": user.email})
    link = link_in(smtp.last_to(user.email))

    weak = client.post(link, data={"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"})
    assert weak.status_code == 422 and "ripetizioni" in field_error(weak, "password")
    assert client.post(link, data={"password": GOOD, "confirm": GOOD}).location == "/accedi"  # the link still works


def test_an_invitation_does_not_accept_the_invited_persons_name_as_password(app, client, smtp, make_user, make_company):
    company = make_company()
    sign_in(client, make_user(Role.COMPANY_ADMIN, company))
    client.post(f"/soci/aziende/{company.id}/invita", data={"name": "Carla Collega", "email": "carla@example.it"})
    sign_in(client, None)
    link = link_in(smtp.last_to("carla@example.it"))

    weak = client.post(link, data={"name": "Carla Collega", "password": "carlacollega1", "confirm": "carlacollega1"})

    assert weak.status_code == 422 and re.search("nome|e-mail", field_error(weak, "password"))


def test_the_first_admin_from_the_command_line_needs_a_strong_password(runner):
    result = runner.invoke(args=["users", "create-admin", "capo@example.it", "--password", "password1234"])

    assert result.exit_code != 0 and "comune" in result.output
