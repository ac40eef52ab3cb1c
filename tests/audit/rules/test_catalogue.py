"""The rule catalogue: every rule is declared once, documented, findable by its id, and tested in its family."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

from cnbudget.audit import all_rules
from cnbudget.audit.rules.sums.rows import ROW_SUM_RULES
from cnbudget.domain.catalog import spec_for
from cnbudget.domain.vocabulary import FAMILIES
from cnbudget.model.headers import column_identities
from support.paths import ROOT

RULES = {r.id: r for r in all_rules()}


def _cases(family: str) -> list[str]:
    module = importlib.import_module(f"audit.rules.test_{family}")
    return [c.rule_id for c in module.CASES]


def test_every_rule_has_a_firing_and_a_clean_case_in_its_family_file() -> None:
    covered: list[str] = []
    for family in FAMILIES:
        ids = _cases(family)
        assert all(RULES[i].family == family for i in ids), f"test_{family}.py holds cases of other families"
        covered += ids
    assert set(covered) == set(RULES), set(RULES) ^ set(covered)  # a rule may have several cases
    assert len(RULES) >= 100


def test_every_rule_is_documented() -> None:
    for r in RULES.values():
        assert r.description and r.rationale and r.fix, r.id
        assert "{" not in r.description + r.rationale + r.fix, f"{r.id}: a placeholder was not filled"
        assert r.kinds and r.severity in ("error", "warning", "info")


def test_every_id_is_written_out_where_its_rule_is_declared() -> None:
    """No id is assembled at run time: grep for an id finds its declaration."""
    for r in RULES.values():
        check = getattr(r.check, "func", r.check)
        source = Path(inspect.getsourcefile(check) or "").read_text("utf-8")
        assert f'"{r.id}"' in source, r.id


def test_row_sum_rules_match_the_identities_the_catalogue_implies() -> None:
    """A table layout added to the catalogue with a 合计/小计 column needs its row-sum rule declared."""
    implied: set[str] = set()
    for table_id in {v["table"] for v in ROW_SUM_RULES.values()} | {
        "B02",
        "B03",
        "B05",
        "B06",
        "B07",
        "B10",
        "F02",
        "F03",
        "F04",
        "F05",
        "F07",
        "F08",
        "F09",
    }:
        spec = spec_for(table_id)
        for variant in spec.variants:
            paths = [tuple(v.split("/")) for v in variant]
            if spec.two_sided:
                paths = [p[1:] for p in paths if p[0] == "支出"]
            for identity in column_identities(paths):
                implied.add(f"SUM-{table_id}-{'ROW' if identity.level == 'row' else 'SUBTOTAL'}")
    assert implied == set(ROW_SUM_RULES)
    assert all(RULES[i].tables == (ROW_SUM_RULES[i]["table"],) for i in ROW_SUM_RULES)


def test_rules_documentation_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "generate_rules_doc.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_readme_states_the_rule_count_and_families() -> None:
    """The README's "N rules in M families" is the registry's, not a number from an earlier issue."""
    import re

    readme = (ROOT / "README.md").read_text("utf-8")
    m = re.search(r"with (\d+) rules in (\w+) families", readme)
    assert m, "the README no longer states the rule count"
    words = {"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
    assert int(m.group(1)) == len(RULES)
    assert words[m.group(2)] == len({r.family for r in RULES.values()})
