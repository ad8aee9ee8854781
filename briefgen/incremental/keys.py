"""Every input a cache key or the no-op record is made from, declared once.

Each product of a build has a key: an item's parsed form and body (the item cache), a page
of the site, an issue's PDF and its Word file, the search index, and the record that lets a build with nothing
to do answer at once. What each is made from is listed here and nowhere else: the code, the
templates, briefgen.yaml, the fonts, the libraries that shape the output and, for a PDF, the
repository's path. A library added to the pipeline but not to LIBRARIES is caught by a test.
Only the standard library is imported, so the no-op check never loads the renderer."""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import hashlib
import importlib.metadata
import importlib.util
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.model import Item
from briefgen.storage.resources import builtin_templates, package_folder

ITEMS = "items"  # front matter parsed and the body converted to sanitised HTML
PAGES = "pages"  # the site's pages, which also carry the charts
PDF = "pdf"  # an issue's or a 通报's PDF
SEARCH = "search"  # the Pagefind index
WORD = "word"  # an issue's Word edition


@dataclass(frozen=True)
class Library:
    """A Python distribution whose version can change what a build makes."""

    distribution: str  # as importlib.metadata knows it
    module: str  # what briefgen imports; its file's state goes into the no-op record
    products: frozenset[str]


def _library(distribution: str, module: str, *products: str) -> Library:
    return Library(distribution, module, frozenset(products))


LIBRARIES = (
    _library("Markdown", "markdown", ITEMS),
    _library("nh3", "nh3", ITEMS, PAGES, PDF),  # bodies are sanitised again as they are rendered
    _library("PyYAML", "yaml", ITEMS, PAGES, PDF),
    _library("Jinja2", "jinja2", PAGES, PDF),
    _library("MarkupSafe", "markupsafe", ITEMS, PAGES, PDF),
    _library("matplotlib", "matplotlib", PAGES, PDF),
    _library("weasyprint", "weasyprint", PDF),
    _library("jieba", "jieba", PDF, WORD),  # where a print title breaks
    _library("pydyf", "pydyf", PDF),
    _library("tinycss2", "tinycss2", PDF),
    _library("cssselect2", "cssselect2", PDF),
    _library("tinyhtml5", "tinyhtml5", PDF),
    _library("pyphen", "pyphen", PDF),
    _library("fonttools", "fontTools", PDF),
    _library("pillow", "PIL", PDF),
    _library("webencodings", "webencodings", PDF),
    _library("brotli", "brotli", PDF),
    _library("numpy", "numpy", PAGES, PDF),  # matplotlib's charts, and what they are drawn with
    _library("contourpy", "contourpy", PAGES, PDF),
    _library("kiwisolver", "kiwisolver", PAGES, PDF),
    _library("cycler", "cycler", PAGES, PDF),
    _library("pyparsing", "pyparsing", PAGES, PDF),
    _library("python-dateutil", "dateutil", PAGES, PDF),
    _library("packaging", "packaging", PAGES, PDF),
    _library("python-docx", "docx", WORD),
    _library("lxml", "lxml", WORD),  # python-docx's XML, and how an item's body is read for Word
    _library("pagefind", "pagefind", SEARCH),
    _library("pagefind_bin_extended", "pagefind_bin_extended", SEARCH),
)
# Libraries a build loads that cannot change what it makes, and why.
UNAFFECTING = {
    "click": "the command line only",
    "cffi": "WeasyPrint's binding to Pango: the layout is Pango's and HarfBuzz's (NATIVE)",
    "pycparser": "cffi's parser of C declarations",
    "watchfiles": "the preview's file watcher",
    "anyio": "watchfiles' event loop",
    "idna": "anyio's host names",
    "sniffio": "anyio's event loop detection",
    "typing_extensions": "type annotations",
    "setuptools": "its distutils shim, loaded at start-up by a .pth file",
}
# The C libraries WeasyPrint lays text out with, and the function that names each one's version.
NATIVE = (("libpango-1.0.so.0", "pango_version_string"), ("libharfbuzz.so.0", "hb_version_string"))


def library_versions(product: str) -> str:
    """The versions of the libraries that shape one product, e.g. "Markdown=3.11.3 nh3=0.3.8 …"."""
    return " ".join(f"{lib.distribution}={version(lib.distribution)}" for lib in LIBRARIES
                    if product in lib.products)


@functools.cache  # asked by several keys in one build; each asks the disk
def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def library_files() -> list[Path]:
    """The file each library is imported from, for the no-op record (a reinstall changes its state)."""
    files = []
    for library in LIBRARIES:
        spec = importlib.util.find_spec(library.module)
        files.append(Path(spec.origin) if spec and spec.origin else Path(f"/nonexistent/{library.module}"))
    return files


@functools.lru_cache(maxsize=1)
def native_versions() -> str:
    """Pango's and HarfBuzz's versions, asked of the libraries themselves ("" for one not found)."""
    versions = []
    for name, function in NATIVE:
        try:
            call = getattr(ctypes.CDLL(name), function)
            call.restype = ctypes.c_char_p
            versions.append(f"{name}={call().decode()}")
        except (OSError, AttributeError):
            versions.append(f"{name}=")
    return " ".join(versions)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of every file of the briefgen package (code, skeleton, packaged templates), so a
    changed briefgen never reuses what an older one made."""
    digest = hashlib.sha256()
    package = package_folder()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def templates_digest(user_templates: Path) -> str:
    """A digest of every file on the template path, so a changed template re-renders what used it."""
    digest = hashlib.sha256()
    for folder in (user_templates, builtin_templates()):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        digest.update(b"\1")
    return digest.hexdigest()


def combine(parts: Iterable[str | bytes]) -> str:
    """One digest of several parts; a part can never run into the next."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


ITEM_CACHE_FORMAT = "4"


def item_cache_salt(config_bytes: bytes) -> str:
    """What every cached item is made from besides its own file."""
    return combine((ITEM_CACHE_FORMAT, code_fingerprint(), library_versions(ITEMS), config_bytes))


def pages_base(config_bytes: bytes, user_templates: Path) -> str:
    """What every page and PDF is made from besides its own values: the settings, the templates
    and the code and libraries that render them."""
    return combine((code_fingerprint(), library_versions(PAGES), templates_digest(user_templates), config_bytes))


def pdf_salt(pages: str, root: Path, fonts: str, stylesheet: str, remote_hosts: Iterable[str]) -> str:
    """What every issue's PDF is made from besides the issue: pages_base, the stylesheet, the fonts
    (installed and in fonts/, as `fonts` digests them), the renderer and, because WeasyPrint
    names an image in the PDF by its file:// URL, the repository's place."""
    return combine((pages, str(root.absolute()), library_versions(PDF), native_versions(), fonts, stylesheet,
                    " ".join(remote_hosts)))


def word_key(pages: str, writer: str, issue: str) -> str:
    """The key of an issue's Word file: pages_base (the code, the templates with print.css, whose
    fonts it names, and briefgen.yaml), the Word writer's version and its libraries', and the
    digest of the issue the PDF's key is made from. Images go in by their bytes, so unlike a
    PDF's the key holds neither the repository's place nor the fonts installed."""
    return combine((pages, writer, library_versions(WORD), issue))


def search_salt() -> str:
    """What the search index is made from besides the pages it indexes."""
    return combine((code_fingerprint(), library_versions(SEARCH)))


# Every field of an item but its body, in their order.
_FRONT_MATTER = operator.attrgetter(*(f.name for f in dataclasses.fields(Item) if f.name != "body"))


def front_matter_digest(items: Iterable[tuple[Item, object]]) -> str:
    """One digest of items without their bodies, each with a value beside it (e.g. the date it
    was submitted): what the statistics read. Every field goes in by its repr, in one pass."""
    text = repr([(_FRONT_MATTER(item), beside) for item, beside in items])
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
