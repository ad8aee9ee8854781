"""`briefgen init`: a new bulletin repository that builds at once."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from briefgen.bulletin.periods import today
from briefgen.commands.new import create_item
from briefgen.config.settings import load_config
from briefgen.content.rewrite import yaml_text
from briefgen.errors import BriefgenError
from briefgen.storage.resources import package_folder

SKELETON = package_folder() / "skeleton"
# Files of the skeleton and where they go; dot-files are stored without the dot, so packaging
# tools never read them as their own settings.
FILES = {
    "briefgen.yaml": "briefgen.yaml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "gitattributes": ".gitattributes",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "ci/gitlab-ci.yml": "ci/gitlab-ci.yml",
    "templates/README.md": "templates/README.md",
    "fonts/README.md": "fonts/README.md",
}
FILLED = ("briefgen.yaml", "README.md")  # the ones that take the bulletin's name and publisher
EXAMPLES = (
    ("办公室", "工作动态", "张明", "全面推进信息报送工作规范化",
     "本周，办公室召开信息工作例会，对各单位信息报送工作进行部署，明确报送时限和质量要求。\n\n"
     "会议要求，各单位要确定一名信息员，每周至少报送一篇信息，做到事实准确、数据可靠、文字精练。\n"),
    ("综合科", "经验交流", "李华", "综合科建立信息采编“日碰头”机制",
     "综合科建立信息采编“日碰头”机制，每天下班前汇总当天工作动态，筛选有价值的信息线索。\n\n"
     "机制运行以来，该科报送信息的数量和采用率均明显提高。\n"),
)


def init_repository(folder: Path, name: str, publisher: str, period: str, today: dt.date) -> list[str]:
    """Create the repository in folder (new or empty); return what was created, for the user."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BriefgenError(f"{folder} 已存在且不是空目录；请指定一个新目录，briefgen 不会在已有文件旁边新建仓库。")
    folder.mkdir(parents=True, exist_ok=True)
    values = {"name": yaml_text(name), "publisher": yaml_text(publisher), "period": period}
    for source, target in FILES.items():
        text = (SKELETON / source).read_text(encoding="utf-8")
        if source in FILLED:
            text = text.format(**values) if source == "briefgen.yaml" else text.format(name=name, publisher=publisher)
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    config = load_config(folder)
    created = []
    for unit, topic, author, title, body in EXAMPLES:
        path = create_item(config, title, unit, topic, today, author, today)
        with path.open("a", encoding="utf-8", newline="\n") as stream:
            stream.write(body)
        created.append(path.relative_to(config.root).as_posix())
    git = shutil.which("git")
    if git is not None:
        subprocess.run([git, "init", "-q"], cwd=folder, check=False, capture_output=True)
    return created


def run_init(folder: Path, name: str, publisher: str, period: str) -> None:
    """Create the repository and say what is in it and what to do next."""
    import click

    examples = init_repository(folder, name, publisher, period, today("Asia/Shanghai"))
    click.echo(f"已新建简报仓库 {folder}：")
    click.echo("  briefgen.yaml        设置（简报名称、栏目、单位、报尾等），请按本单位实际修改")
    for rel in examples:
        click.echo(f"  {rel}  示例稿件")
    click.echo("  templates/、fonts/   自定义模板和公文字体（各有说明）")
    click.echo(f"下一步：cd {folder} && briefgen review（审阅示例稿件，新稿件都是“待审”），然后 briefgen build")
