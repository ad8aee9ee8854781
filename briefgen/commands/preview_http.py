"""The HTTP side of `briefgen serve`: the preview folder, the reload script and the event stream.

Its rules: it answers GET and HEAD only (the standard other methods get 405, unknown ones 501);
a URL serves a regular file whose real path (symlinks resolved) lies inside the preview folder,
a folder serves its index.html and is never listed, and anything else is 404; every error is a
small Chinese page, with the standard English reason phrase in the status line, which must be
ASCII. A browser that goes away is no error; a defect is one line in the terminal and a 500."""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import shutil
import socket
import sys
import time
import urllib.parse
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from briefgen.commands.serve import Preview, State

EVENTS = "/__briefgen/events"
HEARTBEAT = 15.0  # seconds between keep-alive comments on the event stream
ALLOWED = "GET, HEAD"
LINGER = 1.0  # seconds to read what a client still sends after an error, so closing does not reset it
LINGER_BYTES = 1 << 20
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

MESSAGES = {
    400: "请求有误，预览服务器无法理解。",
    403: "不能访问这个地址。",
    404: "没有这个页面。",
    405: "预览只能查看页面（GET、HEAD），不能提交或修改。",
    414: "地址太长。",
    431: "请求头太长或太多。",
    500: "预览服务器内部出错，请报告给维护者。",
    501: "预览服务器不认识这种请求方法。",
    505: "预览服务器不支持这个 HTTP 版本。",
}

ERROR_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{code} {message}</title></head>
<body><h1>{message}</h1><p>（{code} {phrase}）</p><p><a href="/">返回首页</a></p></body></html>
"""

RELOAD_SCRIPT = """<script>
(function () {
  var shown = %(version)d, box = null;
  function problem(text) {
    if (!box) {
      box = document.createElement("pre");
      box.id = "briefgen-problem";
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60%%;overflow:auto;margin:0;" +
        "padding:1em;background:#fff3f3;color:#900;border-top:3px solid #c00;z-index:99999;" +
        "white-space:pre-wrap;font:14px/1.6 monospace";
      document.body.appendChild(box);
    }
    box.textContent = (shown ? "生成失败，下面显示的是上一次成功生成的页面。" : "生成失败，还没有可以预览的页面。") +
      "\\n\\n" + text;
  }
  var events = new EventSource("%(events)s");
  events.addEventListener("state", function (e) {
    var state = JSON.parse(e.data);
    if (state.version !== shown) { location.reload(); return; }
    if (state.error) { problem(state.error); } else if (box) { box.remove(); box = null; }
  });
})();
</script>
"""


class Refused(Exception):
    """A request answered with an error page: its status, and the Chinese sentence for it."""

    def __init__(self, code: int, message: str | None = None) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message


class Moved(Exception):
    """A folder asked for without its final slash: send the browser there, so relative links work."""


class PreviewServer(http.server.ThreadingHTTPServer):
    """A thread a connection; a connection still open (an event stream) does not hold up stopping."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Instead of a traceback: nothing when the browser went away, one line for a defect."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            click.echo(f"预览服务器出错（{type(error).__name__}: {error}），请报告给维护者。", err=True)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the preview folder, with the reload script in every page, and the event stream."""

    preview: Preview  # set on the class by make_handler: http.server makes a handler per request
    default_request_version = "HTTP/1.0"  # so that even a malformed request line gets a status line
    _sent = False  # whether any of the response has gone out
    _linger = False  # whether to read what the client still sends before closing
    _headers_buffer: list[bytes]  # http.server's header lines not yet sent

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(self.preview.out), **kwargs)

    def handle_one_request(self) -> None:
        self._sent = False
        try:
            super().handle_one_request()
        except ConnectionError:  # the browser went away (a page left, a download stopped): nothing to say
            self.close_connection = True
        except Exception as exc:  # a defect: one line, not a traceback, and a 500 if there is still time
            self.close_connection = True
            request = getattr(self, "requestline", "")[:200]
            click.echo(f"预览服务器处理请求“{request}”时出错（{type(exc).__name__}: {exc}），请报告给维护者。",
                       err=True)
            if not self._sent:
                self._headers_buffer = []  # maybe half-filled by the failed answer
                try:
                    self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR)
                except OSError:
                    pass

    def flush_headers(self) -> None:
        self._sent = True
        super().flush_headers()

    def finish(self) -> None:
        super().finish()
        if self._linger:
            _drain(self.connection)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None, *,
                   chinese: str | None = None) -> None:
        """Every error answer: the standard reason phrase in the status line, a Chinese page as the body.

        The page says chinese, or the sentence MESSAGES has for the code; the English message and
        explain http.server passes itself are left out (the reason phrase may not even be ASCII)."""
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        text = chinese or MESSAGES.get(code, "请求未能完成。")
        self.close_connection = True
        self._linger = True
        self.send_response(code, phrase)
        self.send_header("Connection", "close")
        if code == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", ALLOWED)
        body = b""
        if code >= 200 and code not in (HTTPStatus.NO_CONTENT, HTTPStatus.RESET_CONTENT, HTTPStatus.NOT_MODIFIED):
            body = ERROR_PAGE.format(code=code, phrase=phrase, message=html.escape(text)).encode("utf-8")
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (the names http.server calls)
        try:
            path, query = self._url_path()
            if path == EVENTS:
                self._events()
                return
            real = self._regular_file(path)
        except Refused as refusal:
            self.send_error(refusal.code, chinese=refusal.message)
            return
        except Moved:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", urllib.parse.quote(path + "/") + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")  # the folder may be a file after the next build
            self.end_headers()
            return
        if real and not real.endswith(".html"):
            self._file(real)
        elif real or path.endswith(("/", ".html")):
            self._page(real)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    do_HEAD = do_GET  # the same answer; send_error, _file, _page and _events leave out the body

    def _not_allowed(self) -> None:
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed  # 405; others 501

    def _url_path(self) -> tuple[str, str]:
        """The path the request names, decoded, and its query; Refused(400) when it is malformed."""
        target = self.path
        if not target.isascii() or any(ord(char) <= 32 or ord(char) == 127 for char in target):
            raise Refused(HTTPStatus.BAD_REQUEST, "地址有误：其中的汉字、空格等字符应按百分号编码。")
        if not target.startswith("/"):  # the absolute form, as sent to a proxy
            parts = urllib.parse.urlsplit(target)
            if parts.scheme.lower() != "http" or not parts.path.startswith("/"):
                raise Refused(HTTPStatus.BAD_REQUEST, "地址有误：应以 / 开头。")
            target = urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))
        path, _, query = target.partition("#")[0].partition("?")
        if BAD_PERCENT.search(path):
            raise Refused(HTTPStatus.BAD_REQUEST, "地址有误：其中的百分号编码无效。")
        try:
            path = urllib.parse.unquote(path, errors="strict")
        except UnicodeDecodeError:
            raise Refused(HTTPStatus.BAD_REQUEST, "地址有误：其中的百分号编码不是 UTF-8。") from None
        if any(ord(char) < 32 or ord(char) == 127 for char in path):
            raise Refused(HTTPStatus.BAD_REQUEST, "地址有误：其中有控制字符。")
        return path, query

    def _regular_file(self, path: str) -> str | None:
        """The real path of the regular file the URL path names inside the preview folder (its
        index.html for a folder), or None. Symlinks may point within the folder, never out of it."""
        words = [word for word in path.split("/") if word not in ("", ".")]
        if ".." in words:
            raise Refused(HTTPStatus.BAD_REQUEST, "地址有误：其中不能有“..”。")
        if any(os.sep in word or (os.altsep and os.altsep in word) for word in words):
            return None
        root = os.path.realpath(self.preview.out)
        real = os.path.realpath(os.path.join(root, *words))
        if os.path.isdir(real) and _inside(real, root):
            real = os.path.realpath(os.path.join(real, "index.html"))
            if os.path.isfile(real) and _inside(real, root) and not path.endswith("/"):
                raise Moved
        return real if os.path.isfile(real) and _inside(real, root) else None

    def _file(self, real: str) -> None:
        try:
            source = open(real, "rb")  # noqa: SIM115 (closed just below)
        except OSError:  # gone in a rebuild since it was found
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with source:
            size = os.fstat(source.fileno()).st_size
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(real))
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(source, self.wfile)

    def _page(self, real: str | None) -> None:
        """A page with the reload script; while no build has succeeded, a page saying so."""
        state = self.preview.snapshot()
        try:
            text = Path(real).read_text(encoding="utf-8", errors="replace") if real else None
        except OSError:  # gone in a rebuild since it was found
            text = None
        if text is None:
            if not state.error and os.path.isfile(os.path.join(self.preview.out, "index.html")):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            text = _not_built_yet(state)
        script = RELOAD_SCRIPT % {"version": state.version, "events": EVENTS}
        text = text.replace("</body>", script + "</body>") if "</body>" in text else text + script
        data = text.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":
            return
        state = self.preview.snapshot()
        while True:
            message = json.dumps({"version": state.version, "error": state.error}, ensure_ascii=False)
            self.wfile.write(f"event: state\ndata: {message}\n\n".encode())
            self.wfile.flush()
            while (newer := self.preview.wait_for_change(state, HEARTBEAT)) == state:
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
            state = newer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the terminal shows builds, not requests


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _drain(connection: socket.socket) -> None:
    """Read, for a moment, what the client still sends after an error answer (the rest of a long
    request line, a body), so that closing does not reset the connection before it reads the answer."""
    deadline = time.monotonic() + LINGER
    received = 0
    try:
        connection.shutdown(socket.SHUT_WR)
        while received < LINGER_BYTES and (left := deadline - time.monotonic()) > 0:
            connection.settimeout(left)
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += len(chunk)
    except OSError:
        pass


def _not_built_yet(state: State) -> str:
    """The page shown for any page while no build has succeeded yet."""
    waiting = "请按下面的提示修改后保存。" if state.error else "正在生成，完成后本页自动刷新……"
    return (f"<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>预览</title>"
            f"<body><p>还没有成功生成过。{waiting}</p></body></html>")


def make_handler(preview: Preview) -> type[PreviewHandler]:
    """A request handler class that serves this preview."""
    class Handler(PreviewHandler):
        pass
    Handler.preview = preview
    return Handler
