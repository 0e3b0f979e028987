"""Member companies, their operating sites, users, membership requests and invitations."""

from datetime import date, datetime
from enum import StrEnum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.access import COMPANY_ROLES, STAFF_ROLES, Role
from portal.database import TimestampMixin
from portal.extensions import db


class MembershipState(StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CEASED = "ceased"
    REFUSED = "refused"  # a request staff turned down; kept with its reason


def enum_column(enum_cls: type[StrEnum], length: int = 20):
    """Store a StrEnum by value as plain text (no database enum type to migrate)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
    )


class Company(TimestampMixin, db.Model):
    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    ragione_sociale: Mapped[str] = mapped_column(String(200), index=True)
    partita_iva: Mapped[str] = mapped_column(String(11), unique=True)
    codice_fiscale: Mapped[str] = mapped_column(String(16))
    pec: Mapped[str] = mapped_column(String(254))
    indirizzo: Mapped[str] = mapped_column(String(200))
    cap: Mapped[str] = mapped_column(String(5))
    comune: Mapped[str] = mapped_column(String(100))
    provincia: Mapped[str] = mapped_column(String(2))
    regione: Mapped[str] = mapped_column(String(40), index=True)
    membership_state: Mapped[MembershipState] = mapped_column(
        enum_column(MembershipState), default=MembershipState.REQUESTED, index=True
    )
    requested_on: Mapped[date] = mapped_column(default=date.today)
    member_since: Mapped[date | None]
    suspended_on: Mapped[date | None]
    ceased_on: Mapped[date | None]

    sites: Mapped[list["Site"]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="Site.id"
    )
    users: Mapped[list["User"]] = relationship(back_populates="company", order_by="User.name")

    def __str__(self) -> str:
        return self.ragione_sociale

    @property
    def is_member(self) -> bool:
        return self.membership_state == MembershipState.ACTIVE

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or user.company_id == self.id)

    def can_edit(self, user) -> bool:
        return user.is_authenticated and (
            user.is_staff or (user.company_id == self.id and user.role == Role.COMPANY_ADMIN)
        )


class Site(TimestampMixin, db.Model):
    """A sede operativa: where the company's operators work, in Italy or abroad."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    indirizzo: Mapped[str] = mapped_column(String(200))
    comune: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="IT", index=True)
    regione: Mapped[str | None] = mapped_column(String(40), index=True)  # Italian sites only
    seats: Mapped[int] = mapped_column(default=0)
    operators: Mapped[int] = mapped_column(default=0)
    channels: Mapped[list] = mapped_column(default=list)

    company: Mapped[Company] = relationship(back_populates="sites")

    def __str__(self) -> str:
        return f"{self.name} ({self.comune})"

    @property
    def is_abroad(self) -> bool:
        return self.country != "IT"

    def can_view(self, user) -> bool:
        return self.company.can_view(user)

    def can_edit(self, user) -> bool:
        return self.company.can_edit(user)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None]
    # Second factor (portal.members.second_factor): the sealed TOTP seed, the last time step used.
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_last_step: Mapped[int | None]
    totp_enabled_at: Mapped[datetime | None]

    company: Mapped[Company | None] = relationship(back_populates="users")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active


    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_company_user(self) -> bool:
        return self.role in COMPANY_ROLES

    @property
    def is_company_admin(self) -> bool:
        return self.role == Role.COMPANY_ADMIN

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class MembershipRequest(TimestampMixin, db.Model):
    """The public "Aderisci" request: who asked for which company, and what staff decided."""

    __tablename__ = "membership_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.PENDING, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")

    company: Mapped[Company] = relationship()
    decided_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"Richiesta di adesione {self.company.ragione_sociale}"


class Invitation(TimestampMixin, db.Model):
    """An e-mail invitation to create an account with a given role (and company)."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    company: Mapped[Company | None] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"Invito a {self.email}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
