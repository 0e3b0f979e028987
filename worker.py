"""Entry point for Celery: `celery -A worker:celery worker` and `celery -A worker:celery beat`.

The worker builds the same app as the web nodes (configuration from the environment), so a job
runs with the same settings, database and storage as the request that queued it.
"""

from portal import create_app

app = create_app()
celery = app.extensions["celery"]
