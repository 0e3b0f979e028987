"""reshoring module schema: work abroad, proposals and their workflow, supports, roundtables,
sector figures and briefs

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reshoring_proposal_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('requires_reason', sa.Boolean(), nullable=False),
    sa.Column('is_initial', sa.Boolean(), nullable=False),
    sa.Column('is_closed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_proposal_state')),
    sa.UniqueConstraint('code', name=op.f('uq_reshoring_proposal_state_code'))
    )
    op.create_table('reshoring_sector_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_sector_figure'))
    )
    op.create_table('reshoring_proposal_transition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_state_id', sa.Integer(), nullable=False),
    sa.Column('to_state_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['from_state_id'], ['reshoring_proposal_state.id'], name=op.f('fk_reshoring_proposal_transition_from_state_id_reshoring_proposal_state'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_state_id'], ['reshoring_proposal_state.id'], name=op.f('fk_reshoring_proposal_transition_to_state_id_reshoring_proposal_state'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_proposal_transition')),
    sa.UniqueConstraint('from_state_id', 'to_state_id', name='uq_reshoring_proposal_transition_pair')
    )
    with op.batch_alter_table('reshoring_proposal_transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_transition_from_state_id'), ['from_state_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_transition_to_state_id'), ['to_state_id'], unique=False)

    op.create_table('reshoring_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('measure', sa.Text(), nullable=False),
    sa.Column('addressees', sa.JSON(), nullable=False),
    sa.Column('fte_reshored', sa.Integer(), nullable=True),
    sa.Column('from_countries', sa.JSON(), nullable=False),
    sa.Column('to_regions', sa.JSON(), nullable=False),
    sa.Column('yearly_volume', sa.Integer(), nullable=True),
    sa.Column('volume_unit', sa.String(length=10), nullable=False),
    sa.Column('state_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('timeframe_months', sa.Integer(), nullable=True),
    sa.Column('impact_notes', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('state_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_reshoring_proposal_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_reshoring_proposal_company_id_company'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['state_id'], ['reshoring_proposal_state.id'], name=op.f('fk_reshoring_proposal_state_id_reshoring_proposal_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_proposal'))
    )
    with op.batch_alter_table('reshoring_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_public'), ['public'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_state_id'), ['state_id'], unique=False)

    op.create_table('reshoring_roundtable',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('convening_body', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_reshoring_roundtable_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_roundtable'))
    )
    with op.batch_alter_table('reshoring_roundtable', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_roundtable_starts_at'), ['starts_at'], unique=False)

    op.create_table('reshoring_work_abroad',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('client_sector', sa.String(length=20), nullable=False),
    sa.Column('activities', sa.Text(), nullable=False),
    sa.Column('fte', sa.Numeric(precision=10, scale=1), nullable=False),
    sa.Column('yearly_contacts', sa.Integer(), nullable=True),
    sa.Column('yearly_hours', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('notice_lavoro', sa.Date(), nullable=True),
    sa.Column('notice_inl', sa.Date(), nullable=True),
    sa.Column('notice_mimit', sa.Date(), nullable=True),
    sa.Column('notice_garante', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_reshoring_work_abroad_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_reshoring_work_abroad_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_reshoring_work_abroad_site_id_site'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_work_abroad'))
    )
    with op.batch_alter_table('reshoring_work_abroad', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_work_abroad_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_work_abroad_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_work_abroad_site_id'), ['site_id'], unique=False)

    op.create_table('reshoring_agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('outcome_state_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_reshoring_agenda_item_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outcome_state_id'], ['reshoring_proposal_state.id'], name=op.f('fk_reshoring_agenda_item_outcome_state_id_reshoring_proposal_state')),
    sa.ForeignKeyConstraint(['proposal_id'], ['reshoring_proposal.id'], name=op.f('fk_reshoring_agenda_item_proposal_id_reshoring_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['roundtable_id'], ['reshoring_roundtable.id'], name=op.f('fk_reshoring_agenda_item_roundtable_id_reshoring_roundtable'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_agenda_item'))
    )
    with op.batch_alter_table('reshoring_agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_agenda_item_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_agenda_item_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('reshoring_brief',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=True),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_to', sa.Date(), nullable=True),
    sa.Column('position', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_reshoring_brief_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['roundtable_id'], ['reshoring_roundtable.id'], name=op.f('fk_reshoring_brief_roundtable_id_reshoring_roundtable'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_brief'))
    )
    with op.batch_alter_table('reshoring_brief', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_brief_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('reshoring_proposal_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['reshoring_proposal.id'], name=op.f('fk_reshoring_proposal_attachment_proposal_id_reshoring_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_reshoring_proposal_attachment_stored_file_id_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_proposal_attachment'))
    )
    with op.batch_alter_table('reshoring_proposal_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_attachment_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('reshoring_roundtable_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['roundtable_id'], ['reshoring_roundtable.id'], name=op.f('fk_reshoring_roundtable_document_roundtable_id_reshoring_roundtable'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'], name=op.f('fk_reshoring_roundtable_document_stored_file_id_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_roundtable_document'))
    )
    with op.batch_alter_table('reshoring_roundtable_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_roundtable_document_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('reshoring_roundtable_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('invited', sa.Boolean(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['roundtable_id'], ['reshoring_roundtable.id'], name=op.f('fk_reshoring_roundtable_party_roundtable_id_reshoring_roundtable'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_roundtable_party'))
    )
    with op.batch_alter_table('reshoring_roundtable_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_roundtable_party_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('reshoring_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('fte', sa.Integer(), nullable=False),
    sa.Column('from_countries', sa.JSON(), nullable=False),
    sa.Column('to_regions', sa.JSON(), nullable=False),
    sa.Column('timeframe_months', sa.Integer(), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_reshoring_support_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_reshoring_support_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['reshoring_proposal.id'], name=op.f('fk_reshoring_support_proposal_id_reshoring_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_support')),
    sa.UniqueConstraint('proposal_id', 'company_id', name='uq_reshoring_support_company')
    )
    with op.batch_alter_table('reshoring_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_support_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_support_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('reshoring_follow_up_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['reshoring_agenda_item.id'], name=op.f('fk_reshoring_follow_up_action_agenda_item_id_reshoring_agenda_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['done_by_id'], ['user_account.id'], name=op.f('fk_reshoring_follow_up_action_done_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_follow_up_action'))
    )
    with op.batch_alter_table('reshoring_follow_up_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_follow_up_action_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_follow_up_action_due_date'), ['due_date'], unique=False)

    op.create_table('reshoring_proposal_state_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('from_state_id', sa.Integer(), nullable=True),
    sa.Column('to_state_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['reshoring_agenda_item.id'], name=op.f('fk_reshoring_proposal_state_change_agenda_item_id_reshoring_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_reshoring_proposal_state_change_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_state_id'], ['reshoring_proposal_state.id'], name=op.f('fk_reshoring_proposal_state_change_from_state_id_reshoring_proposal_state')),
    sa.ForeignKeyConstraint(['proposal_id'], ['reshoring_proposal.id'], name=op.f('fk_reshoring_proposal_state_change_proposal_id_reshoring_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_state_id'], ['reshoring_proposal_state.id'], name=op.f('fk_reshoring_proposal_state_change_to_state_id_reshoring_proposal_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_proposal_state_change'))
    )
    with op.batch_alter_table('reshoring_proposal_state_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_state_change_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_proposal_state_change_proposal_id'), ['proposal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reshoring_proposal_state_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_state_change_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_state_change_agenda_item_id'))

    op.drop_table('reshoring_proposal_state_change')
    with op.batch_alter_table('reshoring_follow_up_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_follow_up_action_due_date'))
        batch_op.drop_index(batch_op.f('ix_reshoring_follow_up_action_agenda_item_id'))

    op.drop_table('reshoring_follow_up_action')
    with op.batch_alter_table('reshoring_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_support_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_support_company_id'))

    op.drop_table('reshoring_support')
    with op.batch_alter_table('reshoring_roundtable_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_roundtable_party_roundtable_id'))

    op.drop_table('reshoring_roundtable_party')
    with op.batch_alter_table('reshoring_roundtable_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_roundtable_document_roundtable_id'))

    op.drop_table('reshoring_roundtable_document')
    with op.batch_alter_table('reshoring_proposal_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_attachment_proposal_id'))

    op.drop_table('reshoring_proposal_attachment')
    with op.batch_alter_table('reshoring_brief', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_brief_roundtable_id'))

    op.drop_table('reshoring_brief')
    with op.batch_alter_table('reshoring_agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_agenda_item_roundtable_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_agenda_item_proposal_id'))

    op.drop_table('reshoring_agenda_item')
    with op.batch_alter_table('reshoring_work_abroad', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_work_abroad_site_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_work_abroad_country'))
        batch_op.drop_index(batch_op.f('ix_reshoring_work_abroad_company_id'))

    op.drop_table('reshoring_work_abroad')
    with op.batch_alter_table('reshoring_roundtable', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_roundtable_starts_at'))

    op.drop_table('reshoring_roundtable')
    with op.batch_alter_table('reshoring_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_state_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_public'))
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_company_id'))

    op.drop_table('reshoring_proposal')
    with op.batch_alter_table('reshoring_proposal_transition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_transition_to_state_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_proposal_transition_from_state_id'))

    op.drop_table('reshoring_proposal_transition')
    op.drop_table('reshoring_sector_figure')
    op.drop_table('reshoring_proposal_state')
