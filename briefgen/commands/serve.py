"""`briefgen serve`: build, serve the preview on 127.0.0.1, rebuild on every change, reload the page.

The preview is a build with drafts, into a folder of its own (by default under
.briefgen-cache/, so it never ends up on the intranet by mistake). Each change to the
content, templates, fonts or settings starts an incremental build; when it succeeds the
open pages reload, when it fails the terminal and the page say why and the last good
build stays served."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from briefgen.commands.preview_http import PreviewServer, make_handler
from briefgen.config.settings import CONFIG_NAME
from briefgen.errors import BriefgenError
from briefgen.storage.resources import PREVIEW, own_folder

WATCHED = ("content", "templates", "fonts", "archive")
WATCHED_FILES = (CONFIG_NAME, "published.yaml")


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
        server = PreviewServer(("127.0.0.1", port), make_handler(preview))
    except OSError as exc:
        raise BriefgenError(f"无法在 127.0.0.1:{port} 上提供预览（{exc.strerror}）；"
                            f"请用 --port 换一个端口，如 --port {port + 1}。") from exc
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ready(f"http://127.0.0.1:{server.server_address[1]}/")  # open it now: it reloads when the build is done
    try:
        before: str | None = _inputs(root)
        preview.rebuild()
        logging.getLogger("watchfiles").setLevel(logging.ERROR)  # its English "KeyboardInterrupt caught…"
        for changes in watchfiles.watch(root, watch_filter=watch_filter(root), debounce=400, step=50,
                                        rust_timeout=1000, yield_on_timeout=True, raise_interrupt=False):
            if changes:
                preview.rebuild()
            elif before is not None:
                # The watcher is running now; a file saved during the first build, before it
                # started, was not seen by it: build again if anything changed meanwhile.
                if _inputs(root) != before:
                    preview.rebuild()
                before = None
    except KeyboardInterrupt:
        pass  # Ctrl+C while a build runs stops the preview just the same
    finally:
        server.shutdown()
        server.server_close()


def _inputs(root: Path) -> str:
    """The state of everything a build reads (a digest of files' sizes and times)."""
    from briefgen.incremental.uptodate import inputs_digest

    return inputs_digest(root, (), pdf=False).digest


def run_serve(root: Path, port: int, pdf: bool, out: Path | None) -> None:
    """Preview with drafts until Ctrl+C, rebuilding on every change."""
    import click
    import jinja2

    from briefgen.commands.build import BuildOptions, build, summary_line
    from briefgen.config.settings import load_config
    from briefgen.errors import InputError
    from briefgen.incremental.warm import Warm
    from briefgen.render.env import template_failure

    target = (out or own_folder(root, PREVIEW)).absolute()
    after_failure = "请修改后保存，预览会自动更新。"
    warm = Warm()  # what each build keeps for the next: the build after a save reads only what changed

    def build_once() -> str:
        config = load_config(root)
        try:
            result = build(config, BuildOptions(pdf=pdf, out=target, drafts=True), warm=warm)
        except jinja2.TemplateError as exc:
            raise template_failure(exc, root, after_failure) from None
        except InputError as exc:
            raise InputError(exc.diagnostics, after_failure) from None
        for problem in sorted(result.warnings):
            click.echo(str(problem), err=True)
        return summary_line(result.reported(), target, result.seconds, unchanged=False)

    serve(root, target, port, build_once, lambda url: click.echo(f"预览地址：{url}（按 Ctrl+C 停止）"))
    click.echo("已停止预览。")
