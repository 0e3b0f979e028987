"""E-mail header injection (ASVS 5.2.3): a name typed with a line break ends up in an e-mail's subject
(a membership request e-mails every staff member "Nuova richiesta di adesione: <ragione sociale>").
The line break must neither add a header nor stop the e-mail from leaving."""

from sqlalchemy import select

from portal.access import Role
from portal.mail import SENT, OutboxMessage
from tests.members.data import join_data


def test_a_line_break_in_a_company_name_neither_adds_a_header_nor_blocks_the_staff_e_mail(db, client, smtp, make_user):
    staff = make_user(Role.STAFF)
    injected = "Rossi Contact S.r.l.\r\nBcc: lista@esterno.example\r\n\r\nCorpo falso"

    client.post("/aderisci", data=join_data(ragione_sociale=injected))

    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == staff.email)).one()
    assert message.status == SENT
    [sent] = smtp.to(staff.email)
    assert sent["Bcc"] is None and "\n" not in sent["Subject"]
    assert sent["Subject"] == "Nuova richiesta di adesione: Rossi Contact S.r.l. Bcc: lista@esterno.example Corpo falso"
    assert smtp.to("lista@esterno.example") == []
