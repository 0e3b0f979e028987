"""Prometheus metrics: request latency by endpoint (web nodes), job and task durations and
failures (workers), and, computed when scraped, the queue depth and the jobs and e-mails waiting.

Several processes share one node's figures when PROMETHEUS_MULTIPROC_DIR names a folder they
all write to (gunicorn's workers: `gunicorn.conf.py` sets it up; a Celery worker's pool: set by
`worker.py`). A web node serves them at `/metrics` (portal/health.py); a worker node serves its
own on WORKER_METRICS_PORT.
"""

import os
import time
from contextlib import contextmanager

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import REGISTRY

REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds", "Time to answer a request, by endpoint.", ["method", "endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOB_SECONDS = Histogram(
    "portal_job_duration_seconds", "Duration of the tracked jobs, by kind and outcome (done, failed).",
    ["kind", "outcome"], buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
)
JOB_FAILURES = Counter("portal_job_failures_total", "Tracked jobs that failed, by kind.", ["kind"])
TASK_SECONDS = Histogram(
    "portal_task_duration_seconds", "Duration of every Celery task (tracked jobs included), by task.", ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900),
)
TASK_FAILURES = Counter("portal_task_failures_total", "Celery tasks that raised, by task.", ["task"])


def job_done(kind: str, seconds: float) -> None:
    JOB_SECONDS.labels(kind, "done").observe(seconds)


def job_failed(kind: str, seconds: float = 0.0) -> None:
    JOB_SECONDS.labels(kind, "failed").observe(seconds)
    JOB_FAILURES.labels(kind).inc()


@contextmanager
def timed_task(name: str):
    start = time.monotonic()
    try:
        yield
    except Exception:
        TASK_FAILURES.labels(name).inc()
        raise
    finally:
        TASK_SECONDS.labels(name).observe(time.monotonic() - start)


def register(app: Flask) -> None:
    """Time every request by endpoint (the route's name: a bounded set of labels)."""

    @app.before_request
    def start_timer():
        g.metrics_start = time.perf_counter()

    @app.after_request
    def observe(response):
        start = g.pop("metrics_start", None)
        if start is not None:
            endpoint = request.url_rule.endpoint if request.url_rule else "unknown"
            REQUEST_SECONDS.labels(request.method, endpoint, str(response.status_code)).observe(time.perf_counter() - start)
        return response


class QueueCollector:
    """Figures read when Prometheus scrapes: the Celery queue in Redis, jobs and e-mails waiting."""

    def __init__(self, read):
        self.read = read

    def collect(self):
        figures = self.read()
        depth = GaugeMetricFamily("portal_queue_depth", "Messages waiting in the Celery queue.", labels=["queue"])
        for queue, value in figures.get("queues", {}).items():
            depth.add_metric([queue], value)
        yield depth
        jobs = GaugeMetricFamily("portal_jobs", "Tracked jobs not finished, by status.", labels=["status"])
        for status, value in figures.get("jobs", {}).items():
            jobs.add_metric([status], value)
        yield jobs
        yield GaugeMetricFamily("portal_outbox_pending", "E-mails queued or failed, not sent yet.",
                                value=figures.get("outbox", 0))


def registry(extra=None) -> CollectorRegistry:
    """The node's metrics: every process of it when PROMETHEUS_MULTIPROC_DIR is set, else this one."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
    else:
        combined = CollectorRegistry()
        combined.register(_ProcessMetrics())
    if extra is not None:
        combined.register(extra)
    return combined


class _ProcessMetrics:
    """This process's own metrics (the default registry), inside a registry of one scrape."""

    def collect(self):
        yield from REGISTRY.collect()


def exposition(accept: str | None, extra=None) -> tuple[bytes, str]:
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry(extra)), content_type

