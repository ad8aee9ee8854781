"""`briefgen serve`: a live preview that rebuilds on change, reloads the page and survives bad input."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from queue import Empty, Queue

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
        threading.Thread(target=self._read, daemon=True).start()
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
