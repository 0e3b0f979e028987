"""Finding 6: the forgot-password form told which e-mails exist by its timing (6.8 ms against 3.4 ms;
with a real mail server, a whole SMTP round trip). Now the request does the same work for any
address, and the lookup, the link and the e-mail happen after the answer has left. Measured end to
end in bench/reset_timing.py; here, the work itself: the same statements, the same answer, and
nothing sent until the response is closed.
"""

import re

from portal.access import Role


def answer_and_work(client, statements, email: str):
    """The answer as it leaves, the statements run until then, and those run after it."""
    statements.clear()
    response = client.post("/password/dimenticata", data={"email": email}, buffered=False)
    before = list(statements)
    response.close()  # what the WSGI server does once the answer is sent
    return response, before, statements[len(before):]


def test_an_existing_and_an_unknown_address_cost_the_same_before_the_answer(app, client, statements, smtp, make_user):
    user = make_user(Role.STAFF)
    client.get("/password/dimenticata")  # warm up what the first request loads

    known, known_before, known_after = answer_and_work(client, statements, user.email)
    unknown, unknown_before, unknown_after = answer_and_work(client, statements, "nessuno@example.it")

    assert known_before == unknown_before  # not one query more for an account that exists
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location) == (302, "/accedi")
    assert any("INSERT INTO outbox_message" in s for s in known_after) and not unknown_after[1:]
    assert re.search(r"/password/reimposta/\S+", smtp.last_to(user.email).get_content())


def test_the_e_mail_leaves_only_after_the_answer(app, client, smtp, make_user):
    user = make_user(Role.STAFF)

    response = client.post("/password/dimenticata", data={"email": user.email}, buffered=False)
    assert smtp.to(user.email) == []  # the answer is ready, nothing sent yet
    response.close()

    assert len(smtp.to(user.email)) == 1
