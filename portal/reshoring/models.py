"""Work abroad, reshoring proposals and their states, supports, roundtables and their parties,
sector figures, briefs and their issues."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.access import Role
from portal.database import TimestampMixin, utcnow
from portal.extensions import db
from portal.provenance import Kind, Provenance
from portal.reshoring.notices import RECIPIENT_KEYS
from portal.reshoring.obligations import Assessment, assess


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
    client_name: Mapped[str] = mapped_column(String(200), default="")  # client and contractor are jointly liable
    informs_callers: Mapped[bool | None]  # callers are told the operator's country (None: not declared)
    offers_italy_eu: Mapped[bool | None]  # callers may ask for an operator in Italy or the EU
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    company = relationship("Company")
    site = relationship("Site")
    profile: Mapped["CompanyProfile | None"] = relationship(
        primaryjoin="WorkAbroad.company_id == foreign(CompanyProfile.company_id)", viewonly=True, uselist=False)

    def __str__(self) -> str:
        return f"{self.company} — {self.country} {self.place}".strip()

    @property
    def notices_sent(self) -> dict[str, date | None]:
        return {key: getattr(self, f"notice_{key}") for key in RECIPIENT_KEYS}

    def is_ended(self, today: date | None = None) -> bool:
        return self.end_date is not None and self.end_date < (today or date.today())

    def assessment(self, today: date | None = None) -> Assessment:
        """What art. 24-bis asks of this activity and what is still missing (nothing once it ended)."""
        return assess(self, self.profile, today or date.today())

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or _company_member(user, self.company_id))

    can_edit = can_view  # every user of the company keeps its records


class CompanyProfile(TimestampMixin, db.Model):
    """What art. 24-bis asks of the company as a whole: its size (the 20-employee threshold) and
    its registration in the ROC (the register of communication operators)."""

    __tablename__ = "reshoring_company_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), unique=True)
    employees: Mapped[int | None]
    roc_number: Mapped[str] = mapped_column(String(40), default="")  # empty: not registered
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    company = relationship("Company")

    def __str__(self) -> str:
        return str(self.company)

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or _company_member(user, self.company_id))

    can_edit = can_view


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
    """A member company backs a proposal with its own data.

    The data stay with staff and the company unless the company consented to be named on this
    support (`named`); otherwise only aggregates over three or more companies leave the portal
    (`portal.reshoring.disclosure`).
    """

    __tablename__ = "reshoring_support"
    __table_args__ = (UniqueConstraint("proposal_id", "company_id", name="uq_reshoring_support_company"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("reshoring_proposal.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    fte: Mapped[int | None]  # None: not declared (a company may back a proposal without moving work)
    region_fte: Mapped[dict] = mapped_column(default=dict)  # Italian region -> FTE it would bring there
    from_countries: Mapped[list] = mapped_column(default=list)
    timeframe_months: Mapped[int | None]
    conditions: Mapped[str] = mapped_column(Text, default="")
    named: Mapped[bool] = mapped_column(Boolean, default=False)  # the company consented to be named with its data
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship(back_populates="supports")
    company = relationship("Company", lazy="joined")

    def __str__(self) -> str:
        return f"{self.company} — {self.proposal}"

    @property
    def to_regions(self) -> list[str]:
        return sorted(self.region_fte)


PARTY_KINDS = ("committente", "outsourcer", "associazione", "sindacato", "ministero")


class Organisation(TimestampMixin, db.Model):
    """Who sits at the tables: a member company or an outside body (client, union, association,
    ministry), with the people to write to."""

    __tablename__ = "reshoring_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="SET NULL"), unique=True)

    company = relationship("Company")
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Contact.name")

    def __str__(self) -> str:
        return self.name

    @property
    def active_contacts(self) -> list["Contact"]:
        return [c for c in self.contacts if c.active]


class Contact(TimestampMixin, db.Model):
    """A person of an organisation who receives invitations, agendas and minutes."""

    __tablename__ = "reshoring_contact"
    __table_args__ = (UniqueConstraint("organisation_id", "email", name="uq_reshoring_contact_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("reshoring_organisation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(120), default="")  # e.g. "Segretario nazionale"
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


MINUTES_DRAFT, MINUTES_IN_REVIEW, MINUTES_APPROVED = "bozza", "in_revisione", "approvato"


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
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: one more at each change of date or place
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_status: Mapped[str] = mapped_column(String(12), default=MINUTES_DRAFT)
    minutes_comments_until: Mapped[date | None]
    minutes_approved_at: Mapped[datetime | None]
    minutes_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    parties: Mapped[list["RoundtableParty"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="RoundtableParty.id"
    )
    invitations: Mapped[list["RoundtableInvitation"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="RoundtableInvitation.id"
    )
    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    documents: Mapped[list["RoundtableDocument"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="RoundtableDocument.id"
    )
    comments: Mapped[list["MinutesComment"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan", order_by="MinutesComment.id"
    )

    def __str__(self) -> str:
        return self.title

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at < (now or utcnow())

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_status == MINUTES_APPROVED

    @property
    def minutes_in_review(self) -> bool:
        return self.minutes_status == MINUTES_IN_REVIEW

    def party_of(self, company_id: int | None) -> "RoundtableParty | None":
        return next((p for p in self.parties if company_id is not None and p.organisation.company_id == company_id), None)

    def can_view(self, user) -> bool:
        """Staff, and the users of a member company that is a party to the session."""
        if not user.is_authenticated:
            return False
        return user.is_staff or (user.is_company_user and self.party_of(user.company_id) is not None)


class RoundtableParty(db.Model):
    """An organisation invited to a session; whether it was present once the session has begun."""

    __tablename__ = "reshoring_roundtable_party"
    __table_args__ = (UniqueConstraint("roundtable_id", "organisation_id", name="uq_reshoring_roundtable_party_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("reshoring_organisation.id"), index=True)
    present: Mapped[bool] = mapped_column(Boolean, default=False)

    roundtable: Mapped[Roundtable] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    invitations: Mapped[list["RoundtableInvitation"]] = relationship(back_populates="party", order_by="RoundtableInvitation.id", viewonly=True)

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def kind(self) -> str:
        return self.organisation.kind


INVITED, ATTENDING, DECLINED, DELEGATED = "invitato", "partecipa", "non_partecipa", "delegato"
ANSWERS = (ATTENDING, DECLINED, DELEGATED)


class RoundtableInvitation(db.Model):
    """One person invited to a session on behalf of a party: the answer, the links sent, the updates.

    The answer link is single-use; the personal link lets a person of an outside party read the
    session (agenda, documents, minutes) without an account. Both keep only the token's hash.
    """

    __tablename__ = "reshoring_invitation"
    __table_args__ = (UniqueConstraint("roundtable_id", "email", name="uq_reshoring_invitation_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable_party.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_contact.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(15), default=INVITED)
    note: Mapped[str] = mapped_column(Text, default="")  # what the person wrote with the answer
    delegated_from_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_invitation.id", ondelete="SET NULL"))
    answer_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    access_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    access_expires_at: Mapped[datetime | None]
    sent_sequence: Mapped[int | None]  # the roundtable's sequence the person last received (None: never sent)
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    roundtable: Mapped[Roundtable] = relationship(back_populates="invitations")
    party: Mapped[RoundtableParty] = relationship(back_populates="invitations")
    contact = relationship("Contact")
    delegated_from = relationship("RoundtableInvitation", remote_side=[id])

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_current(self) -> bool:
        """Still expected at the session: not declined and not handed over to a delegate."""
        return self.status in (INVITED, ATTENDING)


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


TO_DO, IN_PROGRESS, DONE, BLOCKED = "da_fare", "in_corso", "fatta", "bloccata"
ACTION_STATUSES = (TO_DO, IN_PROGRESS, DONE, BLOCKED)


class FollowUpAction(db.Model):
    """What a party agreed to do after a session: by when, how far it has got, and why it is stuck."""

    __tablename__ = "reshoring_follow_up_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("reshoring_agenda_item.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("reshoring_organisation.id"), index=True)
    due_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(10), default=TO_DO, index=True)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reminded_at: Mapped[datetime | None]

    item: Mapped[AgendaItem] = relationship(back_populates="actions")
    owner: Mapped[Organisation] = relationship(lazy="joined")
    updates: Mapped[list["ActionUpdate"]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.id")

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status != DONE

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_date < (today or date.today())


class ActionUpdate(db.Model):
    """A note on an action's progress: who wrote it, the status and percent it set."""

    __tablename__ = "reshoring_action_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("reshoring_follow_up_action.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10))
    progress: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")

    action: Mapped[FollowUpAction] = relationship(back_populates="updates")
    by = relationship("User")


class MinutesComment(db.Model):
    """A party's comment on the draft minutes, before staff approve them."""

    __tablename__ = "reshoring_minutes_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_invitation.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200))  # "Name (Organisation)", kept as written
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    roundtable: Mapped[Roundtable] = relationship(back_populates="comments")


class RoundtableDocument(StoredFileLink, db.Model):
    __tablename__ = "reshoring_roundtable_document"

    roundtable_id: Mapped[int] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="CASCADE"), index=True)

    roundtable: Mapped[Roundtable] = relationship(back_populates="documents")


FIGURE_KINDS = (Kind.OFFICIAL, Kind.REPORTED, Kind.DECLARED, Kind.ILLUSTRATIVE)
WORKERS_KEY = "addetti_settore"  # the sector's workers: what the Bollino Blu coverage is a share of


class SectorFigure(TimestampMixin, db.Model):
    """A figure of the sector; never shown without its year, source and kind (official, reported...)."""

    __tablename__ = "reshoring_sector_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(40), unique=True)  # a figure the portal computes with
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    unit: Mapped[str] = mapped_column(String(40), default="")
    year: Mapped[int]
    source: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(12), default=Kind.REPORTED)
    note: Mapped[str] = mapped_column(String(300), default="")

    def __str__(self) -> str:
        return self.label

    @property
    def provenance(self) -> Provenance:
        return Provenance(Kind(self.kind), f"{self.source} ({self.year})")


# The sections of a brief, in their order; staff choose which ones each brief includes.
# Members' art. 24-bis compliance is left out unless staff include it on purpose.
BRIEF_SECTIONS = ("sintesi", "posizione", "proposte", "tariffe", "bollino", "estero", "conformita", "settore", "normativa")
DEFAULT_SECTIONS = [s for s in BRIEF_SECTIONS if s != "conformita"]


class Brief(TimestampMixin, db.Model):
    """The document staff bring to a roundtable: for one session or for a date range."""

    __tablename__ = "reshoring_brief"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("reshoring_roundtable.id", ondelete="SET NULL"), index=True)
    date_from: Mapped[date | None]
    date_to: Mapped[date | None]
    position: Mapped[str] = mapped_column(Text, default="")
    addressees: Mapped[str] = mapped_column(Text, default="")  # the cover's "Alla cortese attenzione di", one per line
    sections: Mapped[list] = mapped_column(default=lambda: list(DEFAULT_SECTIONS))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    roundtable: Mapped[Roundtable | None] = relationship()
    issues: Mapped[list["BriefIssue"]] = relationship(back_populates="brief", order_by="BriefIssue.version.desc()")

    def __str__(self) -> str:
        return self.title

    def includes(self, section: str) -> bool:
        return section in self.sections


PREPARING, ISSUED, FAILED = "in_preparazione", "emesso", "non_riuscito"

brief_issue_proposal = db.Table(
    "reshoring_brief_issue_proposal",
    db.Column("issue_id", ForeignKey("reshoring_brief_issue.id", ondelete="CASCADE"), primary_key=True),
    db.Column("proposal_id", ForeignKey("reshoring_proposal.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class BriefIssue(db.Model):
    """A brief as sent: numbered, dated, addressed, its PDF and XLSX frozen with their SHA-256.

    Later changes to the data never touch it; a new issue of the same brief is a new version.
    """

    __tablename__ = "reshoring_brief_issue"
    __table_args__ = (UniqueConstraint("brief_id", "version", name="uq_reshoring_brief_issue_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("reshoring_brief.id"), index=True)
    version: Mapped[int]
    protocol: Mapped[str] = mapped_column(String(30), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    addressees: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(15), default=PREPARING)
    progress: Mapped[int] = mapped_column(default=0)  # percent, while the files are being made
    failure: Mapped[str] = mapped_column(Text, default="")
    pdf_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))
    xlsx_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"))

    brief: Mapped[Brief] = relationship(back_populates="issues")
    issued_by = relationship("User")
    pdf_file = relationship("StoredFile", foreign_keys=[pdf_file_id])
    xlsx_file = relationship("StoredFile", foreign_keys=[xlsx_file_id])
    proposals: Mapped[list[Proposal]] = relationship(secondary=brief_issue_proposal, order_by="Proposal.title")

    def __str__(self) -> str:
        return f"{self.protocol} — {self.title}"

    @property
    def is_ready(self) -> bool:
        return self.status == ISSUED
