"""Settings of every gunicorn serving the portal: gunicorn reads this file from the project root."""

import gc


def post_worker_init(worker):
    """Keep what the worker built at start-up (modules, app, compiled code, ~200,000 objects) out of
    the full garbage collections: each one walked them all and held the GIL for ~0.2 s."""
    gc.collect()
    gc.freeze()
