"""`flask --app portal users ...`: account jobs for the command line."""

import click
from flask.cli import AppGroup

from portal.access import Role
from portal.audit import record
from portal.extensions import db
from portal.members.models import User
from portal.members.services import normalise_email, user_by_email

users_cli = AppGroup("users", help="Account del portale.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Amministratore", show_default=True, help="Nome mostrato nel portale.")
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Crea il primo account amministratore (o reimposta la password di un amministratore)."""
    user = user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name, role=Role.ADMIN)
        db.session.add(user)
    elif user.role != Role.ADMIN:
        raise click.ClickException("Questa e-mail appartiene a un account che non è amministratore.")
    user.set_password(password)
    record("user.create_admin", user, {"email": user.email})
    db.session.commit()
    click.echo(f"Amministratore pronto: {user.email}")
