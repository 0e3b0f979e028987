"""Alembic environment: the portal's models are the target; the app gives the database URL."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from portal.database import UTCDateTime

config = context.config
fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write portal column types as plain SQLAlchemy types, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name == "alembic_version")


def run_migrations_online() -> None:
    def skip_empty(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", skip_empty)
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_item=render_item,
            include_object=include_object,
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
