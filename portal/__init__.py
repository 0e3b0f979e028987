"""The Assocontact portal: `create_app` reads as the table of contents of the application."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import (
    assets,
    certification,
    core,
    health,
    inputs,
    jobs,
    logs,
    markup,
    members,
    metrics,
    reshoring,
    storage,
    tariffs,
)
from portal.access import enforce_access
from portal.backup import backup_cli
from portal.config import CONFIGS, PROJECT_ROOT, production_problems
from portal.demo import demo_command
from portal.errors import register as register_error_pages
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate
from portal.formatting import FILTERS
from portal.geography import country_name
from portal.legal import REFERENCES
from portal.mail import mail_cli
from portal.members.cli import users_cli
from portal.members.forms import CHANNELS, MEMBERSHIP_LABELS, REQUEST_LABELS, ROLE_LABELS
from portal.navigation import menu_for, nav_for, tasks_for
from portal.security import set_security_headers


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("PORTAL_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(assets.STATIC_FOLDER),
    )
    configure(app, test_config)
    assets.init_app(app)
    register_extensions(app)
    register_blueprints(app)
    register_jobs(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_request_hooks(app)
    register_commands(app)
    register_shellcontext(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    env = "testing" if test_config else os.environ.get("PORTAL_ENV", "development")
    app.config.from_object(CONFIGS[env])
    app.config["PORTAL_ENV"] = env
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'portal.db'}"
    if not app.config["UPLOAD_FOLDER"]:
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    if not app.config["SECRET_KEY"]:
        raise RuntimeError("SECRET_KEY must be set in production (environment variable).")
    check_public_base_url(app.config["PUBLIC_BASE_URL"])
    if env == "production" and (problems := production_problems(app.config)):
        raise RuntimeError("\n".join(problems))
    if app.config["TRUSTED_PROXIES"]:  # only then may X-Forwarded-* name the client and the scheme
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def check_public_base_url(url: str) -> None:
    """Every e-mail link and certificate QR code starts with it: a missing or relative one is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuntimeError("PUBLIC_BASE_URL must be set in production to the portal's public address, "
                           "e.g. https://portale.assocontact.it (links in e-mails and QR codes use it).")


def select_locale() -> str:
    if not has_request_context():
        return "it"  # CLI jobs and demo data speak Italian
    if "lang" in session:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    return "it"


def register_extensions(app: Flask) -> None:
    inputs.register(app)
    logs.register(app)
    metrics.register(app)
    storage.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    for module in (core, health, members, certification, tariffs, reshoring):
        app.register_blueprint(module.bp)


def register_jobs(app: Flask) -> None:
    """Celery bound to the app (every module has declared its jobs and periodic tasks on import)."""
    jobs.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    register_error_pages(app)


def page_url(number: int) -> str:
    """The current page's URL with its filters and another page number."""
    return url_for(request.endpoint, **(request.view_args or {}), **{**request.args.to_dict(), "page": number})


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.filters.update(markup.FILTERS)
    app.jinja_env.globals.update(markup.GLOBALS)
    app.jinja_env.filters["channel_label"] = lambda code: dict(CHANNELS).get(code, code)
    app.jinja_env.globals.update(
        nav_for=nav_for,
        menu_for=menu_for,
        tasks_for=tasks_for,
        page_url=page_url,
        endpoint_exists=lambda endpoint: endpoint in app.view_functions,
        get_locale=get_locale,
        country_name=country_name,
        legal_references=REFERENCES,
        role_labels=ROLE_LABELS,
        membership_labels=MEMBERSHIP_LABELS,
        request_labels=REQUEST_LABELS,
    )
    app.jinja_env.add_extension("jinja2.ext.do")


def register_request_hooks(app: Flask) -> None:
    app.before_request(enforce_access)
    app.after_request(set_security_headers)

    @app.context_processor
    def inject_request_path():
        return {"current_endpoint": request.endpoint}


def register_commands(app: Flask) -> None:
    for command in (demo_command, mail_cli, users_cli, backup_cli):
        app.cli.add_command(command)


def register_shellcontext(app: Flask) -> None:
    @app.shell_context_processor
    def shell_context():
        return {"db": db}
