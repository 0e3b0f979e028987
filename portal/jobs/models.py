"""A tracked job: what to run, its progress and result, and who holds it while it runs."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import TimestampMixin
from portal.extensions import db

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)


class Job(TimestampMixin, db.Model):
    """The database row is the truth about a job; a Celery message only says "look at job N".

    A run holds the job through a lease (`lease_owner`, `lease_until`) that a heartbeat keeps
    alive; every commit of the run checks that it still holds it, so a run that lost its lease
    (its worker was thought dead) can never write after another run took over.
    """

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))  # the name given to @job
    args: Mapped[list] = mapped_column(default=list)
    key: Mapped[str | None] = mapped_column(String(120), index=True)  # enqueue(key=...): one active job per key
    status: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(300), default="")  # what the run is doing, for the progress line
    result: Mapped[dict] = mapped_column(default=dict)
    result_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    error: Mapped[str] = mapped_column(Text, default="")
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    dispatched_at: Mapped[datetime | None]  # when a message last named it (the sweeper sends again)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    request_id: Mapped[str] = mapped_column(String(64), default="")
    locale: Mapped[str] = mapped_column(String(5), default="it")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    result_file = relationship("StoredFile")
    created_by = relationship("User")

    def __str__(self) -> str:
        return f"Lavoro {self.kind} n. {self.id}"

    def can_view(self, user) -> bool:
        return user.is_authenticated and (user.is_staff or (self.created_by_id is not None and user.id == self.created_by_id))

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def progress_pct(self) -> int:
        if self.status == DONE:
            return 100
        return min(int(self.done * 100 / self.total), 99) if self.total else 0

    def state(self) -> dict:
        """What a progress bar polls for (JSON-ready)."""
        return {"id": self.id, "status": self.status, "done": self.done, "total": self.total,
                "percent": self.progress_pct, "note": self.note, "error": self.error}
