"""How long `briefgen serve --no-pdf` takes from saving an item to telling the open page to reload.

    .venv/bin/python benchmarks/serve_reload.py REPO ITEM [--runs 3]

Starts the preview on a free port of 127.0.0.1, listens to its event stream as an open page does,
and waits for the first build. Then, --runs times: append a sentence to ITEM (a path inside REPO),
and time from just after the write until the stream sends the new version, which is when a page
calls location.reload(); the item's page is then fetched and must hold the sentence. ITEM is
restored at the end. The last line printed is JSON: {"seconds": [...], "builds": [...], "first_build": s},
builds being what each build's line says it took.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/")
BUILD = re.compile(r"用时 ([0-9.]+) 秒")


class Events:
    """The preview's event stream, read as an open page reads it."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.connection.request("GET", "/__briefgen/events")
        self.response = self.connection.getresponse()

    def next_state(self) -> dict[str, object]:
        data = ""
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if not line:
                raise SystemExit("预览的事件流中断了")
            if line.startswith("data: "):
                data = line[len("data: "):].strip()
            elif line == "\n" and data:
                return json.loads(data)

    def wait_for(self, newer_than: int) -> dict[str, object]:
        while True:
            state = self.next_state()
            if state["error"]:
                raise SystemExit(f"预览生成失败：{state['error']}")
            if int(state["version"]) > newer_than:  # type: ignore[call-overload]
                return state


def page(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    return connection.getresponse().read().decode("utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="briefgen serve：保存稿件到页面重新载入的时间。")
    parser.add_argument("repo", type=Path)
    parser.add_argument("item", type=Path, help="要改的稿件（仓库中的 .md 文件）")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    item = args.item.absolute()
    original = item.read_bytes()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "briefgen", "--root", str(args.repo), "serve", "--no-pdf",
                               "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        assert server.stdout is not None
        found = ADDRESS.search(server.stdout.readline())
        if not found:
            raise SystemExit("briefgen serve 没有打印预览地址")
        port = int(found.group(1))
        builds: list[float] = []  # what each build's line says it took
        threading.Thread(target=lambda: builds.extend(float(m.group(1)) for line in server.stdout  # type: ignore[union-attr]
                                                      if (m := BUILD.search(line))), daemon=True).start()
        events = Events(port)
        state = events.wait_for(0)
        first = time.perf_counter() - started
        seconds = []
        for n in range(args.runs):
            time.sleep(1.5)  # the file's last write is "settled" again, as between an officer's saves
            sentence = f"据统计，这是预览中的第{n + 1}次修改。"
            item.write_bytes(original.rstrip(b"\n") + sentence.encode("utf-8") + b"\n")
            saved = time.perf_counter()
            state = events.wait_for(int(state["version"]))  # type: ignore[call-overload]
            seconds.append(time.perf_counter() - saved)
            if sentence not in page(port, f"/items/{item.stem}.html"):
                raise SystemExit(f"重新载入后的稿件页里没有“{sentence}”")
            deadline = time.monotonic() + 10
            while len(builds) < n + 2 and time.monotonic() < deadline:  # the line comes just after
                time.sleep(0.01)
    finally:
        item.write_bytes(original)
        server.terminate()
        server.wait(timeout=60)
    print(json.dumps({"seconds": seconds, "builds": builds[-len(seconds):], "first_build": round(first, 2)}))


if __name__ == "__main__":
    main()
