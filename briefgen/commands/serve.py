"""`briefgen serve`: build, serve the preview on 127.0.0.1, rebuild on every change, reload the page.

The preview is a build with drafts, into a folder of its own (by default under
.briefgen-cache/, so it never ends up on the intranet by mistake). Each change to the
content, templates, fonts or settings starts an incremental build; when it succeeds the
open pages reload, when it fails the terminal and the page say why and the last good
build stays served."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from briefgen.config.settings import CONFIG_NAME
from briefgen.errors import BriefgenError
from briefgen.storage.resources import CACHE

PREVIEW = Path(CACHE) / "preview"
WATCHED = ("content", "templates", "fonts", "archive")
WATCHED_FILES = (CONFIG_NAME, "published.yaml")
EVENTS = "/__briefgen/events"
HEARTBEAT = 15.0  # seconds between keep-alive comments on the event stream

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
    box.textContent = "生成失败，下面显示的是上一次成功生成的页面。\\n\\n" + text;
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


@dataclass
class State:
    version: int = 0  # successful builds so far
    error: str = ""  # why the last build failed ("" when it succeeded)


class Preview:
    """The state the server shows, and the builds that change it."""

    def __init__(self, out: Path, build: Callable[[], str]) -> None:
        self.out = out
        self._build = build
        self.state = State()
        self.changed = threading.Condition()

    def rebuild(self) -> None:
        """Build once; report the outcome in the terminal and to every open page."""
        try:
            summary, error = self._build(), ""
        except click.ClickException as exc:
            summary, error = "", exc.format_message()
        except Exception as exc:  # a defect: say so, and keep serving the last good build
            summary, error = "", f"briefgen 内部错误（{type(exc).__name__}: {exc}），请报告给维护者。"
        with self.changed:
            self.state = State(self.state.version + (0 if error else 1), error)
            self.changed.notify_all()
        stamp = time.strftime("%H:%M:%S")
        if error:
            kept = "，预览中仍是上一次成功生成的页面" if self.state.version else ""
            click.echo(f"[{stamp}] 生成失败{kept}：\n{error}", err=True)
        else:
            click.echo(f"[{stamp}] {summary}")

    def snapshot(self) -> State:
        with self.changed:
            return State(self.state.version, self.state.error)

    def wait_for_change(self, seen: State, timeout: float) -> State:
        with self.changed:
            self.changed.wait_for(lambda: self.state != seen, timeout)
            return State(self.state.version, self.state.error)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the preview folder, with the reload script in every page, and the event stream."""

    preview: Preview  # set on the class by make_handler: http.server makes a handler per request

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(self.preview.out), **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            self._events()
            return
        target = Path(self.translate_path(path))
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html":
            self._page(target)
            return
        super().do_GET()

    def _page(self, target: Path) -> None:
        state = self.preview.snapshot()
        try:
            html = target.read_text(encoding="utf-8")
        except OSError:
            if state.error or not (self.preview.out / "index.html").is_file():
                html = _not_built_yet(state)
            else:
                self.send_error(404, "没有这个页面")
                return
        script = RELOAD_SCRIPT % {"version": state.version, "events": EVENTS}
        html = html.replace("</body>", script + "</body>") if "</body>" in html else html + script
        data = html.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.preview.snapshot()
        try:
            while True:
                message = json.dumps({"version": state.version, "error": state.error}, ensure_ascii=False)
                self.wfile.write(f"event: state\ndata: {message}\n\n".encode())
                self.wfile.flush()
                while (newer := self.preview.wait_for_change(state, HEARTBEAT)) == state:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                state = newer
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the terminal shows builds, not requests


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


def watch_filter(root: Path) -> Callable[[Any, str], bool]:
    """Changes that matter: under the watched folders, or to the settings and the ledger."""
    folders = tuple(str(root / name) + "/" for name in WATCHED)
    files = {str(root / name) for name in WATCHED_FILES}

    def keep(_change: Any, path: str) -> bool:
        name = Path(path).name
        if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
            return False  # editors' and briefgen's own temporary files
        return path in files or path.startswith(folders)
    return keep


def serve(root: Path, out: Path, port: int, build: Callable[[], str], ready: Callable[[str], None]) -> None:
    """Build, serve out on 127.0.0.1:port, and rebuild on every change until interrupted."""
    import watchfiles  # loaded only when previewing

    root = root.resolve()
    preview = Preview(out, build)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(preview))
    except OSError as exc:
        raise BriefgenError(f"无法在 127.0.0.1:{port} 上提供预览（{exc.strerror}）；"
                            f"请用 --port 换一个端口，如 --port {port + 1}。") from exc
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ready(f"http://127.0.0.1:{server.server_address[1]}/")  # open it now: it reloads when the build is done
    try:
        preview.rebuild()
        for _changes in watchfiles.watch(root, watch_filter=watch_filter(root), debounce=400, step=50,
                                         raise_interrupt=False):
            preview.rebuild()
    except KeyboardInterrupt:
        pass  # Ctrl+C while a build runs stops the preview just the same
    finally:
        server.shutdown()
        server.server_close()


def run_serve(root: Path, port: int, pdf: bool, out: Path | None) -> None:
    """Preview with drafts until Ctrl+C, rebuilding on every change."""
    import click
    import jinja2

    from briefgen.commands.build import BuildOptions, build, summary_line
    from briefgen.config.settings import load_config
    from briefgen.errors import InputError
    from briefgen.render.env import template_failure

    target = (out or root / PREVIEW).absolute()
    after_failure = "请修改后保存，预览会自动更新。"

    def build_once() -> str:
        config = load_config(root)
        try:
            result = build(config, BuildOptions(pdf=pdf, out=target, drafts=True))
        except jinja2.TemplateError as exc:
            raise template_failure(exc, root, after_failure) from None
        except InputError as exc:
            raise InputError(exc.diagnostics, after_failure) from None
        for problem in sorted(result.warnings):
            click.echo(str(problem), err=True)
        return summary_line({**result.summary(), "html_reused": result.html_reused, "pdf_reused": result.pdf_reused},
                            target, result.seconds, unchanged=False)

    serve(root, target, port, build_once, lambda url: click.echo(f"预览地址：{url}（按 Ctrl+C 停止）"))
    click.echo("已停止预览。")
