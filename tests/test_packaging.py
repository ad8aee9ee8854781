"""The wheel: it carries the default templates, and a build works from it alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import item, parse_html, write_bulletin

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_templates_and_builds_a_site_outside_the_repository(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels),
                            str(PROJECT)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = sorted(wheels.glob("briefgen-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert "briefgen/templates/print/print.css" in names
    assert "briefgen/templates/site/base.html" in names
    templates = {f"briefgen/templates/{p.relative_to(PROJECT / 'templates').as_posix()}"
                 for p in (PROJECT / "templates").rglob("*") if p.is_file()}
    assert templates - names == set()
    assert "briefgen/__main__.py" in names and "briefgen/cli.py" in names
    assert not [n for n in names if n.startswith(("tests/", "content/", "output/"))]

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = tmp_path / "site"
    dependencies = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), *sorted(dependencies)])
    env["PYTHONNOUSERSITE"] = "1"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    where = subprocess.run(
        [str(python), "-c", "import briefgen, briefgen.render.env as e; print(briefgen.__file__); "
                            "print(e.builtin_templates())"],
        capture_output=True, text=True, env=env, cwd=elsewhere, check=True)
    module, builtin = where.stdout.splitlines()
    assert Path(module) == site / "briefgen" / "__init__.py"
    assert Path(builtin) == site / "briefgen" / "templates"

    bulletin = write_bulletin(tmp_path / "bulletin", {"content/2026/a.md": item("打包测试稿件")})
    result = subprocess.run([str(python), "-m", "briefgen", "--root", str(bulletin), "build", "--no-pdf"],
                            capture_output=True, text=True, env=env, cwd=elsewhere, timeout=120)
    assert result.returncode == 0, result.stderr
    out = bulletin / "output"
    assert parse_html(out / "items" / "a.html").find("h1", cls="item-title").text() == "打包测试稿件"
    assert (out / "assets" / "site.css").read_bytes() == (PROJECT / "templates" / "site" / "site.css").read_bytes()
    assert (out / "issues" / "2026-W46.html").is_file()
    assert list(elsewhere.iterdir()) == []

    # The installed package carries what `init` writes: a new repository builds from the wheel alone.
    skeleton = {f"briefgen/skeleton/{p.relative_to(PROJECT / 'briefgen' / 'skeleton').as_posix()}"
                for p in (PROJECT / "briefgen" / "skeleton").rglob("*") if p.is_file()}
    assert skeleton - names == set()
    fresh = tmp_path / "fresh"
    made = subprocess.run([str(python), "-m", "briefgen", "init", str(fresh)], capture_output=True, text=True,
                          env=env, cwd=elsewhere, timeout=120)
    assert made.returncode == 0, made.stderr
    assert (fresh / ".gitignore").is_file() and (fresh / "ci" / "gitlab-ci.yml").is_file()
    examples = [str(p) for p in sorted((fresh / "content").rglob("*.md"))]  # 待审 until the editor adopts them
    reviewed = subprocess.run([str(python), "-m", "briefgen", "review", *examples, "--adopt"], capture_output=True,
                              text=True, env=env, cwd=fresh, timeout=120)
    assert reviewed.returncode == 0, reviewed.stderr
    result = subprocess.run([str(python), "-m", "briefgen", "build", "--no-pdf"], capture_output=True, text=True,
                            env=env, cwd=fresh, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(list((fresh / "output" / "items").glob("*.html"))) == 2


def test_the_readme_pre_commit_snippet_is_the_one_init_writes():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    snippet = next(block for block in re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
                   if "briefgen-check" in block and "repos:" in block)
    written = (PROJECT / "briefgen" / "skeleton" / "pre-commit-config.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(snippet) == yaml.safe_load(written)
    assert "rev:" not in snippet  # no tag to point at: the hook runs the briefgen installed here
    assert ".venv/bin/briefgen --help" in readme and "source .venv/bin/activate" in readme
