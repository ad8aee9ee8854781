"""Where `briefgen stats --format html|pdf` puts the 通报 when no --out is given: reports/ in the
bulletin repository, which git leaves out and a build never touches."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import (
    TODAY,  # the date of init's example items
    build_ok,
    item,
    pdf_text,
    run_briefgen,
    write_bulletin,
)

IGNORE = "# briefgen stats 写的通报，不纳入版本库；要提交它们，删掉本文件即可。\n*\n"


def small(root: Path) -> Path:
    return write_bulletin(root, {"content/2026/a.md": item("稿件甲"),
                                 "content/2026/b.md": item("稿件乙", unit="市财政局", date="2026-11-11")})


def git_status(folder: Path) -> list[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", HOME=str(folder.parent))
    result = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=folder, env=env,
                            capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_the_report_goes_to_reports_in_the_repository(tmp_path):
    root = small(tmp_path / "repo")
    listing = sorted(p.name for p in root.iterdir())

    result = run_briefgen(root, "stats", "--period", "2026-11", "--format", "html")

    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "已生成 2026年11月 的信息工作通报：reports/信息工作通报-2026-11.html\n"
    assert sorted(p.name for p in root.iterdir()) == sorted([*listing, ".briefgen-cache", "reports"])
    assert sorted(p.name for p in (root / "reports").iterdir()) == [".gitignore", "信息工作通报-2026-11.html"]
    assert (root / "reports" / ".gitignore").read_text(encoding="utf-8") == IGNORE
    given = tmp_path / "given.html"
    assert run_briefgen(root, "stats", "--period", "2026-11", "--format", "html", "--out", str(given)).returncode == 0
    assert (root / "reports" / "信息工作通报-2026-11.html").read_bytes() == given.read_bytes()


def test_the_report_goes_to_the_repository_from_any_folder_and_may_be_made_again(tmp_path):
    root = small(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    for _ in range(2):  # the second time it replaces the report it wrote
        result = run_briefgen(root, "stats", "--period", "2026-11", "--format", "html", cwd=elsewhere)
        assert (result.returncode, result.stdout) == (0, "")
        assert result.stderr == f"已生成 2026年11月 的信息工作通报：{root / 'reports' / '信息工作通报-2026-11.html'}\n"

    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in (root / "reports").iterdir()) == [".gitignore", "信息工作通报-2026-11.html"]


def test_git_leaves_the_report_out_of_a_repository_made_by_init_and_a_build_keeps_it(tmp_path):
    folder = tmp_path / "jianbao"
    assert run_briefgen(None, "init", str(folder), cwd=tmp_path).returncode == 0
    assert "reports/\n" in (folder / ".gitignore").read_text(encoding="utf-8")
    before = git_status(folder)

    made = run_briefgen(None, "stats", "--format", "html", cwd=folder)  # the month of init's examples: today's

    assert made.returncode == 0, made.stderr
    report = folder / "reports" / f"信息工作通报-{TODAY.year}-{TODAY.month:02d}.html"
    assert made.stderr == f"已生成 {TODAY.year}年{TODAY.month}月 的信息工作通报：reports/{report.name}\n"
    assert git_status(folder) == before
    data, inode = report.read_bytes(), report.stat().st_ino

    build_ok(folder, "--no-pdf", "--no-search")

    # The build neither deletes the report nor minds it: reports/ is not output/, nor an input.
    assert (report.read_bytes(), report.stat().st_ino) == (data, inode)
    assert not (folder / "output" / "reports").exists()
    assert git_status(folder) == before
    assert build_ok(folder, "--no-pdf", "--no-search").stdout.startswith("已生成 ")


def test_git_leaves_the_reports_out_of_an_older_repository_too(tmp_path):
    # A repository made before reports/ existed ignores output/ only: the folder's own .gitignore does it.
    root = small(tmp_path / "repo")
    (root / ".gitignore").write_text("output/\n.briefgen-cache/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, capture_output=True)
    before = git_status(root)

    assert run_briefgen(root, "stats", "--period", "2026-11", "--format", "html").returncode == 0

    assert (root / "reports" / "信息工作通报-2026-11.html").is_file()
    assert git_status(root) == before


def test_a_reports_folder_of_the_office_keeps_what_git_sees(tmp_path):
    # The office's own reports/ (its files perhaps committed): briefgen adds its report, nothing else.
    root = small(tmp_path / "repo")
    (root / "reports").mkdir()
    (root / "reports" / "工作计划.docx").write_bytes(b"PK\x03\x04 the office's")

    result = run_briefgen(root, "stats", "--period", "2026-11", "--format", "html")

    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (root / "reports").iterdir()) == ["信息工作通报-2026-11.html", "工作计划.docx"]
    assert (root / "reports" / "工作计划.docx").read_bytes() == b"PK\x03\x04 the office's"


def test_a_file_of_the_office_under_the_reports_name_is_never_replaced(tmp_path):
    root = small(tmp_path / "repo")
    (root / "reports").mkdir()
    (root / "reports" / "信息工作通报-2026-11.html").write_text("本单位自己的文件", encoding="utf-8")

    result = run_briefgen(root, "stats", "--period", "2026-11", "--format", "html")

    assert (result.returncode, result.stderr) == (1, (
        "briefgen: reports/信息工作通报-2026-11.html 已存在，而且不是 briefgen 写的统计；为免覆盖，未生成统计。"
        "请换一个文件名，或先把它移走。\n"))
    assert (root / "reports" / "信息工作通报-2026-11.html").read_text(encoding="utf-8") == "本单位自己的文件"


@pytest.mark.slow
def test_the_pdf_report_goes_to_reports_too(tmp_path):
    root = small(tmp_path / "repo")

    result = run_briefgen(root, "stats", "--period", "2026-11", "--format", "pdf")

    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("已生成 2026年11月 的信息工作通报：reports/信息工作通报-2026-11.pdf\n")
    assert "关于2026年11月信息报送情况的通报" in "".join(pdf_text(root / "reports" / "信息工作通报-2026-11.pdf").split())
