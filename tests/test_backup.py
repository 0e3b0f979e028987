"""Backup round trip: dump a portal with data and files, restore into an empty database."""

import io
import os
from decimal import Decimal

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from portal import create_app
from portal.access import Role
from portal.audit import AuditEntry, record
from portal.backup import dump, restore
from portal.extensions import db
from portal.members.models import Company, User
from portal.uploads import StoredFile, store_upload
from tests import pgserver
from tests.conftest import database_kind, empty_all_tables, make_test_config, new_bucket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def restore_target(smtp_server, tmp_path):
    if database_kind() == "postgresql":
        url = pgserver.create_database(os.environ["TEST_PG_BASE_URL"], "portal_restore")
    else:
        url = f"sqlite:///{tmp_path / 'restore.db'}"
    config = make_test_config(url, smtp_server[1], tmp_path / "target")
    target = create_app(config)
    with target.app_context():
        upgrade()
    return target


def test_dump_and_restore_round_trip(app, make_company, make_user, restore_target, tmp_path):
    stamp_head()
    company = make_company(name="Backup S.r.l.", sites=2)
    user = make_user(Role.COMPANY_ADMIN, company=company)
    stored = store_upload(FileStorage(io.BytesIO(PDF), filename="durc.pdf"), {"pdf"}, user)
    record("test.backup", company, {"amount": Decimal("0.4282")})
    db.session.commit()
    archive = tmp_path / "backup.tar.gz"
    counts, missing = dump(archive)
    assert missing == 0 and counts["company"] == 1 and counts["site"] == 2 and counts["stored_file"] == 1

    with restore_target.app_context():
        restored = restore(archive)
        assert restored == counts
        copy = db.session.scalar(select(Company).where(Company.partita_iva == company.partita_iva))
        assert copy.ragione_sociale == "Backup S.r.l." and len(copy.sites) == 2
        assert db.session.scalar(select(User).where(User.email == user.email)).check_password("password-di-prova-1")
        stored_copy = db.session.get(StoredFile, stored.id)
        assert stored_copy.read() == PDF
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == counts["audit_entry"]
        # New rows get fresh ids after a restore (sequences follow the restored rows).
        db.session.add(Company(**{**{c: getattr(copy, c) for c in ("codice_fiscale", "pec", "indirizzo", "cap", "comune", "provincia", "regione")},
                                  "ragione_sociale": "Nuova", "partita_iva": "01234560587"}))
        db.session.commit()
        db.engine.dispose()


def test_restore_refuses_a_database_with_data(app, make_company, tmp_path):
    stamp_head()
    make_company()
    archive = tmp_path / "backup.tar.gz"
    dump(archive)
    with pytest.raises(Exception, match="non è vuoto"):
        restore(archive)


def stamp_head():
    """The test database is built by create_all: stamp it so dump() records the head revision."""
    from flask_migrate import stamp

    stamp()


@pytest.mark.parametrize("source, target", [("local", "s3"), ("s3", "local"), ("s3", "s3")])
def test_stored_files_travel_with_the_backup_between_backends(source, target, _schema, smtp_server, database_url,
                                                              tmp_path, s3_endpoint):
    """A portal on the local folder moves to S3 (and back, or to another bucket) with `backup dump` and `restore`."""
    def portal(backend: str, url: str, folder):
        config = make_test_config(url, smtp_server[1], folder)
        return create_app(config | new_bucket(s3_endpoint) if backend == "s3" else config)

    if database_kind() == "postgresql":
        target_url = pgserver.create_database(os.environ["TEST_PG_BASE_URL"], f"portal_restore_{source}_{target}")
    else:
        target_url = f"sqlite:///{tmp_path / 'restore.db'}"
    origin = portal(source, database_url, tmp_path / "source")
    copy = portal(target, target_url, tmp_path / "target")
    archive = tmp_path / "backup.tar.gz"
    with origin.app_context():
        stamp_head()
        user = User(email="backup@example.it", name="Backup", role=Role.STAFF)
        db.session.add(user)
        db.session.commit()
        names = [store_upload(FileStorage(io.BytesIO(PDF + bytes([n])), filename=f"f{n}.pdf"), {"pdf"}, user).stored_name
                 for n in range(3)]
        db.session.commit()
        counts, missing = dump(archive)
        empty_all_tables()
        db.engine.dispose()
    with copy.app_context():
        upgrade()
        assert restore(archive) == counts and missing == 0
        files = db.session.scalars(select(StoredFile).order_by(StoredFile.id)).all()
        assert [f.stored_name for f in files] == names
        assert [f.read() for f in files] == [PDF + bytes([n]) for n in range(3)]
        db.engine.dispose()
