"""The audit log (events): logins and failed logins, uploads, decisions, user and document changes,
exports; the name shown for a document's file (an upload's own name, never the server's path)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_name", sa.Text(), nullable=False, server_default=""))
    # the name shown: an upload's own name, else the path the command line was given
    op.execute(
        "UPDATE documents SET source_name = COALESCE((SELECT uploads.filename FROM uploads "
        "WHERE uploads.document_id = documents.id ORDER BY uploads.id LIMIT 1), source_path)"
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column("source_name", server_default=None)
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_events_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_action_at"), ["action", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_username_at"), ["username", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_address_at"), ["address", "at"], unique=False)


def downgrade() -> None:
    op.drop_table("events")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("source_name")
