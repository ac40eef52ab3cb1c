"""The main path in a real browser (Playwright driving Debian's Chromium; tools/test installs both):
log in, upload a real PDF, wait for the audit, open a finding and see its boxed cells on the page, dismiss
it with a reason, upload a corrected version and see the decision kept, export the checklist and read it
back. A screenshot of each step is saved in test-artifacts/browser/."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra (tools/test)")

from openpyxl import load_workbook  # noqa: E402

from cnbudget.library.accounts import add_user  # noqa: E402
from cnbudget.store.database import open_database  # noqa: E402
from cnbudget.web.app import create_app  # noqa: E402
from cnbudget.web.config import WebConfig  # noqa: E402
from support.paths import ROOT  # noqa: E402
from support.web import PASSWORD, PDF, live_server  # noqa: E402

SHOTS = ROOT / "test-artifacts" / "browser"
REQUIRE = "CNBUDGET_REQUIRE_BROWSER"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get(REQUIRE):
        pytest.fail("Chromium is not installed (tools/test installs Debian's chromium with apt-get)")
    pytest.skip("Chromium is not installed: tools/test installs it")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The application served by Uvicorn on 127.0.0.1, as `cnbudget serve` runs it."""
    db = str(tmp_path / "library.db")
    engine = open_database(db)
    add_user(engine, "reviewer", PASSWORD, "reviewer", "王审核")
    engine.dispose()
    app = create_app(WebConfig(db=db, storage=tmp_path / "files"))
    with live_server(app) as address:
        yield address


@pytest.fixture
def page(server: str) -> Iterator[object]:
    executable = _chromium()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        context = browser.new_context(
            accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(120_000)
        yield page
        context.close()
        browser.close()


def _shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]


def _upload(page: object, server: str, name: str, data: bytes, done: str) -> int:
    page.goto(f"{server}/upload")  # type: ignore[attr-defined]
    page.set_input_files("#files", files=[{"name": name, "mimeType": "application/pdf", "buffer": data}])  # type: ignore[attr-defined]
    page.click("#upload button[type=submit]")  # type: ignore[attr-defined]
    item = page.locator("#progress li", has_text=done)  # type: ignore[attr-defined]
    item.wait_for()
    link = item.locator("a")
    href = link.get_attribute("href")
    return int(href.rsplit("/", 1)[1])


def test_the_main_path_in_a_browser(server: str, page: object) -> None:
    p = page
    p.goto(f"{server}/documents")  # type: ignore[attr-defined]
    assert "/login" in p.url  # type: ignore[attr-defined]
    p.fill("input[name=username]", "reviewer")  # type: ignore[attr-defined]
    p.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    _shot(p, "01-login")
    p.click("form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url(f"{server}/documents")  # type: ignore[attr-defined]
    _shot(p, "02-documents-empty")

    first = _upload(p, server, "普陀区规划资源局2024年决算.pdf", PDF.read_bytes(), "已入库")
    _shot(p, "03-uploaded")
    p.goto(f"{server}/documents/{first}")  # type: ignore[attr-defined]
    findings = p.request.get(f"{server}/api/v1/documents/{first}/findings").json()["findings"]  # type: ignore[attr-defined]
    target = next(f for f in findings if any(e.get("bbox") for e in f["evidence"]))
    article = p.locator(f"#f{target['id']}")  # type: ignore[attr-defined]
    assert target["message"][:20] in article.inner_text()

    p.keyboard.press("j")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.id").startswith("f")  # type: ignore[attr-defined]
    article.locator("summary").click()
    boxes = article.locator("svg rect.box")
    boxes.first.wait_for()
    # the cells of the finding, and its sentence when it has one, are boxed on the pages shown
    assert boxes.count() >= 1
    image = article.locator("svg image").first
    p.wait_for_function("img => img.getBBox().width > 0", arg=image.element_handle())  # type: ignore[attr-defined]
    article.scroll_into_view_if_needed()
    _shot(p, "04-evidence-boxed")

    reason = "尾差，已与部门核实"
    article.locator("input[name=text]").fill(reason)
    article.locator("button[value=dismiss]").click()
    p.wait_for_load_state()  # type: ignore[attr-defined]
    article = p.locator(f"#f{target['id']}")  # type: ignore[attr-defined]
    assert "已驳回" in article.inner_text() and reason in article.inner_text()
    _shot(p, "05-dismissed")

    second = _upload(p, server, "更正版.pdf", PDF.read_bytes() + b"\n% corrected\n", "新版本已入库")
    assert second != first
    p.goto(f"{server}/documents/{second}")  # type: ignore[attr-defined]
    again = p.request.get(f"{server}/api/v1/documents/{second}/findings").json()["findings"]  # type: ignore[attr-defined]
    same = next(f for f in again if f["key"] == target["key"])
    kept = p.locator(f"#f{same['id']}").inner_text()  # type: ignore[attr-defined]
    assert "已驳回" in kept and reason in kept
    assert "第 2 版" in p.locator("dl.meta").inner_text()  # type: ignore[attr-defined]
    p.locator(f"#f{same['id']}").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    _shot(p, "06-new-version-decision-kept")

    with p.expect_download() as download:  # type: ignore[attr-defined]
        p.click("text=检查表（XLSX）")  # type: ignore[attr-defined]
    saved = download.value.path()
    book = load_workbook(io.BytesIO(Path(saved).read_bytes()))
    cells = "\n".join(
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
    )
    assert "公开情况检查表" in cells
    assert target["message"] not in cells  # dismissed: not a problem of the document
    others = [f for f in again if f["severity"] == "error" and f["key"] != target["key"]]
    assert all(f["message"] in cells for f in others)
    _shot(p, "07-checklist-exported")

    # the API's pages, from the package (no CDN), under the app's own script policy
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    p.goto(f"{server}/api/docs")  # type: ignore[attr-defined]
    p.locator(".opblock-summary-path", has_text="/api/v1/documents").first.wait_for()  # type: ignore[attr-defined]
    _shot(p, "08-swagger-ui")
    p.goto(f"{server}/api/redoc")  # type: ignore[attr-defined]
    p.locator("h2", has_text="The library's documents").first.wait_for()  # type: ignore[attr-defined]
    _shot(p, "09-redoc")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_team_day_in_a_browser(server: str, page: object) -> None:
    """Upload, open a narrative finding and see its sentence boxed on the page, fix the document's year,
    analyse it again, dismiss all its errors at once with a reason, export the findings."""
    p = page
    p.goto(f"{server}/login")  # type: ignore[attr-defined]
    p.fill("input[name=username]", "reviewer")  # type: ignore[attr-defined]
    p.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    p.click("form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url(f"{server}/documents")  # type: ignore[attr-defined]
    doc = _upload(p, server, "普陀区规划资源局2024年决算.pdf", PDF.read_bytes(), "已入库")
    findings = p.request.get(f"{server}/api/v1/documents/{doc}/findings").json()["findings"]  # type: ignore[attr-defined]
    narrative = next(f for f in findings if f["evidence"][0]["kind"] == "claim")
    p.goto(f"{server}/documents/{doc}#f{narrative['id']}")  # type: ignore[attr-defined]
    article = p.locator(f"#f{narrative['id']}")  # type: ignore[attr-defined]
    article.locator("summary").click()
    article.locator("svg rect.box").first.wait_for()
    image = article.locator("svg image").first
    p.wait_for_function("img => img.getBBox().width > 0", arg=image.element_handle())  # type: ignore[attr-defined]
    assert article.locator("a", has_text="在原 PDF 中打开此页").count() >= 1
    article.scroll_into_view_if_needed()
    _shot(p, "day-01-narrative-finding-boxed")

    p.locator("details.manage summary").click()  # type: ignore[attr-defined]
    p.fill("details.manage input[name=fiscal_year]", "2023")  # type: ignore[attr-defined]
    p.locator("details.manage button", has_text="更正").click()  # type: ignore[attr-defined]
    p.wait_for_load_state()  # type: ignore[attr-defined]
    assert "2023" in p.locator("dl.meta").inner_text()  # type: ignore[attr-defined]
    _shot(p, "day-02-year-corrected")
    p.locator("details.manage summary").click()  # type: ignore[attr-defined]
    p.locator("details.manage button", has_text="按当前规则重新审核").click()  # type: ignore[attr-defined]
    p.wait_for_load_state()  # type: ignore[attr-defined]
    assert "2023" in p.locator("dl.meta").inner_text()  # type: ignore[attr-defined]

    p.select_option("form.filters select[name=severity]", "error")  # type: ignore[attr-defined]
    p.locator("form.filters button[type=submit]").click()  # type: ignore[attr-defined]
    p.wait_for_load_state()  # type: ignore[attr-defined]
    errors = [f for f in findings if f["severity"] == "error"]
    assert p.locator("article.finding").count() == len(errors)  # type: ignore[attr-defined]
    p.locator("[data-select-all]").click()  # type: ignore[attr-defined]
    p.fill("#bulk input[name=text]", "已与部门核实：尾差")  # type: ignore[attr-defined]
    _shot(p, "day-03-bulk-selected")
    p.locator("#bulk button[value=dismiss]").click()  # type: ignore[attr-defined]
    p.wait_for_load_state()  # type: ignore[attr-defined]
    assert p.locator("article.finding.state-dismissed").count() == len(errors)  # type: ignore[attr-defined]
    _shot(p, "day-04-bulk-dismissed")

    with p.expect_download() as download:  # type: ignore[attr-defined]
        p.click("text=审核结果（XLSX）")  # type: ignore[attr-defined]
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)
    assert text.count("已与部门核实：尾差") == len(errors)
    _shot(p, "day-05-exported")

    # the session ends while a reason is being typed: after logging in again the reason is still there
    p.goto(f"{server}/documents/{doc}")  # type: ignore[attr-defined]
    other = next(f for f in findings if f["severity"] != "error")
    reason = p.locator(f"#f{other['id']} input[name=text]")  # type: ignore[attr-defined]
    reason.fill("一段打了很久的驳回理由")
    p.context.clear_cookies()  # type: ignore[attr-defined]
    p.locator(f"#f{other['id']} button[value=dismiss]").click()  # type: ignore[attr-defined]
    p.wait_for_url(lambda url: "/login" in url)  # type: ignore[attr-defined]
    p.fill("input[name=username]", "reviewer")  # type: ignore[attr-defined]
    p.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    p.click("form button[type=submit]")  # type: ignore[attr-defined]
    p.wait_for_url(f"{server}/documents/{doc}")  # type: ignore[attr-defined]
    assert p.locator(f"#f{other['id']} input[name=text]").input_value() == "一段打了很久的驳回理由"  # type: ignore[attr-defined]
    _shot(p, "day-06-reason-kept-after-login")
