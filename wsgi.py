"""Entry point for gunicorn: `gunicorn wsgi:app` (configuration from the environment;
TRUSTED_PROXIES says how many proxies in front may set X-Forwarded-*)."""

from portal import create_app

app = create_app()
