"""The library's tables (SQLAlchemy Core), the single source the migrations are checked against.

Core tables rather than ORM classes: ingest writes hundreds of rows per document with `executemany`,
and the questions are aggregate queries; neither gains from identity-mapped objects.
Amounts are exact: NUMERIC on PostgreSQL, decimal text on SQLite (which has no decimal type and would
otherwise round through binary floats).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Amount(TypeDecorator[Decimal]):
    """An exact decimal on every backend."""

    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            # unconstrained NUMERIC keeps the scale it was given: 1234.50 stays 1234.50
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return Decimal(value)
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(value)


metadata = MetaData(naming_convention=NAMING)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False),
    Column("kind", String(16), nullable=False, doc="department or unit"),
    Column("code", String(32), nullable=False, default=""),
    Column("region", String(64), nullable=False, default=""),
    Column("level", String(16), nullable=False, default=""),
    Column("parent_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column(
        "merged_into",
        Integer,
        ForeignKey("organisations.id"),
        nullable=True,
        doc="the organisation this one was merged into (`organisations merge`): its name is an alias",
    ),
    # one organisation per folded name, whatever its kind; the older (name_key, kind) constraint stays
    # because SQLite drops a table constraint only by rebuilding a table the documents refer to
    UniqueConstraint("name_key", "kind"),
    Index(None, "name_key", unique=True),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column(
        "filed_as",
        Integer,
        ForeignKey("organisations.id"),
        nullable=True,
        doc="the organisation the document names, when it was merged into organisation_id (else null)",
    ),
    Column("kind", String(16), nullable=False, doc="budget or final"),
    Column("fiscal_year", Integer, nullable=True),
    Column("scope", String(16), nullable=False, doc="department or unit"),
    Column("title", String(300), nullable=False, default=""),
    Column("department_name", String(200), nullable=False, default="", doc="as printed in the title"),
    Column("source_path", Text, nullable=False),
    Column(
        "source_name",
        Text,
        nullable=False,
        default="",
        doc="the name shown: the uploaded name, or the path given",
    ),
    Column("source_format", String(16), nullable=False, default=""),
    Column("content_sha256", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("is_latest", Boolean, nullable=False),
    Column("amount_unit", String(8), nullable=False, default="万元"),
    Column("parse_warnings", JSON, nullable=False),
    Column("errors", Integer, nullable=False, default=0),
    Column("warnings", Integer, nullable=False, default=0),
    Column("infos", Integer, nullable=False, default=0),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("content_sha256"),
    UniqueConstraint("organisation_id", "kind", "fiscal_year", "scope", "version"),
    Index(None, "fiscal_year", "kind", "is_latest"),
)

facts = Table(
    "facts",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("table_kind", String(8), nullable=False),
    Column("row_code", String(40), nullable=False, doc="as printed (split codes joined)"),
    Column("code", String(40), nullable=False, doc="the full code (a printed prefix resolved)"),
    Column("code_level", Integer, nullable=True, doc="1 类, 2 款, 3 项"),
    Column("row_label", String(200), nullable=False),
    Column("column_path", String(200), nullable=False, doc="header path joined by / (`column` in exports)"),
    Column("value", Amount, nullable=False),
    Column("line", Integer, nullable=False),
    Column("page", Integer, nullable=True),
    Index(None, "document_id", "table_kind"),
)

metrics = Table(
    "metrics",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("metric", String(64), primary_key=True),
    Column("value", Amount, nullable=False),
    Column("source", String(120), nullable=False, doc="table and cell the figure was read from"),
    Index(None, "metric", "document_id"),
)

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(300), nullable=False),
    Column("code", String(64), nullable=False),
    Column("unit", String(200), nullable=False),
    Column("level", String(16), nullable=False),
    Column("total", Amount, nullable=True),
    Column("line", Integer, nullable=False),
    Index(None, "document_id"),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(16), nullable=False, doc="B11, B12-n, or self_evaluation"),
    Column("project_name", String(300), nullable=False),
    Column("level1", String(40), nullable=False),
    Column("level2", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("target", String(200), nullable=False),
    Column("target_number", Amount, nullable=True),
    Column("comparator", String(2), nullable=True),
    Column("target_unit", String(40), nullable=False),
    Column("actual", String(200), nullable=False),
    Column("weight", Amount, nullable=True),
    Column("score", Amount, nullable=True),
    Column("line", Integer, nullable=False),
    Index(None, "document_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("section", String(200), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("amount", Amount, nullable=True),
    Column("unit", String(8), nullable=False),
    Column("year", Integer, nullable=True),
    Column("share_pct", Amount, nullable=True),
    Column("change_amount", Amount, nullable=True),
    Column("change_pct", Amount, nullable=True),
    Column("compared_year", Integer, nullable=True),
    Column("completion_pct", Amount, nullable=True),
    Column("sentence", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("page", Integer, nullable=True),
    Index(None, "document_id"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("rule_id", String(40), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("table_kind", String(8), nullable=False),
    Column("row_code", String(40), nullable=False),
    Column("row_label", String(200), nullable=False),
    Column("column_path", String(200), nullable=False),
    Column("expected", Amount, nullable=True),
    Column("actual", Amount, nullable=True),
    Column("difference", Amount, nullable=True),
    Column("lines", String(200), nullable=False, doc="evidence lines, comma separated"),
    Column("pages", String(200), nullable=False, doc="evidence pages (PDF), comma separated"),
    Column("needs_review", Boolean, nullable=False),
    Column(
        "finding_key", String(32), nullable=False, default="", doc="rule and cells, stable across versions"
    ),
    Column(
        "evidence", Text, nullable=False, default="[]", doc="JSON: the places (table, row, column, page, box)"
    ),
    Index(None, "document_id"),
    Index(None, "rule_id", "severity"),
)

TABLES = (organisations, documents, facts, metrics, projects, indicators, claims, findings)
"""The tables one ingested document fills."""

# ---- review teams (the web application) ---------------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False, default=""),
    Column("password_hash", String(200), nullable=False, doc="argon2id"),
    Column("role", String(16), nullable=False, doc="admin, reviewer or viewer"),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True, doc="SHA-256 of the cookie's token (never the token)"),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

uploads = Table(
    "uploads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "filename", String(300), nullable=False, doc="as the browser sent it: shown, never used as a path"
    ),
    Column("content_sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column(
        "status", String(16), nullable=False, doc="queued, running, ingested, new_version, unchanged, failed"
    ),
    Column("message", Text, nullable=False, default=""),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL"), nullable=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Index(None, "status"),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("fiscal_year", Integer, nullable=False, doc="0 when the document states none"),
    Column("status", String(16), nullable=False, doc="pending (待审), in_review (审核中), done (已完成)"),
    Column("assignee_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Integer, ForeignKey("users.id"), nullable=True),
    UniqueConstraint("organisation_id", "kind", "scope", "fiscal_year"),
)
"""One per document and all its versions (organisation, kind, scope, year): status and reviewer."""

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("finding_key", String(32), nullable=False),
    Column("rule_id", String(40), nullable=False),
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="SET NULL"),
        nullable=True,
        doc="the version the decision was taken on",
    ),  # fmt: skip
    Column("action", String(16), nullable=False, doc="confirm, dismiss, reopen or comment"),
    Column("text", Text, nullable=False, default="", doc="the reason of a dismissal, or the comment"),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "organisation_id", "kind", "scope", "fiscal_year", "finding_key"),
)
"""The review trail: rows are only ever added (triggers refuse UPDATE and DELETE on both backends)."""


events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(32), nullable=False, doc="login, login_failed, upload, decision, user, export …"),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("username", String(64), nullable=False, default="", doc="as typed, for a failed login too"),
    Column("address", String(64), nullable=False, default="", doc="the client's address"),
    Column(
        "target", String(300), nullable=False, default="", doc="what it was done to (a document, a user …)"
    ),
    Column("detail", Text, nullable=False, default=""),
    Index(None, "action", "at"),
    Index(None, "username", "at"),
    Index(None, "address", "at"),
)
"""The audit log: who logged in, failed to, uploaded, decided, changed a user or a document, exported."""


def fit_text(table: Table, column: str, value: str) -> str:
    """The text cut to the column's length (a long label must not fail a whole document)."""
    length = getattr(table.c[column].type, "length", None)
    return value[:length] if length is not None and len(value) > length else value


def fit(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row with every text cut to its column's length."""
    return {name: fit_text(table, name, v) if isinstance(v, str) else v for name, v in row.items()}
