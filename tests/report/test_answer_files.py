"""Library answers as XLSX (typed numbers, a native chart) and as one HTML page (table and SVG chart);
CSV with a byte order mark for Excel; exports refuse a file name for several tables and missing folders."""

from __future__ import annotations

import csv
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from openpyxl import load_workbook

from cnbudget.model.answer import Answer, Chart, Series
from cnbudget.report.answer.html import answer_html, chart_svg
from cnbudget.report.answer.xlsx import answer_xlsx
from support.cli import invoke as cli
from support.seeds import SEED_FILES, SEEDS

EVIL_NAME = '=HYPERLINK("http://evil.example","点击")<script>alert(1)</script>[/bold]'


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("answers") / "library.db"
    done = cli("ingest", str(SEEDS), "--db", str(path), "--jobs", "1", "-q")
    assert done.returncode == 0, done.stderr
    return str(path)


def _json(db: str, *args: str) -> dict:  # type: ignore[type-arg]
    done = cli(*args, "--db", db, "-f", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _table(sheet) -> tuple[list[str], list[list[object]]]:  # type: ignore[no-untyped-def]
    """The header row (the first row with more than one heading) and the data rows under it."""
    rows = list(sheet.iter_rows())
    start = next(i for i, r in enumerate(rows) if sum(1 for c in r if c.value not in (None, "")) > 1)
    body = []
    for r in rows[start + 1 :]:
        if all(c.value in (None, "") for c in r):
            break
        body.append(list(r))
    return [c.value for c in rows[start]], body


def test_compare_as_a_workbook_has_numbers_and_a_bar_chart(db: str, tmp_path: Path) -> None:
    expected = _json(db, "compare", "-y", "2026")
    out = tmp_path / "compare.xlsx"
    done = cli("compare", "-y", "2026", "--db", db, "-f", "xlsx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    headings, rows = _table(book.worksheets[0])
    assert "支出合计（万元）" in headings and "基本支出占比(%)" in headings
    total = headings.index("支出合计（万元）")
    share = headings.index("基本支出占比(%)")
    assert len(rows) == len(expected["rows"]) == 3
    for cells, row in zip(rows, expected["rows"], strict=True):
        assert cells[0].value == row["organisation"]
        amount = cells[total]
        assert amount.data_type == "n" and isinstance(amount.value, int | float)  # a number, not text
        assert (
            Decimal(str(amount.value)) == Decimal(row["total_spending"])
            and amount.number_format == "#,##0.00"
        )
        assert cells[share].number_format == "0.00"
    # the sample's own B03 prints 合计 5,916.68 (万元) for 武汉市信息中心
    assert any(c[0].value.startswith("武汉市信息中心") and c[total].value == 5916.68 for c in rows)
    charts = book.worksheets[1]._charts
    assert [type(c).__name__ for c in charts] == ["BarChart"]
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<barChart>" in xml and "万元" in xml  # the unit on the chart
    data = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(name, Decimal(str(value))) for name, value in data] == [
        (r["organisation"], Decimal(r["total_spending"])) for r in expected["rows"]
    ]


def test_history_line_chart_and_execution_budget_against_final(db: str, tmp_path: Path) -> None:
    history = tmp_path / "history.xlsx"
    assert cli("history", "135", "--db", db, "-f", "xlsx", "-o", str(history)).returncode == 0
    assert [type(c).__name__ for c in load_workbook(history).worksheets[1]._charts] == ["LineChart"]

    expected = _json(db, "execution", "武汉市数据局", "2024")
    book_path = tmp_path / "execution.xlsx"
    assert (
        cli("execution", "武汉市数据局", "2024", "--db", db, "-f", "xlsx", "-o", str(book_path)).returncode
        == 0
    )
    book = load_workbook(book_path)
    chart_sheet = book.worksheets[1]
    assert [type(c).__name__ for c in chart_sheet._charts] == ["BarChart"]
    header = next(chart_sheet.iter_rows(max_row=1, values_only=True))
    assert header[1:] == ("预算数（万元）", "决算数（万元）")
    data = list(chart_sheet.iter_rows(min_row=2, values_only=True))

    def number(value: object) -> Decimal | None:
        return None if value in (None, "") else Decimal(str(value))

    assert [(number(b), number(f)) for _, b, f in data] == [
        (number(r["budget"]), number(r["final"])) for r in expected["rows"]
    ]


def _bars(page: str) -> list[etree._Element]:
    tree = lxml_html.fromstring(page.encode("utf-8"))
    return tree.xpath("//svg//rect[@class='bar']")


def test_compare_as_html_is_one_file_whose_bars_follow_the_figures(db: str, tmp_path: Path) -> None:
    expected = _json(db, "compare", "-y", "2026", "-m", "personnel")
    out = tmp_path / "compare.html"
    assert (
        cli("compare", "-y", "2026", "-m", "personnel", "--db", db, "-f", "html", "-o", str(out)).returncode
        == 0
    )
    page = out.read_text("utf-8")
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    tree = lxml_html.fromstring(page.encode("utf-8"))
    cells = [
        [td.text_content() for td in tr.xpath("td")] for tr in tree.xpath("//table[@class='answer']//tr")[1:]
    ]
    figures = {r["organisation"]: Decimal(r["personnel"]) for r in expected["rows"]}
    assert {c[0]: Decimal(c[4].replace(",", "")) for c in cells} == figures
    bars = _bars(page)
    assert {b.get("data-category"): Decimal(b.get("data-value")) for b in bars} == figures
    heights = {b.get("data-category"): float(b.get("height")) for b in bars}
    biggest = max(figures, key=lambda k: figures[k])
    for name, value in figures.items():  # each bar's height is its share of the largest bar's
        assert heights[name] / heights[biggest] == pytest.approx(float(value / figures[biggest]), rel=1e-3)
    assert "人员经费（单位：万元）" in page and 'data-unit="万元"' in page


def test_line_chart_points_follow_the_figures_with_gaps_for_missing_years() -> None:
    chart = Chart("line", "历年", "万元", "年度", ["2022", "2023", "2024", "2025"],
                  [Series("支出合计", [Decimal("100"), Decimal("300"), None, Decimal("200")])])  # fmt: skip
    svg = etree.fromstring(chart_svg(chart).encode("utf-8"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    points = svg.findall(".//s:circle", ns)
    assert [p.get("data-category") for p in points] == ["2022", "2023", "2025"]
    ys = [float(p.get("cy")) for p in points]
    zero = float(svg.findall(".//s:line[@class='axis']", ns)[0].get("y1"))
    # heights above the zero line are proportional to the values (100 : 300 : 200)
    assert [(zero - y) / (zero - ys[0]) for y in ys] == pytest.approx([1, 3, 2], rel=1e-3)
    assert len(svg.findall(".//s:polyline", ns)) == 1  # 2022–2023 joined; 2025 alone after the gap


def test_negative_values_hang_below_the_zero_line() -> None:
    chart = Chart(
        "bar", "差额", "万元", "项目", ["甲", "乙"], [Series("决算-预算", [Decimal("-50"), Decimal("100")])]
    )
    svg = etree.fromstring(chart_svg(chart).encode("utf-8"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    zero = float(svg.findall(".//s:line[@class='axis']", ns)[0].get("y1"))
    low, high = svg.findall(".//s:rect[@class='bar']", ns)
    assert float(low.get("y")) == pytest.approx(zero) and float(high.get("y")) + float(
        high.get("height")
    ) == pytest.approx(zero)
    assert float(high.get("height")) == pytest.approx(2 * float(low.get("height")), rel=1e-3)


def _evil_answer() -> Answer:
    return Answer(
        title=f"{EVIL_NAME} 比较",
        columns=["organisation", "total"],
        headers={"organisation": "部门（单位）", "total": "支出合计"},
        rows=[{"organisation": EVIL_NAME, "total": Decimal("12.50")}, {"organisation": "@SUM(A1)", "total": None}],
        notes=[f"注意 {EVIL_NAME}"],
        units={"total": "万元"},
        chart=Chart("bar", EVIL_NAME, "万元", "部门", [EVIL_NAME, "@SUM(A1)"],
                    [Series(EVIL_NAME, [Decimal("12.50"), None])]),
    )  # fmt: skip


def test_injection_payloads_in_names_stay_inert(tmp_path: Path) -> None:
    path = tmp_path / "evil.xlsx"
    path.write_bytes(answer_xlsx(_evil_answer()))
    book = load_workbook(path)
    texts = [c for ws in book.worksheets for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(c.value == EVIL_NAME for c in texts) and any(c.value == "@SUM(A1)" for c in texts)
    assert all(c.data_type != "f" for c in texts)
    numbers = [
        c for r in book.worksheets[0].iter_rows() for c in r if c.data_type == "n" and c.value is not None
    ]
    assert [c.value for c in numbers] == [12.5]

    page = answer_html(_evil_answer())
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    tree = lxml_html.fromstring(page.encode("utf-8"))
    assert not tree.xpath("//script") and tree.xpath("//table//td")[0].text_content() == EVIL_NAME
    assert [b.get("data-category") for b in _bars(page)] == [EVIL_NAME]  # an attribute, escaped, not markup


def test_xlsx_needs_an_output_file(db: str) -> None:
    done = cli("findings", "--db", db, "-f", "xlsx")
    assert done.returncode == 4 and "-o" in done.stderr and "Traceback" not in done.stderr


def test_findings_workbook_counts_by_rule(db: str, tmp_path: Path) -> None:
    expected = _json(db, "findings")
    out = tmp_path / "findings.xlsx"
    assert cli("findings", "--db", db, "-f", "xlsx", "-o", str(out)).returncode == 0
    data = list(load_workbook(out).worksheets[1].iter_rows(min_row=2, values_only=True))
    counts: dict[str, int] = {}
    for row in expected["rows"]:
        counts[row["rule_id"]] = counts.get(row["rule_id"], 0) + 1
    assert dict(data) == counts and sum(counts.values()) == len(expected["rows"])


# ---- CSV for Excel --------------------------------------------------------------------------------------
BOM = b"\xef\xbb\xbf"


def test_bom_on_every_csv(db: str, tmp_path: Path) -> None:
    plain = tmp_path / "facts.csv"
    marked = tmp_path / "facts-bom.csv"
    assert cli("facts", str(SEED_FILES["003"]), "-o", str(plain)).returncode == 0
    assert cli("facts", str(SEED_FILES["003"]), "-o", str(marked), "--bom").returncode == 0
    assert not plain.read_bytes().startswith(BOM)
    assert marked.read_bytes() == BOM + plain.read_bytes()
    for args in (
        ("compare", "-y", "2026", "--db", db),
        ("findings", "--db", db),
        ("organisations", "--db", db),
    ):
        done = cli(*args, "-f", "csv", "--bom")
        assert done.returncode == 0 and done.stdout.startswith("\ufeff")
        assert done.stdout[1:] == cli(*args, "-f", "csv").stdout
    assert cli("rules", "-f", "csv", "--bom").stdout.startswith("\ufeffid,")
    out = tmp_path / "export"
    assert cli("export", "--db", db, "-o", str(out), "--bom").returncode == 0
    for name in ("facts", "documents", "organisations", "findings"):
        data = (out / f"{name}.csv").read_bytes()
        assert data.startswith(BOM) and not data[3:].startswith(BOM)
    with (out / "organisations.csv").open(encoding="utf-8-sig") as handle:  # what Excel reads
        assert "武汉市数据局" in {r["name"] for r in csv.DictReader(handle)}


# ---- export targets -------------------------------------------------------------------------------------
def test_export_to_a_csv_file_name(db: str, tmp_path: Path) -> None:
    several = cli("export", "--db", db, "-o", str(tmp_path / "x.csv"))
    assert several.returncode == 4 and "--table" in several.stderr and "文件夹" in several.stderr
    assert list(tmp_path.iterdir()) == []  # no folder named x.csv
    one = cli("export", "--db", db, "-o", str(tmp_path / "x.csv"), "-t", "organisations")
    assert one.returncode == 0, one.stderr
    folder = tmp_path / "folder"
    assert cli("export", "--db", db, "-o", str(folder), "-t", "organisations").returncode == 0
    assert (tmp_path / "x.csv").read_bytes() == (folder / "organisations.csv").read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ("export", "-o", "{missing}/out"),
        ("export", "-o", "{missing}/out.xlsx", "-f", "xlsx"),
        ("compare", "-y", "2026", "-f", "html", "-o", "{missing}/c.html"),
        ("compare", "-y", "2026", "-f", "xlsx", "-o", "{missing}/c.xlsx"),
        ("organisations", "-f", "csv", "-o", "{missing}/o.csv"),
    ],
)
def test_output_into_a_missing_folder_is_refused(db: str, tmp_path: Path, args: tuple[str, ...]) -> None:
    missing = tmp_path / "no" / "such"
    done = cli(*(a.format(missing=missing) for a in args), "--db", db)
    assert done.returncode == 3 and "文件夹不存在" in done.stderr
    assert not (tmp_path / "no").exists()
