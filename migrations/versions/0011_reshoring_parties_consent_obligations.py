"""reshoring: consent on supports, organisations and invitations, minutes review, actions progress, 24-bis obligations, brief sections and issues

Existing rows are carried over: each roundtable party and action owner becomes an organisation
(one per name), a support with one region keeps its FTE in that region, a sector figure marked
official stays "ufficiale" and the others become "riportato", saved minutes count as approved,
a done action is "fatta" at 100%.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 01:57:55.598562

"""
import json

from alembic import op
import sqlalchemy as sa

DEFAULT_SECTIONS = ["sintesi", "posizione", "proposte", "tariffe", "bollino", "estero", "settore", "normativa"]

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reshoring_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_reshoring_organisation_company_id_company'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_organisation')),
    sa.UniqueConstraint('company_id', name=op.f('uq_reshoring_organisation_company_id')),
    sa.UniqueConstraint('name', name=op.f('uq_reshoring_organisation_name'))
    )
    op.create_table('reshoring_company_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('roc_number', sa.String(length=40), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_reshoring_company_profile_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_reshoring_company_profile_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_company_profile')),
    sa.UniqueConstraint('company_id', name=op.f('uq_reshoring_company_profile_company_id'))
    )
    op.create_table('reshoring_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['reshoring_organisation.id'], name=op.f('fk_reshoring_contact_organisation_id_reshoring_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_contact')),
    sa.UniqueConstraint('organisation_id', 'email', name='uq_reshoring_contact_email')
    )
    with op.batch_alter_table('reshoring_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_contact_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('reshoring_brief_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('protocol', sa.String(length=30), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('addressees', sa.Text(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('failure', sa.Text(), nullable=False),
    sa.Column('pdf_file_id', sa.Integer(), nullable=True),
    sa.Column('xlsx_file_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['brief_id'], ['reshoring_brief.id'], name=op.f('fk_reshoring_brief_issue_brief_id_reshoring_brief')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_reshoring_brief_issue_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pdf_file_id'], ['stored_file.id'], name=op.f('fk_reshoring_brief_issue_pdf_file_id_stored_file')),
    sa.ForeignKeyConstraint(['xlsx_file_id'], ['stored_file.id'], name=op.f('fk_reshoring_brief_issue_xlsx_file_id_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_brief_issue')),
    sa.UniqueConstraint('brief_id', 'version', name='uq_reshoring_brief_issue_version'),
    sa.UniqueConstraint('protocol', name=op.f('uq_reshoring_brief_issue_protocol'))
    )
    with op.batch_alter_table('reshoring_brief_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_brief_issue_brief_id'), ['brief_id'], unique=False)

    op.create_table('reshoring_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('delegated_from_id', sa.Integer(), nullable=True),
    sa.Column('answer_token_hash', sa.String(length=64), nullable=True),
    sa.Column('access_token_hash', sa.String(length=64), nullable=True),
    sa.Column('access_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_sequence', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['reshoring_contact.id'], name=op.f('fk_reshoring_invitation_contact_id_reshoring_contact'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delegated_from_id'], ['reshoring_invitation.id'], name=op.f('fk_reshoring_invitation_delegated_from_id_reshoring_invitation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['party_id'], ['reshoring_roundtable_party.id'], name=op.f('fk_reshoring_invitation_party_id_reshoring_roundtable_party'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['roundtable_id'], ['reshoring_roundtable.id'], name=op.f('fk_reshoring_invitation_roundtable_id_reshoring_roundtable'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_invitation')),
    sa.UniqueConstraint('access_token_hash', name=op.f('uq_reshoring_invitation_access_token_hash')),
    sa.UniqueConstraint('answer_token_hash', name=op.f('uq_reshoring_invitation_answer_token_hash')),
    sa.UniqueConstraint('roundtable_id', 'email', name='uq_reshoring_invitation_email')
    )
    with op.batch_alter_table('reshoring_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_invitation_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_invitation_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_invitation_roundtable_id'), ['roundtable_id'], unique=False)

    op.create_table('reshoring_action_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['reshoring_follow_up_action.id'], name=op.f('fk_reshoring_action_update_action_id_reshoring_follow_up_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_reshoring_action_update_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_action_update'))
    )
    with op.batch_alter_table('reshoring_action_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_action_update_action_id'), ['action_id'], unique=False)

    op.create_table('reshoring_brief_issue_proposal',
    sa.Column('issue_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issue_id'], ['reshoring_brief_issue.id'], name=op.f('fk_reshoring_brief_issue_proposal_issue_id_reshoring_brief_issue'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['reshoring_proposal.id'], name=op.f('fk_reshoring_brief_issue_proposal_proposal_id_reshoring_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('issue_id', 'proposal_id', name=op.f('pk_reshoring_brief_issue_proposal'))
    )
    with op.batch_alter_table('reshoring_brief_issue_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_brief_issue_proposal_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('reshoring_minutes_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roundtable_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['reshoring_invitation.id'], name=op.f('fk_reshoring_minutes_comment_invitation_id_reshoring_invitation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['roundtable_id'], ['reshoring_roundtable.id'], name=op.f('fk_reshoring_minutes_comment_roundtable_id_reshoring_roundtable'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reshoring_minutes_comment_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshoring_minutes_comment'))
    )
    with op.batch_alter_table('reshoring_minutes_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reshoring_minutes_comment_roundtable_id'), ['roundtable_id'], unique=False)

    with op.batch_alter_table('reshoring_brief', schema=None) as batch_op:
        batch_op.add_column(sa.Column('addressees', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sections', sa.JSON(), nullable=False, server_default=json.dumps(DEFAULT_SECTIONS)))
        batch_op.add_column(sa.Column('contact_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=False, server_default=''))

    with op.batch_alter_table('reshoring_roundtable', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('minutes_status', sa.String(length=12), nullable=False, server_default='bozza'))
        batch_op.add_column(sa.Column('minutes_comments_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('minutes_approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('minutes_approved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reshoring_roundtable_minutes_approved_by_id_user_account'), 'user_account', ['minutes_approved_by_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE reshoring_roundtable SET minutes_status = 'approvato', minutes_approved_at = updated_at WHERE minutes <> ''")

    with op.batch_alter_table('reshoring_roundtable_party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('reshoring_follow_up_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='da_fare'))
        batch_op.add_column(sa.Column('progress', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    _parties_and_owners_become_organisations()
    op.execute("UPDATE reshoring_follow_up_action SET status = 'fatta', progress = 100 WHERE done_at IS NOT NULL")

    with op.batch_alter_table('reshoring_roundtable_party', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_reshoring_roundtable_party_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_unique_constraint('uq_reshoring_roundtable_party_organisation', ['roundtable_id', 'organisation_id'])
        batch_op.create_foreign_key(batch_op.f('fk_reshoring_roundtable_party_organisation_id_reshoring_organisation'), 'reshoring_organisation', ['organisation_id'], ['id'])
        batch_op.drop_column('kind')
        batch_op.drop_column('name')
        batch_op.drop_column('invited')
    with op.batch_alter_table('reshoring_follow_up_action', schema=None) as batch_op:
        batch_op.alter_column('owner_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_reshoring_follow_up_action_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reshoring_follow_up_action_status'), ['status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reshoring_follow_up_action_owner_id_reshoring_organisation'), 'reshoring_organisation', ['owner_id'], ['id'])
        batch_op.drop_column('owner')

    with op.batch_alter_table('reshoring_sector_figure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=12), nullable=False, server_default='riportato'))
        batch_op.create_unique_constraint(batch_op.f('uq_reshoring_sector_figure_key'), ['key'])
    op.execute(sa.text("UPDATE reshoring_sector_figure SET kind = 'ufficiale' WHERE official = :yes").bindparams(yes=True))
    with op.batch_alter_table('reshoring_sector_figure', schema=None) as batch_op:
        batch_op.drop_column('official')

    with op.batch_alter_table('reshoring_support', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_fte', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('named', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.alter_column('fte', existing_type=sa.INTEGER(), nullable=True)
    _supports_keep_their_region()
    with op.batch_alter_table('reshoring_support', schema=None) as batch_op:
        batch_op.drop_column('to_regions')

    with op.batch_alter_table('reshoring_work_abroad', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('informs_callers', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('offers_italy_eu', sa.Boolean(), nullable=True))


def _parties_and_owners_become_organisations():
    conn = op.get_bind()
    organisations = sa.table("reshoring_organisation", sa.column("id"), sa.column("kind"), sa.column("name"),
                             sa.column("created_at"), sa.column("updated_at"))
    parties = conn.execute(sa.text("SELECT id, kind, name FROM reshoring_roundtable_party")).all()
    owners = conn.execute(sa.text("SELECT id, owner FROM reshoring_follow_up_action")).all()
    kinds = {}
    for _id, kind, name in parties:
        kinds.setdefault(name.strip(), kind)
    for _id, owner in owners:
        kinds.setdefault(owner.strip(), "associazione")
    ids = {}
    now = sa.func.now()
    for name, kind in kinds.items():
        conn.execute(organisations.insert().values(kind=kind, name=name, created_at=now, updated_at=now))
        ids[name] = conn.execute(sa.text("SELECT id FROM reshoring_organisation WHERE name = :name"), {"name": name}).scalar_one()
    seen = set()
    for party_id, _kind, name in parties:
        roundtable_id = conn.execute(sa.text("SELECT roundtable_id FROM reshoring_roundtable_party WHERE id = :id"), {"id": party_id}).scalar_one()
        if (roundtable_id, name.strip()) in seen:  # the same organisation twice at one table (two kinds): one party
            conn.execute(sa.text("DELETE FROM reshoring_roundtable_party WHERE id = :id"), {"id": party_id})
            continue
        seen.add((roundtable_id, name.strip()))
        conn.execute(sa.text("UPDATE reshoring_roundtable_party SET organisation_id = :org WHERE id = :id"),
                     {"org": ids[name.strip()], "id": party_id})
    for action_id, owner in owners:
        conn.execute(sa.text("UPDATE reshoring_follow_up_action SET owner_id = :org WHERE id = :id"), {"org": ids[owner.strip()], "id": action_id})


def _supports_keep_their_region():
    conn = op.get_bind()
    supports = sa.table("reshoring_support", sa.column("id"), sa.column("fte"), sa.column("to_regions", sa.JSON),
                        sa.column("region_fte", sa.JSON))
    for support_id, fte, regions in conn.execute(sa.select(supports.c.id, supports.c.fte, supports.c.to_regions)).all():
        region_fte = {regions[0]: fte} if regions and len(regions) == 1 and fte else {}
        conn.execute(supports.update().where(supports.c.id == support_id).values(region_fte=region_fte, fte=fte or None))


def downgrade():
    with op.batch_alter_table('reshoring_work_abroad', schema=None) as batch_op:
        batch_op.drop_column('offers_italy_eu')
        batch_op.drop_column('informs_callers')
        batch_op.drop_column('client_name')

    with op.batch_alter_table('reshoring_support', schema=None) as batch_op:
        batch_op.add_column(sa.Column('to_regions', sa.JSON(), nullable=False, server_default='[]'))
    conn = op.get_bind()
    supports = sa.table("reshoring_support", sa.column("id"), sa.column("fte"), sa.column("to_regions", sa.JSON),
                        sa.column("region_fte", sa.JSON))
    for support_id, fte, region_fte in conn.execute(sa.select(supports.c.id, supports.c.fte, supports.c.region_fte)).all():
        conn.execute(supports.update().where(supports.c.id == support_id).values(to_regions=sorted(region_fte or {}), fte=fte or 0))
    with op.batch_alter_table('reshoring_support', schema=None) as batch_op:
        batch_op.alter_column('fte', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('named')
        batch_op.drop_column('region_fte')

    with op.batch_alter_table('reshoring_sector_figure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('official', sa.BOOLEAN(), nullable=False, server_default=sa.false()))
    op.execute(sa.text("UPDATE reshoring_sector_figure SET official = :yes WHERE kind = 'ufficiale'").bindparams(yes=True))
    with op.batch_alter_table('reshoring_sector_figure', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reshoring_sector_figure_key'), type_='unique')
        batch_op.drop_column('kind')
        batch_op.drop_column('key')

    with op.batch_alter_table('reshoring_roundtable_party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited', sa.BOOLEAN(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('name', sa.VARCHAR(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('kind', sa.VARCHAR(length=20), nullable=False, server_default=''))
    op.execute("UPDATE reshoring_roundtable_party SET kind = (SELECT o.kind FROM reshoring_organisation o WHERE o.id = organisation_id), "
               "name = (SELECT o.name FROM reshoring_organisation o WHERE o.id = organisation_id)")
    with op.batch_alter_table('reshoring_roundtable_party', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reshoring_roundtable_party_organisation_id_reshoring_organisation'), type_='foreignkey')
        batch_op.drop_constraint('uq_reshoring_roundtable_party_organisation', type_='unique')
        batch_op.drop_index(batch_op.f('ix_reshoring_roundtable_party_organisation_id'))
        batch_op.drop_column('organisation_id')

    with op.batch_alter_table('reshoring_roundtable', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reshoring_roundtable_minutes_approved_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('minutes_approved_by_id')
        batch_op.drop_column('minutes_approved_at')
        batch_op.drop_column('minutes_comments_until')
        batch_op.drop_column('minutes_status')
        batch_op.drop_column('sequence')

    with op.batch_alter_table('reshoring_follow_up_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.VARCHAR(length=200), nullable=False, server_default=''))
    op.execute("UPDATE reshoring_follow_up_action SET owner = (SELECT o.name FROM reshoring_organisation o WHERE o.id = owner_id)")
    with op.batch_alter_table('reshoring_follow_up_action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reshoring_follow_up_action_owner_id_reshoring_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reshoring_follow_up_action_status'))
        batch_op.drop_index(batch_op.f('ix_reshoring_follow_up_action_owner_id'))
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('progress')
        batch_op.drop_column('status')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('reshoring_brief', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('sections')
        batch_op.drop_column('addressees')

    with op.batch_alter_table('reshoring_minutes_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_minutes_comment_roundtable_id'))

    op.drop_table('reshoring_minutes_comment')
    with op.batch_alter_table('reshoring_brief_issue_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_brief_issue_proposal_proposal_id'))

    op.drop_table('reshoring_brief_issue_proposal')
    with op.batch_alter_table('reshoring_action_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_action_update_action_id'))

    op.drop_table('reshoring_action_update')
    with op.batch_alter_table('reshoring_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_invitation_roundtable_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_invitation_party_id'))
        batch_op.drop_index(batch_op.f('ix_reshoring_invitation_contact_id'))

    op.drop_table('reshoring_invitation')
    with op.batch_alter_table('reshoring_brief_issue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_brief_issue_brief_id'))

    op.drop_table('reshoring_brief_issue')
    with op.batch_alter_table('reshoring_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reshoring_contact_organisation_id'))

    op.drop_table('reshoring_contact')
    op.drop_table('reshoring_company_profile')
    op.drop_table('reshoring_organisation')
