"""Reading text conversions in any encoding, and refusing what is not text."""

from pathlib import Path

import pytest

import cnbudget
from cnbudget.domain.errors import InputError
from cnbudget.read import read_path, source_from_text
from cnbudget.read.source import ReadOptions
from support.paths import FIXTURES

SAMPLE = (FIXTURES / "seeds" / "002_259adb099584b024.txt").read_text("utf-8")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gbk", "gb18030"]
)
def test_encodings_give_the_same_model(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"doc-{encoding}.txt"
    text = SAMPLE.replace("\n", "\r\n") if encoding == "gbk" else SAMPLE  # CRLF too
    path.write_bytes(text.encode(encoding, errors="strict"))
    doc = cnbudget.parse_file(path)
    reference = cnbudget.parse_text(SAMPLE)
    assert [t.id for t in doc.tables] == [t.id for t in reference.tables]
    assert doc.table("B05").rows[0].cells == reference.table("B05").rows[0].cells


def test_cells_by_layout() -> None:
    src = source_from_text("a\tb\n| x | y |\n|---|---|\nplain text\n\n")
    assert [ln.layout for ln in src.lines] == ["tab", "pipe", "rule", "text", "blank"]
    assert src.lines[1].cells == ["x", "y"]


def test_kangxi_radicals_are_mapped() -> None:
    src = source_from_text("⼀般公共预算⽀出表")
    assert src.lines[0].text == "一般公共预算支出表"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空的"),
        (b"   \n\n", "空的"),
        (b"%PDF-1.4\x00\x01\x02binary", "无法读取的 PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "二进制文件"),
        (b"\xff\xfe\xfd\x81\x30", "以 utf-16-le 字节序标记开头"),
        (b"abc \xff\xff\xff text", "无法按 UTF-8、UTF-16 或 GBK/GB18030 解码"),
    ],
)
def test_unreadable_input(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_path(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="文件不存在"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="这是文件夹"):
        read_path(tmp_path)


def test_a_row_read_from_cells_holds_its_text_once(tmp_path: Path) -> None:
    """A workbook's or a Word table's row is its cells joined by tabs; the text is not stored twice."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["科目编码", "科目名称", "本年支出"])
    sheet.append(["201", "一般公共服务支出", "1,297.30"])
    target = tmp_path / "收支.xlsx"
    book.save(target)
    rows = [line for line in read_path(target).lines if line.cells]
    assert [line.text for line in rows] == ["科目编码\t科目名称\t本年支出", "201\t一般公共服务支出\t1,297.30"]
    assert all(line.own_text is None for line in rows)


def test_a_file_is_read_whole_and_no_further_than_its_limit(tmp_path: Path) -> None:
    target = tmp_path / "大.txt"
    body = ("一般公共服务支出\t1,297.30\n" * 40_000).encode("utf-8")
    target.write_bytes(body)
    assert len(read_path(target).lines) == 40_000
    with pytest.raises(InputError) as refused:
        read_path(target, ReadOptions(max_mb=len(body) / 2 / 1_000_000))
    assert refused.value.setting == "max_mb"
