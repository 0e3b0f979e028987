"""Background work on Celery with a Redis broker: tracked jobs, plain tasks and periodic tasks.

Declare (at import time of a module's package):

    @job("tariffs.check_batch", on_failure=batch_interrupted)
    def check_batch(job: JobContext, batch_id: int) -> dict | None:
        if job.attempt > 1: ...            # clear what an interrupted attempt committed
        job.progress(done, total)          # commits the job's writes so far (fenced)
        return {"rows": n}                 # kept in Job.result; job.attach(stored) for a file

    @task("mail.deliver")                  # idempotent by its own data
    def deliver(message_ids: list[int]) -> None: ...

    @periodic("certificates.expire", crontab(hour=2, minute=30))   # run by Celery beat
    def expire_certificates() -> None: ...

Start, inside the transaction of the action that causes it:

    job = enqueue(check_batch, batch.id, user=current_user)   # a Job row; `key=` reuses an active one
    dispatch(deliver, [message.id])
    db.session.commit()                                        # the messages leave now, not before

Read: `db.session.get(Job, id).state()` (status, done, total, percent, note, error) or the
`jobs.status` JSON endpoint that `static/js/jobs/progress.js` polls.

In the test suite (TESTING only) `JOBS_MODE = "inline"` runs each job or task right after the
commit, in its own app context, through the same claim and fenced commit as a worker; the job
tests (`tests/jobs/`) run real Redis and real worker processes instead.
"""

from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from celery.schedules import crontab
from flask import current_app, has_request_context
from flask_babel import get_locale
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.extensions import db
from portal.jobs.engine import SCHEDULE, TASKS, make_celery, publish, run_task
from portal.jobs.models import ACTIVE, DONE, FAILED, QUEUED, RUNNING, Job
from portal.jobs.runner import JOBS, JobContext, JobFailed, JobSpec, run_job, sweep
from portal.logs import current_request_id

PENDING = "jobs.pending"

__all__ = [
    "ACTIVE", "DONE", "FAILED", "QUEUED", "RUNNING", "Job", "JobContext", "JobFailed",
    "dispatch", "enqueue", "init_app", "job", "periodic", "send_now", "task",
]


def task(name: str) -> Callable:
    """Declare a plain task: a function of JSON-able arguments, safe to run twice."""

    def declare(function: Callable) -> Callable:
        TASKS[name] = function
        shared_task(name=name)(function)
        function.task_name = name
        return function

    return declare


def periodic(name: str, schedule) -> Callable:
    """Declare a task that Celery beat sends on `schedule`: a crontab, a timedelta, seconds, or
    the name of a setting holding seconds. Several beats by mistake must do no harm: keep it idempotent."""

    def declare(function: Callable) -> Callable:
        SCHEDULE[name] = schedule
        return task(name)(function)

    return declare


def job(name: str, on_failure: Callable | None = None, max_attempts: int = 3) -> Callable:
    """Declare a tracked job: `function(job: JobContext, *args)`. `on_failure(*args)` runs (and is
    committed) when the job fails or was interrupted `max_attempts` times, e.g. to tell the user."""

    def declare(function: Callable) -> Callable:
        JOBS[name] = JobSpec(name, function, on_failure, max_attempts)

        def run(job_id: int) -> None:
            run_job(name, job_id)

        task(name)(run)
        function.task_name = name
        return function

    return declare


def _after_commit(name: str, args: list, request_id: str) -> None:
    db.session.info.setdefault(PENDING, []).append((name, args, request_id))


def enqueue(function: Callable, *args, user=None, key: str | None = None) -> Job:
    """Add a tracked job to the current transaction (sent to the workers when it commits).

    With `key`, a job of the same key still queued or running is returned instead of a new one
    (two clicks on "build the PDF" start one build)."""
    if key is not None:
        active = db.session.scalar(select(Job).where(Job.key == key, Job.status.in_(ACTIVE)).order_by(Job.id.desc()))
        if active is not None:
            return active
    new = Job(kind=function.task_name, args=list(args), key=key, created_by_id=getattr(user, "id", None),
              request_id=current_request_id(), locale=str(get_locale()) if has_request_context() else "it",
              dispatched_at=utcnow())
    db.session.add(new)
    db.session.flush()
    _after_commit(new.kind, [new.id], new.request_id)
    return new


def dispatch(function: Callable, *args) -> None:
    """Send a plain task when the current transaction commits (nothing if it rolls back)."""
    _after_commit(function.task_name, list(args), current_request_id())


def send_now(function: Callable, *args) -> None:
    """Send a plain task at once (from code that has already committed, e.g. an after-commit hook)."""
    _send(current_app._get_current_object(), function.task_name, list(args), current_request_id())


def _send(app, name: str, args: list, request_id: str) -> None:
    if app.config["JOBS_MODE"] == "inline":
        run_task(app, name, args, request_id)
    else:
        publish(name, args, request_id)


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, [])
    if pending:
        app = current_app._get_current_object()
        for name, args, request_id in pending:
            _send(app, name, args, request_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


@periodic("jobs.sweep", "JOB_SWEEP_SECONDS")
def sweep_jobs() -> None:
    sweep()


@periodic("jobs.purge", crontab(hour=3, minute=20))
def purge_jobs() -> None:
    """Finished jobs are kept JOB_KEEP_DAYS; their result files go with the nightly storage clean-up."""
    cutoff = utcnow() - timedelta(days=current_app.config["JOB_KEEP_DAYS"])
    db.session.execute(delete(Job).where(Job.status.in_((DONE, FAILED)), Job.finished_at < cutoff))
    db.session.commit()


def init_app(app) -> None:
    """Bind Celery to the app (after every module declared its tasks: the beat schedule is read here)."""
    if app.config["JOBS_MODE"] not in ("celery", "inline"):
        raise RuntimeError(f"JOBS_MODE must be 'celery' or 'inline', not {app.config['JOBS_MODE']!r}.")
    if app.config["JOBS_MODE"] == "inline" and not app.testing:
        raise RuntimeError("JOBS_MODE='inline' exists for the test suite only: the portal runs jobs on Celery workers.")
    make_celery(app)
