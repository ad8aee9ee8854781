"""An incremental build gives the bytes of a build from nothing, whatever was edited in between.

A property test (hypothesis, derandomised) applies a sequence of edits to a bulletin -- items
added, edited, renamed and deleted, their front matter changed, templates overridden,
briefgen.yaml and issue settings changed, an image replaced, an item broken and mended --
and after every step builds in the same repository, reusing whatever the earlier builds left
in .briefgen-cache/ and output/, then compares every output file with a clean build. The
deterministic tests pin the reuse itself: what is kept, what is made again, and that a
damaged or missing cache only ever costs time.

The clean build runs in the same folder (with the repository's cache moved aside and a new
--out), not in a copy: a PDF that shows an image names it by its absolute path, so a copy in
another folder has other PDF bytes (see test_a_moved_repository_builds_the_bytes_of_a_clean_build).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import (
    CONFIG,
    PUBLISHER,
    build_ok,
    item,
    png,
    run_briefgen,
    tree_hashes,
    write_bulletin,
)
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from briefgen.render.env import builtin_templates

# Keep hypothesis' files out of the repository.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="briefgen-hypothesis-"))

CACHE = ".briefgen-cache"
MARKER = ".briefgen-output"
UNITS = ("市教育局", "市财政局", "江北区人民政府")
TOPICS = ("要情专报", "工作动态", "经验交流")
# 2026-W45 .. 2026-W48
DAYS = ("2026-11-03", "2026-11-06", "2026-11-10", "2026-11-12", "2026-11-17", "2026-11-19", "2026-11-24",
        "2026-11-26")
WEEKS = ("2026-W45", "2026-W46", "2026-W47", "2026-W48")
ALPHABET = "春夏秋冬江河湖山"  # three bytes each in UTF-8: a body edit often keeps the file's size
IMAGE_DIR = "content/w47"


# --------------------------------------------------------------------------- helpers


def clean_hashes(root: Path, out: Path, *args: str) -> dict[str, str]:
    """The files of a build from nothing of root as it is now, into out (then removed).

    The repository's own cache is moved aside meanwhile and put back untouched; the clean
    build's cache is thrown away. The clean build calls build() itself, one PDF at a time
    (the CLI's build with --jobs 1, without its summary line), where the incremental builds
    run the whole command line (in-process too); what they share in memory are the caches of
    facts about this machine and this briefgen (fonts, versions, the code's fingerprint), none
    about the bulletin."""
    from briefgen.commands.build import BuildOptions, build
    from briefgen.config.settings import load_config

    assert set(args) <= {"--no-pdf", "--no-search"}, args
    cache, aside = root / CACHE, root.parent / f"{root.name}-cache-aside"
    moved = cache.exists()
    if moved:
        cache.rename(aside)
    try:
        build(load_config(root), BuildOptions(pdf="--no-pdf" not in args, search="--no-search" not in args, out=out,
                                              jobs=1))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if moved:
            aside.rename(cache)
    hashes = tree_hashes(out)
    shutil.rmtree(out)
    return hashes


def differences(got: dict[str, str], want: dict[str, str]) -> list[str]:
    return [f"  {rel}: " + ("missing" if rel not in got else "not in a clean build" if rel not in want
                            else "other bytes")
            for rel in sorted(got.keys() | want.keys()) if got.get(rel) != want.get(rel)]


def assert_same_as_clean(out: Path, want: dict[str, str], context: str = "") -> None:
    problems = differences(tree_hashes(out), want)
    assert not problems, f"{context}\noutput/ differs from a clean build:\n" + "\n".join(problems)


def inodes(folder: Path) -> dict[str, int]:
    """The inode of every file and folder under folder, and of folder itself ("")."""
    found = {"": folder.stat().st_ino}
    found.update({p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")})
    return found


def html_rerendered(stdout: str) -> int | None:
    """N of "（重新生成 N 个）" in a build's summary line, None when it says nothing about reuse."""
    found = re.search(r"网页文件 \d+ 个（重新生成 (\d+) 个）", stdout)
    return int(found.group(1)) if found else None


def pdf_reset(stdout: str) -> int | None:
    """N of "重新排版 N 份" in a build's summary line."""
    found = re.search(r"重新排版 (\d+) 份", stdout)
    return int(found.group(1)) if found else None


def item_cache_files(root: Path) -> list[Path]:
    """The item cache: items.json, or whatever files it keeps under items/."""
    files = [root / CACHE / "items.json"] if (root / CACHE / "items.json").is_file() else []
    files += sorted(p for p in (root / CACHE / "items").rglob("*") if p.is_file())
    return files


def manifest_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE / "outputs").rglob("*.json") if p.is_file())


def small(root: Path) -> Path:
    """Four items in three weeks: 2026-W46 has a and b, 2026-W47 has c, 2026-W48 has d."""
    return write_bulletin(root, {
        "content/w46/a.md": item("第46周第一篇", date="2026-11-10"),
        "content/w46/b.md": item("第46周第二篇", unit="市财政局", date="2026-11-11"),
        "content/w47/c.md": item("第47周第一篇", date="2026-11-17"),
        "content/w48/d.md": item("第48周第一篇", unit="江北区人民政府", date="2026-11-24"),
    })


def with_image(root: Path) -> Path:
    small(root)
    return write_bulletin(root, {
        "content/w47/c.md": item("第47周第一篇", date="2026-11-17", body="正文。\n\n![现场照片](tu.png)\n"),
        "content/w47/tu.png": png(3, 3),
    })


# --------------------------------------------------------------------------- the property test


@dataclasses.dataclass(frozen=True)
class Spec:
    """One item file of the generated bulletin. The serial number in its title and body keeps
    every title and body unique, so that no edit makes a duplicate by accident."""

    serial: int
    title: str
    unit: str
    date: str
    topic: str
    text: str
    status: str = ""  # "" (adopted) or 备用
    weight: int = 0
    image: bool = False

    def body(self) -> str:
        return f"第{self.serial}号稿件正文：{self.text}。\n" + ("\n![现场照片](tu.png)\n" if self.image else "")

    def render(self, body: str | None = None) -> str:
        fields: dict[str, object] = {}
        if self.status:
            fields["status"] = self.status
        if self.weight:
            fields["weight"] = self.weight
        return item(f"{self.title}（{self.serial}号）", self.unit, self.date, self.topic,
                    self.body() if body is None else body, **fields)


class Scenario:
    """A bulletin under edit, the edits made so far, and the model of its item files."""

    INITIAL = {
        "content/w46/a.md": Spec(1, "春", "市教育局", "2026-11-10", "工作动态", "春夏秋冬"),
        "content/w46/b.md": Spec(2, "夏", "市财政局", "2026-11-11", "要情专报", "夏秋冬春"),
        f"{IMAGE_DIR}/c.md": Spec(3, "秋", "市教育局", "2026-11-17", "经验交流", "秋冬春夏", image=True),
        "content/w48/d.md": Spec(4, "冬", "江北区人民政府", "2026-11-24", "工作动态", "冬春夏秋"),
    }

    def __init__(self, root: Path, write: bool = True) -> None:
        """The initial bulletin: written to root, or (write=False) already there."""
        self.root = root
        self.specs: dict[str, Spec] = dict(self.INITIAL)
        self.serial = 4
        self.version = 0  # makes every template edit different from the one before
        self.log: list[str] = []
        if write:
            write_bulletin(root, {f"{IMAGE_DIR}/tu.png": png(2, 2)})
            for rel, spec in self.INITIAL.items():
                self.write(rel, spec)

    def context(self, result: subprocess.CompletedProcess | None = None) -> str:
        text = "steps:\n" + "\n".join(f"  {n}. {line}" for n, line in enumerate(self.log, 1))
        if result is not None:
            text += f"\nSTDOUT:\n{result.stdout}\nSTDERR:\n{result.stderr}"
        return text

    def write(self, rel: str, spec: Spec) -> None:
        self.specs[rel] = spec
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec.render(), encoding="utf-8")

    def pick(self, index: int) -> str | None:
        names = sorted(self.specs)
        return names[index % len(names)] if names else None

    def apply(self, step: tuple, build_args: tuple[str, ...]) -> None:
        kind, *params = step
        rel = self.pick(params[0]) if kind in ("body", "title", "front", "delete", "rename", "invalid") else None
        if rel is None and kind in ("body", "title", "front", "delete", "rename"):
            self.log.append(f"{step}: no item left, nothing changed")
            return
        spec = self.specs.get(rel) if rel else None
        if kind == "add":
            unit, topic, day, title = params
            self.serial += 1
            rel = f"content/new/n{self.serial}.md"
            self.write(rel, Spec(self.serial, title, unit, day, topic, "江河湖山"))
            self.log.append(f"add {rel} ({unit}, {topic}, {day})")
        elif kind == "body":
            self.write(rel, dataclasses.replace(spec, text=params[1]))
            self.log.append(f"body of {rel}: {spec.text} -> {params[1]}")
        elif kind == "title":
            self.write(rel, dataclasses.replace(spec, title=params[1]))
            self.log.append(f"title of {rel}: {spec.title} -> {params[1]}")
        elif kind == "front":
            name, value = params[1:]
            new = {"status": lambda: "" if spec.status else "备用", "weight": lambda: value - 3,
                   "date": lambda: DAYS[value % len(DAYS)], "unit": lambda: UNITS[value % len(UNITS)],
                   "topic": lambda: TOPICS[value % len(TOPICS)]}[name]()
            self.write(rel, dataclasses.replace(spec, **{name: new}))
            self.log.append(f"{name} of {rel}: {getattr(spec, name)!r} -> {new!r}")
        elif kind == "delete":
            (self.root / rel).unlink()
            del self.specs[rel]
            self.log.append(f"delete {rel}")
        elif kind == "rename":
            self.serial += 1
            path = self.root / rel
            new_rel = path.with_name(f"{path.stem}-{self.serial}.md").relative_to(self.root).as_posix()
            path.rename(self.root / new_rel)
            self.specs[new_rel] = self.specs.pop(rel)
            self.log.append(f"rename {rel} -> {new_rel}")
        elif kind == "template":
            self.template(params[0])
        elif kind == "config":
            self.config(params[0])
        elif kind == "settings":
            week, signer = params
            path = self.root / "content" / "issues" / f"{week}.yaml"
            if signer:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"signer: {signer}\n", encoding="utf-8")
            elif path.exists():
                path.unlink()
            self.log.append(f"settings of {week}: signer {signer or '(file removed)'}")
        elif kind == "image":
            (self.root / IMAGE_DIR / "tu.png").write_bytes(png(params[0], params[0]))
            self.log.append(f"image {IMAGE_DIR}/tu.png replaced by a {params[0]}x{params[0]} one")
        elif kind == "invalid":
            self.invalid(rel, params[1], build_args)
        else:
            raise AssertionError(kind)

    def template(self, name: str) -> None:
        self.version += 1
        if name == "none":
            shutil.rmtree(self.root / "templates", ignore_errors=True)
            self.log.append("remove every template override")
            return
        text = (builtin_templates() / name).read_text(encoding="utf-8")
        if name == "site/item.html":
            head, block, tail = text.rpartition("{% endblock %}")
            text = f'{head}<p class="custom">本单位自定义模板第{self.version}版</p>\n{block}{tail}'
        elif name == "print/print.css":
            text += f"\n.item-title {{ letter-spacing: 0.0{self.version}em; }}\n"
        else:
            text += f"\nbody {{ margin-top: {self.version}px; }}\n"
        path = self.root / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.log.append(f"override templates/{name} (version {self.version})")

    def config(self, variant: str) -> None:
        text = {
            "publisher": CONFIG.replace(f"publisher: {PUBLISHER}", "publisher: 测试市人民政府办公厅"),
            "copies": CONFIG.replace("copies: 30", "copies: 45"),
            "numbering": CONFIG.replace("  first: 5\n", "  first: 7\n"),
            "topics": CONFIG.replace("  - 要情专报\n  - 工作动态\n  - 经验交流\n", "  - 经验交流\n  - 要情专报\n  - 工作动态\n"),
            "original": CONFIG,
        }[variant]
        assert variant == "original" or text != CONFIG
        (self.root / "briefgen.yaml").write_text(text, encoding="utf-8")
        self.log.append(f"briefgen.yaml: {variant}")

    def invalid(self, rel: str | None, how: str, build_args: tuple[str, ...]) -> None:
        """Break an item: the build must fail and leave output/ as it was. Then mend it."""
        if rel is None:
            rel, spec, original = "content/new/broken.md", Spec(0, "坏", "市教育局", "2026-11-10", "工作动态", "坏"), None
        else:
            spec = self.specs[rel]
            original = (self.root / rel).read_bytes()
        others = [s for r, s in sorted(self.specs.items()) if r != rel]
        if how == "duplicate" and not others:
            how = "unit"
        broken = {
            "unit": lambda: dataclasses.replace(spec, unit="市不存在局").render(),
            "date": lambda: dataclasses.replace(spec, date="2026-11-31").render(),
            "yaml": lambda: spec.render().replace("title: ", "title: [未闭合 ", 1),
            "conflict": lambda: spec.render() + "<<<<<<< HEAD\n甲方案\n=======\n乙方案\n>>>>>>> other\n",
            "duplicate": lambda: spec.render(body=others[0].body()),
        }[how]()
        self.log.append(f"break {rel} ({how}), build, then mend it")
        out = self.root / "output"
        before = tree_hashes(out)
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(broken, encoding="utf-8")
        result = run_briefgen(self.root, "build", *build_args)
        assert result.returncode == 1, "a build with a broken item must fail\n" + self.context(result)
        problems = differences(tree_hashes(out), before)
        assert not problems, "a failed build changed output/:\n" + "\n".join(problems) + "\n" + self.context()
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


INDEX = st.integers(0, 9)
TITLE = st.text(alphabet=ALPHABET, min_size=1, max_size=3)
TEXT = st.text(alphabet=ALPHABET, min_size=4, max_size=4)
STEP = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(UNITS), st.sampled_from(TOPICS), st.sampled_from(DAYS), TITLE),
    st.tuples(st.just("body"), INDEX, TEXT),
    st.tuples(st.just("title"), INDEX, TITLE),
    st.tuples(st.just("front"), INDEX, st.sampled_from(("status", "weight", "date", "unit", "topic")),
              st.integers(0, 7)),
    st.tuples(st.just("delete"), INDEX),
    st.tuples(st.just("rename"), INDEX),
    st.tuples(st.just("template"), st.sampled_from(("site/item.html", "print/print.css", "site/site.css", "none"))),
    st.tuples(st.just("config"), st.sampled_from(("publisher", "copies", "numbering", "topics", "original"))),
    st.tuples(st.just("settings"), st.sampled_from(WEEKS), st.sampled_from(("张签发", "王签发", ""))),
    st.tuples(st.just("image"), st.integers(2, 5)),
    st.tuples(st.just("invalid"), INDEX, st.sampled_from(("unit", "date", "yaml", "conflict", "duplicate"))),
)

# An example costs, per step, an incremental build (about a second) and a clean one, both with
# PDFs after the last step: six explicit examples and three generated ones, no shrinking (the
# failure message lists the steps).
EQUIVALENCE = settings(derandomize=True, database=None, deadline=None, max_examples=3, print_blob=False,
                       phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def built_scenario(tmp_path_factory) -> tuple[Path, Path]:
    """(where every example runs, a copy of the initial bulletin built there).

    It was built with PDFs (so that the cache holds them), then without. Every example starts
    from a copy of it in the same folder: PDF bytes depend on the folder (see
    test_a_moved_repository_builds_the_bytes_of_a_clean_build), and the copy keeps the files'
    times, so the first build of an example reuses what it can."""
    base = tmp_path_factory.mktemp("rebuild")
    root = base / "repo"
    Scenario(root)
    build_ok(root)
    build_ok(root, "--no-pdf")
    shutil.copytree(root, base / "built", symlinks=True)
    return root, base / "built"


@pytest.mark.slow
@settings(EQUIVALENCE)
@given(steps=st.lists(STEP, min_size=1, max_size=5))
# Every kind of edit at least once, whatever the generated examples are.
@example(steps=[("template", "site/item.html"), ("invalid", 0, "conflict"), ("front", 1, "date", 6),
                ("rename", 2), ("config", "publisher")])
@example(steps=[("add", "市财政局", "经验交流", "2026-11-19", "湖山"), ("body", 2, "山湖河江"), ("image", 4),
                ("settings", "2026-W47", "王签发"), ("delete", 1)])
@example(steps=[("front", 0, "status", 0), ("invalid", 3, "duplicate"), ("template", "print/print.css"),
                ("title", 3, "江"), ("front", 2, "unit", 2)])
@example(steps=[("config", "topics"), ("invalid", 1, "yaml"), ("front", 0, "weight", 7), ("template", "site/site.css"),
                ("invalid", 2, "date")])
@example(steps=[("invalid", 0, "unit"), ("front", 3, "topic", 1), ("config", "copies")])
# Once the hand-written test of test_incremental.py: a changed title, an added item, a deleted one,
# a renamed one, an overridden print.css and a changed briefgen.yaml, one after the other
# (a.md; n5.md in 2026-W47; then b.md, index 2 of n5, a, b, c, d; then d.md, index 3 of n5, a, c, d).
@example(steps=[("title", 0, "春夏"), ("add", "市财政局", "工作动态", "2026-11-18", "湖"), ("delete", 2),
                ("rename", 3), ("template", "print/print.css"), ("config", "copies")])
def test_incremental_builds_give_the_bytes_of_clean_builds(built_scenario, steps):
    """After every step: an incremental build in the repository equals a clean build. The builds
    are made without PDFs, to keep this affordable, but for the one after the last step, which
    makes PDFs again (those of the issues that did not change come from the cache). Every build
    makes the search index: its primary part (2026-W47 and W48) and the part of the quarter
    (W45 and W46), each kept or made again on its own, are compared with a clean build's too."""
    root, built = built_scenario
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(built, root, symlinks=True)
    scenario = Scenario(root, write=False)
    for number, step in enumerate(steps, start=1):
        args = () if number == len(steps) else ("--no-pdf",)
        scenario.apply(step, args)
        result = run_briefgen(root, "build", *args)
        assert result.returncode == 0, "build failed\n" + scenario.context(result)
        want = clean_hashes(root, root.parent / "clean", *args)
        assert_same_as_clean(root / "output", want,
                             f"after step {number} (build {' '.join(args) or 'with PDFs'})\n" + scenario.context())


@pytest.mark.slow
@pytest.mark.parametrize("steps", [
    [("body", 2, "山湖河江"), ("template", "site/item.html"), ("front", 1, "date", 6), ("rename", 2),
     ("add", "市财政局", "经验交流", "2026-11-19", "湖山"), ("config", "topics"), ("delete", 1)],
    [("invalid", 0, "unit"), ("front", 3, "topic", 1), ("image", 4), ("settings", "2026-W47", "王签发"),
     ("title", 3, "江"), ("invalid", 2, "date")],
], ids=["edits", "mends"])
def test_a_preview_that_keeps_its_builds_gives_the_bytes_of_clean_builds(built_scenario, steps):
    """serve builds again and again in one process, each build keeping for the next what it read
    (incremental.warm: item results, the manifest, the templates): after every step, and after a
    build with nothing changed, its output equals a clean build's."""
    from briefgen.commands.build import BuildOptions, build
    from briefgen.config.settings import load_config
    from briefgen.incremental.warm import Warm

    root, built = built_scenario
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(built, root, symlinks=True)
    scenario = Scenario(root, write=False)
    warm, out = Warm(), root / "output"
    build(load_config(root), BuildOptions(pdf=False, out=out), warm=warm)
    assert len(warm.items) == 4  # what the next build takes without reading
    for number, step in enumerate([*steps, ("nothing",)], start=1):
        if step != ("nothing",):
            scenario.apply(step, ("--no-pdf",))
        build(load_config(root), BuildOptions(pdf=False, out=out), warm=warm)
        want = clean_hashes(root, root.parent / "clean", "--no-pdf")
        assert_same_as_clean(out, want, f"after step {number} of a preview\n" + scenario.context())


# --------------------------------------------------------------------------- the output folder


@pytest.mark.slow
def test_hand_edited_deleted_and_stray_output_files_are_put_right(tmp_path):
    root = with_image(tmp_path / "repo")
    out = root / "output"
    build_ok(root, "--no-search")
    want = clean_hashes(root, tmp_path / "clean", "--no-search")
    assert_same_as_clean(out, want)

    # Hand-edited: a page and a PDF overwritten in place (the page keeps its size), an image too.
    page = out / "items" / "a.html"
    page.write_bytes(bytes(reversed(page.read_bytes())))
    (out / "issues" / "2026-W46.pdf").write_bytes(b"%PDF-1.7\n% edited by hand\n")
    (out / "media" / "w47" / "tu.png").write_bytes(b"not a picture")
    build_ok(root, "--no-search")
    assert_same_as_clean(out, want, "after hand edits")

    # Deleted: a page, a PDF and an image.
    for rel in ("topics.html", "issues/2026-W47.pdf", "media/w47/tu.png"):
        (out / rel).unlink()
    build_ok(root, "--no-search")
    assert_same_as_clean(out, want, "after deleting output files")

    # Stray files: the folder is briefgen's ("请勿在此存放其他文件"), but a file briefgen did not
    # write there is never deleted: the build stops and says which, and output/ stays as it was.
    (out / "备忘.txt").write_text("不是 briefgen 写的", encoding="utf-8")
    (out / "items" / "a副本.html").write_text("<p>副本</p>", encoding="utf-8")
    before = tree_hashes(out)
    refused = run_briefgen(root, "build", "--no-search")
    assert refused.returncode == 1
    assert refused.stderr == (
        f"briefgen: 输出目录 {out.resolve()} 中有 2 个文件不是 briefgen 生成的（备忘.txt、items/a副本.html）；"
        "生成时会整体替换这个目录，为免误删，没有生成。请把这些文件移到别处，或用 --out 指定一个空目录或新目录。\n")
    assert tree_hashes(out) == before
    (out / "备忘.txt").unlink()
    (out / "items" / "a副本.html").unlink()
    build_ok(root, "--no-search", "--no-pdf")
    assert_same_as_clean(out, clean_hashes(root, tmp_path / "clean-2", "--no-pdf", "--no-search"),
                         "a build after the stray files were moved away")


def test_a_deleted_marker_file_stops_the_build(tmp_path):
    """Without its marker, output/ is no longer known to be briefgen's: nothing in it is deleted."""
    root = small(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    (root / "output" / MARKER).unlink()
    before = tree_hashes(root / "output")

    result = run_briefgen(root, "build", "--no-search", "--no-pdf")

    assert result.returncode == 1
    assert result.stderr.startswith(f"briefgen: 输出目录 {(root / 'output').resolve()} 中有 ")
    assert "个文件不是 briefgen 生成的（feed.xml、index.html、topics.html等）" in result.stderr
    assert tree_hashes(root / "output") == before


# --------------------------------------------------------------------------- what is made again


@pytest.mark.slow
def test_an_unchanged_rebuild_keeps_every_file_and_says_so(tmp_path):
    root = small(tmp_path / "repo")
    out = root / "output"
    build_ok(root, "--no-search")
    before = inodes(out)

    result = build_ok(root, "--no-search")

    assert html_rerendered(result.stdout) == 0, result.stdout
    assert pdf_reset(result.stdout) == 0, result.stdout
    assert inodes(out) == before

    # Every input touched, none changed (past any shortcut on file times): still nothing is made
    # again and the folder is not rewritten.
    later = os.stat(root / "briefgen.yaml").st_mtime + 5
    for path in [root / "briefgen.yaml", *(root / "content").rglob("*.md")]:
        os.utime(path, (later, later))
    result = build_ok(root, "--no-search")

    assert html_rerendered(result.stdout) == 0, result.stdout
    assert pdf_reset(result.stdout) == 0, result.stdout
    assert inodes(out) == before


def test_an_unchanged_rebuild_with_an_image_does_not_rewrite_the_folder(tmp_path):
    """The files items refer to count as unchanged too: the folder is kept, not swapped for a new
    one with the same files linked in."""
    root = with_image(tmp_path / "repo")
    out = root / "output"
    build_ok(root, "--no-search", "--no-pdf")
    before = inodes(out)
    later = os.stat(root / "briefgen.yaml").st_mtime + 5
    os.utime(root / "content/w46/a.md", (later, later))  # touched, not changed

    result = build_ok(root, "--no-search", "--no-pdf")

    assert html_rerendered(result.stdout) == 0, result.stdout
    assert inodes(out) == before


@pytest.mark.slow
def test_editing_one_body_renders_again_only_the_pages_made_from_it(tmp_path):
    root = small(tmp_path / "repo")
    out = root / "output"
    build_ok(root, "--no-search")
    before = inodes(out)

    (root / "content/w48/d.md").write_text(
        item("第48周第一篇", unit="江北区人民政府", date="2026-11-24", body="正文改过了。\n"), encoding="utf-8")
    result = build_ok(root, "--no-search")

    # d is the only item of 2026-W48, the latest issue; its unit is 江北区人民政府, its topic
    # 工作动态. A page is made again when its key changes, and render/html.py keys a page by
    # every value its template is given, an item standing for its token (which covers the body):
    #   index.html              latest=2026-W48 and archive=every issue           -> made again
    #   issues/2026-W48.html    issue=2026-W48                                    -> made again
    #   issues/2026-W47.html    next=2026-W48 (the whole issue, items and all)    -> made again
    #   issues/2026-W46.html    previous=None, next=2026-W47                      -> kept
    #   items/d.html            item=d, issue=2026-W48                            -> made again
    #   items/a|b|c.html        their own issues, without d                       -> kept
    #   topics/工作动态.html     items=[a, b, c, d]                               -> made again
    #   units/江北区人民政府.html items=[d]                                       -> made again
    #   feed.xml                the newest 20 issues                              -> made again
    #   topics.html, units.html counts only; topics/要情专报, 经验交流, units/市教育局, 市财政局
    #                           without d; assets/site.css and favicon.svg; stats/2026.html (front matter only)
    #                                                                             -> kept
    # 7 of the 20 files. Of the PDFs only 2026-W48's is keyed by d.
    assert "网页文件 20 个（重新生成 7 个）" in result.stdout, result.stdout
    assert pdf_reset(result.stdout) == 1, result.stdout
    after = inodes(out)
    for rel in ("issues/2026-W46.pdf", "issues/2026-W47.pdf", "stats/2026.html", "topics.html", "units.html",
                "assets/site.css", "items/a.html", "items/b.html", "items/c.html", "issues/2026-W46.html"):
        assert after[rel] == before[rel], rel
    for rel in ("issues/2026-W48.pdf", "issues/2026-W48.html", "items/d.html"):
        assert after[rel] != before[rel], rel


def test_the_statistics_page_follows_front_matter_not_bodies(tmp_path):
    root = small(tmp_path / "repo")
    stats = root / "output" / "stats" / "2026.html"
    build_ok(root, "--no-search", "--no-pdf")
    first = stats.stat().st_ino

    path = root / "content/w46/a.md"
    path.write_text(item("第46周第一篇", date="2026-11-10", body="正文改过了。\n"), encoding="utf-8")
    build_ok(root, "--no-search", "--no-pdf")
    assert stats.stat().st_ino == first, "an edited body made the statistics page again"

    path.write_text(item("第46周第一篇", date="2026-11-10", body="正文改过了。\n", status="备用"), encoding="utf-8")
    build_ok(root, "--no-search", "--no-pdf")
    second = stats.stat().st_ino
    assert second != first, "a changed status left the statistics page as it was"

    path.write_text(item("第46周第一篇", unit="市财政局", date="2026-11-10", body="正文改过了。\n", status="备用"),
                    encoding="utf-8")
    build_ok(root, "--no-search", "--no-pdf")
    assert stats.stat().st_ino != second, "a changed unit left the statistics page as it was"
    assert_same_as_clean(root / "output", clean_hashes(root, tmp_path / "clean", "--no-pdf", "--no-search"))


# --------------------------------------------------------------------------- a damaged cache


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGE = {
    "truncated": _truncate,
    "an empty object": lambda path: path.write_text("{}", encoding="utf-8"),
    "invalid JSON": lambda path: path.write_text('{"salt": "x", "items": [不是 JSON', encoding="utf-8"),
}


def test_a_missing_or_damaged_cache_only_costs_time(tmp_path):
    """Each damage, then an edit (so that the cache is consulted for something), then a build."""
    root = small(tmp_path / "repo")
    path = root / "content/w46/a.md"
    states = [item("第46周第一篇", date="2026-11-10"), item("第46周第一篇（改）", date="2026-11-10")]
    want = []
    for text in states:
        path.write_text(text, encoding="utf-8")
        want.append(clean_hashes(root, tmp_path / "clean", "--no-pdf", "--no-search"))
    build_ok(root, "--no-search", "--no-pdf")

    cases = [("no .briefgen-cache at all", lambda: shutil.rmtree(root / CACHE))]
    for name, damage in DAMAGE.items():
        cases.append((f"item cache {name}", lambda damage=damage: [damage(p) for p in item_cache_files(root)]))
        cases.append((f"outputs manifest {name}", lambda damage=damage: [damage(p) for p in manifest_files(root)]))
    for number, (name, damage) in enumerate(cases, start=1):
        assert item_cache_files(root) and manifest_files(root), "no cache written to damage"
        damage()
        path.write_text(states[number % 2], encoding="utf-8")
        result = build_ok(root, "--no-search", "--no-pdf")
        assert_same_as_clean(root / "output", want[number % 2], f"{name}\n{result.stdout}{result.stderr}")


@pytest.mark.slow
def test_a_moved_repository_builds_the_bytes_of_a_clean_build(tmp_path):
    """The repository with its cache and output copied to another folder, as a CI job that keeps
    .briefgen-cache between runs in other working folders would have it."""
    first = write_bulletin(tmp_path / "first" / "repo", {
        "content/w47/c.md": item("第47周第一篇", date="2026-11-17", body="正文。\n\n![现场照片](tu.png)\n"),
        "content/w47/tu.png": png(3, 3),
    })
    build_ok(first, "--no-search")
    moved = tmp_path / "elsewhere" / "bulletin"
    shutil.copytree(first, moved, symlinks=True)

    build_ok(moved, "--no-search")

    assert_same_as_clean(moved / "output", clean_hashes(moved, tmp_path / "clean", "--no-search"))


# --------------------------------------------------------------------------- commands that only read


def _state(root: Path) -> dict[str, tuple[int, int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino)
            for p in root.rglob("*")}


def test_check_and_stats_write_nothing(tmp_path):
    root = small(tmp_path / "repo")
    for args in (("check",), ("stats",)):
        result = run_briefgen(root, *args)
        assert result.returncode == 0, result.stdout + result.stderr
        assert not (root / CACHE).exists(), f"{args[0]} created {CACHE}/"
        assert not (root / "output").exists()

    build_ok(root, "--no-search", "--no-pdf")
    (root / "content/w46/a.md").write_text(item("第46周第一篇（改）", date="2026-11-10"), encoding="utf-8")
    before = _state(root)
    for args in (("check",), ("stats",)):
        result = run_briefgen(root, *args)
        assert result.returncode == 0, result.stdout + result.stderr
        assert _state(root) == before, f"{args[0]} changed files"
