"""The consultation's e-mails: invitation, opening, reminder, a new closing date, receipt of the
comments sent, report out. Each goes to the people who speak for a participant: a member company's
active users, or the outside party's contact person (whose link is renewed in every e-mail)."""

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.certification.consultation import links
from portal.certification.consultation.models import Access, Participant, Phase
from portal.mail import queue_mail
from portal.members.recipients import company_users
from portal.urls import absolute_url

TEMPLATE = "certification/notice.txt"


def _people(participant: Participant) -> list[tuple[str, str]]:
    if participant.access == Access.COMPANY:
        return [(u.email, u.name) for u in company_users(participant.company_id)]
    return [(participant.email, participant.contact_name)]


def _url(participant: Participant) -> str:
    if participant.access == Access.LINK:
        return absolute_url("certification.consultation_link", token=links.issue(participant))
    return absolute_url("certification.consultation", consultation_id=participant.consultation_id)


def _send(participant: Participant, subject: str, text: str, detail: str = "", url: str | None = None) -> None:
    url = url or _url(participant)
    for email, name in _people(participant):
        queue_mail(email, subject, TEMPLATE, name=name, text=text, detail=detail, url=url)


def _dates(participant: Participant) -> dict:
    consultation = participant.consultation
    return {"code": consultation.edition.code, "a": consultation.opens_on.strftime("%d/%m/%Y"),
            "b": consultation.closes_on.strftime("%d/%m/%Y"), "o": participant.organisation}


def _how(participant: Participant) -> str:
    if participant.access == Access.COMPANY:
        how = _("Ogni utente dell'azienda può scrivere commenti nel portale; l'amministratore dell'azienda li raccoglie e li invia.")
    elif participant.access == Access.ACCOUNT:
        how = _("Accedete al portale con il vostro account di consultazione: se non l'avete ancora, riceverete a parte l'invito a crearlo.")
    else:
        how = _("Il link qui sotto è personale: apre soltanto questa consultazione, senza password. Non inoltratelo; "
                "ogni nuova e-mail ne contiene uno nuovo che sostituisce il precedente.")
    if participant.consultation.comments_visible:
        seen = _("I commenti inviati sono visibili agli altri partecipanti, indicati per tipo di parte.")
    else:
        seen = _("I commenti inviati li legge solo l'associazione fino alla chiusura.")
    return f"{how}\n{seen}\n" + _("Dopo la chiusura ogni commento riceve una risposta motivata, pubblicata nel rapporto della consultazione.")


def invitation(participant: Participant) -> None:
    values = _dates(participant)
    if participant.consultation.current_phase == Phase.ANNOUNCED:
        text = _("Assocontact invita %(o)s a commentare la bozza dell'edizione %(code)s del Bollino Blu, i parametri su cui "
                 "sono certificate le aziende di contact center. Si potrà commentare dal %(a)s al %(b)s.", **values)
    else:
        text = _("Assocontact invita %(o)s a commentare la bozza dell'edizione %(code)s del Bollino Blu, i parametri su cui "
                 "sono certificate le aziende di contact center. La consultazione è aperta fino al %(b)s.", **values)
    _send(participant, _("Consultazione sulla bozza %(code)s del Bollino Blu", **values), text, _how(participant))


def opening(participant: Participant) -> None:
    values = _dates(participant)
    _send(participant, _("Aperta la consultazione sulla bozza %(code)s del Bollino Blu", **values),
          _("La consultazione sulla bozza dell'edizione %(code)s del Bollino Blu è aperta: potete commentare fino al %(b)s.", **values),
          _how(participant))


def reminder(participant: Participant, drafts: int) -> None:
    values = _dates(participant)
    if drafts:
        detail = ngettext("La vostra organizzazione ha %(num)s commento scritto ma non ancora inviato: inviatelo entro la chiusura, "
                          "altrimenti l'associazione non lo riceve.",
                          "La vostra organizzazione ha %(num)s commenti scritti ma non ancora inviati: inviateli entro la chiusura, "
                          "altrimenti l'associazione non li riceve.", drafts)
    else:
        detail = _("Non avete ancora inviato commenti.")
    _send(participant, _("Promemoria: la consultazione sulla bozza %(code)s chiude il %(b)s", **values),
          _("La consultazione sulla bozza dell'edizione %(code)s del Bollino Blu chiude il %(b)s.", **values), detail)


def extended(participant: Participant) -> None:
    values = _dates(participant)
    _send(participant, _("Consultazione sulla bozza %(code)s: nuova data di chiusura", **values),
          _("La consultazione sulla bozza dell'edizione %(code)s del Bollino Blu resta aperta fino al %(b)s.", **values))


def receipt(participation, comments) -> None:
    """To the person who sent them (the outside party's contact, for a link)."""
    participant = participation.participant
    values = _dates(participant)
    numbers = ", ".join(str(c.number) for c in sorted(comments, key=lambda c: c.number))
    email = participation.user.email if participation.user is not None else participant.email
    queue_mail(email, _("Commenti ricevuti: consultazione sulla bozza %(code)s", **values), TEMPLATE, name=participation.name,
               text=ngettext("L'associazione ha ricevuto %(num)s commento di %(o)s, con il numero %(numbers)s.",
                             "L'associazione ha ricevuto %(num)s commenti di %(o)s, con i numeri %(numbers)s.", len(comments),
                             numbers=numbers, **values),
               detail=_("Dopo la chiusura del %(b)s ciascuno riceverà una risposta, pubblicata nel rapporto.", **values),
               url=absolute_url("certification.consultation", consultation_id=participant.consultation_id))


def report_out(participant: Participant) -> None:
    values = _dates(participant)
    consultation = participant.consultation
    _send(participant, _("Pubblicato il rapporto della consultazione sulla bozza %(code)s", **values),
          _("Il rapporto della consultazione sulla bozza dell'edizione %(code)s del Bollino Blu è pubblicato: ogni commento con "
            "la sua risposta e le modifiche che i commenti hanno portato alla bozza. Grazie per avere partecipato.", **values),
          url=absolute_url("certification.consultation_report", consultation_id=consultation.id))
