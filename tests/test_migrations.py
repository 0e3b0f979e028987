"""The migrations build exactly the schema of the models, on this run's database."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db
from tests import pgserver
from tests.conftest import database_kind, make_test_config


@pytest.fixture
def empty_database_url(tmp_path):
    if database_kind() == "postgresql":
        return pgserver.create_database(os.environ["TEST_PG_BASE_URL"], "portal_migrations")
    return f"sqlite:///{tmp_path / 'migrations.db'}"


@pytest.fixture
def migrated_app(empty_database_url, smtp_server, tmp_path):
    app = create_app(make_test_config(empty_database_url, smtp_server[1], tmp_path))
    with app.app_context():
        yield app
        db.engine.dispose()


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": lambda obj, name, type_, *a: name != "alembic_version"},
        )
        return compare_metadata(context, db.metadata)


def test_migrations_build_the_models_schema(migrated_app):
    upgrade()
    assert schema_differences() == []


def test_migrations_go_down_and_up_again(migrated_app):
    upgrade()
    downgrade(revision="base")
    with db.engine.connect() as conn:
        assert set(db.inspect(conn).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []
