"""accessibility reports: what visitors send through the accessibility statement's feedback form

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('accessibility_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('page', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user_account.id'], name=op.f('fk_accessibility_report_handled_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accessibility_report'))
    )
    with op.batch_alter_table('accessibility_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accessibility_report_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_accessibility_report_handled_at'), ['handled_at'], unique=False)


def downgrade():
    with op.batch_alter_table('accessibility_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accessibility_report_handled_at'))
        batch_op.drop_index(batch_op.f('ix_accessibility_report_created_at'))
    op.drop_table('accessibility_report')
