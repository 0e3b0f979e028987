"""Ministerial tables (decrees and their rows), the association's uplift, pending imports, and
saved checks (single ones and the rows of bulk batches) with the thresholds used at the time."""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import TimestampMixin, utcnow
from portal.extensions import db

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
# A rate as typed (0,40178385 €/min keeps all its digits); computed figures are stored as shown:
# computed once exactly at check time, rounded once (half up) to 4 decimals (€/min) or 1 (%).
TYPED_AMOUNT = Numeric(20, 10)
SHOWN_PER_MINUTE = Numeric(12, 4)
SHOWN_PERCENT = Numeric(10, 1)


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
    illustrative: Mapped[bool] = mapped_column(default=False)  # a demo value, not the association's decision
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
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)  # mapping, running, done, failed
    # how the file was read: the sheet and the header line used, each field's column, the extra columns carried
    sheet: Mapped[str] = mapped_column(String(100), default="")
    header_line: Mapped[int | None]
    columns: Mapped[dict] = mapped_column(default=dict)  # field -> the header as written in the file
    extra_columns: Mapped[list] = mapped_column(default=list)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    counts: Mapped[dict] = mapped_column(default=dict)
    failure: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None]

    company = relationship("Company")
    user = relationship("User")
    stored_file = relationship("StoredFile")

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
    rate: Mapped[Decimal | None] = mapped_column(TYPED_AMOUNT)
    unit: Mapped[str | None] = mapped_column(String(10))
    aht_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    productive_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    rate_date: Mapped[date | None] = mapped_column(index=True)
    inputs: Mapped[dict] = mapped_column(default=dict)  # the file's cells as read, by field (bulk rows)
    extra: Mapped[list] = mapped_column(default=list)  # the file's other columns (client, notes...), as the batch lists them
    rate_per_minute: Mapped[Decimal | None] = mapped_column(SHOWN_PER_MINUTE)
    labour_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    sustainable_min: Mapped[Decimal | None] = mapped_column(SHOWN_PER_MINUTE)
    margin_labour: Mapped[Decimal | None] = mapped_column(SHOWN_PERCENT)
    margin_sustainable: Mapped[Decimal | None] = mapped_column(SHOWN_PERCENT)
    uplift_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    uplift_parts: Mapped[dict] = mapped_column(default=dict)
    uplift_illustrative: Mapped[bool | None]
    decree: Mapped[str] = mapped_column(String(60), default="")
    table_effective_from: Mapped[date | None]
    official: Mapped[bool | None]
    ccnl_renewal: Mapped[str] = mapped_column(String(200), default="")  # a renewal the table predates, if any
    esito: Mapped[str] = mapped_column(String(30), index=True)
    warning: Mapped[str] = mapped_column(String(300), default="")
    message: Mapped[str] = mapped_column(String(500), default="")

    batch = relationship(RateBatch)
    company = relationship("Company")
    user = relationship("User")

    def __str__(self) -> str:
        return f"Verifica tariffa n. {self.id}"

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or (self.company_id is not None and user.company_id == self.company_id))


class CcnlRenewal(TimestampMixin, db.Model):
    """A renewal of CCNL TLC: from `wages_from` the wages rise, and a ministerial table issued
    before `signed_on` may not yet reflect them."""

    __tablename__ = "tariff_ccnl_renewal"

    id: Mapped[int] = mapped_column(primary_key=True)
    signed_on: Mapped[date] = mapped_column(unique=True)
    wages_from: Mapped[date]
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text, default="")
    official: Mapped[bool] = mapped_column(default=False)  # False: as reported (labour press, consultancy summaries)

    def __str__(self) -> str:
        return self.title


class ColumnMapping(TimestampMixin, db.Model):
    """The columns a company (or a staff member) named for its price lists, remembered for the
    next upload: field -> the header as written in its files."""

    __tablename__ = "tariff_column_mapping"
    __table_args__ = (UniqueConstraint("company_id", "user_id", name="uq_tariff_column_mapping_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    headers: Mapped[dict] = mapped_column(default=dict)


class ListStat(db.Model):
    """What the statistics count, kept per list when the list is checked: the verdicts of one
    list (a bulk batch, or a single saved check as a list of one) per rate date, level and kind of
    table. A list replaced by a later upload of the same file has no rows here."""

    __tablename__ = "tariff_list_stat"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_key: Mapped[int] = mapped_column(index=True)  # the batch id, or minus the single check's id
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("tariff_batch.id", ondelete="CASCADE"), index=True)
    check_id: Mapped[int | None] = mapped_column(ForeignKey("tariff_check.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id", ondelete="CASCADE"), index=True)
    sector: Mapped[str | None] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(3))
    rate_date: Mapped[date] = mapped_column(index=True)
    quarter: Mapped[str] = mapped_column(String(7))
    decree: Mapped[str] = mapped_column(String(60))
    official: Mapped[bool]
    uplift_illustrative: Mapped[bool] = mapped_column(default=False)
    under_labour: Mapped[int] = mapped_column(default=0)
    under_sustainable: Mapped[int] = mapped_column(default=0)
    compliant: Mapped[int] = mapped_column(default=0)
