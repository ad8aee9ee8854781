"""Nothing outside the bulletin repository gets into a PDF or the site.

A canary file and a canary image are put beside the repository (never inside it); items try
every way we know to pull them in: absolute paths, file:// URLs, ../ walks, symlinks, attachment
links (which WeasyPrint would embed in the PDF), CSS. The build must report the references with
file and line, and no byte of the secrets may appear in any output file -- searched for in the raw
files and in every PDF stream after inflating it (and undoing PNG predictors), with a positive
control proving the search finds a marked image that *is* allowed in.

Remote images are not fetched either: a local HTTP server counts the requests it gets.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FONTS_LINE, build_ok, item, parse_html, pdf_text, run_briefgen, write_bulletin

CANARY = "CANARY-7f3a9c1e"            # the text of the secret text file
IMAGE_CANARY = b"IMGCANARY-5d2b8e04"  # the pixel bytes of the secret image (18 bytes: 6 RGB pixels)
CONTROL = b"CONTROL-a41f6c0b7d"       # the pixel bytes of an image inside content/ (allowed in)


# --------------------------------------------------------------------------- images with a marker


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def marker_png(marker: bytes, text: str = "") -> bytes:
    """An RGB PNG whose every row of pixels is exactly the bytes of marker (and a tEXt chunk)."""
    assert len(marker) % 3 == 0
    rows = (b"\x00" + marker) * 3  # filter type 0: the raw bytes are the pixels
    header = struct.pack(">IIBBBBB", len(marker) // 3, 3, 8, 2, 0, 0, 0)
    comment = _chunk(b"tEXt", b"Comment\x00" + text.encode()) if text else b""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + comment
            + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b""))


# --------------------------------------------------------------------------- reading PDF streams


@dataclass
class Stream:
    header: bytes   # the stream's dictionary
    raw: bytes      # the bytes between `stream` and `endstream`
    decoded: bytes  # inflated (FlateDecode), with any PNG predictor undone; b"" if not inflatable


STREAM = re.compile(rb"\d+\s+\d+\s+obj\s*(<<(?:(?!endobj).)*?>>)\s*stream\r?\n", re.S)


def _number(header: bytes, name: bytes, default: int) -> int:
    found = re.search(rb"/" + name + rb"\s+(\d+)(?!\d)(?!\s+\d+\s+R)", header)
    return int(found.group(1)) if found else default


def _unpredict(data: bytes, header: bytes) -> bytes:
    """Undo the PNG predictors (/Predictor 10-15) that image streams use before deflating."""
    if _number(header, b"Predictor", 1) < 10:
        return data
    colors, bits = _number(header, b"Colors", 1), _number(header, b"BitsPerComponent", 8)
    columns = _number(header, b"Columns", 1)
    pixel = max(1, colors * bits // 8)
    width = (colors * bits * columns + 7) // 8
    out, previous = bytearray(), bytearray(width)
    for start in range(0, len(data) - width, width + 1):
        kind, row = data[start], bytearray(data[start + 1:start + 1 + width])
        for i in range(len(row)):
            left = row[i - pixel] if i >= pixel else 0
            up, corner = previous[i], previous[i - pixel] if i >= pixel else 0
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        out += row
        previous = row
    return bytes(out)


def pdf_streams(data: bytes) -> list[Stream]:
    """Every stream of a PDF, raw and decoded, found by parsing the file's bytes."""
    streams = []
    for match in STREAM.finditer(data):
        header, start = match.group(1), match.end()
        length = _number(header, b"Length", -1)
        end = start + length if length >= 0 and data[start + length:start + length + 12].lstrip().startswith(
            b"endstream") else data.index(b"endstream", start)
        raw = data[start:end]
        decoded = b""
        if b"/FlateDecode" in header:
            try:
                decoded = _unpredict(zlib.decompressobj().decompress(raw), header)
            except zlib.error:
                decoded = b""
        streams.append(Stream(header, raw, decoded))
    return streams


def pdf_haystacks(path: Path) -> list[bytes]:
    """The raw file, and every stream's dictionary, raw and decoded bytes."""
    data = path.read_bytes()
    found = [data]
    for stream in pdf_streams(data):
        found += [stream.header, stream.raw, stream.decoded]
    return found


# --------------------------------------------------------------------------- the attempts


@dataclass(frozen=True)
class Secrets:
    folder: Path
    text: Path
    image: Path


def make_secrets(base: Path) -> Secrets:
    folder = base / "secret"
    folder.mkdir(parents=True)
    text = folder / "canary.txt"
    text.write_text(f"{CANARY}\n", encoding="utf-8")
    image = folder / "secret.png"
    image.write_bytes(marker_png(IMAGE_CANARY, CANARY))
    return Secrets(folder, text, image)


ITEM_DIR = "content/2026/2026-W46"


def attempts(secrets: Secrets) -> dict[str, tuple[str, list[tuple[int, str]]]]:
    """slug -> (body, [(line, name that the warning for that line must mention)]).

    Each body starts with a line of its own text; the reference is on the body's third line
    (file line 10) unless said otherwise.
    """
    text, image = secrets.text.as_posix(), secrets.image.as_posix()
    up = "../" * (len(Path(ITEM_DIR).parts) + len(secrets.folder.parent.parts) + 2)
    dotted_text = up + text.lstrip("/")
    encoded = ("%2e%2e/" * (len(Path(ITEM_DIR).parts) + len(secrets.folder.parent.parts) + 2)
               + image.lstrip("/"))
    return {
        "abs-text": (f"![绝对路径文本]({text})\n", [(10, "canary.txt")]),
        "abs-image": (f"![绝对路径图片]({image})\n", [(10, "secret.png")]),
        "file-img": (f'<img src="file://{text}" alt="文件协议">\n', [(10, "canary.txt")]),
        "file-md-image": (f"![文件协议图片](file://{image})\n", [(10, "secret.png")]),
        "dots": (f"![上级目录]({dotted_text})\n", [(10, "canary.txt")]),
        "encoded-dots": (f"![编码的上级目录]({encoded})\n", [(10, "secret.png")]),
        # A linked folder in content/ that leads outside is an error before anything is read
        # (tests/test_hostile.py), so only linked files are tried here.
        "symlinks": ("![链接图片](link.png)\n\n[附件](link.txt)\n",
                     [(10, "link.png"), (12, "link.txt")]),
        "a-file": (f'<a rel="attachment" href="file://{text}">附件甲</a>\n', [(10, "canary.txt")]),
        "a-dots": (f'<a rel="attachment" href="{dotted_text}">附件乙</a>\n', [(10, "canary.txt")]),
        # Markup the sanitiser removes whole: checked for leaks, not for a warning (see README:
        # "正文中的 HTML 会被清理").
        "link-attachment": (f'<link rel="attachment" href="file://{text}">\n', []),
        "css": (f'<div style="background: url(file://{image})">样式背景</div>\n\n'
                f"<style>@import url(file://{text});</style>\n", []),
    }


def canary_bulletin(base: Path) -> tuple[Path, Secrets, dict]:
    secrets = make_secrets(base)
    tries = attempts(secrets)
    files: dict[str, str | bytes] = {
        f"{ITEM_DIR}/{slug}.md": item(f"安全测试稿件{n}：{slug}", body=f"第{n}篇稿件的正文。\n\n{body}")
        for n, (slug, (body, _)) in enumerate(tries.items(), start=1)
    }
    files[f"{ITEM_DIR}/control.md"] = item("对照稿件", body="对照稿件的正文。\n\n![对照图片](control.png)\n")
    files[f"{ITEM_DIR}/control.png"] = marker_png(CONTROL)
    root = write_bulletin(base / "repo", files)
    folder = root / ITEM_DIR
    os.symlink(secrets.image, folder / "link.png")
    os.symlink(secrets.text, folder / "link.txt")
    return root, secrets, tries


def assert_nothing_leaked(out: Path, secrets: Secrets) -> None:
    secret_hashes = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in (secrets.text, secrets.image)}
    needles = [CANARY.encode(), IMAGE_CANARY, secrets.folder.as_posix().encode()]
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        assert not path.is_symlink(), f"{rel} is a symlink to {os.readlink(path)}"
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() not in secret_hashes, f"{rel} is a copy of a secret file"
        haystacks = pdf_haystacks(path) if path.suffix == ".pdf" else [data]
        for haystack in haystacks:
            for needle in needles:
                assert needle not in haystack, f"{needle!r} found in {rel}"
            if path.suffix == ".pdf":
                assert b"/EmbeddedFile" not in haystack, f"{rel} has an embedded file"


# --------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def canary_build(tmp_path_factory):
    root, secrets, tries = canary_bulletin(tmp_path_factory.mktemp("canary"))
    result = run_briefgen(root, "build")
    return root, secrets, tries, result


@pytest.mark.slow
def test_build_succeeds_and_reports_every_reference_outside_content(canary_build):
    root, _secrets, tries, result = canary_build
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    missing = []
    for slug, (_body, expected) in tries.items():
        rel = f"{ITEM_DIR}/{slug}.md"
        for line, name in expected:
            if not any(entry.startswith(f"{rel}:{line}: warning: ") and name in entry for entry in lines):
                missing.append(f"{rel}:{line} ({name})")
    assert missing == [], "no warning for:\n" + "\n".join(missing) + "\nstderr:\n" + result.stderr
    # Every warning names one of the items that made a reference, with a line; the fonts line follows.
    assert lines[-1] + "\n" == FONTS_LINE
    for entry in lines[:-1]:
        assert re.match(rf"{re.escape(ITEM_DIR)}/[a-z-]+\.md:\d+: warning: ", entry), entry


@pytest.mark.slow
def test_nothing_outside_the_repository_is_in_any_output_file(canary_build):
    root, secrets, _tries, result = canary_build
    assert result.returncode == 0, result.stderr
    out = root / "output"
    pdfs = sorted(out.rglob("*.pdf"))
    assert [p.relative_to(out).as_posix() for p in pdfs] == ["issues/2026-W46.pdf"]
    assert_nothing_leaked(out, secrets)
    # The site links to nothing outside the output folder.
    for page in sorted(out.rglob("*.html")):
        for node in parse_html(page).iter():
            for attr in ("src", "href"):
                value = node.attrs.get(attr, "")
                assert not value.lower().startswith("file:") and not value.startswith("/"), (page, value)
    assert sorted(p.relative_to(out / "media").as_posix() for p in (out / "media").rglob("*")) == [
        "2026", "2026/2026-W46", "2026/2026-W46/control.png"]


@pytest.mark.slow
def test_positive_control_the_stream_search_finds_what_is_there(canary_build):
    """The same search finds the marked image that is inside content/, and text operators."""
    root, _secrets, _tries, result = canary_build
    assert result.returncode == 0, result.stderr
    pdf = root / "output" / "issues" / "2026-W46.pdf"
    streams = pdf_streams(pdf.read_bytes())
    assert any(CONTROL in s.decoded for s in streams), "the control image's pixels were not found"
    assert CONTROL not in pdf.read_bytes()  # only found because the stream was inflated and unfiltered
    assert sum(bool(re.search(rb"\bBT\b.*\bTJ?\b.*\bET\b", s.decoded, re.S)) for s in streams) >= 1
    assert "对照稿件" in pdf_text(pdf)
    media = root / "output" / "media" / ITEM_DIR.removeprefix("content/") / "control.png"
    assert media.read_bytes() == (root / ITEM_DIR / "control.png").read_bytes()


@pytest.mark.slow
def test_symlinked_item_outside_the_repository_is_not_published(tmp_path):
    """An item file that is a symlink to a file outside the repository is refused, not read."""
    secrets = make_secrets(tmp_path)
    outside = secrets.folder / "outside.md"
    outside.write_text(item("仓库以外的稿件", body=f"{CANARY}\n"), encoding="utf-8")
    root = write_bulletin(tmp_path / "repo", {f"{ITEM_DIR}/good.md": item("合格的稿件")})
    os.symlink(outside, root / ITEM_DIR / "outside.md")
    result = run_briefgen(root, "build")
    assert "Traceback" not in result.stderr
    assert re.search(rf"^{re.escape(ITEM_DIR)}/outside\.md:\d+: (error|warning): ", result.stderr, re.M), \
        result.stderr
    assert CANARY not in result.stdout + result.stderr
    if (root / "output").exists():
        assert_nothing_leaked(root / "output", secrets)


# --------------------------------------------------------------------------- remote images


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).requests.append(self.path)
        body = marker_png(CONTROL)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def http_server():
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Recorder.requests
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_remote_images_are_not_fetched(tmp_path, http_server):
    port, requests = http_server
    body = ("远程图片稿件的正文。\n\n"
            "![远程](http://127.0.0.1:9/x.png)\n\n"
            f"![本机服务器](http://127.0.0.1:{port}/y.png)\n\n"
            f'<img src="//127.0.0.1:{port}/z.png" alt="协议相对">\n\n'
            f'<img src="HTTP://127.0.0.1:{port}/w.png" alt="大写协议">\n\n'
            f'<div style="background: url(http://127.0.0.1:{port}/bg.png)">背景</div>\n')
    rel = f"{ITEM_DIR}/remote.md"
    root = write_bulletin(tmp_path / "repo", {rel: item("远程图片稿件", body=body)})
    started = time.monotonic()
    # A subprocess: the server runs on a thread of this process, which a build must not fork.
    result = build_ok(root, "--no-search", process=True, timeout=60)
    assert time.monotonic() - started < 60
    assert requests == [], f"the build fetched {requests}"

    out = root / "output"
    for page in (out / "items" / "remote.html", out / "issues" / "2026-W46.html"):
        doc = parse_html(page)
        assert [s.text() for s in doc.find_all("span", cls="missing-image")] == [
            "远程", "本机服务器", "协议相对", "大写协议"], page
        assert [img.attrs for img in doc.find_all("img") if "127.0.0.1" in img.attrs.get("src", "")] == []
        assert "127.0.0.1" not in page.read_text(encoding="utf-8"), page
    assert "本机服务器" in pdf_text(out / "issues" / "2026-W46.pdf")

    lines = result.stderr.splitlines()
    for line, address in ((10, "http://127.0.0.1:9/x.png"), (12, f"http://127.0.0.1:{port}/y.png"),
                          (14, f"//127.0.0.1:{port}/z.png"), (16, f"127.0.0.1:{port}/w.png")):
        assert any(entry.startswith(f"{rel}:{line}: warning: ") and address in entry for entry in lines), \
            (line, address, result.stderr)


def test_each_reference_is_reported_at_its_own_line(tmp_path):
    """A reference whose text is part of an earlier line's reference is still reported at its own line."""
    rel = f"{ITEM_DIR}/lines.md"
    body = ("行号稿件的正文。\n\n"
            "![甲](../../../../outside/a.png)\n\n"   # line 10: the repository's parent folder
            "![乙](../../../outside/a.png)\n")       # line 12: the repository itself, outside content/
    root = write_bulletin(tmp_path / "repo", {rel: item("行号稿件", body=body)})
    result = run_briefgen(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert sorted(result.stderr.splitlines()) == [
        f"{rel}:10: warning: 引用了 content/ 以外的文件 ../../../../outside/a.png，已忽略；图片和附件请放在 content/ 内，稿件旁边",
        f"{rel}:12: warning: 引用了 content/ 以外的文件 ../../../outside/a.png，已忽略；图片和附件请放在 content/ 内，稿件旁边",
    ]
