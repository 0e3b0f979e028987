"""Entry point for Celery: `celery -A worker:celery worker` and `celery -A worker:celery beat`.

The worker builds the same app as the web nodes (configuration from the environment), so a job
runs with the same settings, database and storage as the request that queued it. Its pool
processes count their Prometheus metrics in one folder (PROMETHEUS_MULTIPROC_DIR, made here
unless given), served on WORKER_METRICS_PORT when set.
"""

import atexit
import os
import shutil
import tempfile

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # before prometheus_client is imported
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="portal-worker-metrics-")
    atexit.register(shutil.rmtree, os.environ["PROMETHEUS_MULTIPROC_DIR"], True)  # the main process, at its end

from portal import create_app  # noqa: E402

app = create_app()
celery = app.extensions["celery"]
