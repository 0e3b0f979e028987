"""Celery bound to the Flask app: its settings, the context every task runs in, sending messages.

Settings that make a killed worker harmless: messages are acknowledged after the task ran
(`task_acks_late`), a message whose worker process died is given back to the queue
(`task_reject_on_worker_lost`), a worker takes one message at a time (`prefetch 1`), and a
message a dead worker held is delivered again after the broker's visibility timeout. None of
this decides whether work is done twice: the tasks are idempotent (see `runner.py`).
"""

import logging
import os
from contextlib import contextmanager
from datetime import timedelta

from celery import Celery, Task, signals
from flask import Flask, current_app
from flask_babel import force_locale
from prometheus_client import multiprocess, start_http_server

from portal import metrics
from portal.extensions import db
from portal.logs import configure_logging, request_id_bound

log = logging.getLogger(__name__)

QUEUE = "portal"
TASKS: dict[str, callable] = {}  # every declared task body by name: what a worker (or the test mode) runs
SCHEDULE: dict[str, object] = {}  # periodic task name -> crontab, timedelta, seconds, or a config key holding seconds


@contextmanager
def task_context(app: Flask, request_id: str = "", locale: str = "it"):
    """What a task runs in: its own app context and database session, a request context for
    absolute links (PUBLIC_BASE_URL), the language of whoever started it, and their request id."""
    with app.app_context(), app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]), \
            force_locale(locale), request_id_bound(request_id):
        yield


def run_task(app: Flask, name: str, args: list, request_id: str = "") -> None:
    """Run a task here and now (the test suite's inline mode): as a worker would, timed."""
    with task_context(app, request_id), metrics.timed_task(name):
        TASKS[name](*args)


def _schedule(app: Flask, value):
    if isinstance(value, str):
        value = app.config[value]
    if isinstance(value, int | float):
        value = timedelta(seconds=value)
    return value


def _expires(schedule) -> float | None:
    """A periodic message not run within its own interval is dropped: the next one comes anyway."""
    return schedule.total_seconds() if isinstance(schedule, timedelta) else None


def settings(app: Flask) -> dict:
    config = app.config
    beat = {}
    for name, value in SCHEDULE.items():
        schedule = _schedule(app, value)
        beat[name] = {"task": name, "schedule": schedule, "options": {"expires": _expires(schedule)}}
    return {
        "broker_url": config["REDIS_URL"],
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": config["JOB_VISIBILITY_TIMEOUT"],
            "socket_connect_timeout": 3,
            "socket_timeout": 10,
        },
        # a web request that cannot reach Redis goes on: the job waits in the database for the sweeper
        "task_publish_retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
        "task_default_queue": QUEUE,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_ignore_result": True,
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "worker_hijack_root_logger": False,
        "worker_max_tasks_per_child": config["JOB_MAX_TASKS_PER_CHILD"],  # WeasyPrint and openpyxl keep memory
        "beat_schedule": beat,
        "timezone": config["BABEL_DEFAULT_TIMEZONE"],
    }


def make_celery(app: Flask) -> Celery:
    """The app's Celery: tasks run in `task_context`; `app.extensions["celery"]` sends messages."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with task_context(app, getattr(self.request, "request_id", None) or ""), metrics.timed_task(self.name):
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(settings(app))
    celery.flask_app = app
    celery.set_default()  # the tasks declared with shared_task bind to this one
    app.extensions["celery"] = celery
    return celery


def publish(name: str, args: list, request_id: str = "", countdown: float | None = None) -> bool:
    """Send one task message; False (logged) when Redis cannot be reached. Never raises: the
    caller's work is committed, and what the message asked for is found again by the sweeper."""
    celery = current_app.extensions["celery"]
    try:
        celery.send_task(name, args=args, headers={"request_id": request_id}, countdown=countdown, queue=QUEUE)
    except Exception as exc:  # noqa: BLE001 - kombu raises the transport's own errors
        log.error("Task %s%s not sent (Redis unreachable?): %s", name, args, exc)
        return False
    return True


@signals.setup_logging.connect
def _worker_logging(**kwargs):
    """The worker logs like the web nodes (JSON lines with the request id), not in Celery's format."""
    from celery import current_app as celery

    app = getattr(celery, "flask_app", None)
    configure_logging(app.config["LOG_FORMAT"] if app else "json", app.config["LOG_LEVEL"] if app else "INFO")


@signals.worker_process_init.connect
def _fresh_connections(**kwargs):
    """A forked pool process must not share the parent's database connections."""
    from celery import current_app as celery

    app = getattr(celery, "flask_app", None)
    if app is not None:
        with app.app_context():
            db.engine.dispose(close=False)


@signals.worker_ready.connect
def _serve_metrics(**kwargs):
    """The worker's metrics (its pool's, through PROMETHEUS_MULTIPROC_DIR) on WORKER_METRICS_PORT, if set."""
    from celery import current_app as celery

    app = getattr(celery, "flask_app", None)
    if app is not None and app.config["WORKER_METRICS_PORT"]:
        start_http_server(app.config["WORKER_METRICS_PORT"], addr=app.config["METRICS_BIND"], registry=metrics.registry())


@signals.worker_process_shutdown.connect
def _forget_metrics_of_ended_process(**kwargs):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(os.getpid())

