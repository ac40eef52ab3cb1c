"""Review profiles (`--profile review.toml`): rules off, other severities, the rounding accepted.

What the built-in audit finds on the seeds comes from tests/fixtures/golden/ (written from the documents
and reviewed); each test states what the profile must change in it, and that nothing else changes.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnbudget.audit import audit
from cnbudget.audit.context import Context, Ref
from cnbudget.audit.profile import AuditProfile, load_profile, parse_profile
from cnbudget.audit.registry import all_rules, rule_by_id
from cnbudget.audit.tolerance import Tolerance
from cnbudget.domain.errors import EXIT_OK, EXIT_USAGE, UsageError
from cnbudget.domain.i18n import language_set_to
from support.cli import invoke as run
from support.paths import ROOT
from support.seeds import FIXTURES, SEED_FILES, seed

EXAMPLE = ROOT / "docs" / "profile.example.toml"


def golden(name: str) -> list[dict[str, object]]:
    findings: list[dict[str, object]] = json.loads((FIXTURES / "golden" / f"{name}.json").read_text("utf-8"))[
        "findings"
    ]
    return findings


def found(report_findings: list) -> list[tuple[str, str, tuple[int, ...]]]:  # type: ignore[type-arg]
    return sorted((f.rule_id, f.severity, tuple(f.lines)) for f in report_findings)


def expected(rows: list[dict[str, object]]) -> list[tuple[str, str, tuple[int, ...]]]:
    return sorted((str(f["rule"]), str(f["severity"]), tuple(f["lines"])) for f in rows)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str, name: str = "review.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# ---- the example shipped in docs/ -----------------------------------------------------------------------
def test_the_example_profile_loads_and_says_what_its_comments_say() -> None:
    profile = load_profile(EXAMPLE)
    assert profile.name == "某区财政局部门预算公开审核口径" and len(profile.sha256) == 64
    narr_prior = {r.id for r in all_rules() if r.id.startswith("NARR-PRIOR-")}
    assert len(narr_prior) >= 2
    # disable TEXT-PUNCT-001, TEXT-BRACKET-001 and NARR-PRIOR-*; enable takes NARR-PRIOR-001 back
    assert profile.disabled == {"TEXT-PUNCT-001", "TEXT-BRACKET-001"} | (narr_prior - {"NARR-PRIOR-001"})
    assert profile.severities["XT-B11-B03"] == "warning"
    text_rules = {r.id for r in all_rules() if r.id.startswith("TEXT-")}
    assert {k for k, v in profile.severities.items() if v == "info"} == text_rules  # "提示" is info
    assert profile.tolerance == Tolerance(Decimal(1), Decimal(500), True)  # 0.05万元 = 500元


def test_the_readme_profile_example_is_a_valid_profile() -> None:
    import re

    readme = (ROOT / "README.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```toml\n(.*?)```", readme, re.S) if "[tolerance]" in b)
    profile = parse_profile(block, "README.md")
    assert "TEXT-PUNCT-001" in profile.disabled and "NARR-PRIOR-001" not in profile.disabled
    assert profile.tolerance.max_tail_yuan == Decimal(500)


# ---- what a profile changes in the findings --------------------------------------------------------------
def test_no_profile_and_an_empty_profile_change_nothing() -> None:
    base = expected(golden("000"))
    assert found(audit(seed("000")).findings) == base
    assert found(audit(seed("000"), profile=parse_profile("")).findings) == base


def test_disabled_rules_are_not_run_and_reported_as_disabled() -> None:
    profile = parse_profile('[rules]\ndisable = ["NARR-*"]\nenable = ["NARR-AMOUNT-001"]')
    report = audit(seed("000"), profile=profile)
    rows = golden("000")
    kept = [f for f in rows if not str(f["rule"]).startswith("NARR-") or f["rule"] == "NARR-AMOUNT-001"]
    assert len(kept) < len(rows)  # the seed has NARR-CHANGE-001 and NARR-YEAR-002 errors
    assert found(report.findings) == expected(kept)
    disabled = {o.rule_id for o in report.outcomes if o.disabled}
    assert disabled == {r.id for r in all_rules() if r.id.startswith("NARR-")} - {"NARR-AMOUNT-001"}
    for o in report.outcomes:
        if o.disabled:
            assert o.status == "not_evaluated" and o.reason == "已被审核配置停用" and o.findings == 0
    assert report.profile is profile


def test_severity_override_moves_the_rule_findings_to_the_new_level() -> None:
    report = audit(seed("000"), profile=parse_profile('[severity]\n"DUP-PROJECT-001" = "warning"'))
    rows = copy.deepcopy(golden("000"))
    dup = [f for f in rows if f["rule"] == "DUP-PROJECT-001"]
    assert dup and all(f["severity"] == "error" for f in dup)
    for f in dup:
        f["severity"] = "warning"
    assert found(report.findings) == expected(rows)
    assert report.count("error") == sum(1 for f in golden("000") if f["severity"] == "error") - len(dup)


def test_a_lower_level_of_a_rule_keeps_its_level_but_never_exceeds_the_new_one() -> None:
    # sum rules are declared "error" and report rounding tails as info: "warning" moves errors only,
    # "info" moves everything to info
    rows = golden("003")
    sums = [f for f in rows if str(f["rule"]).startswith(("SUM-", "HIER-", "XT-"))]
    assert {f["severity"] for f in sums} == {"info"}
    warned = audit(seed("003"), profile=parse_profile('[severity]\n"XT-*" = "warning"'))
    assert found(warned.findings) == expected(rows)
    quiet = audit(seed("003"), profile=parse_profile('[severity]\n"SE-*" = "info"'))
    changed = [{**f, "severity": "info"} if str(f["rule"]).startswith("SE-") else f for f in rows]
    assert found(quiet.findings) == expected(changed)


def test_rounding_factor_zero_makes_every_rounding_tail_an_error() -> None:
    for name in ("000", "003"):
        rows = golden(name)
        tails = [f for f in rows if f["severity"] == "info" and "尾差范围内" in str(f["message"])]
        assert tails, name
        changed = [{**f, "severity": "error"} if f in tails else f for f in rows]
        report = audit(seed(name), profile=parse_profile("[tolerance]\nrounding_factor = 0"))
        assert found(report.findings) == expected(changed), name


def test_max_tail_caps_the_rounding_tail_in_money() -> None:
    # 003 has tails of 0.01 and of 0.02 万元; a ceiling of 0.01万元 (100 元) keeps the first, breaks the second
    rows = golden("003")
    tails = [f for f in rows if f["severity"] == "info" and "尾差范围内" in str(f["message"])]
    big = [f for f in tails if abs(Decimal(str(f["actual"])) - Decimal(str(f["expected"]))) > Decimal("0.01")]
    assert big and len(big) < len(tails)
    changed = [{**f, "severity": "error"} if f in big else f for f in rows]
    for ceiling in ('"0.01万元"', '"100元"', "100"):
        report = audit(seed("003"), profile=parse_profile(f"[tolerance]\nmax_tail = {ceiling}"))
        assert found(report.findings) == expected(changed), ceiling


def test_declared_tails_false_ignores_the_documents_own_note() -> None:
    doc = seed("003")  # its tables declare 尾数误差
    assert Context(doc).declares_tails
    rule = rule_by_id("XT-F01-F03")
    assert rule is not None
    f01, f03 = doc.table("F01"), doc.table("F03")
    assert f01 is not None and f03 is not None
    a = Ref(f01, f01.row(label="六、科学技术支出"), "支出/金额")  # type: ignore[arg-type]
    b = Ref(f03, f03.row(code="206"), "本年支出合计")  # type: ignore[arg-type]
    assert a.value == Decimal("2965.74") and b.value == Decimal("2965.73")  # as printed in the document
    severities = []
    for accepted in (Tolerance(), Tolerance(declared_tails=False)):
        ctx = Context(doc, accepted)
        ctx.rule = rule
        severities.append([f.severity for f in ctx.check_copy(a, b, "test")])
    assert severities == [["info"], ["error"]]


# ---- mistakes in a profile -------------------------------------------------------------------------------
BAD = [
    ('[rules]\ndisable = ["NARR-AMOUN-001"]\n', 2, ["rules.disable", "NARR-AMOUN-001", "NARR-AMOUNT-001"]),
    ('[rules]\ndisable = ["NRR-*"]\n', 2, ["NRR-*", "NARR-*"]),
    ('[rules]\ndisable = "NARR-*"\n', 2, ["rules.disable"]),
    ('[rules]\ndisabled = ["NARR-*"]\n', 2, ["rules.disabled", "disable"]),
    ("[rulez]\n", 1, ["rulez", "rules"]),
    ('name = "x"\n[severity]\n"DUP-PROJECT-001" = "fatal"\n', 3, ["DUP-PROJECT-001", "fatal"]),
    ('[severity]\n"DUP-PROJECT-999" = "warning"\n', 2, ["DUP-PROJECT-999", "DUP-PROJECT-001"]),
    ('[severity]\n"DUP-PROJECT-001" = 2\n', 2, ["DUP-PROJECT-001"]),
    ("name = 3\n", 1, ["name"]),
    ('severity = "warning"\n', 1, ["severity"]),
    ("[tolerance]\nrounding_factor = -1\n", 2, ["tolerance.rounding_factor"]),
    ('[tolerance]\nrounding_factor = "1"\n', 2, ["tolerance.rounding_factor"]),
    ('[tolerance]\nmax_tail = "0.05美元"\n', 2, ["tolerance.max_tail"]),
    ('[tolerance]\ndeclared_tails = "yes"\n', 2, ["tolerance.declared_tails"]),
    ("[tolerance]\nround = 1\n", 2, ["tolerance.round", "rounding_factor"]),
    ('name = "x"\n[rules\n', 2, ["TOML"]),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD, ids=[w[0] for _, _, w in BAD])
def test_each_mistake_names_the_file_the_line_and_the_key(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    path = write(tmp_path, text)
    for lang, colon in (("zh", "："), ("en", ": ")):
        with language_set_to(lang):  # type: ignore[arg-type]
            with pytest.raises(UsageError) as caught:
                load_profile(path)
            message = str(caught.value)
        assert caught.value.path == str(path) and caught.value.line == line
        assert message.startswith(f"{path}:{line}{colon}"), message
        for word in words:
            assert word in message


@pytest.mark.parametrize("command", ["audit", "rules", "ingest"])
def test_a_bad_profile_stops_the_command_with_exit_4_before_any_work(tmp_path: Path, command: str) -> None:
    path = write(tmp_path, '[rules]\ndisable = ["TEXT-PUNCT-01"]\n')
    db = tmp_path / "lib.db"
    args = {
        "audit": ["audit", "--sample"],
        "rules": ["rules"],
        "ingest": ["ingest", "--sample", "--db", str(db)],
    }
    result = run(*args[command], "--profile", str(path))
    assert result.returncode == EXIT_USAGE, result.stderr
    assert f"{path}:2" in result.stderr and "TEXT-PUNCT-001" in result.stderr
    assert "Traceback" not in result.stderr and not db.exists()
    missing = run(*args[command], "--profile", str(tmp_path / "nope.toml"))
    assert missing.returncode == EXIT_USAGE and "nope.toml" in missing.stderr


def test_messages_in_english_on_request(tmp_path: Path) -> None:
    path = write(tmp_path, '[severity]\n"DUP-PROJECT-001" = "fatal"\n')
    result = run("rules", "--profile", str(path), env={"CNBUDGET_LANG": "en"})
    assert result.returncode == EXIT_USAGE and "unknown severity 'fatal'" in result.stderr


_VALUES = st.one_of(
    st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["error", "warning", "提示", "bad", "0.05万元", "500元", "NARR-*", "SUM-B01-TOTAL", "x*"]),
    st.lists(st.sampled_from(["NARR-*", "TEXT-PUNCT-001", "SUM-B0?-ROW", "nope", "*"]), max_size=3),
)  # fmt: skip
_KEYS = st.sampled_from(["disable", "enable", "rounding_factor", "max_tail", "declared_tails", "NARR-*",
                         "DUP-PROJECT-001", "name", "other"])  # fmt: skip


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, int) or value == value else "nan"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["rules", "severity", "tolerance", "name", "extra"]),
        st.dictionaries(_KEYS, _VALUES, max_size=4),
        max_size=4,
    )
)
def test_any_profile_is_read_or_refused_with_a_usage_error(sections: dict[str, dict[str, object]]) -> None:
    text = "".join(
        f"[{name}]\n" + "".join(f'"{k}" = {_toml(v)}\n' for k, v in body.items())
        for name, body in sections.items()
    )
    try:
        profile = parse_profile(text, "p.toml")
    except UsageError as exc:
        assert str(exc).startswith("p.toml") and exc.message
        return
    assert isinstance(profile, AuditProfile)
    ids = {r.id for r in all_rules()}
    assert profile.disabled <= ids and set(profile.severities) <= ids
    assert profile.tolerance.rounding_factor >= 0


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_with_a_usage_error(text: str) -> None:
    try:
        profile = parse_profile(text, "p.toml")
    except UsageError as exc:
        assert str(exc).startswith("p.toml")
    else:
        assert isinstance(profile, AuditProfile)


# ---- the command line ------------------------------------------------------------------------------------
def test_rules_with_a_profile_shows_the_effective_catalogue() -> None:
    result = run("rules", "-f", "json", "--profile", str(EXAMPLE))
    assert result.returncode == EXIT_OK, result.stderr
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["TEXT-PUNCT-001"]["enabled"] is False and rows["NARR-PRIOR-001"]["enabled"] is True
    assert rows["XT-B11-B03"]["severity"] == "warning" and rows["XT-B11-B03"]["default_severity"] == "error"
    plain = {r["id"]: r for r in json.loads(run("rules", "-f", "json").stdout)}
    assert all(r["enabled"] and r["severity"] == r["default_severity"] for r in plain.values())
    text = run("rules", "--profile", str(EXAMPLE)).stdout
    assert "已停用" in text and "原为错误" in text


def test_audit_report_records_the_profile(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "区审核口径"\n[rules]\ndisable = ["NARR-CHANGE-001"]\n')
    result = run("audit", str(SEED_FILES["000"]), "-f", "json", "--profile", str(path))
    report = json.loads(result.stdout)["reports"][0]
    assert report["profile"]["name"] == "区审核口径" and report["profile"]["disabled"] == ["NARR-CHANGE-001"]
    import hashlib

    assert report["profile"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert report["summary"]["rules_disabled"] == 1
    assert not any(f["rule_id"] == "NARR-CHANGE-001" for f in report["findings"])
    coverage = next(c for c in report["coverage"] if c["rule_id"] == "NARR-CHANGE-001")
    assert (
        coverage["status"] == "not_evaluated"
        and coverage["disabled"]
        and coverage["reason"] == "已被审核配置停用"
    )
    text = run("audit", str(SEED_FILES["000"]), "--profile", str(path)).stdout
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert f"审核配置：区审核口径 ({digest})" in text and "NARR-CHANGE-001" in text
    html = tmp_path / "a.html"
    run("audit", str(SEED_FILES["000"]), "-f", "html", "-o", str(html), "--profile", str(path))
    assert "区审核口径" in html.read_text("utf-8")
    checklist = tmp_path / "c.html"
    run("audit", str(SEED_FILES["000"]), "-f", "checklist", "-o", str(checklist), "--profile", str(path))
    assert f"审核配置：区审核口径 ({digest})" in checklist.read_text("utf-8")
    from openpyxl import load_workbook

    book = tmp_path / "a.xlsx"
    run("audit", str(SEED_FILES["000"]), "-f", "xlsx", "-o", str(book), "--profile", str(path))
    coverage = load_workbook(book)["规则覆盖"]
    rows = [[c.value for c in row] for row in coverage.iter_rows(min_row=2)]
    assert [next(r for r in rows if r[1] == "NARR-CHANGE-001")[i] for i in (1, 3)] == [
        "NARR-CHANGE-001",
        "已被审核配置停用",
    ]
    assert any(r[2] and "区审核口径" in str(r[2]) for r in rows)


def test_ingest_stores_findings_that_follow_the_profile(tmp_path: Path) -> None:
    path = write(tmp_path, '[rules]\ndisable = ["NARR-*"]\n[severity]\n"DUP-PROJECT-001" = "warning"\n')
    db = str(tmp_path / "lib.db")
    assert run("ingest", str(SEED_FILES["000"]), "--db", db, "--profile", str(path)).returncode == EXIT_OK
    stored = json.loads(run("findings", "--db", db, "-f", "json").stdout)
    rows = stored["rows"] if isinstance(stored, dict) else stored
    rules = {(r["rule_id"], r["severity"]) for r in rows}
    assert ("DUP-PROJECT-001", "warning") in rules
    assert not any(rule.startswith("NARR-") for rule, _ in rules)
    assert ("YEAR-ASOF-001", "error") in rules  # other findings as without the profile
