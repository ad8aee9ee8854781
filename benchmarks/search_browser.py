"""What a search costs in the browser: the site's index, its parts merged as the search box
merges them, searched in headless Chromium.

    .venv/bin/python benchmarks/search_browser.py OUTPUT [--terms 安全生产,防汛抗旱,乡村振兴]

OUTPUT is a built site (briefgen build). The site is served on 127.0.0.1 from a thread of this
process; a page of the site loads Pagefind's own script (pagefind/pagefind.js), merges every
part that pagefind/parts.js lists, and runs each term twice: the first search fetches what it
needs, the second finds it in the browser. For each it prints the milliseconds from the call to
the first five results' data, how many results, and the requests and kilobytes it fetched.
Pass --single to search the primary part alone (to compare with an index made whole)."""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import threading
from pathlib import Path

SETUP = """async (merge) => {
  const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href);
  await pagefind.options({});
  const parts = merge ? (window.briefgenSearchParts || []) : [];
  for (const part of parts) {
    await pagefind.mergeIndex(new URL("pagefind/" + part, location.href).pathname);
  }
  await pagefind.init();
  window.benchPagefind = pagefind;
  return parts.length;
}"""
SEARCH = """async (term) => {
  const start = performance.now();
  const found = await window.benchPagefind.search(term);
  const shown = await Promise.all(found.results.slice(0, 5).map((result) => result.data()));
  return {ms: performance.now() - start, results: found.results.length, first: shown.length ? shown[0].meta.title : ""};
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".pagefind": "application/octet-stream"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def measure(out: Path, terms: list[str], merge: bool) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("找不到 Chromium（Debian 软件包 chromium）")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(locale="zh-CN")
            fetched: list[int] = []  # the body size of every response, the worker's included
            page.on("requestfinished", lambda request: fetched.append(request.sizes()["responseBodySize"]))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.wait_for_load_state("networkidle")
            parts = page.evaluate(SETUP, merge)
            rows = []
            for term in terms:
                for round_ in ("first", "again"):
                    fetched.clear()
                    row = page.evaluate(SEARCH, term)
                    page.wait_for_timeout(50)  # the last responses' events
                    rows.append({**row, "term": term, "round": round_, "requests": len(fetched),
                                 "kb": sum(fetched) / 1024})
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"parts": parts, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description="站内搜索在浏览器中的耗时（各部分索引合并后）")
    parser.add_argument("out", type=Path, help="生成好的网站文件夹（output/）")
    parser.add_argument("--terms", default="安全生产,防汛抗旱,乡村振兴,营商环境", help="搜索词，逗号分隔")
    parser.add_argument("--single", action="store_true", help="只搜索主索引，不合并其余部分")
    args = parser.parse_args()
    result = measure(args.out, args.terms.split(","), not args.single)
    print(f"合并的索引部分：{result['parts']} 个（另有主索引 1 个）")
    print("| 搜索词 | 第几次 | 毫秒 | 结果数 | 第一条 | 请求数 | KB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in result["rows"]:  # type: ignore[attr-defined]
        print(f"| {row['term']} | {'首次' if row['round'] == 'first' else '再次'} | {row['ms']:.0f} | "
              f"{row['results']} | {row['first']} | {row['requests']} | {row['kb']:.0f} |")


if __name__ == "__main__":
    main()
