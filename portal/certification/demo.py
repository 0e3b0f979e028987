"""Demo data: the 2026 edition, applications in every state, a two-auditor disagreement,
certificates active, suspended, withdrawn, expired (and one expiring within 90 days).

Built directly on the models with back-dated timelines (the services would stamp today and
send e-mails); the rules are the same ones the services apply.
"""

from datetime import date, datetime, timedelta
from io import BytesIO

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.certification import evaluation
from portal.certification.certificates import expiry_for
from portal.certification.edition_2026 import ensure_starting_edition
from portal.certification.models import (
    Answer,
    Application,
    AppState,
    Assignment,
    AssignmentStatus,
    Certificate,
    CertificateEvent,
    CertStatus,
    ChangeRequest,
    Decision,
    Edition,
    Evidence,
    EvidenceLink,
    IdentityChange,
    IdentityChangeKind,
    Outcome,
    ParameterKind,
    ReviewStatus,
    Score,
    StateEvent,
    StatusCause,
    Submission,
    SurveillanceReview,
)
from portal.database import utcnow
from portal.demo import seeder
from portal.extensions import db
from portal.members.demo import demo_partita_iva
from portal.members.models import Company, User
from portal.uploads import EVIDENCE_KINDS, store_upload

# A one-page PDF, small but valid, standing in for a DURC, a DVR, a payroll extract.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Documento dimostrativo) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"xref\n0 6\n0000000000 65535 f \ntrailer<</Size 6/Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)

# Declared figures of a good and of a weaker company (number parameters).
STRONG = {"A6": "86", "B1": "52", "B2": "80", "B3": "9", "B4": "5.5", "C1": "84", "C2": "95", "C3": "3.2", "C4": "81",
          "C5": "88", "C6": "97", "D2": "41", "F1": "100", "F2": "1"}
WEAK = {"A6": "58", "B1": "31", "B2": "40", "B3": "24", "B4": "9.8", "C1": "71", "C2": "182", "C3": "7.5", "C4": "66",
        "C5": "79", "C6": "88", "D2": "18", "F1": "74", "F2": "0"}

NOW = utcnow()


def _days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def _company(n: int) -> Company | None:
    return db.session.scalar(select(Company).where(Company.partita_iva == demo_partita_iva(n)))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def answer_value(parameter, figures: dict) -> str:
    if parameter.kind == ParameterKind.NUMBER:
        return figures.get(parameter.code, str(parameter.target))
    if parameter.kind == ParameterKind.YES_NO:
        return "yes"
    if parameter.kind == ParameterKind.CHOICE:
        return parameter.choices[0]
    return "Procedura descritta nel manuale qualità, aggiornata ogni anno; controlli mensili a campione."


def _evidence(company: Company, title: str, uploader: User | None, expires_on: date | None = None) -> Evidence:
    stored = store_upload(FileStorage(BytesIO(DEMO_PDF), filename=f"{title}.pdf"), EVIDENCE_KINDS, uploader)
    evidence = Evidence(company_id=company.id, stored_file_id=stored.id, title=title, expires_on=expires_on)
    db.session.add(evidence)
    db.session.flush()
    return evidence


def _fill(application: Application, figures: dict, uploader: User | None) -> None:
    """Answers to every parameter and one document per parameter that requires evidence."""
    for parameter in application.edition.parameters:
        application.answers.append(Answer(parameter=parameter, value=answer_value(parameter, figures),
                                          updated_by_id=getattr(uploader, "id", None)))
        if parameter.evidence_required:
            expires = date.today() + timedelta(days=120) if parameter.code == "A3" else None
            evidence = _evidence(application.company, f"{parameter.code} documento", uploader, expires)
            db.session.add(EvidenceLink(application_id=application.id, parameter_id=parameter.id, evidence_id=evidence.id))


def _timeline(application: Application, steps: list[tuple[AppState, int, str]], actor: User | None) -> None:
    previous = ""
    for state, days, note in steps:
        db.session.add(StateEvent(application=application, from_state=previous, to_state=state.value, at=_days_ago(days),
                                  actor_id=getattr(actor, "id", None), note=note))
        previous = state.value
    application.state = steps[-1][0]
    application.state_changed_at = _days_ago(steps[-1][1])


def _application(company: Company, site_names: list[str], edition: Edition, figures: dict,
                 steps: list[tuple[AppState, int, str]]) -> Application:
    applicant = _user(f"admin@{company.ragione_sociale.split()[0].lower()}.demo")
    sites = [s for s in company.sites if s.name in site_names]
    application = Application(company=company, edition=edition, sites=sites, opened_by_id=getattr(applicant, "id", None),
                              created_at=_days_ago(steps[0][1]))
    db.session.add(application)
    db.session.flush()
    _fill(application, figures, applicant)
    _timeline(application, steps, applicant)
    if len(steps) > 1:
        application.submitted_at = _days_ago(steps[1][1])
        db.session.add(Submission(application_id=application.id, round=1, submitted_at=application.submitted_at,
                                  submitted_by_id=getattr(applicant, "id", None),
                                  answers={a.parameter.code: a.value for a in application.answers}))
    return application


def _assign(application: Application, email: str, days: int, scores: dict[str, int] | None,
            recommendation: Outcome | None = None, summary: str = "") -> Assignment:
    """An auditor who declared no conflict and scored every parameter (default 3 unless `scores` says otherwise)."""
    assignment = Assignment(application=application, auditor=_user(email), assigned_by_id=getattr(_user("staff@assocontact.demo"), "id", None),
                            assigned_at=_days_ago(days), status=AssignmentStatus.DECLARED, declared_at=_days_ago(days - 1),
                            declaration="Nessun conflitto di interesse (demo).")
    db.session.add(assignment)
    for parameter in application.edition.parameters:
        value = None if scores is None else scores.get(parameter.code, 3)
        db.session.add(Score(assignment=assignment, parameter_id=parameter.id, round=application.round, score=value,
                             comment="" if value is None else "Verificato sulle prove allegate."))
    if recommendation is not None:
        assignment.recommendation, assignment.summary = recommendation, summary
        assignment.recommended_at, assignment.recommended_round = _days_ago(days - 5), application.round
    return assignment


def _certificate(application: Application, number: str, issued_on: date, distinction: bool, status: CertStatus,
                 reason: str = "", cause: StatusCause | None = None) -> Certificate:
    staff = _user("staff2@assocontact.demo")
    db.session.flush()
    total = evaluation.combined_result(application).total
    db.session.add(Decision(application=application, decided_by_id=getattr(staff, "id", None), outcome=Outcome.DISTINCTION if distinction else Outcome.GRANT,
                            total=total, reason="Tutti i parametri obbligatori superati; punteggio sopra la soglia.",
                            decided_at=datetime.combine(issued_on, datetime.min.time())))
    certificate = Certificate(number=number, application_id=application.id, company_id=application.company_id,
                              edition_id=application.edition_id, distinction=distinction, total=total, issued_on=issued_on,
                              expires_on=expiry_for(issued_on), status=CertStatus.ACTIVE, sites=list(application.sites),
                              company_name=application.company.ragione_sociale, partita_iva=application.company.partita_iva)
    db.session.add(certificate)
    db.session.add(CertificateEvent(certificate=certificate, to_status=CertStatus.ACTIVE.value, reason="Certificato rilasciato",
                                    at=datetime.combine(issued_on, datetime.min.time()), actor_id=getattr(staff, "id", None)))
    if status != CertStatus.ACTIVE:
        certificate.status, certificate.status_reason, certificate.status_cause = status, reason, cause
        db.session.add(CertificateEvent(certificate=certificate, from_status=CertStatus.ACTIVE.value, to_status=status.value,
                                        reason=reason, cause=cause, actor_id=getattr(staff, "id", None)))
    return certificate


def _granted(company, sites, edition, number, issued_on, distinction, status=CertStatus.ACTIVE, reason="", cause=None) -> Certificate:
    days = (date.today() - issued_on).days + 60
    application = _application(company, sites, edition, STRONG, [
        (AppState.DRAFT, days, ""), (AppState.SUBMITTED, days - 10, ""), (AppState.UNDER_REVIEW, days - 12, ""),
        (AppState.AWAITING_DECISION, days - 40, ""), (AppState.GRANTED, days - 60, "Concedere il Bollino Blu")])
    high = {p.code: 4 for p in edition.parameters} if distinction else None
    _assign(application, "valutatore1@assocontact.demo", days - 12, high or {}, Outcome.DISTINCTION if distinction else Outcome.GRANT,
            "Azienda solida, prove complete.")
    return _certificate(application, number, issued_on, distinction, status, reason, cause)


@seeder(20)
def seed_certification() -> list[str]:
    edition = ensure_starting_edition()
    if db.session.scalar(select(Certificate.id).where(Certificate.number == "BB-2025-0001")):
        return ["Bollino Blu: dati demo già presenti."]
    companies = {n: _company(n) for n in range(11)}
    if any(companies[n] is None for n in range(10)):
        return ["Bollino Blu: aziende demo non trovate, nessun dato creato."]

    # Certificates: active with distinction, suspended, withdrawn, expired, active expiring within 90 days.
    _granted(companies[0], ["Roma Tiburtina", "Cosenza"], edition, "BB-2025-0001", date(2025, 3, 10), True)
    suspended = _granted(companies[3], ["Palermo", "Catania"], edition, "BB-2024-0002", date(2024, 5, 20), False,
                         CertStatus.SUSPENDED, "Sorveglianza annuale: C1, B3 e C6 peggiorati, indicatori chiave sotto la soglia.",
                         StatusCause.SCORE_BELOW)
    db.session.add(SurveillanceReview(
        certificate=suspended, auditor=_user("valutatore3@assocontact.demo"), due_on=date(2026, 6, 30), status=ReviewStatus.FAILED,
        opened_by_id=getattr(_user("staff@assocontact.demo"), "id", None), closed_at=_days_ago(140),
        summary="Livello di servizio e turnover peggiorati; reclami chiusi in ritardo.",
        items={p.code: {"figure": WEAK.get(p.code, "sì"), "score": 2 if p.code in ("C1", "B3", "C6") else 3, "comment": ""}
               for p in edition.parameters if p.key_figure},
    ))
    _granted(companies[8], ["Bologna"], edition, "BB-2024-0003", date(2024, 2, 12), False, CertStatus.WITHDRAWN,
             "Adesione sospesa dal consiglio direttivo per quote non versate.", StatusCause.MEMBERSHIP)
    _granted(companies[6], ["Pescara"], edition, "BB-2023-0001", date(2023, 1, 16), False, CertStatus.EXPIRED, "Scaduto il 15/01/2026")
    _granted(companies[7], ["Cagliari"], edition, "BB-2024-0001", date.today() - timedelta(days=3 * 365 - 50), False)
    # A certified company renamed itself after a merger: the register keeps the certified name until staff approve.
    sardi = companies[7]
    db.session.add(IdentityChange(company_id=sardi.id, kind=IdentityChangeKind.COMPANY, requested_at=_days_ago(2),
                                  requested_by_id=getattr(_user("admin@servizi.demo"), "id", None),
                                  changes={"ragione_sociale": [sardi.ragione_sociale, "Servizi Clienti Sardegna S.p.A."]}))

    # Applications in every other state.
    _application(companies[0], ["Tirana"], edition, STRONG, [(AppState.DRAFT, 3, "")])
    _application(companies[5], ["Bari"], edition, STRONG, [(AppState.DRAFT, 20, ""), (AppState.SUBMITTED, 6, "")])
    review = _application(companies[1], ["Napoli Centro Direzionale", "Taranto"], edition, STRONG,
                          [(AppState.DRAFT, 40, ""), (AppState.SUBMITTED, 30, ""), (AppState.UNDER_REVIEW, 25, "")])
    _assign(review, "valutatore1@assocontact.demo", 25, {"A1": 4, "A2": 3, "A3": 4})
    second = _assign(review, "valutatore2@assocontact.demo", 24, None)
    second.status, second.declared_at = AssignmentStatus.PENDING, None
    for score in list(second.scores):
        second.scores.remove(score)
    changes = _application(companies[4], ["Torino Lingotto"], edition, WEAK,
                           [(AppState.DRAFT, 50, ""), (AppState.SUBMITTED, 45, ""), (AppState.UNDER_REVIEW, 40, ""),
                            (AppState.CHANGES_REQUESTED, 12, "2 domande del valutatore")])
    _assign(changes, "valutatore2@assocontact.demo", 40, {"C2": 1, "B3": 1})
    db.session.flush()
    by_code = {p.code: p for p in edition.parameters}
    for code, question in [("C2", "Il tempo medio di risposta dichiarato (182 s) è sopra l'obiettivo: allegate i report mensili del centralino."),
                           ("B3", "Spiegate le cause del turnover al 24% e le misure prese.")]:
        db.session.add(ChangeRequest(application_id=changes.id, parameter_id=by_code[code].id, round=1, question=question,
                                     auditor_id=getattr(_user("valutatore2@assocontact.demo"), "id", None), asked_at=_days_ago(12)))
    disagreement = _application(companies[2], ["Milano Bicocca"], edition, STRONG,
                                [(AppState.DRAFT, 60, ""), (AppState.SUBMITTED, 50, ""), (AppState.UNDER_REVIEW, 45, ""),
                                 (AppState.AWAITING_DECISION, 5, "")])
    _assign(disagreement, "valutatore1@assocontact.demo", 45, {p.code: 4 for p in edition.parameters},
            Outcome.DISTINCTION, "Eccellente su qualità e canali digitali.")
    _assign(disagreement, "valutatore3@assocontact.demo", 44, {"A2": 2, "C1": 1, "C2": 2, "C4": 2, "D3": 1, "F1": 2},
            Outcome.REFUSE, "Le tariffe di due commesse sembrano sotto le tabelle: A2 non superato.")
    refused = _application(companies[9], ["Firenze Novoli"], edition, WEAK,
                           [(AppState.DRAFT, 120, ""), (AppState.SUBMITTED, 110, ""), (AppState.UNDER_REVIEW, 100, ""),
                            (AppState.AWAITING_DECISION, 70, ""), (AppState.REFUSED, 60, "Negare il Bollino Blu")])
    _assign(refused, "valutatore2@assocontact.demo", 100, {"A1": 2, "C1": 1, "C2": 1, "B3": 1}, Outcome.REFUSE,
            "CCNL non applicato a tutti gli operatori.")
    db.session.flush()
    db.session.add(Decision(application=refused, decided_by_id=getattr(_user("staff2@assocontact.demo"), "id", None), outcome=Outcome.REFUSE,
                            total=evaluation.combined_result(refused).total, reason="Parametro obbligatorio A1 non superato.",
                            decided_at=_days_ago(60)))
    return ["Bollino Blu: edizione 2026 (dimostrativa), 11 domande in tutti gli stati, 5 certificati "
            "(attivo, con distinzione, sospeso, revocato, scaduto, in scadenza)."]
