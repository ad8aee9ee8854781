"""`briefgen serve`: a live preview that rebuilds on change, reloads the page and survives bad input."""

from __future__ import annotations

import json
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import urlsplit

import pytest
from conftest import item, write_bulletin

TIMEOUT = 60


class Server:
    """A running `briefgen serve`, its output lines and its event stream."""

    def __init__(self, root: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "--root", str(root), "serve", "--port", "0", "--no-pdf", *args],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        self.lines: Queue[str] = Queue()
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self.wait_for_line(r"预览地址：(http://127\.0\.0\.1:\d+/)（按 Ctrl\+C 停止）").group(1)
        self.states: Queue[dict] = Queue()
        threading.Thread(target=self._events, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def _events(self) -> None:
        """Follow the event stream as a browser's EventSource does: connect again when it ends."""
        while self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "__briefgen/events", timeout=TIMEOUT) as stream:
                    event = None
                    for raw in stream:
                        line = raw.decode("utf-8").rstrip("\n")
                        if line.startswith("event: "):
                            event = line[7:]
                        elif line.startswith("data: ") and event == "state":
                            self.states.put(json.loads(line[6:]))
            except OSError as exc:
                self.log.append(f"(event stream: {exc})")
            time.sleep(0.5)

    def wait_for_line(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except Empty:
                continue
            self.log.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.log))

    def next_state(self) -> dict:
        try:
            return self.states.get(timeout=TIMEOUT)
        except Empty:
            while not self.lines.empty():
                self.log.append(self.lines.get())
            raise AssertionError("no event from the preview in time; its output:\n" + "\n".join(self.log)) from None

    def first_build(self) -> dict:
        """The state after the first build (the page may connect while it is still running)."""
        state = self.next_state()
        while state == {"version": 0, "error": ""}:
            state = self.next_state()
        return state

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=TIMEOUT) as response:
            assert response.headers["Cache-Control"] == "no-store"
            return response.read().decode("utf-8")

    def output(self, settle: float = 0.3) -> str:
        """All it has printed so far, after a moment for the last lines to arrive."""
        if self.process.poll() is None:
            time.sleep(settle)
        else:
            self.reader.join(TIMEOUT)
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return "\n".join(self.log)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            self.process.kill()


@pytest.fixture
def server(tmp_path):
    root = write_bulletin(tmp_path / "repo", {
        "content/w47/a.md": item("第47周第一篇", date="2026-11-17"),
        "content/w47/b.md": item("第47周第二篇", unit="市财政局", date="2026-11-18"),
    })
    running = Server(root)
    yield root, running
    running.process.kill()


@pytest.mark.slow
def test_serve_rebuilds_on_change_and_tells_the_open_page_also_about_a_bad_item(server):
    root, running = server
    running.wait_for_line(r"已生成 1 期，网页文件 \d+ 个，输出到 .*preview/，用时")
    assert running.first_build() == {"version": 1, "error": ""}
    page = running.get("")
    assert "第47周第一篇" in page
    assert 'new EventSource("/__briefgen/events")' in page  # the reload script, added when served only
    built = (root / ".briefgen-cache" / "preview" / "index.html").read_text(encoding="utf-8")
    assert "EventSource" not in built
    assert not (root / "output").exists()  # the preview never lands in output/

    (root / "content/w47/a.md").write_text(item("第47周第一篇（改）", date="2026-11-17"), encoding="utf-8")

    assert running.next_state() == {"version": 2, "error": ""}
    running.wait_for_line(r"已生成 1 期，网页文件 (\d+) 个（重新生成 \d+ 个）")
    assert "第47周第一篇（改）" in running.get("items/a.html")

    # A bad item: the terminal and the open page say what is wrong; the last good build stays served.
    (root / "content/w47/b.md").write_text(item("第47周第二篇", unit="市财政厅", date="2026-11-18"), encoding="utf-8")

    state = running.next_state()
    assert state == {"version": 2, "error": "content/w47/b.md:3: error: 未知的单位 '市财政厅'；是不是 '市财政局'？\n"
                                            "发现 1 个错误，请修改后保存，预览会自动更新。"}
    running.wait_for_line(r"\[\d\d:\d\d:\d\d\] 生成失败，预览中仍是上一次成功生成的页面：")
    running.wait_for_line(r"^content/w47/b\.md:3: error: 未知的单位 '市财政厅'")
    assert "第47周第二篇" in running.get("items/b.html")
    assert "problem(state.error)" in running.get("items/b.html")

    (root / "content/w47/b.md").write_text(item("第47周第二篇", unit="市财政局", date="2026-11-18"), encoding="utf-8")
    assert running.next_state() == {"version": 3, "error": ""}


def test_serve_shows_drafts_marked(tmp_path):
    root = write_bulletin(tmp_path / "repo", {
        "content/w47/a.md": item("第47周第一篇", date="2026-11-17"),
        "content/w47/c.md": item("还在写的稿件", date="2026-11-18", status="draft"),
    })
    running = Server(root)
    try:
        assert running.first_build()["version"] == 1
        assert "还在写的稿件<span class=\"draft-mark\">（草稿）</span>" in running.get("issues/2026-W47.html")
    finally:
        running.process.kill()


def test_a_save_during_the_first_build_is_built_too(tmp_path):
    """The watcher starts after the first build: a file saved meanwhile is not among the changes
    it reports, so serve compares the files with what they were before that build."""
    from briefgen.commands.serve import serve

    root = write_bulletin(tmp_path / "repo", {"content/w47/a.md": item("第47周第一篇", date="2026-11-17")})
    builds: list[str] = []

    def build() -> str:
        builds.append("build")
        if len(builds) == 1:  # the officer saves while the first build runs
            (root / "content/w47/a.md").write_text(item("第47周第一篇（改）", date="2026-11-17"), encoding="utf-8")
            return "已生成"
        raise KeyboardInterrupt  # the second build is what this waits for: stop the preview

    runner = threading.Thread(target=serve, args=(root, tmp_path / "preview", 0, build, lambda url: None),
                              daemon=True)
    runner.start()
    runner.join(timeout=30)
    assert not runner.is_alive() and builds == ["build", "build"]


@pytest.mark.slow
def test_a_port_in_use_is_reported(tmp_path):
    import socket

    root = write_bulletin(tmp_path / "repo", {"content/w47/a.md": item("稿件", date="2026-11-17")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 1
    assert result.stderr == (f"briefgen: 无法在 127.0.0.1:{port} 上提供预览（Address already in use）；"
                             f"请用 --port 换一个端口，如 --port {port + 1}。\n")


@pytest.mark.slow
def test_ctrl_c_stops_the_preview(server):
    _root, running = server
    assert running.first_build()["version"] == 1
    assert running.stop() == 0
    running.wait_for_line("已停止预览。")
    printed = running.output()
    assert "KeyboardInterrupt" not in printed and "Traceback" not in printed, printed  # Chinese only


# The HTTP side, asked with raw requests so as to see the exact answer.

SECRET = "机密：预览服务器不应送出这一行"
BIG = 32 << 20  # bytes: more than the socket buffers hold, so the server is still writing when the browser leaves
NOT_FOUND = "HTTP/1.0 404 Not Found"
BAD_REQUEST = "HTTP/1.0 400 Bad Request"


@dataclass
class Answer:
    status: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def exchange(url: str, request: bytes) -> Answer:
    """Send request as it is on a connection of its own and read the whole answer, whose status
    line and headers must be ASCII."""
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=TIMEOUT) as connection:
        connection.sendall(request)
        received = b"".join(iter(lambda: connection.recv(1 << 16), b""))
    head, separator, body = received.partition(b"\r\n\r\n")
    assert separator, f"not an HTTP answer: {received[:300]!r}"
    status, *lines = head.decode("ascii").split("\r\n")
    headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines)}
    return Answer(status, headers, body)


def request(target: bytes, method: bytes = b"GET") -> bytes:
    return method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def assert_error_page(answer: Answer, status: str, sentence: str) -> None:
    assert answer.status == status
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["connection"] == "close"
    assert int(answer.headers["content-length"]) == len(answer.body)
    assert sentence in answer.text
    assert '<html lang="zh-CN">' in answer.text
    assert '<a href="/">返回首页</a>' in answer.text


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A preview after its first build, with odd things added to its folder: a large file,
    a folder with an index.html and one without, symlinks within the folder and out of it."""
    base = tmp_path_factory.mktemp("preview")
    root = write_bulletin(base / "repo", {"content/w47/a.md": item("第47周第一篇", date="2026-11-17")})
    outside = base / "outside"
    outside.mkdir()
    for name in ("secret.txt", "secret.html", "index.html"):
        (outside / name).write_text(f"<html><body>{SECRET}</body></html>", encoding="utf-8")
    running = Server(root)
    assert running.first_build()["version"] == 1
    folder = root / ".briefgen-cache" / "preview"
    (folder / "big.bin").write_bytes(bytes(BIG))
    (folder / "empty").mkdir()
    (folder / "guide").mkdir()
    (folder / "guide" / "index.html").write_text("<html><body>使用说明</body></html>", encoding="utf-8")
    (folder / "style.css").symlink_to(folder / "assets" / "site.css")  # within the folder: served
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "secret.html").symlink_to(outside / "secret.html")
    (folder / "outside").symlink_to(outside, target_is_directory=True)
    (folder / "linked").mkdir()  # a folder inside whose index.html leads out
    (folder / "linked" / "index.html").symlink_to(outside / "index.html")
    yield running
    assert running.stop() == 0
    output = running.output()
    assert "Traceback" not in output
    assert "已停止预览。" in output


@pytest.mark.parametrize(("target", "method", "status", "sentence"), [
    (b"/nope.html", b"GET", NOT_FOUND, "没有这个页面。"),
    (b"/assets/nope.css", b"GET", NOT_FOUND, "没有这个页面。"),
    (b"/" + b"a" * 300 + b".html", b"GET", NOT_FOUND, "没有这个页面。"),  # longer than a file name can be
    (b"/items/" + b"%E4%B8%AD" * 100, b"GET", NOT_FOUND, "没有这个页面。"),
    (b"/%00", b"GET", BAD_REQUEST, "地址有误：其中有控制字符。"),
    (b"/index.html%00.css", b"GET", BAD_REQUEST, "地址有误：其中有控制字符。"),
    (b"/%zz.html", b"GET", BAD_REQUEST, "地址有误：其中的百分号编码无效。"),
    (b"/items/a.html%", b"GET", BAD_REQUEST, "地址有误：其中的百分号编码无效。"),
    (b"/%E4%B8.html", b"GET", BAD_REQUEST, "地址有误：其中的百分号编码不是 UTF-8。"),
    ("/topics/要情专报.html".encode(), b"GET", BAD_REQUEST, "请求有误"),  # not percent-encoded: \x85 splits the line
    ("/中.html".encode(), b"GET", BAD_REQUEST, "地址有误：其中的汉字、空格等字符应按百分号编码。"),
    (b"/index.html?\x01", b"GET", BAD_REQUEST, "地址有误：其中的汉字、空格等字符应按百分号编码。"),
    (b"/empty/", b"GET", NOT_FOUND, "没有这个页面。"),  # a folder without index.html is not listed
    (b"/empty", b"GET", NOT_FOUND, "没有这个页面。"),
    (b"/items/", b"GET", NOT_FOUND, "没有这个页面。"),
    (b"/", b"POST", "HTTP/1.0 405 Method Not Allowed", "不能提交或修改"),
    (b"/index.html", b"DELETE", "HTTP/1.0 405 Method Not Allowed", "不能提交或修改"),
    (b"/", b"BREW", "HTTP/1.0 501 Not Implemented", "不认识这种请求方法"),
    (b"relative.html", b"GET", BAD_REQUEST, "地址有误：应以 / 开头。"),
])
def test_an_odd_request_gets_a_chinese_error_page(preview, target, method, status, sentence):
    answer = exchange(preview.url, request(target, method))
    assert_error_page(answer, status, sentence)
    if status.endswith("405 Method Not Allowed"):
        assert answer.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(("raw", "status", "sentence"), [
    (b"HELLO\r\n\r\n", BAD_REQUEST, "请求有误"),
    (b"GET / HTTP/9.9\r\n\r\n", "HTTP/1.0 505 HTTP Version Not Supported", "不支持这个 HTTP 版本"),
    (b"GET / HTTP/one\r\n\r\n", BAD_REQUEST, "请求有误"),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", f"HTTP/1.0 414 {HTTPStatus(414).phrase}", "地址太长。"),
    (b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", "HTTP/1.0 431 Request Header Fields Too Large",
     "请求头太长或太多"),
    (b"POST / HTTP/1.1\r\nContent-Length: 200000\r\n\r\n" + b"x" * 200_000, "HTTP/1.0 405 Method Not Allowed",
     "不能提交或修改"),  # answered before the body is read: the body must not reset the connection
])
def test_a_malformed_request_gets_a_status_line_and_a_chinese_page(preview, raw, status, sentence):
    assert_error_page(exchange(preview.url, raw), status, sentence)


@pytest.mark.parametrize(("target", "status"), [
    (b"/../../../../etc/passwd", BAD_REQUEST),
    (b"/items/../../../etc/passwd", BAD_REQUEST),
    (b"/%2e%2e/%2e%2e/%2e%2e/etc/passwd", BAD_REQUEST),
    (b"/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", BAD_REQUEST),
    (b"/..%2f..%2f..%2fetc%2fpasswd", BAD_REQUEST),
    (b"/.%2e/.%2e/etc/passwd", BAD_REQUEST),
    (b"/./../etc/passwd", BAD_REQUEST),
    (b"/..\\..\\..\\etc\\passwd", NOT_FOUND),  # a file name with backslashes on POSIX: no such page
    (b"/..%5c..%5c..%5cetc%5cpasswd", NOT_FOUND),
    (b"//etc/passwd", NOT_FOUND),  # within the folder: preview/etc/passwd
    (b"http://127.0.0.1/../../etc/passwd", BAD_REQUEST),
])
def test_dot_dot_in_every_spelling_stays_in_the_folder(preview, target, status):
    answer = exchange(preview.url, request(target))
    assert answer.status == status
    assert "root:" not in answer.text
    assert "没有这个页面" in answer.text or "其中不能有“..”" in answer.text


@pytest.mark.parametrize("target", [b"/secret.txt", b"/secret.html", b"/outside", b"/outside/",
                                    b"/outside/secret.txt", b"/outside/index.html", b"/outside/secret.html",
                                    b"/linked", b"/linked/", b"/linked/index.html"])
def test_a_symlink_out_of_the_folder_is_not_followed(preview, target):
    for method in (b"GET", b"HEAD"):
        answer = exchange(preview.url, request(target, method))
        assert answer.status == NOT_FOUND
        assert SECRET.encode() not in answer.body
    assert_error_page(exchange(preview.url, request(target)), NOT_FOUND, "没有这个页面。")


def test_files_pages_and_folders_are_served_and_head_matches_get(preview):
    css = exchange(preview.url, request(b"/assets/site.css"))
    assert css.status == "HTTP/1.0 200 OK"
    assert css.headers["content-type"] == "text/css"
    assert css.headers["cache-control"] == "no-store"
    assert exchange(preview.url, request(b"/style.css")).body == css.body  # a symlink within the folder

    page = exchange(preview.url, request(b"/topics/%E8%A6%81%E6%83%85%E4%B8%93%E6%8A%A5.html"))
    assert page.status == "HTTP/1.0 200 OK"
    assert 'new EventSource("/__briefgen/events")' in page.text
    assert exchange(preview.url, request(b"http://127.0.0.1/index.html")).status == "HTTP/1.0 200 OK"

    moved = exchange(preview.url, request(b"/guide?x=1"))
    assert (moved.status, moved.headers["location"]) == ("HTTP/1.0 301 Moved Permanently", "/guide/?x=1")
    guide = exchange(preview.url, request(b"/guide/"))
    assert guide.status == "HTTP/1.0 200 OK"
    assert "使用说明" in guide.text and "EventSource" in guide.text

    for target in (b"/", b"/index.html", b"/assets/site.css", b"/big.bin", b"/nope.html", b"/empty/", b"/%zz"):
        got, head = exchange(preview.url, request(target)), exchange(preview.url, request(target, b"HEAD"))
        assert head.status == got.status
        assert head.headers.keys() == got.headers.keys()
        assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.body))
        assert head.body == b""


def test_the_event_stream_takes_a_query_string_and_head(preview):
    address = urlsplit(preview.url)
    with socket.create_connection((address.hostname, address.port), timeout=TIMEOUT) as connection:
        connection.sendall(request(b"/__briefgen/events?since=3"))
        received = b""
        while b"\n\n" not in received.partition(b"\r\n\r\n")[2]:
            received += connection.recv(1 << 16)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.decode("ascii").startswith("HTTP/1.0 200 OK\r\n")
    assert "Content-Type: text/event-stream; charset=utf-8" in head.decode("ascii")
    assert body.decode("utf-8") == 'event: state\ndata: {"version": 1, "error": ""}\n\n'
    head_only = exchange(preview.url, request(b"/__briefgen/events", b"HEAD"))
    assert (head_only.status, head_only.body) == ("HTTP/1.0 200 OK", b"")


def test_a_browser_leaving_mid_answer_prints_nothing(preview):
    address = urlsplit(preview.url)
    for target in (b"/big.bin", b"/__briefgen/events"):
        for _ in range(3):
            connection = socket.create_connection((address.hostname, address.port), timeout=TIMEOUT)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
            connection.sendall(request(target))
            assert connection.recv(16).startswith(b"HTTP/1.0 200")
            connection.close()
    for target in (b"/big.bin", b"/nope.html"):  # and one that leaves before the answer
        connection = socket.create_connection((address.hostname, address.port), timeout=TIMEOUT)
        connection.sendall(request(target)[:-2])
        connection.close()
    assert exchange(preview.url, request(b"/")).status == "HTTP/1.0 200 OK"  # the server still answers
    output = preview.output(settle=1.0)
    assert "Traceback" not in output
    assert "出错" not in output


def test_a_defect_is_one_line_in_the_terminal_and_a_500(tmp_path, capsys, monkeypatch):
    from briefgen.commands.preview_http import PreviewServer, make_handler
    from briefgen.commands.serve import Preview

    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    preview = Preview(tmp_path, lambda: "")

    def broken() -> None:
        raise RuntimeError("出了毛病")
    monkeypatch.setattr(preview, "snapshot", broken)
    server = PreviewServer(("127.0.0.1", 0), make_handler(preview))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        answer = exchange(f"http://127.0.0.1:{server.server_address[1]}/", request(b"/index.html"))
    finally:
        server.shutdown()
        server.server_close()
    assert_error_page(answer, "HTTP/1.0 500 Internal Server Error", "预览服务器内部出错，请报告给维护者。")
    assert capsys.readouterr().err == ("预览服务器处理请求“GET /index.html HTTP/1.1”时出错（RuntimeError: 出了毛病），"
                                       "请报告给维护者。\n")
