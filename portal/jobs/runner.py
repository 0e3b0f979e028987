"""Running a tracked job so that its result is written exactly once, whatever the workers do.

Any number of messages may name the same job: the broker delivers again what a killed worker
held, the sweeper sends again what nobody finished. Each delivery tries to *claim* the job in
one conditional UPDATE (queued, or running with an expired lease); one claim wins, the others
return at once. The winner holds a lease that a heartbeat thread renews while its process
lives. Every commit of the run (`JobContext.progress`, the final one) first updates the job row
on the condition that the lease is still its own, in the same transaction as the job's own
writes: a run that lost its lease (taken over after its worker was thought dead) rolls back
instead of writing. A job's function therefore starts by clearing what an earlier, interrupted
attempt of the same job may have committed (`job.attempt > 1`).
"""

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from portal import metrics
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.engine import publish
from portal.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from portal.logs import request_id_bound
from portal.storage import StorageUnavailable

log = logging.getLogger(__name__)

# A database or a storage that went away is worth another try later; anything else is a failure of the job.
TRANSIENT = (OperationalError, StorageUnavailable)


class JobFailed(Exception):
    """Raised by a job for an expected failure: the message is kept and shown to the user."""


class LeaseLost(Exception):
    """Another run took the job over (this one was thought dead): this run must stop writing."""


@dataclass(frozen=True)
class JobSpec:
    name: str
    function: Callable
    on_failure: Callable | None
    max_attempts: int


JOBS: dict[str, JobSpec] = {}


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


class Heartbeat(threading.Thread):
    """Renews the lease while the process lives; a frozen or killed process stops renewing it."""

    def __init__(self, engine, job_id: int, owner: str, lease: timedelta):
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.engine, self.job_id, self.owner, self.lease = engine, job_id, owner, lease
        self.stopped = threading.Event()
        self.lost = False

    def run(self) -> None:
        table = Job.__table__
        while not self.stopped.wait(self.lease.total_seconds() / 3):
            try:
                with self.engine.begin() as conn:
                    renewed = conn.execute(update(table).where(
                        table.c.id == self.job_id, table.c.lease_owner == self.owner, table.c.status == RUNNING,
                    ).values(lease_until=utcnow() + self.lease)).rowcount
            except DBAPIError as exc:  # the database is busy or away: the next beat tries again
                log.warning("Heartbeat of job %s not written: %s", self.job_id, exc)
                continue
            if not renewed:
                self.lost = True
                return

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


class JobContext:
    """What a running job's function gets: its id and attempt, progress, and the fenced commit."""

    def __init__(self, job: Job, owner: str, heartbeat: Heartbeat):
        self.id, self.attempt, self.owner = job.id, job.attempts, owner
        self._heartbeat = heartbeat
        self.result_file_id: int | None = None

    def _fenced(self, **values) -> None:
        if self._heartbeat.lost:
            raise LeaseLost(self.id)
        held = db.session.execute(
            update(Job).where(Job.id == self.id, Job.lease_owner == self.owner, Job.status == RUNNING).values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if held != 1:
            db.session.rollback()
            raise LeaseLost(self.id)

    def progress(self, done: int, total: int | None = None, note: str | None = None) -> None:
        """Record progress and COMMIT everything the job wrote so far, if this run still holds the job."""
        values = {"done": done, "lease_until": utcnow() + _lease()}
        if total is not None:
            values["total"] = total
        if note is not None:
            values["note"] = note[:300]
        self._fenced(**values)
        db.session.commit()

    def attach(self, stored_file) -> None:
        """The job's result is this stored file (a PDF, a workbook): the download offers it."""
        self.result_file_id = stored_file.id

    def finish(self, result: dict | None) -> None:
        now = utcnow()
        values = {"status": DONE, "finished_at": now, "lease_owner": None, "lease_until": None, "note": "",
                  "result": result or {}, "result_file_id": self.result_file_id}
        self._fenced(**values)
        db.session.commit()


def claim(job_id: int, name: str, owner: str) -> bool:
    """Take the job if it is waiting, or running under a lease nobody renewed (its worker died)."""
    now = utcnow()
    with db.engine.begin() as conn:
        table = Job.__table__
        return conn.execute(update(table).where(
            table.c.id == job_id, table.c.kind == name,
            or_(table.c.status == QUEUED, and_(table.c.status == RUNNING, table.c.lease_until < now)),
        ).values(status=RUNNING, lease_owner=owner, lease_until=now + _lease(), attempts=table.c.attempts + 1,
                 started_at=func.coalesce(table.c.started_at, now), updated_at=now)).rowcount == 1


def _settle(job_id: int, owner: str, **values) -> bool:
    """End this run's hold on the job (failed, or back to the queue); False if it was not held."""
    db.session.rollback()
    with db.engine.begin() as conn:
        table = Job.__table__
        return conn.execute(update(table).where(table.c.id == job_id, table.c.lease_owner == owner).values(
            lease_owner=None, lease_until=None, updated_at=utcnow(), **values)).rowcount == 1


def _fail(spec: JobSpec, job: Job, owner: str, error: str, seconds: float = 0.0) -> None:
    if not _settle(job.id, owner, status=FAILED, error=error, finished_at=utcnow(), note=""):
        return
    metrics.job_failed(spec.name, seconds)
    if spec.on_failure is not None:
        try:
            spec.on_failure(*job.args)
            db.session.commit()
        except Exception:
            log.exception("on_failure of job %s (%s) failed", job.id, spec.name)
            db.session.rollback()


def run_job(name: str, job_id: int) -> None:
    """The body of every tracked job's task: claim, run with a heartbeat, finish or fail."""
    spec = JOBS[name]
    owner = _owner()
    if not claim(job_id, name, owner):
        state = db.session.execute(select(Job.status, Job.lease_owner).where(Job.id == job_id)).first()
        log.info("Job %s (%s) not claimed: %s", job_id, name, tuple(state) if state else "no such job")
        return
    job = db.session.get(Job, job_id, populate_existing=True)  # as the claim left it
    heartbeat = Heartbeat(db.engine, job_id, owner, _lease())
    context = JobContext(job, owner, heartbeat)
    with request_id_bound(job.request_id), force_locale(job.locale):
        if job.attempts > spec.max_attempts:
            log.error("Job %s (%s) interrupted %s times: given up", job_id, name, job.attempts - 1)
            _fail(spec, job, owner, _("Il lavoro si è interrotto più volte ed è stato abbandonato."))
            return
        log.info("Job %s (%s) started, attempt %s", job_id, name, job.attempts)
        heartbeat.start()
        started = time.monotonic()
        try:
            args = list(job.args)
            result = spec.function(context, *args)
            context.finish(result)
        except LeaseLost:
            db.session.rollback()
            log.warning("Job %s (%s) was taken over by another run: this run stopped", job_id, name)
            return
        except JobFailed as exc:
            _fail(spec, job, owner, str(exc), time.monotonic() - started)
            log.info("Job %s (%s) failed: %s", job_id, name, exc)
            return
        except TRANSIENT as exc:
            log.warning("Job %s (%s) paused, the database is unavailable: %s", job_id, name, exc)
            _settle(job_id, owner, status=QUEUED)  # the sweeper sends it again
            return
        except Exception:
            log.exception("Job %s (%s) failed", job_id, name)
            _fail(spec, job, owner, _("Errore imprevisto durante il lavoro."), time.monotonic() - started)
            return
        finally:
            heartbeat.stop()
        metrics.job_done(name, time.monotonic() - started)
        log.info("Job %s (%s) done in %.1f s", job_id, name, time.monotonic() - started)


def sweep() -> int:
    """Send again the jobs nobody is running: queued ones whose message was lost (Redis down when
    they were queued, or restarted without its data) and running ones whose worker died."""
    config = current_app.config
    now = utcnow()
    stale = now - timedelta(seconds=config["JOB_REDISPATCH_SECONDS"])
    orphaned = select(Job.id, Job.kind, Job.request_id).where(or_(
        and_(Job.status == QUEUED, Job.dispatched_at < stale),
        and_(Job.status == RUNNING, Job.lease_until < now, or_(Job.dispatched_at < Job.lease_until, Job.dispatched_at < stale)),
    )).order_by(Job.id)
    rows = db.session.execute(orphaned).all()
    for job_id, kind, request_id in rows:
        if kind in JOBS and publish(kind, [job_id], request_id):
            db.session.execute(update(Job).where(Job.id == job_id).values(dispatched_at=now))
            db.session.commit()
            log.warning("Job %s (%s) sent again: nobody was running it", job_id, kind)
    return len(rows)
