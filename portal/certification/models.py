"""Bollino Blu: scheme editions, applications, audits, decisions, certificates, surveillance.

Permissions are asked of the objects (`application.can_view_answers(user)`, ...), so views,
templates and tests ask the same question the same way.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import TimestampMixin, utcnow
from portal.extensions import db
from portal.members.models import Company, Site, User, enum_column

if TYPE_CHECKING:
    from portal.certification.consultation.models import Consultation


class EditionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class ParameterKind(StrEnum):
    YES_NO = "yes_no"
    NUMBER = "number"
    CHOICE = "choice"
    TEXT = "text"


class Channel(StrEnum):
    """The contact channel a service figure measures (values as in `Site.channels`)."""

    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    SOCIAL = "social"
    WEB = "web"  # web self-service


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class AppState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CHANGES_REQUESTED = "changes_requested"
    AWAITING_DECISION = "awaiting_decision"
    GRANTED = "granted"
    REFUSED = "refused"


COMPANY_EDITABLE = frozenset({AppState.DRAFT, AppState.CHANGES_REQUESTED})
CLOSED_STATES = frozenset({AppState.GRANTED, AppState.REFUSED})


class AssignmentStatus(StrEnum):
    PENDING = "pending"  # assigned, no declaration yet
    DECLARED = "declared"  # no conflict of interest declared
    DECLINED = "declined"


class Outcome(StrEnum):
    GRANT = "grant"
    DISTINCTION = "distinction"
    REFUSE = "refuse"


class CertStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class StatusCause(StrEnum):
    """Why a certificate changed status, in categories the public statement can name."""

    MANDATORY_FAILED = "mandatory_failed"  # a mandatory parameter below the pass mark at surveillance
    SCORE_BELOW = "score_below"  # the key figures' score below the grant threshold at surveillance
    NONCONFORMITY_OVERDUE = "nc_overdue"  # a major non-conformity not corrected by its due date
    SURVEILLANCE_MISSED = "surveillance_missed"  # no surveillance by its due date
    REQUIREMENTS = "requirements"  # other doubts on the scheme's requirements
    COMPANY_REQUEST = "company_request"
    MEMBERSHIP = "membership"  # no longer a member of the association
    RESOLVED = "resolved"  # reinstatement: the causes of the suspension were resolved
    RENEWED = "renewed"  # replaced by the certificate of its renewal


class ReviewStatus(StrEnum):
    OPEN = "open"
    PASSED = "passed"
    FAILED = "failed"


# --- scheme ------------------------------------------------------------------------------

class Edition(TimestampMixin, db.Model):
    __tablename__ = "cert_edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[EditionStatus] = mapped_column(enum_column(EditionStatus), default=EditionStatus.DRAFT, index=True)
    illustrative: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    scale_max: Mapped[int] = mapped_column(default=4)
    grant_threshold: Mapped[int] = mapped_column(default=70)
    distinction_threshold: Mapped[int] = mapped_column(default=85)
    mandatory_min_score: Mapped[int] = mapped_column(default=3)
    published_at: Mapped[datetime | None]
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("cert_edition.id"))
    # Why staff published it without a consultation (the starting scheme, an urgent correction).
    consultation_waiver: Mapped[str] = mapped_column(Text, default="")

    areas: Mapped[list["Area"]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="Area.position"
    )
    consultation: Mapped["Consultation | None"] = relationship(back_populates="edition", uselist=False)

    def __str__(self) -> str:
        return f"Bollino Blu {self.code}"

    @property
    def is_frozen(self) -> bool:
        return self.status == EditionStatus.PUBLISHED

    DRAFT_SUFFIX = "-bozza"  # a copied draft's code until staff give it its own

    @property
    def has_provisional_code(self) -> bool:
        return self.code.endswith(self.DRAFT_SUFFIX)

    @property
    def parameters(self) -> list["Parameter"]:
        return [p for area in self.areas for p in area.parameters]


class Area(db.Model):
    __tablename__ = "cert_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("cert_edition.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    edition: Mapped[Edition] = relationship(back_populates="areas")
    parameters: Mapped[list["Parameter"]] = relationship(
        back_populates="area", cascade="all, delete-orphan", order_by="Parameter.position"
    )

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Parameter(db.Model):
    __tablename__ = "cert_parameter"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("cert_area.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(Text)
    help: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ParameterKind] = mapped_column(enum_column(ParameterKind))
    unit: Mapped[str] = mapped_column(String(20), default="")
    target: Mapped[Decimal | None]
    direction: Mapped[Direction | None] = mapped_column(enum_column(Direction))
    choices: Mapped[list] = mapped_column(default=list)
    evidence_required: Mapped[bool] = mapped_column(default=False)
    weight: Mapped[int] = mapped_column(default=1)
    mandatory: Mapped[bool] = mapped_column(default=False)
    key_figure: Mapped[bool] = mapped_column(default=False)  # checked again at yearly surveillance
    linked_check: Mapped[str] = mapped_column(String(20), default="")  # "tariffs" or "reshoring"
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel))  # a figure of one contact channel only
    position: Mapped[int] = mapped_column(default=0)
    # The parameter of the previous edition this one was copied from: how editions are compared.
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("cert_parameter.id", ondelete="SET NULL"), index=True)

    area: Mapped[Area] = relationship(back_populates="parameters")

    def __str__(self) -> str:
        return f"{self.code} {self.question[:80]}"


# --- applications ------------------------------------------------------------------------

application_site = Table(
    "cert_application_site",
    db.Model.metadata,
    Column("application_id", ForeignKey("cert_application.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Application(TimestampMixin, db.Model):
    __tablename__ = "cert_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("cert_edition.id"), index=True)
    state: Mapped[AppState] = mapped_column(enum_column(AppState, 24), default=AppState.DRAFT, index=True)
    round: Mapped[int] = mapped_column(default=1)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("cert_certificate.id", use_alter=True, ondelete="SET NULL"))
    scope_channels: Mapped[list] = mapped_column(default=list)  # the contact channels its sites served when last submitted
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    company: Mapped[Company] = relationship()
    edition: Mapped[Edition] = relationship()
    opened_by: Mapped[User | None] = relationship()
    sites: Mapped[list[Site]] = relationship(secondary=application_site, order_by="Site.id")
    answers: Mapped[list["Answer"]] = relationship(back_populates="application", cascade="all, delete-orphan")
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    events: Mapped[list["StateEvent"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="StateEvent.id"
    )
    decision: Mapped["Decision | None"] = relationship(back_populates="application", cascade="all, delete-orphan")
    renewal_of: Mapped["Certificate | None"] = relationship(foreign_keys=[renewal_of_id])

    def __str__(self) -> str:
        return f"Domanda Bollino Blu n. {self.id} ({self.company.ragione_sociale})"

    @property
    def is_editable(self) -> bool:
        return self.state in COMPANY_EDITABLE

    @property
    def channels(self) -> list[str]:
        """The contact channels in scope: those its sites serve, as they were when it was last
        submitted (a site's channels edited later do not change an evaluation under way)."""
        if self.is_editable or not self.scope_channels:
            return sorted({c for site in self.sites for c in site.channels})
        return self.scope_channels

    def applies(self, parameter: "Parameter", channels: list[str] | None = None) -> bool:
        """A figure of one contact channel counts only if a site in scope serves that channel."""
        return parameter.channel is None or parameter.channel in (self.channels if channels is None else channels)

    @property
    def parameters(self) -> list["Parameter"]:
        """The edition's parameters that apply to this application."""
        channels = self.channels
        return [p for p in self.edition.parameters if self.applies(p, channels)]

    def active_assignments(self) -> list["Assignment"]:
        return [a for a in self.assignments if a.status != AssignmentStatus.DECLINED]

    def assignment_of(self, user) -> "Assignment | None":
        found = [a for a in self.assignments if a.auditor_id == getattr(user, "id", None)]
        return found[-1] if found else None

    def is_company_user(self, user) -> bool:
        return user.is_authenticated and user.is_company_user and user.company_id == self.company_id

    def can_view(self, user) -> bool:
        """The overview (company, sites, state): staff, the company, an assigned auditor who has
        not declared a conflict of interest."""
        if not user.is_authenticated:
            return False
        assignment = self.assignment_of(user)
        declined = assignment is None or assignment.status == AssignmentStatus.DECLINED
        return user.is_staff or self.is_company_user(user) or not declined

    def can_view_answers(self, user) -> bool:
        """Answers and evidence: an auditor only after declaring no conflict of interest."""
        if not user.is_authenticated:
            return False
        if self.is_company_user(user):
            return True
        assignment = self.assignment_of(user)
        if assignment is not None:
            return assignment.status == AssignmentStatus.DECLARED
        return user.is_staff

    def can_edit(self, user) -> bool:
        return self.is_company_user(user) and self.is_editable

    def was_audited_by(self, user) -> bool:
        """Assigned as auditor at all: one who declined (perhaps for a conflict of interest) is not impartial either."""
        return any(a.auditor_id == user.id for a in self.assignments)

    def can_decide(self, user) -> bool:
        """A staff member not involved in the evaluation (ISO/IEC 17065 impartiality)."""
        return (
            user.is_authenticated and user.is_staff and not self.was_audited_by(user)
            and self.state == AppState.AWAITING_DECISION
        )


class Answer(db.Model):
    __tablename__ = "cert_answer"
    __table_args__ = (UniqueConstraint("application_id", "parameter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id", ondelete="CASCADE"), index=True)
    parameter_id: Mapped[int] = mapped_column(ForeignKey("cert_parameter.id"), index=True)
    value: Mapped[str] = mapped_column(Text, default="")  # "yes"/"no", a number as text, a choice, a text
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[Application] = relationship(back_populates="answers")
    parameter: Mapped[Parameter] = relationship()

    @property
    def number(self) -> Decimal | None:
        try:
            return Decimal(self.value) if self.value else None
        except ArithmeticError:
            return None


class Submission(db.Model):
    """What the company sent at each round: kept so that both rounds stay readable."""

    __tablename__ = "cert_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    answers: Mapped[dict] = mapped_column(default=dict)  # parameter code -> value

    submitted_by: Mapped[User | None] = relationship()


class Evidence(db.Model):
    """A file the company holds as evidence; reusable in its later applications until it expires."""

    __tablename__ = "cert_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    expires_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    stored_file = relationship("StoredFile")

    def __str__(self) -> str:
        return self.title

    def is_valid(self, on: date | None = None) -> bool:
        return self.expires_on is None or self.expires_on >= (on or date.today())


class EvidenceLink(db.Model):
    __tablename__ = "cert_evidence_link"
    __table_args__ = (UniqueConstraint("application_id", "parameter_id", "evidence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id", ondelete="CASCADE"), index=True)
    parameter_id: Mapped[int] = mapped_column(ForeignKey("cert_parameter.id"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("cert_evidence.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    evidence: Mapped[Evidence] = relationship()
    parameter: Mapped[Parameter] = relationship()


class StateEvent(db.Model):
    """The application's timeline, shown to the company."""

    __tablename__ = "cert_state_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_state: Mapped[str] = mapped_column(String(24), default="")
    to_state: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


# --- audit -------------------------------------------------------------------------------

class Assignment(db.Model):
    __tablename__ = "cert_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id", ondelete="CASCADE"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus), default=AssignmentStatus.PENDING, index=True
    )
    declared_at: Mapped[datetime | None]
    declaration: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    summary: Mapped[str] = mapped_column(Text, default="")
    recommended_at: Mapped[datetime | None]
    recommended_round: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[Application] = relationship(back_populates="assignments")
    auditor: Mapped[User] = relationship(foreign_keys=[auditor_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    scores: Mapped[list["Score"]] = relationship(back_populates="assignment", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"Incarico di {self.auditor.name} sulla domanda n. {self.application_id}"

    def can_view(self, user) -> bool:
        """Only the assigned auditor reaches their assignment (staff included: it is theirs or nobody's)."""
        return user.is_authenticated and self.auditor_id == user.id

    def can_score(self, user) -> bool:
        return (
            user.is_authenticated and self.auditor_id == user.id
            and self.status == AssignmentStatus.DECLARED
            and self.application.state == AppState.UNDER_REVIEW
            and self.recommended_round != self.application.round
        )

    def scores_for_round(self, round_: int) -> dict[int, "Score"]:
        return {s.parameter_id: s for s in self.scores if s.round == round_}


class Score(db.Model):
    __tablename__ = "cert_score"
    __table_args__ = (UniqueConstraint("assignment_id", "parameter_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("cert_assignment.id", ondelete="CASCADE"), index=True)
    parameter_id: Mapped[int] = mapped_column(ForeignKey("cert_parameter.id"), index=True)
    round: Mapped[int]
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    assignment: Mapped[Assignment] = relationship(back_populates="scores")
    parameter: Mapped[Parameter] = relationship()


class ChangeRequest(db.Model):
    """An auditor's question on one parameter, and the company's answer, per round."""

    __tablename__ = "cert_change_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id", ondelete="CASCADE"), index=True)
    parameter_id: Mapped[int] = mapped_column(ForeignKey("cert_parameter.id"), index=True)
    auditor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    round: Mapped[int]
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    response: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None]

    parameter: Mapped[Parameter] = relationship()
    auditor: Mapped[User | None] = relationship()


class Decision(db.Model):
    __tablename__ = "cert_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id", ondelete="CASCADE"), unique=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    total: Mapped[Decimal | None]
    reason: Mapped[str] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="decision")
    decided_by: Mapped[User | None] = relationship()


# --- certificates ------------------------------------------------------------------------

certificate_site = Table(
    "cert_certificate_site",
    db.Model.metadata,
    Column("certificate_id", ForeignKey("cert_certificate.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Certificate(TimestampMixin, db.Model):
    __tablename__ = "cert_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id"), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("cert_edition.id"))
    distinction: Mapped[bool] = mapped_column(default=False)
    total: Mapped[Decimal | None]
    issued_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[CertStatus] = mapped_column(enum_column(CertStatus), default=CertStatus.ACTIVE, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")  # internal: staff only
    status_cause: Mapped[StatusCause | None] = mapped_column(enum_column(StatusCause, 30))
    public_statement: Mapped[str] = mapped_column(Text, default="")  # what the register says of the status
    # The identity as certified: the register shows these, never a name the company typed later
    # and staff have not approved (see identity.py).
    company_name: Mapped[str] = mapped_column(String(200), default="")
    partita_iva: Mapped[str] = mapped_column(String(11), default="")

    application: Mapped[Application] = relationship(foreign_keys=[application_id])
    company: Mapped[Company] = relationship()
    edition: Mapped[Edition] = relationship()
    sites: Mapped[list[Site]] = relationship(secondary=certificate_site, order_by="Site.id")
    events: Mapped[list["CertificateEvent"]] = relationship(
        back_populates="certificate", cascade="all, delete-orphan", order_by="CertificateEvent.id"
    )
    reviews: Mapped[list["SurveillanceReview"]] = relationship(
        back_populates="certificate", cascade="all, delete-orphan", order_by="SurveillanceReview.id"
    )

    def __str__(self) -> str:
        return f"Certificato {self.number}"

    def status_on(self, on: date | None = None) -> CertStatus:
        """The status as the public must see it: past its term it is expired, job or no job."""
        if self.status == CertStatus.ACTIVE and self.expires_on < (on or date.today()):
            return CertStatus.EXPIRED
        return self.status

    @property
    def current_status(self) -> CertStatus:
        return self.status_on()

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or (user.is_company_user and user.company_id == self.company_id))


class CertificateEvent(db.Model):
    __tablename__ = "cert_certificate_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("cert_certificate.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")  # internal: staff only
    cause: Mapped[StatusCause | None] = mapped_column(enum_column(StatusCause, 30))
    public_statement: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    certificate: Mapped[Certificate] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class SurveillanceReview(db.Model):
    """The yearly check of a certificate's key figures, scored by one auditor."""

    __tablename__ = "cert_surveillance"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("cert_certificate.id", ondelete="CASCADE"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date]
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus), default=ReviewStatus.OPEN, index=True)
    items: Mapped[dict] = mapped_column(default=dict)  # parameter code -> {"figure", "score", "comment"}
    summary: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    certificate: Mapped[Certificate] = relationship(back_populates="reviews")
    auditor: Mapped[User] = relationship(foreign_keys=[auditor_id])

    def __str__(self) -> str:
        return f"Sorveglianza {self.certificate.number} del {self.due_on:%d/%m/%Y}"

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or user.id == self.auditor_id)

    def can_edit(self, user) -> bool:
        """Only its auditor writes a review (staff read it)."""
        return user.is_authenticated and user.id == self.auditor_id

    def can_score(self, user) -> bool:
        return user.is_authenticated and user.id == self.auditor_id and self.status == ReviewStatus.OPEN


# --- identity of certified companies -------------------------------------------------------

class IdentityChangeKind(StrEnum):
    COMPANY = "company"  # ragione sociale, Partita IVA
    SITE = "site"  # a certified site's name or address
    SITE_REMOVAL = "site_removal"  # a certified site the company deleted


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class IdentityChange(db.Model):
    """A change a certified company made to what its certificates state, held until staff approve it."""

    __tablename__ = "cert_identity_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"), index=True)
    kind: Mapped[IdentityChangeKind] = mapped_column(enum_column(IdentityChangeKind))
    changes: Mapped[dict] = mapped_column(default=dict)  # field -> [certified value, requested value]
    status: Mapped[ChangeStatus] = mapped_column(enum_column(ChangeStatus), default=ChangeStatus.PENDING, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")

    company: Mapped[Company] = relationship()
    site: Mapped[Site | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __str__(self) -> str:
        return f"Modifica dei dati certificati di {self.company.ragione_sociale}"
