"""consultation on draft editions (participants, comments, answers, changes traced to comments);
parameters remember the parameter they were copied from and may measure one contact channel, and
an application keeps the channels its sites served when submitted; an edition published without
consultation says why

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cert_consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('introduction', sa.Text(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('reminder_days', sa.Integer(), nullable=False),
    sa.Column('comments_visible', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('preparing', 'launched', 'reported', name='consultationstate', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('launched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opening_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('report_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('conclusions', sa.Text(), nullable=False),
    sa.Column('consulted_snapshot', sa.JSON(), nullable=False),
    sa.Column('final_snapshot', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_cert_consultation_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['cert_edition.id'], name=op.f('fk_cert_consultation_edition_id_cert_edition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_consultation')),
    sa.UniqueConstraint('edition_id', name=op.f('uq_cert_consultation_edition_id'))
    )
    with op.batch_alter_table('cert_consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_consultation_closes_on'), ['closes_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_consultation_state'), ['state'], unique=False)

    op.create_table('cert_consultation_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('clause', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['cert_consultation.id'], name=op.f('fk_cert_consultation_change_consultation_id_cert_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['made_by_id'], ['user_account.id'], name=op.f('fk_cert_consultation_change_made_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_consultation_change'))
    )
    with op.batch_alter_table('cert_consultation_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_consultation_change_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('cert_consultation_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('member', 'client', 'union', 'association', 'public_body', 'other', name='partykind', native_enum=False, length=20), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('access', sa.Enum('company', 'account', 'link', name='access', native_enum=False, length=20), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('link_hash', sa.String(length=64), nullable=True),
    sa.Column('link_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_cert_consultation_participant_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consultation_id'], ['cert_consultation.id'], name=op.f('fk_cert_consultation_participant_consultation_id_cert_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_cert_consultation_participant_invited_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_cert_consultation_participant_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_consultation_participant')),
    sa.UniqueConstraint('consultation_id', 'company_id', name=op.f('uq_cert_consultation_participant_company')),
    sa.UniqueConstraint('consultation_id', 'email', name=op.f('uq_cert_consultation_participant_email')),
    sa.UniqueConstraint('link_hash', name=op.f('uq_cert_consultation_participant_link_hash'))
    )
    with op.batch_alter_table('cert_consultation_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_consultation_participant_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_consultation_participant_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_consultation_participant_user_id'), ['user_id'], unique=False)

    op.create_table('cert_consultation_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('parameter_id', sa.Integer(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('clause', sa.String(length=20), nullable=False),
    sa.Column('comment_type', sa.Enum('ge', 'te', 'ed', name='commenttype', native_enum=False, length=4), nullable=False),
    sa.Column('stance', sa.Enum('agree', 'change', 'propose', name='stance', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('proposed_weight', sa.Integer(), nullable=True),
    sa.Column('proposed_target', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('status', sa.Enum('draft', 'sent', name='commentstatus', native_enum=False, length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('disposition', sa.Enum('accepted', 'partly', 'rejected', 'noted', name='disposition', native_enum=False, length=20), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_cert_consultation_comment_answered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['area_id'], ['cert_area.id'], name=op.f('fk_cert_consultation_comment_area_id_cert_area'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_cert_consultation_comment_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['cert_consultation.id'], name=op.f('fk_cert_consultation_comment_consultation_id_cert_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parameter_id'], ['cert_parameter.id'], name=op.f('fk_cert_consultation_comment_parameter_id_cert_parameter'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['cert_consultation_participant.id'], name=op.f('fk_cert_consultation_comment_participant_id_cert_consultation_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'], name=op.f('fk_cert_consultation_comment_sent_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_consultation_comment')),
    sa.UniqueConstraint('consultation_id', 'number', name=op.f('uq_cert_consultation_comment_consultation_id'))
    )
    with op.batch_alter_table('cert_consultation_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_consultation_comment_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_consultation_comment_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_consultation_comment_parameter_id'), ['parameter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_consultation_comment_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_consultation_comment_status'), ['status'], unique=False)

    op.create_table('cert_consultation_change_comment',
    sa.Column('change_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['change_id'], ['cert_consultation_change.id'], name=op.f('fk_cert_consultation_change_comment_change_id_cert_consultation_change'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['comment_id'], ['cert_consultation_comment.id'], name=op.f('fk_cert_consultation_change_comment_comment_id_cert_consultation_comment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('change_id', 'comment_id', name=op.f('pk_cert_consultation_change_comment'))
    )
    with op.batch_alter_table('cert_consultation_change_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_consultation_change_comment_comment_id'), ['comment_id'], unique=False)

    with op.batch_alter_table('cert_edition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_waiver', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('cert_application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope_channels', sa.JSON(), nullable=False, server_default='[]'))

    with op.batch_alter_table('cert_parameter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum('phone', 'email', 'chat', 'social', 'web', name='channel', native_enum=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('copied_from_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cert_parameter_copied_from_id'), ['copied_from_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cert_parameter_copied_from_id_cert_parameter'), 'cert_parameter', ['copied_from_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('cert_parameter', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cert_parameter_copied_from_id_cert_parameter'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cert_parameter_copied_from_id'))
        batch_op.drop_column('copied_from_id')
        batch_op.drop_column('channel')

    with op.batch_alter_table('cert_application', schema=None) as batch_op:
        batch_op.drop_column('scope_channels')

    with op.batch_alter_table('cert_edition', schema=None) as batch_op:
        batch_op.drop_column('consultation_waiver')

    with op.batch_alter_table('cert_consultation_change_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_consultation_change_comment_comment_id'))

    op.drop_table('cert_consultation_change_comment')
    with op.batch_alter_table('cert_consultation_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_consultation_comment_status'))
        batch_op.drop_index(batch_op.f('ix_cert_consultation_comment_participant_id'))
        batch_op.drop_index(batch_op.f('ix_cert_consultation_comment_parameter_id'))
        batch_op.drop_index(batch_op.f('ix_cert_consultation_comment_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_cert_consultation_comment_area_id'))

    op.drop_table('cert_consultation_comment')
    with op.batch_alter_table('cert_consultation_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_consultation_participant_user_id'))
        batch_op.drop_index(batch_op.f('ix_cert_consultation_participant_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_cert_consultation_participant_company_id'))

    op.drop_table('cert_consultation_participant')
    with op.batch_alter_table('cert_consultation_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_consultation_change_consultation_id'))

    op.drop_table('cert_consultation_change')
    with op.batch_alter_table('cert_consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_consultation_state'))
        batch_op.drop_index(batch_op.f('ix_cert_consultation_closes_on'))

    op.drop_table('cert_consultation')
