"""certificates: public statement and cause beside the internal reason, certified identity, identity changes held for staff

Revision ID: 0010
Revises: 0005
The register shows the certificate's own name and Partita IVA (copied here from the company),
so a name the company typed later never reaches it before staff approve it. Existing status
reasons stay internal; their public statement is the standard text of the status.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cert_identity_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('company', 'site', 'site_removal', name='identitychangekind', native_enum=False, length=20), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'refused', name='changestatus', native_enum=False, length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_cert_identity_change_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_cert_identity_change_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_cert_identity_change_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_cert_identity_change_site_id_site'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cert_identity_change'))
    )
    with op.batch_alter_table('cert_identity_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_identity_change_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_identity_change_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cert_identity_change_status'), ['status'], unique=False)

    with op.batch_alter_table('cert_certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_cause', sa.Enum('mandatory_failed', 'score_below', 'nc_overdue', 'surveillance_missed', 'requirements', 'company_request', 'membership', 'resolved', 'renewed', name='statuscause', native_enum=False, length=30), nullable=True))
        batch_op.add_column(sa.Column('public_statement', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('company_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('partita_iva', sa.String(length=11), nullable=False, server_default=''))
    op.execute("UPDATE cert_certificate SET company_name = (SELECT ragione_sociale FROM company WHERE company.id = cert_certificate.company_id), "
               "partita_iva = (SELECT partita_iva FROM company WHERE company.id = cert_certificate.company_id)")
    with op.batch_alter_table('cert_certificate', schema=None) as batch_op:
        for column in ('public_statement', 'company_name', 'partita_iva'):
            batch_op.alter_column(column, server_default=None)

    with op.batch_alter_table('cert_certificate_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cause', sa.Enum('mandatory_failed', 'score_below', 'nc_overdue', 'surveillance_missed', 'requirements', 'company_request', 'membership', 'resolved', 'renewed', name='statuscause', native_enum=False, length=30), nullable=True))
        batch_op.add_column(sa.Column('public_statement', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('cert_certificate_event', schema=None) as batch_op:
        batch_op.alter_column('public_statement', server_default=None)



def downgrade():
    with op.batch_alter_table('cert_certificate_event', schema=None) as batch_op:
        batch_op.drop_column('public_statement')
        batch_op.drop_column('cause')

    with op.batch_alter_table('cert_certificate', schema=None) as batch_op:
        batch_op.drop_column('partita_iva')
        batch_op.drop_column('company_name')
        batch_op.drop_column('public_statement')
        batch_op.drop_column('status_cause')

    with op.batch_alter_table('cert_identity_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_identity_change_status'))
        batch_op.drop_index(batch_op.f('ix_cert_identity_change_site_id'))
        batch_op.drop_index(batch_op.f('ix_cert_identity_change_company_id'))

    op.drop_table('cert_identity_change')
