"""The intranet site in a real browser, used as a reader would: headless Chromium (Debian's
package, installed by the same bootstrap as the other system packages) driven by Playwright,
which here only drives the installed browser and downloads none."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from urllib.parse import unquote, urlsplit

import pytest
from conftest import build_ok, copy_sample, item, png, write_bulletin

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A bulletin of three weekly issues, built with PDFs, served on 127.0.0.1."""
    root = write_bulletin(tmp_path_factory.mktemp("e2e") / "repo", {
        "content/w45/old.md": item("江北区全力做好防冻保供工作", date="2026-11-04",
                                    body="入冬以来，江北区提前储备融雪剂和防滑物资，确保道路安全畅通。\n"),
        "content/w46/mid.md": item("市财政局压减一般性支出", unit="市财政局", date="2026-11-11"),
        "content/w47/new1.md": item("市教育局推进课后服务提质增效", date="2026-11-18",
                                     body="今年以来，市教育局坚持把课后服务作为民生实事。\n"),
        "content/w47/new2.md": item("江北区召开安全生产会议", unit="江北区人民政府", date="2026-11-19",
                                     body="会议现场。\n\n![安全生产会议现场](wide.png)\n"),
        "content/w47/wide.png": png(3000, 400),
    })
    build_ok(root)
    out = root / "output"
    # Served from a folder under the server's root, as on an intranet server: every link,
    # and the search results, must work below a path of the site's own.
    handler = functools.partial(QuietHandler, directory=str(out.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{out.name}/"
    server.shutdown()
    server.server_close()


@contextlib.contextmanager
def page_at(width: int):
    """A new page of headless Chromium, its window width pixels wide and 800 high."""
    assert CHROMIUM, "Chromium is missing: run make test, whose bootstrap installs it (Debian package chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser.new_page(locale="zh-CN", viewport={"width": width, "height": 800})
        finally:
            browser.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".pagefind": "application/octet-stream"}

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.mark.slow
def test_a_reader_finds_the_latest_issue_an_item_and_an_older_item_by_searching(site):
    assert CHROMIUM, "Chromium is missing: run make test, whose bootstrap installs it (Debian package chromium)"
    from playwright.sync_api import expect, sync_playwright

    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="zh-CN")
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))

        page.goto(site)
        expect(page).to_have_title("测试简报")
        page.get_by_role("link", name="2026年第7期").first.click()  # the latest issue, from the index
        page.wait_for_url("**/issues/2026-W47.html")
        expect(page.locator("h3.item-title")).to_have_text(["市教育局推进课后服务提质增效", "江北区召开安全生产会议"])

        page.goto(site + "issues/2026-W47.html")
        page.get_by_role("link", name="下载 PDF").wait_for()
        page.goto(site + "index.html")
        page.get_by_role("link", name="市教育局推进课后服务提质增效").first.click()
        page.wait_for_url("**/items/new1.html")
        expect(page.locator("h1.item-title")).to_have_text("市教育局推进课后服务提质增效")

        search = page.locator("#search input")
        expect(search).to_have_attribute("placeholder", "搜索稿件标题和正文")
        search.fill("融雪剂")  # a word only in the body of the oldest item
        result = page.locator(".pagefind-ui__result-link").first
        expect(result).to_have_text("江北区全力做好防冻保供工作", timeout=20_000)
        shown = page.locator(".pagefind-ui__result").first.inner_text()
        assert "Meta" not in shown and "来源" in shown, shown  # no English label a reader sees
        result.click()
        page.wait_for_url("**/items/old.html")
        expect(page.locator("h1.item-title")).to_have_text("江北区全力做好防冻保供工作")

        # One list from both parts of the index: the newest issues' and the older quarter's.
        page.wait_for_load_state("networkidle")  # the item page's own requests (its icon) end first
        page.goto(site + "index.html")
        page.locator("#search input").fill("江北区")
        expect(page.locator(".pagefind-ui__message")).to_have_text("找到 2 个 江北区 的相关结果", timeout=20_000)
        titles = sorted(page.locator(".pagefind-ui__result-link").all_inner_texts())
        assert titles == ["江北区全力做好防冻保供工作", "江北区召开安全生产会议"]
        browser.close()

    outside = [url for url in requests if not url.startswith(site)]
    assert outside == []
    assert problems == []
    fetched = {unquote(urlsplit(url).path) for url in requests}
    assert "/output/pagefind/pagefind-ui.js" in fetched  # the search ran in the page, from the site's own files
    assert any(path.startswith("/output/pagefind/index/") for path in fetched)
    # The oldest item was found in the part of its quarter, merged into the search box's list.
    assert "/output/pagefind/parts.js" in fetched
    assert "/output/pagefind/parts/2026-q4/pagefind-entry.json" in fetched
    assert any(path.startswith("/output/pagefind/parts/2026-q4/fragment/") for path in fetched)


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_a_wide_image_stays_in_the_column_with_its_caption_beneath(site, width):
    with page_at(width) as page:
        page.goto(site + "items/new2.html")
        image = page.locator(".item-body figure img").bounding_box()
        column = page.locator("main").bounding_box()
        caption = page.locator(".item-body figcaption")
        assert caption.inner_text() == "安全生产会议现场"
        caption_box = caption.bounding_box()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert image and column and caption_box
    assert column["x"] <= image["x"] and image["x"] + image["width"] <= column["x"] + column["width"]
    assert caption_box["y"] >= image["y"] + image["height"]
    assert overflow == 0


@pytest.mark.slow
def test_search_opened_from_a_file_says_how_to_open_the_site(site, tmp_path_factory):
    assert CHROMIUM, "Chromium is missing: run make test, whose bootstrap installs it (Debian package chromium)"
    from playwright.sync_api import sync_playwright

    root = write_bulletin(tmp_path_factory.mktemp("file") / "repo", {"content/w47/a.md": item("稿件")})
    build_ok(root, "--no-pdf")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="zh-CN")
        page.goto((root / "output" / "index.html").as_uri())
        notice = page.locator("#search .search-notice").inner_text()
        inputs = page.locator("#search input").count()
        browser.close()
    assert notice == ("直接打开本机文件时不能搜索。请从内网网站打开本站；"
                      "在简报仓库中预览时，运行 briefgen serve 后打开它给出的地址。")
    assert inputs == 0


@pytest.fixture(scope="module")
def statistics_page(tmp_path_factory) -> str:
    """The sample bulletin's statistics page (fifteen units, a year's fifteen columns), as a file."""
    root = copy_sample(tmp_path_factory.mktemp("stats") / "repo")
    build_ok(root, "--no-pdf", "--no-search")
    return (root / "output" / "stats" / "2026.html").as_uri()


MEASURE_RANKING = """() => {
  const table = document.querySelector("table.ranking");
  const inTable = (node) => table.contains(node) && node !== table;
  const box = (node) => node.getBoundingClientRect();
  const heads = [...table.querySelectorAll("thead th")];
  const before = heads.map((th) => [th.innerText, box(th).left, box(th).right]);
  const wide = [...document.body.querySelectorAll("*")].filter((node) => !inTable(node))
    .filter((node) => box(node).left < -0.5 || box(node).right > document.documentElement.clientWidth + 0.5)
    .map((node) => node.tagName + "." + node.className);
  const chart = box(document.querySelector(".chart svg"));
  table.scrollLeft = table.scrollWidth;
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth, wide: wide,
          heads: before, last: box(heads[heads.length - 1]).right, unit: box(heads[1]).left,
          table: [box(table).left, box(table).right], chart: [chart.left, chart.right]};
}"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_statistics_page_shows_rank_unit_score_and_completion_without_scrolling(statistics_page, width):
    with page_at(width) as page:
        page.goto(statistics_page)
        seen = page.evaluate(MEASURE_RANKING)
    # The page never scrolls sideways and nothing but the ranking's own cells reaches out of it.
    assert seen["scrollWidth"] <= seen["innerWidth"] == width
    assert seen["wide"] == []
    left, right = seen["table"]
    assert 0 <= left and right <= width
    assert left <= seen["chart"][0] and seen["chart"][1] <= right  # the chart fits the column too
    # What a reader looks for first is in view without scrolling the table.
    first = seen["heads"][:4]
    assert [text for text, _, _ in first] == ["排名", "单位", "得分", "完成率"]
    assert all(left <= start and end <= right for _, start, end in first), first
    # Scrolled to its last column, the table keeps the unit's name in place.
    assert seen["unit"] == seen["heads"][1][1]
    assert seen["last"] <= right + 0.5
