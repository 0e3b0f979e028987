"""Settings of every gunicorn serving the portal: gunicorn reads this file from the project root."""

import gc
import os
import shutil
import tempfile
from pathlib import Path

_metrics_folder_made_here = False


def on_starting(server):
    """The workers of this gunicorn count their Prometheus metrics in one shared folder
    (PROMETHEUS_MULTIPROC_DIR, made here unless given), so that /metrics on any worker reports the
    whole node. A folder given is emptied: figures of a previous run would be added to this one."""
    global _metrics_folder_made_here
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        for stale in Path(folder).glob("*.db"):
            stale.unlink()
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="portal-metrics-")
        _metrics_folder_made_here = True


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _metrics_folder_made_here:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def post_worker_init(worker):
    """Keep what the worker built at start-up (modules, app, compiled code, ~200,000 objects) out of
    the full garbage collections: each one walked them all and held the GIL for ~0.2 s."""
    gc.collect()
    gc.freeze()
