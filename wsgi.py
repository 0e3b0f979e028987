"""Entry point for gunicorn: `gunicorn wsgi:app` (configuration from the environment)."""

from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app

app = create_app()
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
