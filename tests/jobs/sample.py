"""Jobs that exist for the job tests only: the test workers import this module (`--include`).

`count_to` writes one audit entry per step and commits each with `job.progress`, so a test can
count what a job wrote and see whether any step was written twice.
"""

import time

from sqlalchemy import delete

from portal.audit import AuditEntry, record
from portal.extensions import db
from portal.jobs import Job, JobContext, JobFailed, job

STEP = "tests.step"
GAVE_UP = "tests.gave_up"


def steps_of(job_id: int) -> list[int]:
    entries = db.session.scalars(
        AuditEntry.__table__.select().with_only_columns(AuditEntry.changes)
        .where(AuditEntry.action == STEP, AuditEntry.object_id == job_id)
    ).all()
    return sorted(entry["i"] for entry in entries)


def gave_up(*args) -> None:
    record(GAVE_UP, None, {"args": list(args)})


@job("tests.count_to", on_failure=gave_up)
def count_to(job: JobContext, n: int, pause: float = 0.0) -> dict:
    db.session.execute(delete(AuditEntry).where(AuditEntry.action == STEP, AuditEntry.object_id == job.id))
    this = db.session.get(Job, job.id)
    for i in range(n):
        record(STEP, this, {"i": i, "attempt": job.attempt})
        time.sleep(pause)
        job.progress(i + 1, n, note=f"{i + 1} of {n}")
    return {"counted": n}


@job("tests.refuse", on_failure=gave_up)
def refuse(job: JobContext, reason: str) -> None:
    raise JobFailed(reason)


@job("tests.crash", on_failure=gave_up)
def crash(job: JobContext) -> None:
    record(STEP, db.session.get(Job, job.id), {"i": 0})
    raise RuntimeError("a bug")
