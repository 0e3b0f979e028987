"""Work abroad, reshoring proposals and their states, supports, roundtables, sector figures, briefs."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.access import Role
from portal.database import TimestampMixin, utcnow
from portal.extensions import db
from portal.reshoring.notices import RECIPIENT_KEYS, notice_problems


def _company_member(user, company_id: int | None) -> bool:
    return user.is_authenticated and user.is_company_user and company_id is not None and user.company_id == company_id


class WorkAbroad(TimestampMixin, db.Model):
    """Contact-center work a member company handles outside Italy, with its 24-bis notices."""

    __tablename__ = "reshoring_work_abroad"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    place: Mapped[str] = mapped_column(String(120), default="")
    client_sector: Mapped[str] = mapped_column(String(20))
    activities: Mapped[str] = mapped_column(Text, default="")
    fte: Mapped[Decimal] = mapped_column(Numeric(10, 1))
    yearly_contacts: Mapped[int | None]
    yearly_hours: Mapped[int | None]
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    notice_lavoro: Mapped[date | None]
    notice_inl: Mapped[date | None]
    notice_mimit: Mapped[date | None]
    notice_garante: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    company = relationship("Company")
    site = relationship("Site")

    def __str__(self) -> str:
        return f"{self.company} — {self.country} {self.place}".strip()

    @property
    def notices_sent(self) -> dict[str, date | None]:
        return {key: getattr(self, f"notice_{key}") for key in RECIPIENT_KEYS}

    def problems(self, today: date | None = None):
        return notice_problems(self.start_date, self.notices_sent, today or date.today())

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or _company_member(user, self.company_id))

    can_edit = can_view  # every user of the company keeps its records


class ProposalState(db.Model):
    """A state of the proposals' workflow; staff define the states and the allowed moves."""

    __tablename__ = "reshoring_proposal_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    requires_reason: Mapped[bool] = mapped_column(Boolean, default=False)
    is_initial: Mapped[bool] = mapped_column(Boolean, default=False)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)  # no more supports once decided

    targets: Mapped[list["ProposalState"]] = relationship(
        secondary="reshoring_proposal_transition",
        primaryjoin="ProposalState.id == ProposalTransition.from_state_id",
        secondaryjoin="ProposalState.id == ProposalTransition.to_state_id",
        order_by="ProposalState.position",
    )

    def __str__(self) -> str:
        return self.label


class ProposalTransition(db.Model):
    __tablename__ = "reshoring_proposal_transition"
    __table_args__ = (UniqueConstraint("from_state_id", "to_state_id", name="uq_reshoring_proposal_transition_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_state_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal_state.id", ondelete="CASCADE"), index=True)
    to_state_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal_state.id", ondelete="CASCADE"), index=True)


class Proposal(TimestampMixin, db.Model):
    __tablename__ = "reshoring_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(Text, default="")
    addressees: Mapped[list] = mapped_column(default=list)
    fte_reshored: Mapped[int | None]
    from_countries: Mapped[list] = mapped_column(default=list)
    to_regions: Mapped[list] = mapped_column(default=list)
    yearly_volume: Mapped[int | None]
    volume_unit: Mapped[str] = mapped_column(String(10), default="contatti")
    state_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    timeframe_months: Mapped[int | None]
    impact_notes: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"), index=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal_state.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # two staff saving at once: the second is told

    state: Mapped[ProposalState] = relationship(lazy="joined")
    author = relationship("User")
    company = relationship("Company")
    history: Mapped[list["ProposalStateChange"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalStateChange.id"
    )
    supports: Mapped[list["Support"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="Support.created_at"
    )
    attachments: Mapped[list["ProposalAttachment"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalAttachment.id"
    )

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state.is_initial

    def can_view(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_staff or _company_member(user, self.company_id):
            return True
        return user.is_company_user and not self.is_draft

    def can_edit(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_staff:
            return True
        return user.role == Role.COMPANY_ADMIN and _company_member(user, self.company_id) and self.is_draft

    def can_support(self, user) -> bool:
        return (
            user.is_authenticated and user.role == Role.COMPANY_ADMIN and user.company_id is not None
            and not self.is_draft and not self.state.is_closed
        )

    def support_of(self, company_id: int | None) -> "Support | None":
        return next((s for s in self.supports if s.company_id == company_id), None)

    def support_totals(self) -> dict:
        countries = sorted({c for s in self.supports for c in s.from_countries})
        regions = sorted({r for s in self.supports for r in s.to_regions})
        return {
            "companies": len(self.supports),
            "fte": sum(s.fte for s in self.supports),
            "countries": countries,
            "regions": regions,
        }


class ProposalStateChange(db.Model):
    """Who moved a proposal to which state, when, why, and at which roundtable session."""

    __tablename__ = "reshoring_proposal_state_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal.id", ondelete="CASCADE"), index=True)
    from_state_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_proposal_state.id"))
    to_state_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal_state.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_agenda_item.id", ondelete="SET NULL"), index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="history")
    from_state = relationship("ProposalState", foreign_keys=[from_state_id])
    to_state = relationship("ProposalState", foreign_keys=[to_state_id])
    by = relationship("User")
    agenda_item = relationship("AgendaItem")


class StoredFileLink:
    """A titled link to an uploaded file (portal.uploads.StoredFile)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    title: Mapped[str] = mapped_column(String(200))

    @declared_attr
    def stored_file(cls):
        return relationship("StoredFile", lazy="joined")


class ProposalAttachment(StoredFileLink, db.Model):
    __tablename__ = "reshoring_proposal_attachment"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal.id", ondelete="CASCADE"), index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")


class Support(TimestampMixin, db.Model):
    """A member company backs a proposal with its own data."""

    __tablename__ = "reshoring_support"
    __table_args__ = (UniqueConstraint("proposal_id", "company_id", name="uq_reshoring_support_company"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    fte: Mapped[int] = mapped_column(default=0)
    from_countries: Mapped[list] = mapped_column(default=list)
    to_regions: Mapped[list] = mapped_column(default=list)
    timeframe_months: Mapped[int | None]
    conditions: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship(back_populates="supports")
    company = relationship("Company", lazy="joined")

    def __str__(self) -> str:
        return f"{self.company} — {self.proposal}"


PARTY_KINDS = ("committente", "outsourcer", "associazione", "sindacato", "ministero")


class Roundtable(TimestampMixin, db.Model):
    __tablename__ = "reshoring_roundtable"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    convening_body: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    parties: Mapped[list["RoundtableParty"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="(RoundtableParty.kind, RoundtableParty.name)"
    )
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    documents: Mapped[list["RoundtableDocument"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="RoundtableDocument.id"
    )

    def __str__(self) -> str:
        return self.title

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at < (now or utcnow())


class RoundtableParty(db.Model):
    __tablename__ = "reshoring_roundtable_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    invited: Mapped[bool] = mapped_column(Boolean, default=True)
    present: Mapped[bool] = mapped_column(Boolean, default=False)

    roundtable: Mapped[Roundtable] = relationship(back_populates="parties")


class AgendaItem(db.Model):
    """A point of a session's agenda: a proposal, or a free item; its outcome once discussed."""

    __tablename__ = "reshoring_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_proposal.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_state_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_proposal_state.id"))
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    roundtable: Mapped[Roundtable] = relationship(back_populates="items")
    proposal: Mapped[Proposal | None] = relationship()
    outcome_state = relationship("ProposalState")
    actions: Mapped[list["FollowUpAction"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="FollowUpAction.due_date"
    )

    @property
    def label(self) -> str:
        return self.proposal.title if self.proposal is not None else self.title

    def __str__(self) -> str:
        return f"{self.roundtable} — {self.label}"


class FollowUpAction(db.Model):
    __tablename__ = "reshoring_follow_up_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("reshoring_agenda_item.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(index=True)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    item: Mapped[AgendaItem] = relationship(back_populates="actions")

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: date | None = None) -> bool:
        return self.done_at is None and self.due_date < (today or date.today())


class RoundtableDocument(StoredFileLink, db.Model):
    __tablename__ = "reshoring_roundtable_document"

    roundtable_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="CASCADE"), index=True)

    roundtable: Mapped[Roundtable] = relationship(back_populates="documents")


class SectorFigure(TimestampMixin, db.Model):
    """A figure of the sector; never shown without its year and source."""

    __tablename__ = "reshoring_sector_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    unit: Mapped[str] = mapped_column(String(40), default="")
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(300))
    official: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(300), default="")

    def __str__(self) -> str:
        return self.label


class Brief(TimestampMixin, db.Model):
    """The document staff bring to a roundtable: for one session or for a date range."""

    __tablename__ = "reshoring_brief"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="SET NULL"), index=True)
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    position: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    roundtable: Mapped[Roundtable | None] = relationship()

    def __str__(self) -> str:
        return self.title
