"""For the load balancer and the operator: `/healthz`, `/readyz` and `/metrics`.

`/healthz` says the process answers (a balancer restarts or drops a node that does not).
`/readyz` says the node can serve: the database, Redis (when jobs go through it) and the file
storage answer; a node that cannot is taken out of rotation (503) until they do. Neither tells
an outsider more than "ok" or "unavailable" per part: the reason goes to the log.
`/metrics` is Prometheus's, for whoever holds METRICS_TOKEN (Bearer); without a token set it
does not exist (404).
"""

import hmac
import logging

import redis
from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import func, select, text

from portal import metrics
from portal.access import public
from portal.extensions import db
from portal.jobs import ACTIVE, Job
from portal.jobs.engine import QUEUE
from portal.mail import SENT, OutboxMessage
from portal.storage import storage

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    return {"status": "ok"}


def _database() -> None:
    db.session.execute(text("SELECT 1"))


def _redis_client() -> redis.Redis:
    return redis.Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1)


def _redis() -> None:
    with _redis_client() as client:
        client.ping()


def _checks() -> dict:
    checks = {"database": _database, "storage": lambda: storage().check()}
    if current_app.config["JOBS_MODE"] == "celery":
        checks["redis"] = _redis
    return checks


@bp.get("/readyz")
@public
def readyz():
    parts = {}
    for name, check in _checks().items():
        try:
            check()
            parts[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - whatever failed, the node is not ready
            log.error("Readiness: %s unavailable: %s", name, exc)
            if name == "database":
                db.session.rollback()
            parts[name] = "unavailable"
    ready = all(state == "ok" for state in parts.values())
    return jsonify(status="ok" if ready else "unavailable", **parts), 200 if ready else 503


@bp.get("/metrics")
@public  # the token below is the rule: Prometheus holds no account
def prometheus():
    token = current_app.config["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token:
        abort(404)
    if not hmac.compare_digest(sent.encode(), token.encode()):
        abort(403)
    body, content_type = metrics.exposition(request.headers.get("Accept"), metrics.QueueCollector(waiting))
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


def waiting() -> dict:
    """The cluster's backlog, the same whichever node is asked: Celery's queue in Redis (with
    kombu's priority lists), jobs not finished, e-mails not sent."""
    figures = {
        "jobs": dict.fromkeys(ACTIVE, 0) | dict(db.session.execute(
            select(Job.status, func.count()).where(Job.status.in_(ACTIVE)).group_by(Job.status)).all()),
        "outbox": db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != SENT)),
    }
    if current_app.config["JOBS_MODE"] == "celery":
        try:
            with _redis_client() as client:
                figures["queues"] = {QUEUE: sum(client.llen(QUEUE + suffix) for suffix in ("", "\x06\x163", "\x06\x166", "\x06\x169"))}
        except redis.RedisError as exc:
            log.error("Metrics: Redis unavailable: %s", exc)
    return figures
