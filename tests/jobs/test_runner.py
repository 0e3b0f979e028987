"""The rules that make a job's result land exactly once, checked in one process.

Here the jobs run in the suite's test mode (right after the commit, through the same claim and
fenced commits as a worker); `test_workers.py` runs them on real Celery workers and Redis.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal import create_app
from portal.audit import AuditEntry
from portal.config import DevelopmentConfig
from portal.database import utcnow
from portal.jobs import DONE, FAILED, QUEUED, RUNNING, Job, enqueue
from portal.jobs.runner import Heartbeat, JobContext, LeaseLost, claim, run_job
from tests.jobs.sample import GAVE_UP, count_to, crash, refuse, steps_of


def fresh(db, job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def queued(db, function, *args) -> Job:
    """A job row as enqueue writes it, without running it (the test runs it step by step)."""
    job = Job(kind=function.task_name, args=list(args), dispatched_at=utcnow())
    db.session.add(job)
    db.session.commit()
    return job


def test_an_enqueued_job_runs_after_the_commit_and_records_its_result(app, db):
    job = enqueue(count_to, 3)
    assert job.status == QUEUED and steps_of(job.id) == []  # nothing runs before the commit
    db.session.commit()

    job = fresh(db, job.id)
    assert (job.status, job.done, job.total, job.attempts, job.result) == (DONE, 3, 3, 1, {"counted": 3})
    assert job.lease_owner is None and job.finished_at is not None
    assert steps_of(job.id) == [0, 1, 2]


def test_nothing_runs_when_the_transaction_rolls_back(app, db):
    job_id = enqueue(count_to, 3).id
    db.session.rollback()
    db.session.commit()
    assert db.session.get(Job, job_id) is None and steps_of(job_id) == []


def test_only_one_of_two_claims_wins(app, db):
    job = queued(db, count_to, 1)
    assert claim(job.id, "tests.count_to", "a") is True
    assert claim(job.id, "tests.count_to", "b") is False  # a holds a live lease
    assert fresh(db, job.id).lease_owner == "a"


def test_a_job_whose_lease_expired_is_claimed_again_with_one_more_attempt(app, db):
    job = queued(db, count_to, 1)
    claim(job.id, "tests.count_to", "dead")
    db.session.execute(update(Job).where(Job.id == job.id).values(lease_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert claim(job.id, "tests.count_to", "alive") is True
    job = fresh(db, job.id)
    assert (job.lease_owner, job.attempts, job.status) == ("alive", 2, RUNNING)


def test_a_run_that_lost_its_lease_writes_nothing(app, db):
    job = queued(db, count_to, 2)
    claim(job.id, "tests.count_to", "slow")
    slow = JobContext(fresh(db, job.id), "slow", Heartbeat(db.engine, job.id, "slow", timedelta(seconds=60)))
    # The slow run was thought dead; another run took the job over.
    db.session.execute(update(Job).where(Job.id == job.id).values(lease_owner="other"))
    db.session.commit()

    db.session.add(AuditEntry(action="tests.step", object_type="Job", object_id=job.id, changes={"i": 0}))
    with pytest.raises(LeaseLost):
        slow.progress(1, 2)
    with pytest.raises(LeaseLost):
        slow.finish({"counted": 2})
    assert steps_of(job.id) == [] and fresh(db, job.id).status == RUNNING


def test_a_second_attempt_clears_what_the_first_committed(app, db):
    job = queued(db, count_to, 3)
    claim(job.id, "tests.count_to", "first")
    first = JobContext(fresh(db, job.id), "first", Heartbeat(db.engine, job.id, "first", timedelta(seconds=60)))
    db.session.add(AuditEntry(action="tests.step", object_type="Job", object_id=job.id, changes={"i": 0}))
    first.progress(1, 3)  # committed, then the worker dies
    db.session.execute(update(Job).where(Job.id == job.id).values(lease_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    run_job("tests.count_to", job.id)

    job = fresh(db, job.id)
    assert (job.status, job.attempts) == (DONE, 2) and steps_of(job.id) == [0, 1, 2]


def test_a_finished_job_is_not_run_again_by_a_late_message(app, db):
    job = enqueue(count_to, 2)
    db.session.commit()
    run_job("tests.count_to", job.id)  # the broker delivers a copy after all
    job = fresh(db, job.id)
    assert (job.status, job.attempts) == (DONE, 1) and steps_of(job.id) == [0, 1]


def test_an_expected_failure_keeps_its_message_and_calls_on_failure(app, db):
    job = enqueue(refuse, "Il file non è leggibile.")
    db.session.commit()
    job = fresh(db, job.id)
    assert (job.status, job.error) == (FAILED, "Il file non è leggibile.")
    assert db.session.scalar(select(AuditEntry.changes).where(AuditEntry.action == GAVE_UP)) == {"args": ["Il file non è leggibile."]}


def test_an_unexpected_error_fails_the_job_without_its_writes(app, db):
    job = enqueue(crash)
    db.session.commit()
    job = fresh(db, job.id)
    assert job.status == FAILED and job.error == "Errore imprevisto durante il lavoro." and "a bug" not in job.error
    assert steps_of(job.id) == []  # rolled back
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == GAVE_UP)) == GAVE_UP


def test_a_job_that_keeps_killing_its_worker_is_given_up(app, db):
    job = queued(db, count_to, 1)
    for owner in ("w1", "w2", "w3"):  # three attempts, each worker died
        claim(job.id, "tests.count_to", owner)
        db.session.execute(update(Job).where(Job.id == job.id).values(lease_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()

    run_job("tests.count_to", job.id)

    job = fresh(db, job.id)
    assert job.status == FAILED and "più volte" in job.error and steps_of(job.id) == []
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == GAVE_UP)) == GAVE_UP


def test_a_key_starts_one_job_while_it_is_active(app, db, monkeypatch):
    monkeypatch.setattr("portal.jobs._send", lambda *args: None)  # held: nobody runs it
    first = enqueue(count_to, 1, key="brief:7")
    db.session.commit()
    assert enqueue(count_to, 1, key="brief:7").id == first.id
    db.session.execute(update(Job).where(Job.id == first.id).values(status=DONE))
    db.session.commit()
    assert enqueue(count_to, 1, key="brief:7").id != first.id


def test_the_inline_mode_cannot_run_outside_the_tests(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("JOBS_MODE", "inline")  # not read from the environment at all
    assert create_app().config["JOBS_MODE"] == "celery"

    monkeypatch.setattr(DevelopmentConfig, "JOBS_MODE", "inline")
    with pytest.raises(RuntimeError, match="test suite only"):
        create_app()
