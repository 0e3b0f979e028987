"""`flask --app portal users ...`: account jobs for the command line."""

import click
from flask import current_app
from flask.cli import AppGroup

from portal.access import Role
from portal.audit import record
from portal.extensions import db
from portal.members import second_factor
from portal.members.models import User
from portal.members.passwords import password_problem
from portal.members.services import normalise_email, user_by_email

users_cli = AppGroup("users", help="Account del portale.")


def _user(email: str) -> User:
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"Nessun account con l'e-mail {email}.")
    return user


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Amministratore", show_default=True, help="Nome mostrato nel portale.")
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Crea il primo account amministratore (o reimposta la password di un amministratore)."""
    problem = password_problem(password, (email, name))
    if problem:
        raise click.ClickException(problem)
    user = user_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name, role=Role.ADMIN)
        db.session.add(user)
    elif user.role != Role.ADMIN:
        raise click.ClickException("Questa e-mail appartiene a un account che non è amministratore.")
    user.set_password(password)
    record("user.create_admin", user, {"email": user.email})
    db.session.commit()
    click.echo(f"Amministratore pronto: {user.email}. Al primo accesso imposterà la verifica in due passaggi.")


@users_cli.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Azzera la verifica in due passaggi di un utente (telefono e codici persi): la reimposta al prossimo accesso."""
    user = _user(email)
    second_factor.remove(user, by=None)
    click.echo(f"Verifica in due passaggi azzerata per {user.email}.")


@users_cli.command("demo-code")
@click.argument("email")
def demo_code(email: str) -> None:
    """Solo in sviluppo: il codice che l'app di autenticazione dell'utente mostra ora (per provare la demo)."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Comando riservato allo sviluppo: in produzione il codice è solo nell'app.")
    user = _user(email)
    if not second_factor.is_enrolled(user):
        raise click.ClickException(f"{user.email} non ha la verifica in due passaggi.")
    click.echo(second_factor.current_code(user))
