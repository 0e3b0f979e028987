"""Ministerial tables (decrees and their rows), the association's uplift, pending imports, and
saved checks (single ones and the rows of bulk batches) with the thresholds used at the time."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import TimestampMixin, utcnow
from portal.extensions import db
from portal.tariffs.rates import margin_pct

SECTORS = {
    "pa": _l("Pubblica amministrazione"),
    "telecom": _l("Telecomunicazioni"),
    "energia": _l("Energia e servizi"),
    "finanza": _l("Banche, finanza e assicurazioni"),
    "altro": _l("Altro"),
}
UPLIFT_LABELS = {
    "formazione": _l("Formazione"),
    "innovazione": _l("Innovazione"),
    "organizzazione": _l("Organizzazione"),
}
PER_MINUTE = Numeric(16, 6)  # computed values keep their digits: the verdict must be reproducible


class Decree(TimestampMixin, db.Model):
    """A decree of the Ministry (or the portal's illustrative table) with its rows."""

    __tablename__ = "tariff_decree"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    issued_on: Mapped[date | None]
    title: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    official: Mapped[bool] = mapped_column(default=True)

    rows: Mapped[list["DecreeRow"]] = relationship(
        back_populates="decree", cascade="all, delete-orphan", order_by="(DecreeRow.level, DecreeRow.effective_from)"
    )

    def __str__(self) -> str:
        return self.number if self.official else f"{self.number} (dimostrativa)"


class DecreeRow(db.Model):
    __tablename__ = "tariff_decree_row"
    __table_args__ = (UniqueConstraint("decree_id", "level", "effective_from", name="uq_tariff_decree_row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("tariff_decree.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(3))
    effective_from: Mapped[date]
    euro_minute: Mapped[Decimal] = mapped_column(Numeric(12, 4))

    decree: Mapped[Decree] = relationship(back_populates="rows")


class UpliftComponent(TimestampMixin, db.Model):
    """One value of one component of the uplift, from its effective date on."""

    __tablename__ = "tariff_uplift"
    __table_args__ = (UniqueConstraint("component", "effective_from", name="uq_tariff_uplift_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    component: Mapped[str] = mapped_column(String(20), index=True)
    percent: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    effective_from: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    created_by = relationship("User")

    def __str__(self) -> str:
        return f"{self.component} {self.percent}% dal {self.effective_from:%d/%m/%Y}"


class PendingImport(TimestampMixin, db.Model):
    """A table file read and previewed, waiting for staff to confirm it (or discard it)."""

    __tablename__ = "tariff_pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date | None]
    title: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    official: Mapped[bool] = mapped_column(default=True)
    stored_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    rows: Mapped[list] = mapped_column(default=list)  # [line, level, "yyyy-mm-dd", "0.4282"]
    errors: Mapped[list] = mapped_column(default=list)  # [line, message]
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # applied, discarded
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decree_id: Mapped[int | None] = mapped_column(ForeignKey("tariff_decree.id", ondelete="SET NULL"))

    stored_file = relationship("StoredFile")
    created_by = relationship("User")

    def __str__(self) -> str:
        return f"Importazione {self.decree_number}"

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"


class RateBatch(TimestampMixin, db.Model):
    """A bulk check of a whole price list: a job with its progress, then its rows."""

    __tablename__ = "tariff_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    client_name: Mapped[str] = mapped_column(String(200), default="")
    client_sector: Mapped[str | None] = mapped_column(String(10))
    stored_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    results_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))  # the XLSX
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)  # running, done, failed
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    counts: Mapped[dict] = mapped_column(default=dict)
    failure: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None]

    company = relationship("Company")
    user = relationship("User")
    stored_file = relationship("StoredFile", foreign_keys=[stored_file_id])
    results_file = relationship("StoredFile", foreign_keys=[results_file_id])

    def __str__(self) -> str:
        return f"Verifica massiva n. {self.id}"

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or (self.company_id is not None and user.company_id == self.company_id))

    @property
    def progress_pct(self) -> int:
        if self.status == "done":
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


class RateCheck(db.Model):
    """A saved check: a single one, or one row of a batch. It keeps the thresholds and the
    uplift of the day it was made, so a later change of tables or uplift never rewrites it."""

    __tablename__ = "tariff_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("tariff_batch.id", ondelete="CASCADE"), index=True)
    line: Mapped[int | None]
    ref: Mapped[str] = mapped_column(String(100), default="")
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    client_name: Mapped[str] = mapped_column(String(200), default="")
    client_sector: Mapped[str | None] = mapped_column(String(10), index=True)
    level: Mapped[str | None] = mapped_column(String(3), index=True)
    rate: Mapped[Decimal | None] = mapped_column(PER_MINUTE)
    unit: Mapped[str | None] = mapped_column(String(10))
    aht_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    productive_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    rate_date: Mapped[date | None] = mapped_column(index=True)
    rate_per_minute: Mapped[Decimal | None] = mapped_column(PER_MINUTE)
    labour_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    sustainable_min: Mapped[Decimal | None] = mapped_column(PER_MINUTE)
    uplift_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    uplift_parts: Mapped[dict] = mapped_column(default=dict)
    decree: Mapped[str] = mapped_column(String(60), default="")
    table_effective_from: Mapped[date | None]
    official: Mapped[bool | None]
    esito: Mapped[str] = mapped_column(String(30), index=True)
    message: Mapped[str] = mapped_column(String(500), default="")

    batch = relationship(RateBatch)
    company = relationship("Company")
    user = relationship("User")

    def __str__(self) -> str:
        return f"Verifica tariffa n. {self.id}"

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or (self.company_id is not None and user.company_id == self.company_id))

    @property
    def margin_labour(self) -> Decimal | None:
        return margin_pct(self.rate_per_minute, self.labour_cost) if self.labour_cost else None

    @property
    def margin_sustainable(self) -> Decimal | None:
        return margin_pct(self.rate_per_minute, self.sustainable_min) if self.sustainable_min else None
