"""tariffs module schema: decrees and their rows, uplift components, pending imports,
bulk batches and saved checks

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tariff_decree',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_decree')),
    sa.UniqueConstraint('number', name=op.f('uq_tariff_decree_number'))
    )
    op.create_table('tariff_decree_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decree_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=3), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('euro_minute', sa.Numeric(precision=12, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['decree_id'], ['tariff_decree.id'], name=op.f('fk_tariff_decree_row_decree_id_tariff_decree'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_decree_row')),
    sa.UniqueConstraint('decree_id', 'level', 'effective_from', name='uq_tariff_decree_row_key')
    )
    with op.batch_alter_table('tariff_decree_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_decree_row_decree_id'), ['decree_id'], unique=False)

    op.create_table('tariff_uplift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('component', sa.String(length=20), nullable=False),
    sa.Column('percent', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_tariff_uplift_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_uplift')),
    sa.UniqueConstraint('component', 'effective_from', name='uq_tariff_uplift_key')
    )
    with op.batch_alter_table('tariff_uplift', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_uplift_component'), ['component'], unique=False)

    op.create_table('tariff_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('client_sector', sa.String(length=10), nullable=True),
    sa.Column('stored_file_id', sa.Integer(), nullable=True),
    sa.Column('results_file_id', sa.Integer(), nullable=True),
    sa.Column('uplift_override', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('failure', sa.Text(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_tariff_batch_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['results_file_id'], ['stored_file.id'], name=op.f('fk_tariff_batch_results_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_tariff_batch_stored_file_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_tariff_batch_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_batch'))
    )
    with op.batch_alter_table('tariff_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_batch_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_batch_status'), ['status'], unique=False)

    op.create_table('tariff_pending_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decree_number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=True),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('decree_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_tariff_pending_import_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decree_id'], ['tariff_decree.id'], name=op.f('fk_tariff_pending_import_decree_id_tariff_decree'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_tariff_pending_import_stored_file_id_stored_file'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_pending_import'))
    )
    with op.batch_alter_table('tariff_pending_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_pending_import_status'), ['status'], unique=False)

    op.create_table('tariff_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('line', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=100), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('client_sector', sa.String(length=10), nullable=True),
    sa.Column('level', sa.String(length=3), nullable=True),
    sa.Column('rate', sa.Numeric(precision=16, scale=6), nullable=True),
    sa.Column('unit', sa.String(length=10), nullable=True),
    sa.Column('aht_seconds', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('productive_hours', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('rate_date', sa.Date(), nullable=True),
    sa.Column('rate_per_minute', sa.Numeric(precision=16, scale=6), nullable=True),
    sa.Column('labour_cost', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('sustainable_min', sa.Numeric(precision=16, scale=6), nullable=True),
    sa.Column('uplift_pct', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('uplift_parts', sa.JSON(), nullable=False),
    sa.Column('decree', sa.String(length=60), nullable=False),
    sa.Column('table_effective_from', sa.Date(), nullable=True),
    sa.Column('official', sa.Boolean(), nullable=True),
    sa.Column('esito', sa.String(length=30), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['tariff_batch.id'], name=op.f('fk_tariff_check_batch_id_tariff_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_tariff_check_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_tariff_check_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_check'))
    )
    with op.batch_alter_table('tariff_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_check_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_check_client_sector'), ['client_sector'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_check_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_check_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_check_esito'), ['esito'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_check_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_check_rate_date'), ['rate_date'], unique=False)



def downgrade():
    with op.batch_alter_table('tariff_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_check_rate_date'))
        batch_op.drop_index(batch_op.f('ix_tariff_check_level'))
        batch_op.drop_index(batch_op.f('ix_tariff_check_esito'))
        batch_op.drop_index(batch_op.f('ix_tariff_check_created_at'))
        batch_op.drop_index(batch_op.f('ix_tariff_check_company_id'))
        batch_op.drop_index(batch_op.f('ix_tariff_check_client_sector'))
        batch_op.drop_index(batch_op.f('ix_tariff_check_batch_id'))

    op.drop_table('tariff_check')
    with op.batch_alter_table('tariff_pending_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_pending_import_status'))

    op.drop_table('tariff_pending_import')
    with op.batch_alter_table('tariff_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_batch_status'))
        batch_op.drop_index(batch_op.f('ix_tariff_batch_company_id'))

    op.drop_table('tariff_batch')
    with op.batch_alter_table('tariff_uplift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_uplift_component'))

    op.drop_table('tariff_uplift')
    with op.batch_alter_table('tariff_decree_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_decree_row_decree_id'))

    op.drop_table('tariff_decree_row')
    op.drop_table('tariff_decree')
