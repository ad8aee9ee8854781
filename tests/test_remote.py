"""Images on the web: never fetched, unless the config names their host; never via a redirect."""

from __future__ import annotations

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import CONFIG, FONTS_LINE, build_ok, item, parse_html, png, write_bulletin

IMAGE = png(40, 20)


class Server:
    """A tiny image server on 127.0.0.1 that records every path it is asked for."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append(self.path)
                if self.path == "/moved.png":
                    self.send_response(302)
                    self.send_header("Location", "/photo.png")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(IMAGE)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


def images_in(pdf) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return len(listing.splitlines()) - 2


def bulletin(tmp_path, server, config=CONFIG):
    body = f"现场照片如下。\n\n![现场照片](http://127.0.0.1:{server.port}/photo.png)\n"
    return write_bulletin(tmp_path / "repo", {"content/2026/photo.md": item("网络图片稿件", body=body)}, config)


@pytest.mark.slow
def test_web_image_is_not_fetched_by_default(tmp_path, server):
    root = bulletin(tmp_path, server)

    result = build_ok(root, "--no-search", process=True)

    assert server.requests == []
    assert images_in(root / "output/issues/2026-W46.pdf") == 0
    body = parse_html(root / "output/items/photo.html").find("div", cls="item-body")
    assert body.find_all("img") == []
    assert body.find("span", cls="missing-image").text() == "现场照片"
    assert result.stderr == (f"content/2026/photo.md:10: warning: 不载入网络图片 "
                             f"http://127.0.0.1:{server.port}/photo.png，只显示其说明文字\n" + FONTS_LINE)


@pytest.mark.slow
def test_image_from_an_allowed_host_is_used(tmp_path, server):
    root = bulletin(tmp_path, server, CONFIG + "remote_hosts: [127.0.0.1]\n")

    result = build_ok(root, "--no-search", process=True)

    assert result.stderr == FONTS_LINE
    assert server.requests == ["/photo.png"]  # once, by the PDF renderer
    assert images_in(root / "output/issues/2026-W46.pdf") == 1
    (img,) = parse_html(root / "output/items/photo.html").find("div", cls="item-body").find_all("img")
    assert img.attrs["src"] == f"http://127.0.0.1:{server.port}/photo.png"


@pytest.mark.slow
def test_redirect_from_an_allowed_host_is_not_followed(tmp_path, server):
    body = f"![转移的照片](http://127.0.0.1:{server.port}/moved.png)\n"
    root = write_bulletin(tmp_path / "repo", {"content/2026/moved.md": item("重定向稿件", body=body)},
                          CONFIG + "remote_hosts: [127.0.0.1]\n")

    result = build_ok(root, "--no-search", "--no-html", process=True)

    assert server.requests == ["/moved.png"]
    assert images_in(root / "output/issues/2026-W46.pdf") == 0
    assert result.stderr == (f"content/2026/moved.md:8: warning: PDF 未载入 "
                             f"http://127.0.0.1:{server.port}/moved.png：不跟随重定向\n" + FONTS_LINE)
