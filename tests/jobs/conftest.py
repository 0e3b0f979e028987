"""Real Redis and real Celery worker processes for the job tests (never Celery's eager mode).

`redis_url` (tests/conftest.py) is a throw-away redis-server for the session. A module with workers uses
`real_jobs_config` as its `app_config`: the test app then sends its messages to that Redis
(`JOBS_MODE=celery`) and stores uploads in a folder the workers share. `worker_env` is the
environment of the module's workers and beat (same database, SMTP server, Redis and folder);
`workers` starts more of them for one test and kills them after it.
"""

import os

import pytest
import redis

from tests import services

LEASE_SECONDS = 3  # a killed worker's job is taken over within seconds, not a minute


@pytest.fixture(scope="module")
def job_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("jobs")


@pytest.fixture
def real_jobs_config(redis_url, job_folder) -> dict:
    return {"JOBS_MODE": "celery", "REDIS_URL": redis_url, "JOB_LEASE_SECONDS": LEASE_SECONDS,
            "UPLOAD_FOLDER": str(job_folder / "uploads")}


@pytest.fixture(scope="module")
def worker_env(database_url, smtp_server, redis_url, job_folder) -> dict:
    return {
        **os.environ, "PORTAL_ENV": "development", "SECRET_KEY": "test-secret", "LOG_FORMAT": "json",
        "PORTAL_INSTANCE_PATH": str(job_folder / "instance"), "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "UPLOAD_FOLDER": str(job_folder / "uploads"), "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server[1]), "PUBLIC_BASE_URL": "http://localhost", "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "JOB_SWEEP_SECONDS": "1", "JOB_REDISPATCH_SECONDS": "2", "MAIL_RETRY_SECONDS": "1",
    }


class Workers:
    """Workers and beat started by a test or a module, all killed at the end."""

    def __init__(self, env: dict, folder):
        self.env, self.folder = env, folder
        self.started: list[services.Worker] = []

    def start(self, name: str = "w1") -> services.Worker:
        worker = services.start_worker(self.env, self.folder / f"{name}.log", name, include="tests.jobs.sample")
        self.started.append(worker)
        return worker

    def beat(self) -> services.Worker:
        beat = services.start_beat(self.env, self.folder / "beat.log", self.folder)
        self.started.append(beat)
        return beat

    def logs(self, since: dict | None = None) -> str:
        """Everything they logged, or what they logged after `mark()` returned `since`."""
        since = since or {}
        return "".join(w.log.read_text(errors="replace")[since.get(w.log, 0):] for w in self.started)

    def mark(self) -> dict:
        return {w.log: len(w.log.read_text(errors="replace")) for w in self.started}

    def kill(self) -> None:
        for worker in self.started:
            worker.kill()  # throw-away processes: what they held goes with the Redis flushed below


@pytest.fixture
def workers(worker_env, tmp_path, redis_url):
    started = Workers(worker_env, tmp_path)
    yield started
    started.kill()
    redis.Redis.from_url(redis_url).flushdb()
