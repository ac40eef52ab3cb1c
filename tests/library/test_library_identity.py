"""Organisation identity: code and name from the document's own tables, names folded for width and
brackets, merging a renamed organisation into its new name and undoing it, and old libraries migrated.

Seed 000 (the bundled sample) is 武汉市信息中心（武汉市大数据中心）; its B02 prints the department row
"157 武汉市数据局" (line 139) and the centre's own row "157003 武汉市信息中心(武汉市大数据中心)" (line 140).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select

from cnbudget.domain.errors import UsageError
from cnbudget.domain.names import fold_name, name_key, own_row
from cnbudget.domain.reference import sample_path
from cnbudget.library import aliases, history, ingest, merge, organisations, unmerge
from cnbudget.store import schema
from cnbudget.store.database import current_revision, open_database
from cnbudget.store.migrations import HEAD
from support.cli import invoke as cli
from support.seeds import SEED_FILES, seed

FULL = "武汉市信息中心（武汉市大数据中心）"  # the title and B05U (seed 000 line 257)
HALF = "武汉市信息中心(武汉市大数据中心)"  # B02 line 140


def _variant(tmp_path: Path, year: int, title_name: str, *, table_name: str | None = None) -> Path:
    """Seed 000 moved to another year, its name printed ``title_name`` where it prints FULL and
    ``table_name`` (default: unchanged) where B02 prints HALF."""
    text = SEED_FILES["000"].read_text("utf-8")
    text = text.replace("2025", str(year - 1)).replace("2026", str(year)).replace(FULL, title_name)
    if table_name is not None:
        text = text.replace(HALF, table_name)
    path = tmp_path / f"{year}-{fold_name(title_name)}.txt"
    path.write_text(text, "utf-8")
    return path


def _organisations(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(schema.organisations)).mappings().all()
    by_id = {r["id"]: r for r in rows}
    return {
        r["name"]: {**r, "parent": by_id[r["parent_id"]]["name"] if r["parent_id"] else None} for r in rows
    }


# ---- the document's own tables ----------------------------------------------------------------------
def test_the_sample_names_its_own_code_and_department() -> None:
    lines = SEED_FILES["000"].read_text("utf-8").splitlines()
    assert lines[138].startswith("157\t武汉市 数据局") and lines[139].startswith("157003\t武汉 市信息 中心")
    meta = seed("000").metadata
    assert (meta.organisation_code, meta.parent_code, meta.parent_name) == ("157003", "157", "武汉市数据局")
    # a department's own document: 硚口区经信局 is 135 in its B02, with units 135001 and 135002
    hk = seed("004").metadata
    assert (hk.organisation_code, hk.parent_code) == ("135", "")
    # a unit document whose tables list only the unit: the department is known by its code alone
    unit = seed("002").metadata
    assert (unit.organisation_code, unit.parent_code, unit.parent_name) == ("301014", "301", "")


def test_own_row_in_any_numbering() -> None:
    rows = [("0207", "某省教育厅"), ("0207001", "某省教育厅本级"), ("0207012", "某省教育考试院")]
    assert own_row(["某省教育考试院"], rows) is not None
    exam = own_row(["某省教育考试院"], rows)
    assert exam is not None and (exam.code, exam.parent_code, exam.parent_name) == (
        "0207012",
        "0207",
        "某省教育厅",
    )
    dept = own_row(["某省教育厅"], rows)
    assert dept is not None and (dept.code, dept.parent_code) == ("0207", "")
    assert own_row(["某省财政厅"], rows) is None
    # an OCR typo in the title (硃口 for 硚口) still finds the row the tables print
    typo = own_row(["硃口区经济信息化和科技创新局"], [("135", "武汉市硚口区经济信息化和科技创新局")])
    assert typo is not None and typo.code == "135"


@given(
    department=st.text(alphabet="0123456789", min_size=2, max_size=6),
    suffixes=st.lists(
        st.text(alphabet="0123456789", min_size=1, max_size=4), min_size=1, max_size=5, unique=True
    ),
    pick=st.integers(min_value=0, max_value=4),
)
def test_a_unit_is_its_own_code_under_the_department_whatever_the_numbering(
    department: str, suffixes: list[str], pick: int
) -> None:
    names = ["某市某局", *(f"某市某局第{i + 1}中心" for i in range(len(suffixes)))]
    rows = [(department, names[0]), *((department + sfx, names[i + 1]) for i, sfx in enumerate(suffixes))]
    own = own_row([names[pick % len(names)]], rows)
    assert own is not None
    code, name = rows[pick % len(rows)]
    assert (own.code, own.name) == (code, name)
    if code == department:
        assert own.parent_code == ""
    else:  # the longest listed code it extends: the department, or a unit whose code it extends
        parents = [c for c, _ in rows if len(c) < len(code) and code.startswith(c)]
        assert own.parent_code == max(parents, key=len) and own.parent_code.startswith(department)


_WIDE = {**{chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}, "(": "（", ")": "）"}


@given(
    core=st.text(alphabet="信息中心数据局委办院ABCxyz0123456789", min_size=2, max_size=12),
    inner=st.text(alphabet="大数据中心ABC12", min_size=1, max_size=8),
    brackets=st.sampled_from(["()", "（）", "【】", "〔〕", "[]", "［］"]),
)
def test_width_and_bracket_variants_fold_to_one_key(core: str, inner: str, brackets: str) -> None:
    plain = f"{core}({inner})"
    printed = f"{core}{brackets[0]}{inner}{brackets[1]}"
    wide = "".join(_WIDE.get(ch, ch) for ch in printed)
    spaced = " ".join(printed)
    assert name_key(printed) == name_key(plain) == name_key(wide) == name_key(spaced)
    assert name_key(f"{core}A") != name_key(f"{core}B")


# ---- the library ------------------------------------------------------------------------------------
def test_the_sample_is_filed_under_its_own_code_with_its_department(library_url: str) -> None:
    engine = open_database(library_url)
    summary = ingest(engine, [sample_path()], jobs=1)
    assert len(summary.ingested) == 1, summary.failed
    orgs = _organisations(engine)
    assert set(orgs) == {FULL, "武汉市数据局"}  # not a second 信息中心 for B02's half-width printing
    centre, bureau = orgs[FULL], orgs["武汉市数据局"]
    assert (centre["kind"], centre["code"], centre["parent"]) == ("unit", "157003", "武汉市数据局")
    assert (bureau["kind"], bureau["code"], bureau["parent"]) == ("department", "157", None)
    with engine.connect() as conn:
        filed = conn.execute(select(schema.documents.c.organisation_id)).scalar_one()
    assert filed == centre["id"]
    # 武汉 is part of both names: an error listing the two, never a silent choice
    with pytest.raises(UsageError, match="157003") as error:
        history(engine, "武汉")
    assert "武汉市数据局" in str(error.value)
    engine.dispose()


def test_width_and_bracket_variants_are_one_organisation(library_url: str, tmp_path: Path) -> None:
    engine = open_database(library_url)
    files = [
        SEED_FILES["000"],
        _variant(tmp_path, 2025, HALF),
        _variant(
            tmp_path,
            2024,
            "武汉市信息中心【武汉市大数据中心】",
            table_name="武汉市信息中心（武汉市大数据中心）",
        ),
    ]
    summary = ingest(engine, files, jobs=1)
    assert len(summary.ingested) == 3, summary.failed
    orgs = _organisations(engine)
    assert len(orgs) == 2 and "武汉市数据局" in orgs
    answer = history(engine, "信息中心")
    # B03 合计 5,916.68 (seed 000 line 151), the same in every variant
    assert [(r["year"], str(r["total_spending"])) for r in answer.rows] == [
        (2024, "5916.68"), (2025, "5916.68"), (2026, "5916.68")
    ]  # fmt: skip
    engine.dispose()


def test_merge_then_history_then_reingest_then_unmerge(library_url: str, tmp_path: Path) -> None:
    engine = open_database(library_url)
    old = "武汉市大数据中心"  # the centre's former name, in its 2025 document
    ingest(engine, [SEED_FILES["000"], _variant(tmp_path, 2025, old, table_name=old)], jobs=1)
    assert [r["year"] for r in history(engine, old).rows] == [2025]
    done = merge(engine, old, "信息中心")
    assert (done.alias_name, done.target_name, done.documents) == (old, FULL, 1)
    assert [r["year"] for r in history(engine, "信息中心").rows] == [2025, 2026]
    assert [r["year"] for r in history(engine, old).rows] == [2025, 2026]  # the old name is the same one
    assert {r["name"] for r in organisations(engine).rows} == {"武汉市数据局", FULL}
    assert [(r["alias"], r["organisation"], r["documents"]) for r in aliases(engine).rows] == [(old, FULL, 1)]
    # a document printed with the old name, ingested after the merge, lands on the new name
    later = ingest(engine, [_variant(tmp_path, 2024, old, table_name=old)], jobs=1)
    assert len(later.ingested) == 1
    assert [r["year"] for r in history(engine, FULL).rows] == [2024, 2025, 2026]
    with pytest.raises(UsageError, match="已是"):
        merge(engine, FULL, old)
    back = unmerge(engine, old)
    assert back.documents == 2
    assert [r["year"] for r in history(engine, old).rows] == [2024, 2025]
    assert [r["year"] for r in history(engine, FULL).rows] == [2026]
    assert aliases(engine).rows == []
    with pytest.raises(UsageError, match="未并入"):
        unmerge(engine, old)
    engine.dispose()


def test_merge_refuses_two_documents_of_one_year(library_url: str, tmp_path: Path) -> None:
    engine = open_database(library_url)
    old = "武汉市大数据中心"
    ingest(engine, [SEED_FILES["000"], _variant(tmp_path, 2026, old, table_name=old)], jobs=1)
    with pytest.raises(UsageError, match="2026 年预算"):
        merge(engine, old, FULL)
    assert aliases(engine).rows == [] and len(organisations(engine).rows) == 3
    engine.dispose()


def test_organisations_merge_on_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "library.db")
    old = "武汉市大数据中心"
    assert (
        cli(
            "ingest", str(SEED_FILES["000"]), str(_variant(tmp_path, 2025, old, table_name=old)), "--db", db
        ).returncode
        == 0
    )
    done = cli("organisations", "merge", old, "157003", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "并入 #" in done.stdout and FULL in done.stdout
    listed = cli("organisations", "aliases", "--db", db, "-f", "csv")
    assert listed.returncode == 0 and old in listed.stdout and FULL in listed.stdout
    english = cli("organisations", "unmerge", old, "--db", db, env={"CNBUDGET_LANG": "en"})
    assert english.returncode == 0 and "no longer merged" in english.stdout
    ambiguous = cli("organisations", "merge", "武汉", FULL, "--db", db)
    assert ambiguous.returncode == 4 and "武汉市数据局" in ambiguous.stderr and old in ambiguous.stderr
    missing = cli("organisations", "unmerge", "不存在的局", "--db", db)
    assert missing.returncode == 4


# ---- an old library ---------------------------------------------------------------------------------
@pytest.mark.parametrize("bureau_known", [True, False])
def test_migration_merges_organisations_that_fold_to_one_name(library_url: str, bureau_known: bool) -> None:
    """A library written before names were folded: the centre as a department (title's 全角 brackets,
    code 157), as its own unit (B02's half-width brackets, 157003), and printed with 【】 in a re-published
    2026 document. After the migration: one organisation, unit 157003 of 武汉市数据局 as the stored B02
    facts say (the bureau added when the library did not know it), with the two 2026 documents as versions
    of one."""
    from alembic import command
    from sqlalchemy import create_engine

    from cnbudget.store.database import _alembic_config, database_url

    engine = create_engine(database_url(library_url))
    config = _alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def add(conn, table, **row) -> int:
        # only the columns given: the library is at 0001, without the columns later migrations added
        from sqlalchemy import column
        from sqlalchemy import table as bare

        old = bare(table.name, column("id"), *(column(k, table.c[k].type) for k in row))
        return conn.execute(insert(old).values(**row).returning(old.c.id)).scalar_one()

    def organisation(conn, name: str, key: str, kind: str, code: str, parent: int | None = None) -> int:
        return add(conn, schema.organisations, name=name, name_key=key, kind=kind, code=code, region="武汉市",
                   level="city", parent_id=parent)  # fmt: skip

    def document(conn, org: int, year: int, sha: str, ingested: datetime, kind: str = "budget") -> int:
        return add(conn, schema.documents, organisation_id=org, kind=kind, fiscal_year=year, scope="department",
                   title="", department_name="", source_path=sha, source_format="text", content_sha256=sha,
                   version=1, is_latest=True, amount_unit="万元", parse_warnings=[], errors=0, warnings=0,
                   infos=0, ingested_at=ingested)  # fmt: skip

    with engine.begin() as conn:
        bureau = (
            organisation(conn, "武汉市数据局", "武汉市数据局", "department", "") if bureau_known else None
        )
        centre = organisation(conn, FULL, HALF, "department", "157")
        organisation(conn, HALF, HALF, "unit", "157003", parent=centre)  # B02 line 140, half-width
        bracketed = organisation(
            conn, "武汉市信息中心【武汉市大数据中心】", "武汉市信息中心【武汉市大数据中心】", "department", ""
        )
        first = document(conn, centre, 2026, "a", now)
        republished = document(conn, bracketed, 2026, "b", now.replace(month=2))
        earlier = document(conn, centre, 2025, "c", now)
        final = document(conn, bureau, 2024, "d", now, kind="final") if bureau else None
        for doc in (first, republished):  # B02 of seed 000, lines 139 and 140, as an older ingest stored it
            for code, label in (("157", "武汉市数据局"), ("157003", HALF)):
                add(conn, schema.facts, document_id=doc, table_kind="B02", row_code=code, code=code,
                    code_level=None, row_label=label, column_path="合计", value="5916.68", line=140)  # fmt: skip
    engine.dispose()
    engine = open_database(library_url)
    assert current_revision(engine) == HEAD
    d = schema.documents.c
    with engine.connect() as conn:
        orgs = {r.id: r for r in conn.execute(select(schema.organisations))}
        documents = {r.id: r for r in conn.execute(select(d.id, d.organisation_id, d.version, d.is_latest))}
    if bureau is None:
        bureau = next(i for i, r in orgs.items() if r.name == "武汉市数据局")
    # known by name only before, the bureau gets the code the centre's B02 prints for it
    assert (orgs[bureau].kind, orgs[bureau].code, orgs[bureau].region) == ("department", "157", "武汉市")
    assert sorted(orgs) == sorted([bureau, centre])  # own_unit and bracketed merged into centre
    kept = orgs[centre]
    assert (kept.name, kept.kind, kept.code, kept.parent_id, kept.name_key) == (
        FULL, "unit", "157003", bureau, name_key(HALF)
    )  # fmt: skip
    expected = {first: (centre, 1, False), republished: (centre, 2, True), earlier: (centre, 1, True)}
    if final is not None:
        expected[final] = (bureau, 1, True)
    assert {i: (r.organisation_id, r.version, r.is_latest) for i, r in documents.items()} == expected
    # the folded key is unique now: the same name in another width is the same organisation
    answer = history(engine, "武汉市信息中心〔武汉市大数据中心〕")
    assert [r["year"] for r in answer.rows] == [2025, 2026]
    engine.dispose()


@pytest.mark.parametrize("unit_first", [False, True])
def test_a_unit_whose_tables_give_only_the_department_code_is_linked_by_code(
    library_url: str, tmp_path: Path, unit_first: bool
) -> None:
    """Seed 002 is unit 301014 and lists no department row; a 武汉市 city department whose own tables print
    "301 武汉市经济和信息化局" (seed 000 with its B02 rows renumbered) is its parent, whichever comes first."""
    text = SEED_FILES["000"].read_text("utf-8")
    assert "157\t武汉市 数据局\t" in text and "\n157003\t" in text
    bureau = text.replace("157\t武汉市 数据局\t", "301\t武汉市经济和信息化局\t").replace(
        "\n157003\t", "\n301003\t"
    )
    path = tmp_path / "301003.txt"
    path.write_text(bureau, "utf-8")
    engine = open_database(library_url)
    for batch in [SEED_FILES["002"], path] if unit_first else [path, SEED_FILES["002"]]:
        summary = ingest(engine, [batch], jobs=1)
        assert len(summary.ingested) == 1, summary.failed
    orgs = _organisations(engine)
    assert (orgs["武汉市经济和信息化局"]["code"], orgs["武汉市经济和信息化局"]["kind"]) == (
        "301",
        "department",
    )
    unit = orgs["武汉市工业信息化中心"]
    assert (unit["code"], unit["kind"], unit["parent"]) == ("301014", "unit", "武汉市经济和信息化局")
    engine.dispose()


def test_the_name_shown_is_the_title_s_whatever_the_order_of_ingest(tmp_path: Path) -> None:
    """Seed 000 prints its name FULL in its title and HALF in its B02; another document listing the centre in
    its tables may be stored first. The organisation shows the printing of its own title either way."""
    other = _variant(tmp_path, 2025, "武汉市大数据中心", table_name="武汉市大数据中心")
    for number, order in enumerate(([other, SEED_FILES["000"]], [SEED_FILES["000"], other])):
        engine = open_database(str(tmp_path / f"order{number}.db"))
        for path in order:
            ingest(engine, [path], jobs=1)
        names = _organisations(engine)
        assert FULL in names and HALF not in names, sorted(names)
        engine.dispose()
