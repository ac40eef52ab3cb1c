"""The region a document is filed under (and a dataset partitioned by) is the province or city its
organisation's name begins with, a party organ's too."""

from __future__ import annotations

import pytest

from cnbudget.parse.metadata import _region


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("江苏省人民检察院", "江苏省"),
        ("武汉市信息中心（武汉市大数据中心）", "武汉市"),
        ("上海市普陀区规划和自然资源局", "上海市"),
        ("中共江苏省委办公厅", "江苏省"),  # was 中共江苏省
        ("中国共产党重庆市委员会办公厅", "重庆市"),  # was nothing (the prefix is longer than a region)
        ("中共中央办公厅", ""),
        ("硚口区经济信息化和科技创新局", ""),
    ],
)
def test_the_region_is_where_the_name_begins(name: str, region: str) -> None:
    assert _region(name) == region
