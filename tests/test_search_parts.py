"""The site search index in parts: which part each item's page goes to, that a part is made
again only when what it shows changes, and that a reader still finds every item through the
one search box."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import build_ok, item, tree_hashes, write_bulletin

from briefgen.bulletin.assemble import load_bulletin
from briefgen.config.settings import load_config
from briefgen.render import searchparts
from briefgen.render.searchparts import parts_script, search_parts

# Fridays of ISO weeks across three quarters: 2026-W01 (January) .. 2026-W40 (September).
WEEKS = {"w01": "2026-01-02", "w05": "2026-01-30", "w09": "2026-02-27", "w14": "2026-04-03",
         "w27": "2026-07-03", "w40": "2026-10-02", "w44": "2026-10-30", "w45": "2026-11-06"}


def bulletin(root: Path, per_week: dict[str, int] | None = None) -> Path:
    files = {}
    for week, day in WEEKS.items():
        for n in range((per_week or {}).get(week, 1)):
            files[f"content/{week}/{week}-{n}.md"] = item(f"{week}第{n}篇", date=day, body=f"{week}第{n}篇的正文。\n")
    return write_bulletin(root, files)


def layout(root: Path) -> dict[str, list[str]]:
    """Each part's name with the files of the items it holds."""
    checked = load_bulletin(load_config(root), 1)
    return {part.name: [item.source for item, _ in part.entries]
            for part in search_parts(checked.bulletin)}


def test_the_two_newest_issues_are_the_primary_part_and_older_ones_go_by_quarter(tmp_path):
    root = bulletin(tmp_path / "repo")
    assert layout(root) == {
        "": ["content/w44/w44-0.md", "content/w45/w45-0.md"],
        "2026-q4": ["content/w40/w40-0.md"],
        "2026-q3": ["content/w27/w27-0.md"],
        "2026-q2": ["content/w14/w14-0.md"],
        "2026-q1": ["content/w01/w01-0.md", "content/w05/w05-0.md", "content/w09/w09-0.md"],
    }
    checked = load_bulletin(load_config(root), 1)
    assert parts_script(search_parts(checked.bulletin)) == (
        b'window.briefgenSearchParts = ["parts/2026-q4/", "parts/2026-q3/", "parts/2026-q2/", "parts/2026-q1/"];\n')


def test_a_quarter_over_the_limit_goes_by_month_and_a_month_over_it_by_issue(tmp_path, monkeypatch):
    monkeypatch.setattr(searchparts, "PART_LIMIT", 4)
    root = bulletin(tmp_path / "repo", {"w01": 2, "w05": 2, "w09": 5})
    assert layout(root) == {
        "": ["content/w44/w44-0.md", "content/w45/w45-0.md"],
        "2026-q4": ["content/w40/w40-0.md"],
        "2026-q3": ["content/w27/w27-0.md"],
        "2026-q2": ["content/w14/w14-0.md"],
        "2026-w09": [f"content/w09/w09-{n}.md" for n in range(5)],  # February: one issue, over the limit alone
        "2026-01": ["content/w01/w01-0.md", "content/w01/w01-1.md", "content/w05/w05-0.md", "content/w05/w05-1.md"],
    }


def test_a_new_week_moves_only_one_issue_out_of_the_primary_part(tmp_path):
    root = bulletin(tmp_path / "repo")
    before = load_bulletin(load_config(root), 1)
    (root / "content/w46").mkdir()
    (root / "content/w46/w46-0.md").write_text(item("第46周", date="2026-11-13"), encoding="utf-8")
    after = load_bulletin(load_config(root), 1)
    salt = "salt"
    old = {part.name: part.key(salt, before.tokens) for part in search_parts(before.bulletin)}
    new = {part.name: part.key(salt, after.tokens) for part in search_parts(after.bulletin)}
    assert old.keys() == new.keys()
    # W44 moved from the primary part into 2026-q4; W46 came in. Nothing else changed.
    assert sorted(name for name in old if old[name] != new[name]) == ["", "2026-q4"]


@pytest.mark.slow
def test_an_edit_makes_again_only_the_part_that_holds_the_item(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-pdf")
    out = root / "output" / "pagefind"
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    before = tree_hashes(out)
    old = root / "content/w14/w14-0.md"
    old.write_text(item("w14第0篇", date=WEEKS["w14"], body="w14第0篇的正文，补充了防汛物资的储备情况。\n"),
                   encoding="utf-8")
    os.utime(old, ns=(old.stat().st_atime_ns, old.stat().st_mtime_ns + 10**9))

    build_ok(root, "--no-pdf")

    after = tree_hashes(out)
    changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    assert changed and all(rel.startswith("parts/2026-q2/") for rel in changed), sorted(changed)
    # Every other part's files are the very files of the last build, linked into the new output.
    kept = [rel for rel in after if not rel.startswith("parts/2026-q2/")]
    assert all((out / rel).stat().st_ino == inodes[rel] for rel in kept), kept
