"""The HTTP side of `briefgen serve`: the preview folder, the reload script and the event stream."""

from __future__ import annotations

import http.server
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefgen.commands.serve import Preview, State

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
