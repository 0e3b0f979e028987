"""tariff batches: drop uplift_override, which nothing ever set (the web bulk check always used
the association's uplift; the command line's --maggiorazione never stores a batch)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 01:51:14.199618

"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tariff_batch', schema=None) as batch_op:
        batch_op.drop_column('uplift_override')


def downgrade():
    with op.batch_alter_table('tariff_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uplift_override', sa.NUMERIC(precision=6, scale=2), nullable=True))
