"""surveillance calendar and submissions, conflicts, suspension proposals, non-conformities, crosswalk, reminders

Also: renewal answers carried over "da confermare", the auditor's internal note beside the comment for the
company, the staff override of a declared conflict.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 03:13:45.015739

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cert_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_reminder')),
    sa.UniqueConstraint('key', name=op.f('uq_cert_reminder_key'))
    )
    op.create_table('cert_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('auditor_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['auditor_id'], ['user_account.id'], name=op.f('fk_cert_conflict_auditor_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_cert_conflict_company_id_company'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_conflict'))
    )
    with op.batch_alter_table('cert_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_conflict_auditor_id'), ['auditor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_conflict_company_id'), ['company_id'], unique=False)

    op.create_table('cert_crosswalk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('parameter_id', sa.Integer(), nullable=False),
    sa.Column('source_parameter_id', sa.Integer(), nullable=True),
    sa.Column('carry', sa.Boolean(), nullable=False),
    sa.Column('defined_by_id', sa.Integer(), nullable=True),
    sa.Column('defined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['defined_by_id'], ['user_account.id'], name=op.f('fk_cert_crosswalk_defined_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['cert_edition.id'], name=op.f('fk_cert_crosswalk_edition_id_cert_edition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parameter_id'], ['cert_parameter.id'], name=op.f('fk_cert_crosswalk_parameter_id_cert_parameter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_parameter_id'], ['cert_parameter.id'], name=op.f('fk_cert_crosswalk_source_parameter_id_cert_parameter'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_crosswalk')),
    sa.UniqueConstraint('parameter_id', name=op.f('uq_cert_crosswalk_parameter_id'))
    )
    with op.batch_alter_table('cert_crosswalk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_crosswalk_edition_id'), ['edition_id'], unique=False)

    op.create_table('cert_nonconformity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('parameter_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Enum('major', 'minor', name='ncgrade', native_enum=False, length=20), nullable=False),
    sa.Column('finding', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'answered', 'closed', name='ncstatus', native_enum=False, length=20), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('correction', sa.Text(), nullable=False),
    sa.Column('correction_evidence_id', sa.Integer(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closure_note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_cert_nonconformity_answered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['cert_application.id'], name=op.f('fk_cert_nonconformity_application_id_cert_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_cert_nonconformity_closed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['correction_evidence_id'], ['cert_evidence.id'], name=op.f('fk_cert_nonconformity_correction_evidence_id_cert_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parameter_id'], ['cert_parameter.id'], name=op.f('fk_cert_nonconformity_parameter_id_cert_parameter')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['user_account.id'], name=op.f('fk_cert_nonconformity_raised_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['cert_surveillance.id'], name=op.f('fk_cert_nonconformity_review_id_cert_surveillance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_nonconformity'))
    )
    with op.batch_alter_table('cert_nonconformity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_nonconformity_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_nonconformity_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_nonconformity_parameter_id'), ['parameter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_nonconformity_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_nonconformity_status'), ['status'], unique=False)

    op.create_table('cert_review_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('parameter_code', sa.String(length=10), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['cert_evidence.id'], name=op.f('fk_cert_review_evidence_evidence_id_cert_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['cert_surveillance.id'], name=op.f('fk_cert_review_evidence_review_id_cert_surveillance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_review_evidence'))
    )
    with op.batch_alter_table('cert_review_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_review_evidence_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_review_evidence_review_id'), ['review_id'], unique=False)

    op.create_table('cert_suspension_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('cause', sa.Enum('mandatory_failed', 'score_below', 'nc_overdue', 'surveillance_missed', 'requirements', 'company_request', 'membership', 'resolved', 'renewed', name='statuscause', native_enum=False, length=30), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('nonconformity_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'accepted', 'dismissed', name='proposalstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['cert_certificate.id'], name=op.f('fk_cert_suspension_proposal_certificate_id_cert_certificate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nonconformity_id'], ['cert_nonconformity.id'], name=op.f('fk_cert_suspension_proposal_nonconformity_id_cert_nonconformity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_cert_suspension_proposal_resolved_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['cert_surveillance.id'], name=op.f('fk_cert_suspension_proposal_review_id_cert_surveillance'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_suspension_proposal'))
    )
    with op.batch_alter_table('cert_suspension_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_suspension_proposal_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_suspension_proposal_status'), ['status'], unique=False)

    with op.batch_alter_table('cert_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_over', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('cert_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conflict_override', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('cert_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('internal_note', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('cert_surveillance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('edition_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submission', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('submitted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assignment_status', sa.Enum('pending', 'declared', 'declined', name='assignmentstatus', native_enum=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('declared_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('declaration', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('conflict_override', sa.Text(), nullable=False, server_default=''))
        batch_op.alter_column('opened_at',
               existing_type=sa.DateTime(timezone=True),
               nullable=True)
        batch_op.alter_column('auditor_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_cert_surveillance_due_on'), ['due_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cert_surveillance_edition_id_cert_edition'), 'cert_edition', ['edition_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_cert_surveillance_submitted_by_id_user_account'), 'user_account', ['submitted_by_id'], ['id'], ondelete='SET NULL')

    # A review opened before the calendar was being scored by its auditor: it is a submitted one now, on its
    # certificate's edition, with the auditor's declaration taken as given.
    op.execute("UPDATE cert_surveillance SET status = 'submitted' WHERE status = 'open'")
    op.execute("UPDATE cert_surveillance SET assignment_status = 'declared' WHERE auditor_id IS NOT NULL")
    op.execute("UPDATE cert_surveillance SET edition_id = (SELECT edition_id FROM cert_certificate "
               "WHERE cert_certificate.id = cert_surveillance.certificate_id)")
    for table, column in (('cert_answer', 'carried_over'), ('cert_assignment', 'conflict_override'), ('cert_score', 'internal_note')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, server_default=None)
    with op.batch_alter_table('cert_surveillance', schema=None) as batch_op:
        for column in ('sequence', 'submission', 'declaration', 'conflict_override'):
            batch_op.alter_column(column, server_default=None)



def downgrade():
    op.execute("DELETE FROM cert_surveillance WHERE auditor_id IS NULL OR opened_at IS NULL")
    op.execute("UPDATE cert_surveillance SET status = 'open' WHERE status = 'submitted'")
    with op.batch_alter_table('cert_surveillance', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cert_surveillance_submitted_by_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cert_surveillance_edition_id_cert_edition'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cert_surveillance_due_on'))
        batch_op.alter_column('auditor_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('opened_at',
               existing_type=sa.DateTime(timezone=True),
               nullable=False)
        batch_op.drop_column('conflict_override')
        batch_op.drop_column('declaration')
        batch_op.drop_column('declared_at')
        batch_op.drop_column('assignment_status')
        batch_op.drop_column('submitted_by_id')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('submission')
        batch_op.drop_column('edition_id')
        batch_op.drop_column('sequence')

    with op.batch_alter_table('cert_score', schema=None) as batch_op:
        batch_op.drop_column('internal_note')

    with op.batch_alter_table('cert_assignment', schema=None) as batch_op:
        batch_op.drop_column('conflict_override')

    with op.batch_alter_table('cert_answer', schema=None) as batch_op:
        batch_op.drop_column('carried_over')

    with op.batch_alter_table('cert_suspension_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_suspension_proposal_status'))
        batch_op.drop_index(batch_op.f('ix_cert_suspension_proposal_certificate_id'))

    op.drop_table('cert_suspension_proposal')
    with op.batch_alter_table('cert_review_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_review_evidence_review_id'))
        batch_op.drop_index(batch_op.f('ix_cert_review_evidence_evidence_id'))

    op.drop_table('cert_review_evidence')
    with op.batch_alter_table('cert_nonconformity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_nonconformity_status'))
        batch_op.drop_index(batch_op.f('ix_cert_nonconformity_review_id'))
        batch_op.drop_index(batch_op.f('ix_cert_nonconformity_parameter_id'))
        batch_op.drop_index(batch_op.f('ix_cert_nonconformity_due_on'))
        batch_op.drop_index(batch_op.f('ix_cert_nonconformity_application_id'))

    op.drop_table('cert_nonconformity')
    with op.batch_alter_table('cert_crosswalk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_crosswalk_edition_id'))

    op.drop_table('cert_crosswalk')
    with op.batch_alter_table('cert_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_conflict_company_id'))
        batch_op.drop_index(batch_op.f('ix_cert_conflict_auditor_id'))

    op.drop_table('cert_conflict')
    op.drop_table('cert_reminder')
