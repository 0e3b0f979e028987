"""A consultation of the sector on a draft edition: its period, the invited parties, their
comments on each parameter (or area, or the edition as a whole), the answers staff give after it
closes, and the changes to the draft that those comments caused.

Who may do what is asked of the objects, as in the rest of the module; a participant is a
`Participant` (an organisation) reached through a company user, a consultation account or a
personal link (see `access.py`).
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.access import Role
from portal.certification.models import Area, Edition, Parameter
from portal.database import TimestampMixin, utcnow
from portal.extensions import db
from portal.members.models import Company, User, enum_column


class ConsultationState(StrEnum):
    PREPARING = "preparing"  # dates and invitations being set; nothing sent
    LAUNCHED = "launched"  # invitations sent; announced, open or closed by its dates
    REPORTED = "reported"  # every comment answered, report published


class Phase(StrEnum):
    """Where a consultation stands on a given day (from its state and its dates)."""

    PREPARING = "preparing"
    ANNOUNCED = "announced"
    OPEN = "open"
    CLOSED = "closed"
    REPORTED = "reported"


class PartyKind(StrEnum):
    MEMBER = "member"  # a member company of the association
    CLIENT = "client"  # client / committente
    UNION = "union"
    ASSOCIATION = "association"
    PUBLIC_BODY = "public_body"
    OTHER = "other"


class Access(StrEnum):
    COMPANY = "company"  # the member company's users sign in with their accounts
    ACCOUNT = "account"  # an outside person with a consultation account
    LINK = "link"  # an outside person with a personal link to this consultation only


class CommentType(StrEnum):
    GENERAL = "ge"
    TECHNICAL = "te"
    EDITORIAL = "ed"


class Stance(StrEnum):
    AGREE = "agree"
    CHANGE = "change"  # asks for a change
    PROPOSE = "propose"  # proposes a new wording, weight or target


class CommentStatus(StrEnum):
    DRAFT = "draft"  # seen by its organisation only
    SENT = "sent"


class Disposition(StrEnum):
    ACCEPTED = "accepted"
    PARTLY = "partly"
    REJECTED = "rejected"
    NOTED = "noted"  # for a later edition


class Consultation(TimestampMixin, db.Model):
    __tablename__ = "cert_consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("cert_edition.id", ondelete="CASCADE"), unique=True)
    introduction: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date] = mapped_column(index=True)
    reminder_days: Mapped[int] = mapped_column(default=5)
    comments_visible: Mapped[bool] = mapped_column(default=False)  # participants see other parties' sent comments
    state: Mapped[ConsultationState] = mapped_column(enum_column(ConsultationState), default=ConsultationState.PREPARING, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    launched_at: Mapped[datetime | None]
    opening_sent_at: Mapped[datetime | None]
    reminder_sent_at: Mapped[datetime | None]
    report_published_at: Mapped[datetime | None]
    conclusions: Mapped[str] = mapped_column(Text, default="")  # staff's summary at the head of the report
    consulted_snapshot: Mapped[dict] = mapped_column(default=dict)  # the draft as the parties read it
    final_snapshot: Mapped[dict] = mapped_column(default=dict)  # the draft when the report came out

    edition: Mapped[Edition] = relationship(back_populates="consultation")
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="Participant.id"
    )
    comments: Mapped[list["Comment"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="Comment.id"
    )
    changes: Mapped[list["DraftChange"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="DraftChange.id"
    )

    def __str__(self) -> str:
        return f"Consultazione sulla bozza {self.edition.code}"

    def phase(self, on: date | None = None) -> Phase:
        if self.state == ConsultationState.PREPARING:
            return Phase.PREPARING
        if self.state == ConsultationState.REPORTED:
            return Phase.REPORTED
        today = on or date.today()
        if today < self.opens_on:
            return Phase.ANNOUNCED
        return Phase.OPEN if today <= self.closes_on else Phase.CLOSED

    @property
    def current_phase(self) -> Phase:
        return self.phase()

    @property
    def sent_comments(self) -> list["Comment"]:
        return [c for c in self.comments if c.status == CommentStatus.SENT]

    def locks_draft(self, on: date | None = None) -> bool:
        """The same draft for everyone: no change from launch to closing, nor after the report."""
        return self.phase(on) in (Phase.ANNOUNCED, Phase.OPEN, Phase.REPORTED)

    def is_answering(self, on: date | None = None) -> bool:
        """Closed and not yet reported: staff answer comments and change the draft."""
        return self.phase(on) == Phase.CLOSED


class Participant(TimestampMixin, db.Model):
    """An organisation invited to a consultation: a member company, or an outside party (a person
    who speaks for it) with a consultation account or a personal link."""

    __tablename__ = "cert_consultation_participant"
    __table_args__ = (UniqueConstraint("consultation_id", "company_id", name="uq_cert_consultation_participant_company"),
                      UniqueConstraint("consultation_id", "email", name="uq_cert_consultation_participant_email"))

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("cert_consultation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind))
    organisation: Mapped[str] = mapped_column(String(200))
    access: Mapped[Access] = mapped_column(enum_column(Access))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254))  # outside parties only
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    link_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # SHA-256 of the personal link's token
    link_expires_at: Mapped[datetime | None]
    invited_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship(back_populates="participants")
    company: Mapped[Company | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def __str__(self) -> str:
        return f"{self.organisation} ({self.consultation})"

    def includes(self, user) -> bool:
        """Whether a signed-in user speaks for this organisation."""
        if not getattr(user, "is_authenticated", False) or not user.active:
            return False
        if self.access == Access.COMPANY:
            return user.is_company_user and user.company_id == self.company_id
        if self.access == Access.ACCOUNT:
            return user.role == Role.CONSULTEE and (user.id == self.user_id or (self.user_id is None and user.email == self.email))
        return False


class Comment(TimestampMixin, db.Model):
    __tablename__ = "cert_consultation_comment"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("cert_consultation.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("cert_consultation_participant.id", ondelete="CASCADE"), index=True)
    number: Mapped[int | None]  # given when sent, in order of sending
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(120))
    # What it refers to: a parameter, an area, or neither (the edition as a whole). `clause` keeps
    # the code as the parties read it, should the draft later lose or rename that parameter.
    parameter_id: Mapped[int | None] = mapped_column(ForeignKey("cert_parameter.id", ondelete="SET NULL"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("cert_area.id", ondelete="SET NULL"), index=True)
    clause: Mapped[str] = mapped_column(String(20), default="")
    comment_type: Mapped[CommentType] = mapped_column(enum_column(CommentType, 4))
    stance: Mapped[Stance] = mapped_column(enum_column(Stance))
    text: Mapped[str] = mapped_column(Text, default="")
    proposal: Mapped[str] = mapped_column(Text, default="")  # proposed wording or change
    proposed_weight: Mapped[int | None]
    proposed_target: Mapped[Decimal | None]
    status: Mapped[CommentStatus] = mapped_column(enum_column(CommentStatus), default=CommentStatus.DRAFT, index=True)
    sent_at: Mapped[datetime | None]
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    disposition: Mapped[Disposition | None] = mapped_column(enum_column(Disposition))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="comments")
    participant: Mapped[Participant] = relationship()
    parameter: Mapped[Parameter | None] = relationship()
    area: Mapped[Area | None] = relationship()
    changes: Mapped[list["DraftChange"]] = relationship(
        secondary="cert_consultation_change_comment", back_populates="comments", order_by="DraftChange.id"
    )

    def __str__(self) -> str:
        label = f"n. {self.number}" if self.number else "bozza"
        return f"Commento {label} ({self.clause or 'generale'})"

    @property
    def is_sent(self) -> bool:
        return self.status == CommentStatus.SENT


change_comment = Table(
    "cert_consultation_change_comment",
    db.Model.metadata,
    Column("change_id", ForeignKey("cert_consultation_change.id", ondelete="CASCADE"), primary_key=True),
    Column("comment_id", ForeignKey("cert_consultation_comment.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class DraftChange(db.Model):
    """A change staff made to the draft after the consultation closed, and the comments it answers."""

    __tablename__ = "cert_consultation_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("cert_consultation.id", ondelete="CASCADE"), index=True)
    clause: Mapped[str] = mapped_column(String(20), default="")  # parameter or area code; "" for the edition's rules
    summary: Mapped[dict] = mapped_column(default=dict)  # field -> [before, after], as in the audit log
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="changes")
    comments: Mapped[list[Comment]] = relationship(secondary=change_comment, back_populates="changes", order_by="Comment.number")
