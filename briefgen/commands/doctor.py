"""`briefgen doctor`: what this machine has and lacks for good output."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from briefgen.render.fontroles import RoleFont, bundled_families, installed_families, role_fonts

APT = "sudo apt-get install --no-install-recommends"
# Where the Fandol fonts come from: scripts/system-packages takes them out of this Debian package.
FANDOL = ("（Fandol 字体在 TeX Live 中，Debian 的 texlive-lang-chinese 包里有；"
          "在 briefgen 的源码目录中以管理员身份运行 scripts/system-packages 即可安装）")


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    detail: str
    fix: str = ""
    needed: bool = True  # a missing thing that is needed makes doctor exit 1

    def __str__(self) -> str:
        mark = "✓" if self.ok else ("✗" if self.needed else "!")
        text = f"{mark} {self.what}：{self.detail}"
        return f"{text}\n    解决办法：{self.fix}" if self.fix and not self.ok else text


def diagnose(print_css: str, fonts_dir: Path | None, cache_dir: Path | None) -> list[Finding]:
    """Check the PDF engine, font subsetting, fonts for each role, and the build cache."""
    findings = []
    try:
        import weasyprint
        from weasyprint.text import ffi
    except (ImportError, OSError) as exc:
        return [Finding(False, "WeasyPrint", f"无法加载（{exc}）", f"{APT} libpango-1.0-0 libpangoft2-1.0-0")]
    findings.append(Finding(True, "WeasyPrint", weasyprint.__version__))
    pango = ffi.pango.pango_version()
    version = f"{pango // 10000}.{pango // 100 % 100}.{pango % 100}"
    findings.append(Finding(pango >= 14400, "Pango", version, f"{APT} libpango-1.0-0（需要 1.44 或更新）"))
    findings.append(Finding(
        ffi.harfbuzz_subset is not None, "HarfBuzz 字体子集化",
        "可用" if ffi.harfbuzz_subset is not None else
        "缺少：PDF 改用 fontTools 子集化，中文 PDF 慢约 25 倍（实测 84 页 8.7 秒，对比 0.33 秒）",
        f"{APT} libharfbuzz-subset0",
    ))
    installed = installed_families()
    bundled = bundled_families(fonts_dir) if fonts_dir else set()
    if installed is None:
        findings.append(Finding(False, "fontconfig", "找不到 fc-list，无法检查字体和缺字", f"{APT} fontconfig"))
        installed = set()
    findings += [role_finding(role) for role in role_fonts(print_css, installed, bundled)]
    findings.append(Finding(shutil.which("git") is not None, "git", "可用" if shutil.which("git") else
                            "找不到：统计中的时效只能取稿件中的 submitted", f"{APT} git", needed=False))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    findings.append(Finding(office is not None, "LibreOffice",
                            "可用（briefgen import 能导入 .doc、.wps、.odt、.rtf）" if office else
                            "找不到（briefgen import 只能导入 .docx）", f"{APT} libreoffice-writer-nogui",
                            needed=False))
    if cache_dir is not None:
        size = sum(p.stat().st_size for p in cache_dir.rglob("*") if p.is_file()) if cache_dir.is_dir() else 0
        findings.append(Finding(True, "生成缓存", f"{cache_dir.name}/ 共 {size / 1_000_000:.1f} MB（可随时删除）"))
    return findings


def role_finding(role: RoleFont) -> Finding:
    """What a role of the print stylesheet gets: an official font, a free substitute (and a closer
    free one to install, if any), or nothing at all."""
    if role.found is None:
        return Finding(False, role.role, f"{'、'.join(role.stack)} 都没有安装",
                       f"{APT} fonts-noto-cjk fonts-arphic-ukai，或把字体文件放进 fonts/")
    if not role.substitute:
        kind = "公文字体" if role.official else "免费字体"
        return Finding(True, role.role, f"{role.found}（{kind}{'，来自 fonts/' if role.bundled else ''}）")
    detail = f"{role.found}（免费替代字体；如需公文字体，把 {'、'.join(role.official)} 的字体文件放进 fonts/）"
    if role.closer:
        closer = "、".join(role.closer)
        where = FANDOL if any(name.startswith("Fandol") for name in role.closer) else ""
        return Finding(False, role.role, f"{detail}；更接近的免费字体 {closer} 没有安装",
                       f"把 {closer} 的字体文件放进 fonts/{where}", needed=False)
    return Finding(True, role.role, detail)


def run_doctor(start: Path) -> int:
    """Print each finding; 1 when something needed is missing. Outside a bulletin repository the
    machine is checked with the built-in templates."""
    import click

    from briefgen.config.settings import Config, find_root, load_config
    from briefgen.errors import BriefgenError
    from briefgen.render.env import make_environment, template_source
    from briefgen.storage.resources import CACHE

    try:
        config: Config | None = load_config(find_root(start))
    except BriefgenError:
        config = None
    env = make_environment(config.templates_dir if config else Path("/nonexistent"))
    findings = diagnose(template_source(env, "print/print.css"), config.fonts_dir if config else None,
                        config.root / CACHE if config else None)
    for finding in findings:
        click.echo(str(finding))
    return 1 if any(not f.ok and f.needed for f in findings) else 0
