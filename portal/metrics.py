"""Prometheus metrics: request latency by endpoint (web), job durations and failures (workers)."""

from prometheus_client import Counter, Histogram

JOB_SECONDS = Histogram(
    "portal_job_duration_seconds", "Duration of the tracked jobs that finished, by kind.", ["kind"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900),
)
JOB_FAILURES = Counter("portal_job_failures_total", "Tracked jobs that failed, by kind.", ["kind"])


def job_done(kind: str, seconds: float) -> None:
    JOB_SECONDS.labels(kind).observe(seconds)


def job_failed(kind: str) -> None:
    JOB_FAILURES.labels(kind).inc()
