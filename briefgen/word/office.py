"""What kind of file a manuscript really is (from its first bytes, not its name), and LibreOffice
for the kinds python-docx cannot open: .doc, .wps, .odt, .rtf become .docx in a work folder.

Officers rename files: a ".doc" that Word saved as RTF, a ".docx" that is an old .doc, a ".wps"
that is a Word file (what WPS Office writes) or a Microsoft Works file. Each goes to the reader
that can open it. LibreOffice runs headless with a profile of its own in the work folder, so
two imports at once do not share one, and once for all the files of an import."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

SUFFIXES = (".docx", ".doc", ".wps", ".odt", ".rtf")
PACKAGE = "libreoffice-writer-nogui"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")
SNIFF_BYTES = 4 * 1024 * 1024  # an OLE file names its streams in its first sectors
TIMEOUT = 300  # seconds for LibreOffice to convert one import's files
DOCX, ODT, DOC, RTF, WORKS, BROKEN, UNKNOWN = "docx", "odt", "doc", "rtf", "works", "broken", "unknown"
NAMES = {DOCX: "Word 文档（.docx）", ODT: "OpenDocument 文档（.odt）", DOC: "Word 97-2003 文档（.doc）",
         RTF: "RTF 文档", WORKS: "Works 或 WPS 文档"}


class OfficeMissing(Exception):
    """LibreOffice is needed and not installed."""


def kind_of(path: Path) -> str:
    """docx, odt, doc, rtf, works (an OLE file without a Word stream), broken (a zip that does not
    open) or unknown."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
                if "word/document.xml" in names:
                    return DOCX
                if "mimetype" in names and package.read("mimetype").startswith(b"application/vnd.oasis"):
                    return ODT
        except (zipfile.BadZipFile, OSError, KeyError):
            return BROKEN
        return UNKNOWN
    if head.startswith(OLE):
        return DOC if WORD_STREAM in head else WORKS
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        return RTF
    return UNKNOWN


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise OfficeMissing(f"要导入 .doc、.wps、.odt、.rtf 文件，须先安装 LibreOffice：sudo apt-get install {PACKAGE}"
                            "（或在 Word、WPS 中把文件另存为 .docx 后再导入）")
    return found


def to_docx(files: dict[str, tuple[Path, str]], work: Path) -> dict[str, Path | str]:
    """Each file (by a key of the caller's) converted to .docx under work: the path of the
    result, or why there is none. kinds are kind_of's; one LibreOffice run for them all."""
    program = soffice()
    inbox = work / "in"
    inbox.mkdir(parents=True)
    names: dict[str, str] = {}
    for number, (key, (path, kind)) in enumerate(sorted(files.items()), start=1):
        suffix = {DOC: ".doc", RTF: ".rtf", ODT: ".odt"}.get(kind, ".wps")
        copy = inbox / f"{number}{suffix}"
        shutil.copyfile(path, copy)
        names[key] = copy.stem
    outbox = work / "out"
    profile = (work / "profile").as_uri()
    command = [program, "--headless", "--norestore", "--nologo", "--nolockcheck", f"-env:UserInstallation={profile}",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outbox),
               *sorted(str(p) for p in inbox.iterdir())]
    env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, env=env, check=False)
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    except subprocess.TimeoutExpired:
        said = [f"LibreOffice 超过 {TIMEOUT} 秒没有转换完"]
    results: dict[str, Path | str] = {}
    for key, stem in names.items():
        made = outbox / f"{stem}.docx"
        if made.is_file() and made.stat().st_size:
            results[key] = made
        else:
            results[key] = "LibreOffice 无法打开它" + (f"（{said[-1]}）" if said else "")
    return results
