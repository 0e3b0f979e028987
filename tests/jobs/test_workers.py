"""Jobs on real Celery workers and a real Redis: progress, copies of a message, a message lost
with Redis, e-mails sent and sent again, and the request id in the worker's log.

The test app sends its messages to a throw-away redis-server; one worker and beat run for the
whole module as separate processes on the same database, SMTP server and upload folder
(tests/jobs/conftest.py). A worker killed with kill -9 is in `test_worker_killed.py`.
"""

import json

import pytest
import redis
from sqlalchemy import select

from portal.access import Role
from portal.extensions import db
from portal.jobs import DONE, RUNNING, Job, enqueue
from portal.jobs.engine import publish
from portal.logs import request_id_bound
from portal.mail import FAILED, SENT, OutboxMessage
from tests.conftest import wait_for
from tests.jobs.conftest import Workers
from tests.jobs.sample import count_to, steps_of


@pytest.fixture
def app_config(real_jobs_config):
    return real_jobs_config


@pytest.fixture(scope="module")
def cluster(worker_env, job_folder):
    """One worker and beat for the whole module (its sweeper and mail retry run every second)."""
    started = Workers(worker_env, job_folder)
    started.start("w0")
    started.beat()
    yield started
    started.kill()


def read(statement):
    """What the workers committed (a fresh connection, not this session's memory)."""
    with db.engine.connect() as connection:
        return connection.execute(statement).first()


def job_state(job_id: int):
    return read(select(Job.status, Job.done, Job.attempts).where(Job.id == job_id))


@pytest.fixture
def cluster_logs(cluster):
    """What the module's worker and beat log during this test (job ids start again at 1 in each)."""
    mark = cluster.mark()
    return lambda: cluster.logs(since=mark)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_job_runs_on_a_worker_reports_progress_and_logs_under_the_request_id(app, cluster_logs):
    with request_id_bound("req-0815"):
        job_id = enqueue(count_to, 4, 0.4).id
        db.session.commit()

    seen = set()
    assert wait_for(lambda: seen.add(job_state(job_id)[:2]) or job_state(job_id)[0] == DONE, timeout=60)
    assert {(RUNNING, 1), (RUNNING, 2), (RUNNING, 3)} & seen, f"no progress seen while it ran: {seen}"
    assert job_state(job_id) == (DONE, 4, 1) and steps_of(job_id) == [0, 1, 2, 3]
    mine = [line for line in json_lines(cluster_logs()) if line["message"].startswith(f"Job {job_id} ")]
    assert mine and {line["request_id"] for line in mine} == {"req-0815"}


def test_copies_of_a_message_run_the_job_once(app, cluster_logs, workers):
    workers.start("w2")
    job_id = enqueue(count_to, 3, 0.3).id
    db.session.commit()
    for _ in range(3):  # a redelivery, the sweeper, a second beat by mistake...
        assert publish("tests.count_to", [job_id])

    assert wait_for(lambda: job_state(job_id)[0] == DONE, timeout=60)
    assert wait_for(lambda: redis.Redis.from_url(app.config["REDIS_URL"]).llen("portal") == 0, timeout=30)
    assert wait_for(lambda: (cluster_logs() + workers.logs()).count(f"Job {job_id} (tests.count_to) not claimed") >= 3)
    assert job_state(job_id) == (DONE, 3, 1) and steps_of(job_id) == [0, 1, 2]
    assert (cluster_logs() + workers.logs()).count(f"Job {job_id} (tests.count_to) started") == 1


def test_a_job_whose_message_was_lost_is_sent_again_by_the_sweeper(app, cluster_logs):
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"  # nothing listens there: the message cannot leave
    app.extensions["celery"].conf.broker_url = app.config["REDIS_URL"]
    job_id = enqueue(count_to, 2).id
    db.session.commit()  # committed all the same; the request would have gone on

    assert job_state(job_id)[0] == "queued"
    assert wait_for(lambda: job_state(job_id)[0] == DONE, timeout=60), cluster_logs()[-3000:]
    assert steps_of(job_id) == [0, 1]
    assert f"Job {job_id} (tests.count_to) sent again" in cluster_logs()


def test_e_mail_leaves_through_a_worker_with_the_request_id_in_its_log(app, client, cluster_logs, make_user, smtp):
    user = make_user(Role.STAFF)

    response = client.post("/password/dimenticata", data={"email": user.email}, headers={"X-Request-ID": "req-4711"})

    assert response.status_code == 302 and response.headers["X-Request-ID"] == "req-4711"
    assert wait_for(lambda: smtp.to(user.email), timeout=30)
    assert wait_for(lambda: read(select(OutboxMessage.status))[0] == SENT)
    message_id = read(select(OutboxMessage.id))[0]
    assert any(line["message"] == f"E-mail {message_id} sent (attempt 1)" and line["request_id"] == "req-4711"
               for line in json_lines(cluster_logs()))


def test_beat_sends_again_an_e_mail_the_smtp_server_refused(app, cluster_logs, smtp):
    db.session.add(OutboxMessage(recipient="anna@example.it", subject="Promemoria", body="Testo", status=FAILED,
                                 attempts=1, last_error="Connection refused"))
    db.session.commit()  # its pause after the failure is over (no retry_after)

    assert wait_for(lambda: smtp.to("anna@example.it"), timeout=30), cluster_logs()[-2000:]
    assert wait_for(lambda: read(select(OutboxMessage.status, OutboxMessage.attempts)) == (SENT, 2))
