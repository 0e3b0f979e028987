"""`flask --app portal demo`: a believable world to explore, safe to run twice.

Each module registers a seeder; seeders run in order and must be idempotent (look up by a
natural key before creating). Members come first: the others build on its companies.
"""

from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.extensions import db

_seeders: list[tuple[int, Callable[[], list[str]]]] = []


def seeder(order: int) -> Callable:
    """Register `fn() -> lines to print` to run at position `order` of the demo command."""

    def decorator(fn: Callable[[], list[str]]) -> Callable:
        _seeders.append((order, fn))
        return fn

    return decorator


def seed_all() -> list[str]:
    lines: list[str] = []
    for _, fn in sorted(_seeders, key=lambda s: s[0]):
        lines.extend(fn() or [])
        db.session.commit()
    return lines


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Dati dimostrativi. Li carica (si può ripetere) e stampa gli account di prova; mai in produzione."""
    if current_app.config["PORTAL_ENV"] == "production":  # its accounts have a published password
        raise click.ClickException("I dati dimostrativi non si caricano in produzione: i loro account hanno una password pubblica.")
    for line in seed_all():
        click.echo(line)
