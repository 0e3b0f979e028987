"""Helpers for the consultation tests: a consulted draft, people taking part, time passing."""

from datetime import date, timedelta

from portal.certification import scheme
from portal.certification.consultation import services
from portal.certification.consultation.access import Participation
from portal.certification.consultation.models import Consultation
from portal.extensions import db

RULES_2027 = {"code": "2027", "title": "Bollino Blu 2027", "notes": "", "illustrative": True, "scale_max": 4,
              "grant_threshold": 70, "distinction_threshold": 85, "mandatory_min_score": 3}


def settings(opens_on: date | None = None, days: int = 30, visible: bool = False, reminder_days: int = 5, introduction: str = "") -> dict:
    opens_on = opens_on or date.today()
    return {"opens_on": opens_on, "closes_on": opens_on + timedelta(days=days), "reminder_days": reminder_days,
            "comments_visible": visible, "introduction": introduction}


def prepared(world, **kwargs) -> Consultation:
    """A draft 2027 copied from 2026, with a consultation being prepared."""
    draft = scheme.copy_edition(world.edition, world.staff)
    scheme.update_rules(draft, RULES_2027, world.staff)
    return services.create(draft, settings(**kwargs), world.staff)


def launched(world, companies=None, **kwargs) -> Consultation:
    """Launched, open today unless `opens_on` says otherwise; companies invited (default: both of the world)."""
    consultation = prepared(world, **kwargs)
    services.invite_companies(consultation, [c.id for c in (companies or (world.company, world.other_company))], world.staff)
    services.launch(consultation, world.staff)
    return consultation


def as_participant(consultation: Consultation, user) -> Participation:
    participant = next(p for p in consultation.participants if p.includes(user))
    return Participation(participant, user, user.name)


def comment(consultation: Consultation, participation: Participation, target: str = "edition", **values):
    data = {"target": target, "comment_type": "te", "stance": "change", "text": "Da rivedere.", "proposal": "",
            "proposed_weight": None, "proposed_target": None} | values
    return services.save_comment(consultation, participation, None, data)


def parameter_target(consultation: Consultation, code: str) -> str:
    return f"parameter-{next(p.id for p in consultation.edition.parameters if p.code == code)}"


def close(consultation: Consultation) -> None:
    """Time passes: the period ended yesterday."""
    consultation.opens_on, consultation.closes_on = date.today() - timedelta(days=31), date.today() - timedelta(days=1)
    db.session.commit()
