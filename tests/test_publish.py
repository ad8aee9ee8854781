"""Publishing: numbers that never shift, published items that cannot change unnoticed, reissues."""

from __future__ import annotations

import hashlib
import re

import pytest
import yaml
from conftest import TODAY as DAY
from conftest import (
    build_ok,
    flat,
    item,
    parse_html,
    pdf_info,
    pdf_text,
    run_briefgen,
    write_bulletin,
)

TODAY = DAY.isoformat()
HINT_W46 = "如确需改动，请运行 briefgen publish 2026-W46 --reissue 重新发布（原记录保留在发布记录中）"
W46 = f"2026年第6期（2026-W46，{TODAY} 发布）"


def bulletin(root):
    # CONFIG numbers the first issue 第5期（总第105期）.
    return write_bulletin(root, {
        "content/w45/a.md": item("第45周稿件", date="2026-11-03"),
        "content/w46/b.md": item("第46周第一篇", date="2026-11-10"),
        "content/w46/c.md": item("第46周第二篇", unit="市财政局", date="2026-11-11"),
        "content/w47/d.md": item("第47周稿件", date="2026-11-17"),
    })


# W45 was never published, and W46 was: the item of W45 is late (bulletin/late) and joins W47.
W45_LATE = "content/w45/a.md:4: note: 迟报：稿件日期 2026-11-03，早于已发布的最新一期 2026-W46，编入 2026年第7期（2026-W47）"


def numbers(root):
    """Issue id -> the masthead numbers its page shows (unpublished issues included)."""
    build_ok(root, "--no-pdf", "--drafts")
    found = {}
    for page in sorted((root / "output" / "issues").glob("*.html")):
        found[page.stem] = re.search(r"第\d+期（总第\d+期）", parse_html(page).text()).group(0)
    return found


def publish(root, *args):
    result = run_briefgen(root, "publish", *args)
    assert result.returncode == 0, result.stderr
    return result


def test_publish_records_the_issue_and_its_items(tmp_path):
    root = bulletin(tmp_path / "repo")

    result = publish(root, "2026-W46")

    assert result.stdout == ("已发布 2026-W46：2026年第6期（总第106期），稿件 2 篇，记入 published.yaml；"
                             "请把它和稿件一起提交。\n")
    ledger = yaml.safe_load((root / "published.yaml").read_text(encoding="utf-8"))
    digest = {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in ("content/w46/b.md", "content/w46/c.md")}
    archived = root / "archive" / "2026-W46.pdf"
    pages = int(pdf_info(archived)["Pages"])
    assert ledger == {"issues": [{"id": "2026-W46", "number": 6, "total": 106, "date": DAY, "items": digest,
                                  "pdf": hashlib.sha256(archived.read_bytes()).hexdigest(), "pages": pages}]}
    assert "第46周第一篇" in flat(pdf_text(archived)) and "（总第106期）" in flat(pdf_text(archived))
    assert run_briefgen(root, "check").returncode == 0


def test_numbers_never_shift_after_a_late_item(tmp_path):
    root = bulletin(tmp_path / "repo")
    assert numbers(root) == {"2026-W45": "第5期（总第105期）", "2026-W46": "第6期（总第106期）",
                             "2026-W47": "第7期（总第107期）"}
    for issue in ("2026-W45", "2026-W46", "2026-W47"):
        publish(root, issue)

    # A late item for a week before the first issue goes into the next unpublished one, with its
    # true date: no issue is opened behind the published ones, and no number moves.
    write_bulletin(root, {"content/w44/late.md": item("迟到的第44周稿件", date="2026-10-28")},
                   config=(root / "briefgen.yaml").read_text(encoding="utf-8"))
    write_bulletin(root, {"content/w48/e.md": item("第48周稿件", date="2026-11-24")},
                   config=(root / "briefgen.yaml").read_text(encoding="utf-8"))

    assert numbers(root) == {"2026-W45": "第5期（总第105期）", "2026-W46": "第6期（总第106期）",
                             "2026-W47": "第7期（总第107期）", "2026-W48": "第8期（总第108期）"}


def test_a_change_to_a_published_item_fails_check_naming_the_issue(tmp_path):
    root = bulletin(tmp_path / "repo")
    publish(root, "2026-W46")
    (root / "content/w46/b.md").write_text(item("第46周第一篇（改）", date="2026-11-10"), encoding="utf-8")
    (root / "content/w46/c.md").unlink()
    write_bulletin(root, {"content/w46/f.md": item("第46周补充稿件", date="2026-11-12")},
                   config=(root / "briefgen.yaml").read_text(encoding="utf-8"))

    result = run_briefgen(root, "check")

    assert result.returncode == 1
    assert result.stdout == (  # the items of W45 and the new one of W46 are late, and flow into W47
        f"{W45_LATE}\n"
        f"content/w46/b.md:1: error: 这篇稿件已在 {W46}刊出，发布后又改动了；{HINT_W46}；或者在下一期的设置中写更正（errata）\n"
        "content/w46/f.md:4: note: 迟报：稿件日期 2026-11-12，所在的一期 2026-W46 已经发布，编入 2026年第7期（2026-W47）\n"
        f"published.yaml:3: error: 已发布的 {W46}中的稿件 content/w46/c.md 已删除、改名或不再采用；{HINT_W46}\n"
    )
    built = run_briefgen(root, "build", "--no-search", "--no-pdf")
    assert built.returncode == 1
    assert built.stderr.endswith("发现 2 个错误，未生成任何文件；output/ 保持上次的内容。\n")
    assert not (root / "output").exists()


def test_reissue_accepts_the_changes_and_keeps_the_old_record(tmp_path):
    root = bulletin(tmp_path / "repo")
    publish(root, "2026-W46")
    first = yaml.safe_load((root / "published.yaml").read_text(encoding="utf-8"))["issues"][0]
    (root / "content/w46/b.md").write_text(item("第46周第一篇（改）", date="2026-11-10"), encoding="utf-8")

    again = run_briefgen(root, "publish", "2026-W46")
    assert again.returncode == 1
    assert again.stderr == (f"briefgen: 2026-W46 已于 {TODAY} 发布为2026年第6期，发布记录没有改动；"
                            "如确需按现在的稿件重新发布，请加 --reissue。\n")

    result = publish(root, "2026-W46", "--reissue")

    assert result.stdout.startswith("已重新发布 2026-W46：2026年第6期（总第106期），稿件 2 篇")
    entry = yaml.safe_load((root / "published.yaml").read_text(encoding="utf-8"))["issues"][0]
    assert entry["history"] == [{key: first[key] for key in ("date", "items", "pdf", "pages")}]
    assert entry["items"]["content/w46/b.md"] != first["items"]["content/w46/b.md"]
    assert (entry["number"], entry["total"]) == (6, 106)
    assert run_briefgen(root, "check").returncode == 0


def test_publish_refuses_an_unknown_issue_a_needless_reissue_and_a_broken_bulletin(tmp_path):
    root = bulletin(tmp_path / "repo")

    unknown = run_briefgen(root, "publish", "2026-W4")
    needless = run_briefgen(root, "publish", "2026-W46", "--reissue")
    write_bulletin(root, {"content/w47/bad.md": item("单位写错", unit="市教育厅", date="2026-11-18")},
                   config=(root / "briefgen.yaml").read_text(encoding="utf-8"))
    broken = run_briefgen(root, "publish", "2026-W46")

    assert (unknown.returncode, unknown.stderr) == (1, "publish: error: 没有 2026-W4 这一期；是不是 2026-W47？\n"
                                                       "发现 1 个错误，未发布；published.yaml 没有改动。\n")
    assert (needless.returncode, needless.stderr) == (1, "briefgen: 2026-W46 还没有发布过，不需要 --reissue。\n")
    assert broken.returncode == 1
    assert broken.stderr == ("content/w47/bad.md:3: error: 未知的单位 '市教育厅'；是不是 '市教育局'？\n"
                             "发现 1 个错误，未发布；published.yaml 没有改动。\n")
    assert not (root / "published.yaml").exists()


def test_a_damaged_ledger_is_reported_with_its_line(tmp_path):
    root = bulletin(tmp_path / "repo")
    publish(root, "2026-W46")
    text = (root / "published.yaml").read_text(encoding="utf-8")
    (root / "published.yaml").write_text(text.replace("    number: 6\n", "    number: 六\n"), encoding="utf-8")

    result = run_briefgen(root, "check")

    assert result.returncode == 1
    assert result.stdout.startswith("published.yaml:3: error: 这一条发布记录不完整或格式不对；"
                                    "它由 briefgen publish 写入，请从版本库恢复\n")


def test_once_publishing_only_published_issues_are_built_unless_drafts(tmp_path):
    root = bulletin(tmp_path / "repo")
    write_bulletin(root, {"content/w47/draft.md": item("第47周草稿", date="2026-11-18", status="draft")},
                   config=(root / "briefgen.yaml").read_text(encoding="utf-8"))
    publish(root, "2026-W46")

    result = build_ok(root, "--no-search", "--no-pdf")

    assert result.stdout.startswith("已生成 1 期")
    assert sorted(p.name for p in (root / "output" / "issues").iterdir()) == ["2026-W46.html"]
    assert not (root / "output" / "items" / "d.html").exists()

    drafts = build_ok(root, "--no-search", "--no-pdf", "--drafts", "--out", str(tmp_path / "preview"))

    # W45 was not published before W46: its item is late, and joins W47 rather than open an issue
    # behind the published one.
    assert drafts.stdout.startswith("已生成 2 期")
    assert drafts.stderr == f"{W45_LATE}\n"
    page = parse_html(tmp_path / "preview" / "issues" / "2026-W47.html")
    assert page.find("p", cls="draft-banner").text() == "未发布 · 草稿，仅供编辑审阅"
    titles = [h.text() for h in page.find_all("h3", cls="item-title")]
    assert titles == ["第45周稿件", "第47周稿件", "第47周草稿（草稿）"]
    assert parse_html(tmp_path / "preview" / "issues" / "2026-W46.html").find_all("p", cls="draft-banner") == []


@pytest.mark.slow
def test_the_published_pdf_is_kept_exactly_as_published(tmp_path):
    root = bulletin(tmp_path / "repo")
    publish(root, "2026-W46")
    archived = (root / "archive" / "2026-W46.pdf").read_bytes()
    # The print style changes after publication: later issues follow it, the published one does not.
    from briefgen.render.env import builtin_templates
    write_bulletin(root, {"templates/print/print.css": (builtin_templates() / "print" / "print.css").read_text(
        encoding="utf-8") + "\n.item-title { letter-spacing: 0.1em; }\n"},
        config=(root / "briefgen.yaml").read_text(encoding="utf-8"))

    build_ok(root, "--no-search", "--drafts")

    assert (root / "output" / "issues" / "2026-W46.pdf").read_bytes() == archived

    (root / "archive" / "2026-W46.pdf").write_bytes(archived[:-10])
    tampered = run_briefgen(root, "check")
    assert tampered.returncode == 1
    assert tampered.stdout == ("archive/2026-W46.pdf: error: 2026-W46 发布时的 PDF 被改动了；"
                               "已发布的 PDF 不应改动；请从版本库恢复：git checkout -- archive/2026-W46.pdf\n"
                               f"{W45_LATE}\n")


def test_reissue_keeps_the_earlier_pdf_beside_the_new_one(tmp_path):
    root = bulletin(tmp_path / "repo")
    publish(root, "2026-W46")
    first = (root / "archive" / "2026-W46.pdf").read_bytes()
    (root / "content/w46/b.md").write_text(item("第46周第一篇（更正）", date="2026-11-10"), encoding="utf-8")

    publish(root, "2026-W46", "--reissue")

    assert (root / "archive" / "2026-W46.1.pdf").read_bytes() == first
    assert "第46周第一篇（更正）" in flat(pdf_text(root / "archive" / "2026-W46.pdf"))
    entry = yaml.safe_load((root / "published.yaml").read_text(encoding="utf-8"))["issues"][0]
    assert entry["history"][0]["pdf"] == hashlib.sha256(first).hexdigest()
    assert run_briefgen(root, "check").returncode == 0


@pytest.mark.slow
def test_an_erratum_in_a_later_issue_accepts_the_correction(tmp_path):
    root = bulletin(tmp_path / "repo")
    publish(root, "2026-W46")
    archived = (root / "archive" / "2026-W46.pdf").read_bytes()
    (root / "content/w46/b.md").write_text(item("第46周第一篇", date="2026-11-10", body="更正后的正文。\n"),
                                           encoding="utf-8")
    erratum = "本刊第6期《第46周第一篇》一文中“关于第46周第一篇的情况”应为“更正后的正文”。"
    write_bulletin(root, {"content/issues/2026-W47.yaml": f"errata:\n  - item: b\n    text: {erratum}\n"},
                   config=(root / "briefgen.yaml").read_text(encoding="utf-8"))

    assert run_briefgen(root, "check").returncode == 0
    build_ok(root, "--no-search", "--drafts")

    issue = parse_html(root / "output/issues/2026-W47.html").find("section", cls="errata")
    assert issue.find("h2").text() == "【更正】" and issue.find("p").text() == erratum
    assert erratum in flat(pdf_text(root / "output/issues/2026-W47.pdf"))
    assert (root / "output/issues/2026-W46.pdf").read_bytes() == archived  # what went out stays as it was


def test_an_erratum_must_name_an_item_of_an_earlier_published_issue(tmp_path):
    root = bulletin(tmp_path / "repo")
    publish(root, "2026-W46")
    write_bulletin(root, {"content/issues/2026-W47.yaml": "errata:\n  - item: d\n    text: 更正。\n",
                          "content/issues/2026-W45.yaml": "errata: 更正\n"},
                   config=(root / "briefgen.yaml").read_text(encoding="utf-8"))

    result = run_briefgen(root, "check")

    assert result.returncode == 1
    assert result.stdout == (
        "content/issues/2026-W45.yaml:1: error: errata（更正）应是一个列表，每项写 item（稿件文件名）和 text（更正的文字）；"
        "如 errata: [{item: 2026-11-10-jiaoyu, text: 本刊第6期《……》一文中“……”应为“……”。}]\n"
        "content/issues/2026-W47.yaml:1: error: 更正的稿件 'd' 不在本期之前已发布的各期中；请写已发布稿件的文件名（不带 .md）\n"
        f"{W45_LATE}\n")
