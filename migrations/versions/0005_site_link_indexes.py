"""index the site side of the application and certificate site links: the register's region
search goes from a site to its certificates

Revision ID: 0005
Revises: 0004
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cert_application_site', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_application_site_site_id'), ['site_id'], unique=False)
    with op.batch_alter_table('cert_certificate_site', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_certificate_site_site_id'), ['site_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cert_certificate_site', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_certificate_site_site_id'))
    with op.batch_alter_table('cert_application_site', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_application_site_site_id'))
