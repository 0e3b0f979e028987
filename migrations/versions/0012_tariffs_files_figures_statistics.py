"""tariffs: how files were read, input values and warnings per row, figures stored as shown
(rounded once), provenance of the uplift, CCNL renewals, remembered column mappings, and the
statistics kept per list (filled here from the checks already saved)

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tariff_ccnl_renewal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('wages_from', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_ccnl_renewal')),
    sa.UniqueConstraint('signed_on', name=op.f('uq_tariff_ccnl_renewal_signed_on'))
    )
    op.create_table('tariff_column_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_tariff_column_mapping_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_tariff_column_mapping_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_column_mapping')),
    sa.UniqueConstraint('company_id', 'user_id', name='uq_tariff_column_mapping_owner')
    )
    op.create_table('tariff_list_stat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_key', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('check_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('sector', sa.String(length=10), nullable=True),
    sa.Column('level', sa.String(length=3), nullable=False),
    sa.Column('rate_date', sa.Date(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('decree', sa.String(length=60), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('uplift_illustrative', sa.Boolean(), nullable=False),
    sa.Column('under_labour', sa.Integer(), nullable=False),
    sa.Column('under_sustainable', sa.Integer(), nullable=False),
    sa.Column('compliant', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['tariff_batch.id'], name=op.f('fk_tariff_list_stat_batch_id_tariff_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['check_id'], ['tariff_check.id'], name=op.f('fk_tariff_list_stat_check_id_tariff_check'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_tariff_list_stat_company_id_company'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_list_stat'))
    )
    with op.batch_alter_table('tariff_list_stat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_list_stat_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_list_stat_check_id'), ['check_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_list_stat_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_list_stat_list_key'), ['list_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_tariff_list_stat_rate_date'), ['rate_date'], unique=False)

    with op.batch_alter_table('tariff_batch', schema=None) as batch_op:
        # downloads are built on demand from the stored rows: no workbook is kept per batch any more
        batch_op.drop_constraint('fk_tariff_batch_results_file_id_stored_file', type_='foreignkey')
        batch_op.drop_column('results_file_id')
        batch_op.add_column(sa.Column('sheet', sa.String(length=100), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('header_line', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('columns', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('extra_columns', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))

    with op.batch_alter_table('tariff_check', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inputs', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('extra', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('margin_labour', sa.Numeric(precision=10, scale=1), nullable=True))
        batch_op.add_column(sa.Column('margin_sustainable', sa.Numeric(precision=10, scale=1), nullable=True))
        batch_op.add_column(sa.Column('uplift_illustrative', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('ccnl_renewal', sa.String(length=200), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('warning', sa.String(length=300), nullable=False, server_default=sa.text("''")))
        batch_op.alter_column('rate',
               existing_type=sa.NUMERIC(precision=16, scale=6),
               type_=sa.Numeric(precision=20, scale=10),
               existing_nullable=True)
        batch_op.alter_column('rate_per_minute',
               existing_type=sa.NUMERIC(precision=16, scale=6),
               type_=sa.Numeric(precision=12, scale=4),
               existing_nullable=True)
        batch_op.alter_column('sustainable_min',
               existing_type=sa.NUMERIC(precision=16, scale=6),
               type_=sa.Numeric(precision=12, scale=4),
               existing_nullable=True)

    with op.batch_alter_table('tariff_uplift', schema=None) as batch_op:
        batch_op.add_column(sa.Column('illustrative', sa.Boolean(), nullable=False, server_default=sa.false()))

    _fill_existing()


def _quarter(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _fill_existing():
    """Margins of the saved checks (from the values they stored), the demo uplift marked as such,
    and the per-list statistics of the checks already saved (the latest upload of a file counts)."""
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE tariff_check SET margin_labour = ROUND((rate_per_minute - labour_cost) * 100 / labour_cost, 1), "
        "margin_sustainable = ROUND((rate_per_minute - sustainable_min) * 100 / sustainable_min, 1) "
        "WHERE labour_cost > 0 AND sustainable_min > 0 AND rate_per_minute IS NOT NULL"))
    bind.execute(sa.text("UPDATE tariff_uplift SET illustrative = :yes WHERE note LIKE '%dimostrativ%'"), {"yes": True})
    latest = {}
    for batch_id, sha in bind.execute(sa.text(
            "SELECT b.id, f.sha256 FROM tariff_batch b LEFT JOIN stored_file f ON f.id = b.stored_file_id "
            "WHERE b.status = 'done' ORDER BY b.id")):
        latest[sha or f"batch-{batch_id}"] = batch_id
    counted = set(latest.values())
    groups = bind.execute(sa.text(
        "SELECT c.batch_id, MIN(c.id), c.company_id, c.client_sector, c.level, c.rate_date AS rate_date, c.decree, c.official, "
        "c.esito, COUNT(*) "
        "FROM tariff_check c WHERE c.esito IN ('sotto_costo_lavoro', 'sotto_minimo_sostenibile', 'conforme') "
        "GROUP BY c.batch_id, CASE WHEN c.batch_id IS NULL THEN c.id ELSE 0 END, c.company_id, c.client_sector, "
        "c.level, c.rate_date, c.decree, c.official, c.esito").columns(rate_date=sa.Date)).all()
    columns = {"sotto_costo_lavoro": "under_labour", "sotto_minimo_sostenibile": "under_sustainable", "conforme": "compliant"}
    stats = {}
    for batch_id, check_id, company_id, sector, level, rate_date, decree, official, esito, count in groups:
        if batch_id is not None and batch_id not in counted:
            continue
        key = (batch_id, None if batch_id else check_id, company_id, sector, level, rate_date, decree, bool(official))
        row = stats.setdefault(key, {"under_labour": 0, "under_sustainable": 0, "compliant": 0})
        row[columns[esito]] += count
    table = sa.table("tariff_list_stat", *(sa.column(n) for n in (
        "list_key", "batch_id", "check_id", "company_id", "sector", "level", "rate_date", "quarter", "decree", "official",
        "uplift_illustrative", "under_labour", "under_sustainable", "compliant")))
    rows = [{"list_key": batch_id if batch_id else -check_id, "batch_id": batch_id, "check_id": check_id,
             "company_id": company_id, "sector": sector, "level": level, "rate_date": rate_date,
             "quarter": _quarter(rate_date), "decree": decree, "official": official, "uplift_illustrative": False} | counts
            for (batch_id, check_id, company_id, sector, level, rate_date, decree, official), counts in stats.items()]
    if rows:
        op.bulk_insert(table, rows)


def downgrade():
    with op.batch_alter_table('tariff_uplift', schema=None) as batch_op:
        batch_op.drop_column('illustrative')

    with op.batch_alter_table('tariff_check', schema=None) as batch_op:
        batch_op.alter_column('sustainable_min',
               existing_type=sa.Numeric(precision=12, scale=4),
               type_=sa.NUMERIC(precision=16, scale=6),
               existing_nullable=True)
        batch_op.alter_column('rate_per_minute',
               existing_type=sa.Numeric(precision=12, scale=4),
               type_=sa.NUMERIC(precision=16, scale=6),
               existing_nullable=True)
        batch_op.alter_column('rate',
               existing_type=sa.Numeric(precision=20, scale=10),
               type_=sa.NUMERIC(precision=16, scale=6),
               existing_nullable=True)
        batch_op.drop_column('warning')
        batch_op.drop_column('ccnl_renewal')
        batch_op.drop_column('uplift_illustrative')
        batch_op.drop_column('margin_sustainable')
        batch_op.drop_column('margin_labour')
        batch_op.drop_column('extra')
        batch_op.drop_column('inputs')

    with op.batch_alter_table('tariff_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_file_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_tariff_batch_results_file_id_stored_file', 'stored_file', ['results_file_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.drop_column('extra_columns')
        batch_op.drop_column('columns')
        batch_op.drop_column('header_line')
        batch_op.drop_column('sheet')

    with op.batch_alter_table('tariff_list_stat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_list_stat_rate_date'))
        batch_op.drop_index(batch_op.f('ix_tariff_list_stat_list_key'))
        batch_op.drop_index(batch_op.f('ix_tariff_list_stat_company_id'))
        batch_op.drop_index(batch_op.f('ix_tariff_list_stat_check_id'))
        batch_op.drop_index(batch_op.f('ix_tariff_list_stat_batch_id'))

    op.drop_table('tariff_list_stat')
    op.drop_table('tariff_column_mapping')
    op.drop_table('tariff_ccnl_renewal')
