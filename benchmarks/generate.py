"""A synthetic bulletin repository for the benchmark, and the same items as a Hugo site.

    python benchmarks/generate.py --items 1000 --out /tmp/jianbao
    python benchmarks/generate.py --items 1000 --out /tmp/jianbao --hugo /tmp/jianbao-hugo

The same arguments (and seed) always give the same bytes: every choice comes from one
random.Random(seed), files are written in a fixed order, UTF-8 with LF line endings.
The text uses only level-1 GB2312 characters (the 3,755 most common), ASCII digits and
full-width Chinese punctuation, so no font lacks a character and `briefgen check` is clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

LAST_WEEK_MONDAY = dt.date(2026, 11, 23)  # Monday of 2026-W48, the newest issue
LATEST_DAY = dt.date(2026, 11, 26)  # no item, submission or adoption is dated after this day
ITEMS_PER_ISSUE = 38.5  # default: 1,000 items -> 26 weekly issues, 10,000 -> 260

# --- names -------------------------------------------------------------------------------

DEPARTMENTS = (
    "市发展改革委", "市教育局", "市科技局", "市工业和信息化局", "市公安局", "市民政局", "市司法局",
    "市财政局", "市人力资源社会保障局", "市自然资源和规划局", "市生态环境局", "市住房城乡建设局",
    "市交通运输局", "市水利局", "市农业农村局", "市商务局", "市文化广电旅游局", "市卫生健康委",
    "市退役军人事务局", "市应急管理局", "市审计局", "市市场监管局", "市统计局", "市医疗保障局",
    "市城市管理局", "市林业局", "市体育局", "市信访局", "市数据局", "市机关事务管理局",
)
DISTRICTS = ("江北区", "江南区", "高新区", "经开区", "东城区", "西湖区", "南山区", "北塘区")
PLACES = (
    "沿江", "滨河", "东湖", "西山", "南岭", "北关", "青石", "白沙", "红星", "长安", "新华", "和平",
    "城关", "金山", "银湖", "松林", "柳营", "石桥", "大河", "平安",
)
TOPICS = (
    "要情专报", "工作动态", "经验交流", "基层信息", "问题与建议", "调查研究", "民生关注", "改革创新",
    "安全稳定", "招商引资", "数字政府", "他山之石",
)
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤")
GIVEN = (
    "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "华", "平", "刚", "桂英", "文博", "海峰", "晓燕", "志强", "丽萍", "建国", "立平", "佳宁",
    "雨晴", "俊", "凯", "帆", "雪", "文斌", "静宜", "晨", "宇", "欣", "浩然", "子涵", "思远", "建华",
)


def unit_names(count: int) -> list[str]:
    """City departments, then district governments, then sub-district offices and towns, then 市第N局."""
    names = list(DEPARTMENTS) + [f"{d}人民政府" for d in DISTRICTS]
    names += [f"{d}{p}{kind}" for kind in ("街道办事处", "镇人民政府") for d in DISTRICTS[:2] for p in PLACES]
    n = 1
    while len(names) < count:
        names.append(f"市第{n}局")
        n += 1
    return names[:count]


def topic_names(count: int) -> list[str]:
    return list(TOPICS[:count]) + [f"栏目{n}" for n in range(len(TOPICS) + 1, count + 1)]


# --- words of official Chinese -------------------------------------------------------------

ADVERBIALS = (
    "今年以来", "近年来", "今年前三季度", "截至目前", "下半年以来", "入冬以来", "为切实做好相关工作",
    "按照市委、市政府统一部署", "在上级部门的大力支持下", "自专项行动开展以来",
)
VERBS = (
    "坚持", "聚焦", "围绕", "深化", "推进", "强化", "健全", "完善", "落实", "统筹", "优化", "加强",
    "推动", "提升", "创新", "探索", "建立", "构建", "扎实推进", "持续深化", "着力构建", "大力实施",
    "全面落实", "积极探索", "认真落实", "不断完善",
)
OBJECTS = (
    "体制机制", "工作格局", "服务体系", "基层治理", "营商环境", "民生保障", "安全生产", "重大项目建设",
    "生态环境保护", "公共服务", "数字政府建设", "乡村振兴", "城市更新", "风险防控", "政务服务",
    "干部队伍建设", "监督检查", "应急管理能力", "产业发展", "科技创新", "招商引资", "就业创业",
    "社会救助", "老旧小区改造", "农村人居环境整治", "食品药品安全", "校园安全", "养老服务",
    "医疗卫生服务", "交通运输保障", "能源保供", "防汛抗旱", "森林防火", "信访工作", "法治政府建设",
    "中小学课后服务", "农田水利建设", "社区网格管理", "企业服务", "人才引进",
)
MANNERS = (
    "多措并举", "聚焦重点", "创新机制", "精准发力", "强化担当", "立足实际", "突出重点", "综合施策",
    "高位推动", "压实责任", "真抓实干", "统筹兼顾",
)
TITLE_ENDS = ("提质增效", "取得新进展", "见行见效", "走深走实", "迈出新步伐", "取得阶段性成效", "再上新台阶")
MEASURES = (
    "建立健全{a}项制度", "开展专项行动{a}次", "组织培训{a}场次、培训{b}人次", "排查整治隐患{b}处",
    "累计投入资金{x}亿元", "新增就业岗位{b}个", "惠及群众{x}万人", "办结率达{p}%", "群众满意度达{p}%",
    "同比增长{q}%", "覆盖{a}个村（社区）", "签约项目{a}个、总投资{x}亿元", "走访企业{b}家",
    "解决实际问题{b}个", "完成年度任务的{p}%", "受理群众诉求{b}件",
)
RESULTS = (
    "取得了明显成效", "形成了长效机制", "工作质效不断提升", "群众获得感明显增强",
    "为全市经济社会高质量发展提供了有力保障", "得到了上级有关部门的充分肯定",
    "有效破解了一批难点堵点问题", "各项工作有序推进", "基层负担有效减轻", "服务效能明显提高",
)
PURPOSES = (
    "切实解决群众急难愁盼问题", "推动各项工作落地见效", "不断提升服务水平", "确保完成全年目标任务",
    "坚持以人民为中心的发展思想", "守牢安全发展底线", "着力提高工作的精准性和实效性",
    "推动政策红利直达基层",
)
CONNECTORS = ("同时", "此外", "与此同时", "在此基础上", "具体来说", "另一方面", "特别是")
PROBLEMS = (
    "部分单位思想认识不到位", "基层工作力量相对薄弱", "资金保障压力较大", "工作协同机制有待完善",
    "专业人才较为缺乏", "群众参与程度不高", "信息共享不够充分", "考核评价办法有待细化",
)
INDICATORS = (
    ("新增就业岗位", "个"), ("开工项目", "个"), ("完成投资", "亿元"), ("培训人次", "人次"),
    ("改造小区", "个"), ("受理诉求", "件"), ("新建公园", "处"), ("走访企业", "家"), ("整治隐患", "处"),
)
ORDINALS = "一二三四五六七八九十"
HIGHER = (("省政府办公厅《每日要情》", "省级"), ("省委办公厅《信息快报》", "省级"),
          ("国务院办公厅《政务情况交流》", "国家级"), ("市委办公室《决策参考》", "市级"))
LEADERS = (("市长", "市级"), ("常务副市长", "市级"), ("副省长", "省级"))
STATUSES = (("adopted", 85), ("reserve", 7), ("rejected", 5), ("draft", 3))


@dataclass
class Item:
    path: str  # relative to the repository root, e.g. content/2026/2026-W48/00042.md
    fields: dict  # front matter, in the order written
    body: str  # Markdown


@dataclass
class Plan:
    units: list[str]
    officers: dict[str, list[str]]
    topics: list[str]
    weeks: list[dt.date]  # Mondays, oldest first
    # Drawn one by one as they are written, so that 100,000 items never sit in memory at once.
    items: Iterator[Item] = field(default_factory=lambda: iter(()))
    issue_notes: dict[str, dict] = field(default_factory=dict)  # issue id -> settings, filled as items are drawn


class Text:
    """Sentences of official Chinese from one seeded random generator."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def pick(self, words):
        return self.r.choice(words)

    def number(self, spec: str) -> str:
        r = self.r
        return spec.format(a=r.randint(3, 60), b=r.randint(80, 9800), x=f"{r.randint(1, 980) / 10:g}",
                           p=f"{r.randint(850, 999) / 10:g}", q=f"{r.randint(12, 360) / 10:g}")

    def measure(self) -> str:
        return self.number(self.pick(MEASURES))

    def act(self) -> str:
        return self.pick(VERBS) + self.pick(OBJECTS)

    def sentence(self, unit: str) -> str:
        r = self.r
        form = r.randrange(7)
        if form == 0:
            return (f"{self.pick(ADVERBIALS)}，{unit}{self.act()}，{self.act()}，"
                    f"{self.measure()}，{self.pick(RESULTS)}。")
        if form == 1:
            return f"{self.pick(CONNECTORS)}，{self.act()}，{self.measure()}，{self.measure()}。"
        if form == 2:
            return f"通过{self.act()}，{self.measure()}，{self.pick(PURPOSES)}。"
        if form == 3:
            return (f"{self.pick(DISTRICTS)}{self.pick(PLACES)}社区在{self.pick(OBJECTS)}方面先行先试，"
                    f"{self.measure()}，{self.pick(RESULTS)}。")
        if form == 4:
            return f"针对{self.pick(PROBLEMS)}的问题，{self.act()}，{self.pick(PURPOSES)}。"
        if form == 5:
            return f"{self.pick(CONNECTORS)}，把{self.pick(OBJECTS)}与{self.pick(OBJECTS)}结合起来，{self.measure()}。"
        return f"{unit}{self.pick(MANNERS)}，{self.act()}，{self.pick(RESULTS)}。"

    def paragraph(self, unit: str, sentences: int) -> str:
        return "".join(self.sentence(unit) for _ in range(sentences))

    def table(self) -> str:
        rows = ["| 指标 | 目标任务 | 完成情况 | 完成率 |", "| --- | ---: | ---: | ---: |"]
        for name, measure in self.r.sample(INDICATORS, self.r.randint(3, 6)):
            target = self.r.randint(50, 3000)
            done = round(target * self.r.uniform(0.6, 1.2))
            rows.append(f"| {name}（{measure}） | {target} | {done} | {done / target * 100:.1f}% |")
        return "\n".join(rows)

    def listing(self, unit: str) -> str:
        numbered = self.r.random() < 0.5
        lines = []
        for n in range(1, self.r.randint(3, 5) + 1):
            mark = f"{n}." if numbered else "-"
            lines.append(f"{mark} {self.act()}。{self.measure()}，{self.pick(RESULTS)}。")
        return "\n".join(lines)


def _wrap(paragraph: str, width: int) -> str:
    """Hard-wrap a paragraph as some editors do; briefgen must join the lines without spaces."""
    return "\n".join(paragraph[i:i + width] for i in range(0, len(paragraph), width))


def _chinese(block: str) -> int:
    """The number of non-ASCII characters (encoding drops them; C speed, 100,000 items need it)."""
    return len(block) - len(block.encode("ascii", "ignore"))


def _body(text: Text, unit: str, topic: str) -> str:
    """500 to about 1,500 Chinese characters: a lead, paragraphs (some under 一、二、 headings),
    perhaps a table or a list, perhaps problems and suggestions, and the usual 下一步 ending."""
    r = text.r
    target = r.randint(500, 1450)
    blocks = [f"{text.pick(ADVERBIALS)}，{unit}{text.act()}，{text.act()}，{text.pick(PURPOSES)}。"
              + text.paragraph(unit, 2)]
    ending = []
    if topic == "问题与建议" or r.random() < 0.1:
        ending.append(f"当前，{unit}在{text.pick(OBJECTS)}中还存在{text.pick(PROBLEMS)}、{text.pick(PROBLEMS)}等问题。"
                      f"建议{text.act()}，{text.pick(PURPOSES)}。")
    ending.append(f"下一步，{unit}将继续{text.act()}，{text.pick(PURPOSES)}，为全市高质量发展作出新的更大贡献。")
    need = target - sum(_chinese(b) for b in ending)
    with_headings = r.random() < 0.45
    table = r.random() < 0.2
    listing = r.random() < 0.25
    section = 0
    # A running count of what blocks hold: recounting them all for every sentence made the
    # generator quadratic in a body's length (most of its time at 100,000 items).
    written = _chinese(blocks[0])

    def add(block: str) -> None:
        nonlocal written
        blocks.append(block)
        written += _chinese(block)

    while written < need:
        if with_headings and section < len(ORDINALS) and (section == 0 or r.random() < 0.5):
            add(f"## {ORDINALS[section]}、{text.act()}，{text.act()}")
            section += 1
        paragraph, counted = "", 0
        for _ in range(r.randint(2, 4)):
            sentence = text.sentence(unit)
            paragraph += sentence
            counted += _chinese(sentence)
            if written + counted >= need:
                break
        add(paragraph)
        if table and written < need - 150:
            add(f"{unit}{text.pick(OBJECTS)}主要指标完成情况如下：")
            add(text.table())
            table = False
        elif listing and written < need - 150:
            add("主要做法有：")
            add(text.listing(unit))
            listing = False
    blocks += ending
    if r.random() < 0.15:
        blocks[0] = _wrap(blocks[0], 36)
    return "\n\n".join(blocks) + "\n"


def _title(text: Text, unit: str) -> str:
    r = text.r
    form = r.randrange(4)
    if form == 0:
        return f"{unit}{text.pick(MANNERS)}推进{text.pick(OBJECTS)}{text.pick(TITLE_ENDS)}"
    if form == 1:
        return f"{unit}扎实推进{text.pick(OBJECTS)}工作"
    if form == 2:
        return f"{unit}{text.pick(VERBS)}{text.pick(OBJECTS)}{text.pick(TITLE_ENDS)}"
    return f"{unit}以{text.pick(OBJECTS)}为抓手{text.pick(VERBS)}{text.pick(OBJECTS)}"


def _allocate(total: int, weeks: int, rng: random.Random) -> list[int]:
    """How many items each week gets: about equal, with some weeks busier than others; none empty."""
    if total < weeks:
        raise ValueError(f"{total} 篇稿件不够分到 {weeks} 周（每周至少一篇）")
    weights = [rng.uniform(0.6, 1.4) for _ in range(weeks)]
    spare = total - weeks
    shares = [spare * w / sum(weights) for w in weights]
    counts = [1 + int(s) for s in shares]
    by_remainder = sorted(range(weeks), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_remainder[:total - sum(counts)]:
        counts[i] += 1
    return counts


def plan(items: int, weeks: int, units: int, topics: int, seed: int) -> Plan:
    """The settings of the repository, and its items as an iterator: each week's items, then
    that week's issue settings, are drawn when the iterator reaches them (in the same order, from
    the same generator, as when everything was drawn first, so the files are the same)."""
    rng = random.Random(seed)
    text = Text(rng)
    unit_list = unit_names(units)
    officers = {u: [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(rng.randint(1, 3))] for u in unit_list}
    mondays = [LAST_WEEK_MONDAY - dt.timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    result = Plan(unit_list, officers, topic_names(topics), mondays)
    counts = _allocate(items, weeks, rng)
    result.items = _draw(rng, text, result, counts)
    return result


def _draw(rng: random.Random, text: Text, result: Plan, counts: list[int]) -> Iterator[Item]:
    unit_list, officers = result.units, result.officers
    statuses = [s for s, _ in STATUSES]
    status_weights = [w for _, w in STATUSES]
    bodies: set[bytes] = set()  # digests of the bodies so far, without white space: no two alike
    number = 0
    for monday, count in zip(result.weeks, counts, strict=True):
        year, week, _ = monday.isocalendar()
        issue_id = f"{year}-W{week:02d}"
        titles: set[tuple[str, str]] = set()  # (title, unit) in this issue
        last_day = min(4, (LATEST_DAY - monday).days)
        for k in range(count):
            number += 1
            day = monday + dt.timedelta(days=rng.randint(0, last_day))
            unit = rng.choice(unit_list)
            topic = rng.choice(result.topics)
            status = "adopted" if k == 0 else rng.choices(statuses, status_weights)[0]
            title = _title(text, unit)
            while (title, unit) in titles:
                title = _title(text, unit)
            titles.add((title, unit))
            body = _body(text, unit, topic)
            while _digest(body) in bodies:
                body = _body(text, unit, topic)
            bodies.add(_digest(body))
            fields: dict = {"title": title, "unit": unit, "date": day, "topic": topic,
                            "author": rng.choice(officers[unit])}
            submitted = min(LATEST_DAY, day + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3))))
            if submitted != day:
                fields["submitted"] = submitted
            if rng.random() < 0.6:
                fields["tags"] = sorted(set(rng.sample(OBJECTS, rng.randint(1, 3))))
            if status == "adopted" and rng.random() < 0.12:
                fields["grade"] = rng.choice(("精品", "特色", "特色"))
            if rng.random() < 0.05:
                fields["weight"] = rng.randint(1, 9)
            if rng.random() < 0.2:
                fields["summary"] = f"{unit}{text.act()}，{text.measure()}。"
            if status == "adopted" and rng.random() < 0.03:
                fields["note"] = f"编者按：{unit}的做法值得借鉴，请各地各部门结合实际参考。"
            if status != "adopted":
                fields["status"] = status
            if status == "adopted" and rng.random() < 0.04:
                by, level = rng.choice(HIGHER)
                fields["adopted_by"] = [{"by": by, "level": level,
                                         "date": min(LATEST_DAY, day + dt.timedelta(days=rng.randint(1, 10)))}]
            if status == "adopted" and rng.random() < 0.02:
                leader, level = rng.choice(LEADERS)
                fields["instructions"] = [{"leader": leader, "level": level,
                                           "date": min(LATEST_DAY, day + dt.timedelta(days=rng.randint(2, 12))),
                                           "text": "经验做法很好，请总结推广。"}]
            path = f"content/{year}/{issue_id}/{number:05d}.md"
            yield Item(path, fields, body)
        if rng.random() < 0.5:
            result.issue_notes[issue_id] = {
                "note": f"本期刊发{rng.choice(unit_list)}{text.act()}等信息，请各地各部门结合实际参考借鉴。",
                "signer": rng.choice(("王立新", "李卫东", "张建平")),
            }


def _digest(body: str) -> bytes:
    return hashlib.blake2b("".join(body.split()).encode("utf-8"), digest_size=16).digest()


# --- writing -------------------------------------------------------------------------------

def _scalar(value) -> str:
    """A YAML scalar: dates and integers bare, text bare when it is plainly text, else JSON-quoted."""
    if isinstance(value, (dt.date, int)):
        return str(value)
    text = str(value)
    if text.isascii() and text.isalpha():
        return text
    if text and all("\u4e00" <= c <= "\u9fff" or c in "，。、；：“”（）《》" for c in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _front_matter(fields: dict) -> str:
    lines = []
    for key, value in fields.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for entry in value:
                lines.append("  - {" + ", ".join(f"{k}: {_scalar(v)}" for k, v in entry.items()) + "}")
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines)


def _config(p: Plan) -> str:
    first_year, first_week, _ = p.weeks[0].isocalendar()
    lines = [
        "# 基准测试生成的简报仓库（benchmarks/generate.py）",
        "name: 政务信息",
        "publisher: 滨江市人民政府办公室",
        "period: week",
        "timezone: Asia/Shanghai",
        "mark: 内部资料 注意保存",
        "future_days: 1826",  # the most allowed: the items are never dated ahead of LATEST_DAY
        "topics:",
        *[f"  - {t}" for t in p.topics],
        "units:",
    ]
    for unit in p.units:
        lines.append(f"  {unit}:")
        lines.append(f"    officers: [{', '.join(p.officers[unit])}]")
        if "区人民政府" in unit:
            lines.append("    quota: {month: 5}")
        elif "街道办事处" in unit or "镇人民政府" in unit:
            parent = next((u for u in p.units if u == unit[:3] + "人民政府"), "")
            if parent:
                lines.append(f"    parent: {parent}")
    lines += [
        "scoring:",
        "  submitted: 1",
        "  adopted: 3",
        "  grades: {精品: 5, 特色: 2}",
        "  higher: {国家级: 20, 省级: 10, 市级: 5}",
        "  instructions: {国家级: 30, 省级: 15, 市级: 8}",
        "  quota: {month: 2}",
        "report: {name: 政务信息工作通报}",
        "distribution:",
        "  报: 市委办公室，市人大常委会办公室，市政协办公室",
        "  送: 市委各部委，市纪委监委机关，市法院，市检察院",
        "  发: 各区人民政府，市政府各部门",
        "copies: 80",
        "editor: 陈静",
        "numbering:",
        f"  first: {first_week}",
        "  first_total: 1",
    ]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _fresh(root: Path) -> None:
    """root must be new or empty: the generator never writes over other files."""
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} 不是空目录；请指定新目录或空目录。")
    root.mkdir(parents=True, exist_ok=True)


def generate(root: Path, items: int, weeks: int, units: int, topics: int, seed: int) -> None:
    """Write a bulletin repository: briefgen.yaml, content/<year>/<week>/<n>.md and content/issues/*.yaml."""
    p = plan(items, weeks, units, topics, seed)
    _fresh(root)
    _write(root / "briefgen.yaml", _config(p))
    for item in p.items:
        _write(root / item.path, f"---\n{_front_matter(item.fields)}\n---\n\n{item.body}")
    for issue_id, settings in sorted(p.issue_notes.items()):
        _write(root / "content" / "issues" / f"{issue_id}.yaml", _front_matter(settings) + "\n")


# --- the same items as a Hugo site ---------------------------------------------------------

HUGO_CONFIG = """\
# 与 briefgen 对比用的 Hugo 站点（benchmarks/generate.py 生成）
baseURL = "http://jianbao.example.gov.cn/"
languageCode = "zh-cn"
title = "政务信息"
hasCJKLanguage = true
enableRobotsTXT = false
# briefgen 生成每篇稿件一页、每期一页；这里只留下 Hugo 的正文页（page）、分节页（section）和首页（home）。
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]

[markup.goldmark.renderer]
unsafe = false
"""

HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>{{ .Params.unit }} | {{ .Params.topic }} | {{ .Date.Format "2006-01-02" }}{{ with .Params.author }} | {{ . }}{{ end }}</p>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
"""  # noqa: E501 (wrapping the template line would change the pages Hugo makes)

HUGO_LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ range .Pages }}
<section>
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ with .Params.unit }}{{ . }} | {{ end }}{{ .Date.Format "2006-01-02" }}</p>
{{ if .IsPage }}{{ .Content }}{{ end }}
</section>
{{ end }}
{{ end }}
"""


def _split(text: str) -> tuple[str, str]:
    """Front matter and body of an item file written by generate() (or any plain briefgen item)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = text.index("\n---\n", 3)
    return text[4:end], text[end + 5:]


def write_hugo_site(repo: Path, out: Path) -> int:
    """Write the items of a briefgen repository as a Hugo site in out; return the number of items.

    Each content/<path>.md becomes content/<path>.md with Hugo front matter (title, date, and
    unit, topic, author, summary as page parameters; items that briefgen does not publish, that is
    any status other than adopted, become Hugo drafts, which Hugo reads but does not render).
    Each week folder gets an _index.md, so Hugo renders one list page per week (with the full text
    of its items, as briefgen's issue page has) besides one page per item."""
    import yaml  # a dependency of briefgen

    # libyaml's loader when PyYAML has it: the pure-Python one took most of the time (about 4 minutes
    # at 100,000 items); both give the same values for this front matter.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _fresh(out)
    _write(out / "hugo.toml", HUGO_CONFIG)
    _write(out / "layouts" / "_default" / "baseof.html", HUGO_BASEOF)
    _write(out / "layouts" / "_default" / "single.html", HUGO_SINGLE)
    _write(out / "layouts" / "_default" / "list.html", HUGO_LIST)
    _write(out / "content" / "_index.md", "---\ntitle: 政务信息\n---\n")
    count = 0
    weeks: set[Path] = set()
    for path in sorted((repo / "content").rglob("*.md")):
        rel = path.relative_to(repo)
        head, body = _split(path.read_text(encoding="utf-8"))
        data = yaml.load(head, Loader=loader)
        hugo = {"title": str(data["title"]), "date": str(data["date"])}
        if str(data.get("status", "adopted")) not in ("adopted", "采用"):
            hugo["draft"] = True
        for key in ("unit", "topic", "author", "summary"):
            if data.get(key):
                hugo[key] = str(data[key])
        lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in hugo.items()]
        _write(out / rel, "---\n" + "\n".join(lines) + "\n---\n" + body)
        weeks.add(rel.parent)
        count += 1
    for folder in sorted(weeks):
        title = folder.name
        if "-W" in title:
            year, week = title.split("-W")
            title = f"{year}年第{int(week)}周"
        _write(out / folder / "_index.md", f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n")
    for year_folder in sorted({w.parent for w in weeks} - weeks):
        if year_folder != Path("content"):
            _write(out / year_folder / "_index.md", f"---\ntitle: \"{year_folder.name}年\"\n---\n")
    return count


# briefgen refuses dates before 2000: 1,300 weeks ending 2026-W48 start in January 2002. Past
# 50,000 items the issues grow instead (100,000 items: about 77 an issue, 25 years).
MAX_WEEKS = 1300


def default_weeks(items: int) -> int:
    return min(MAX_WEEKS, max(1, round(items / ITEMS_PER_ISSUE)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的简报仓库（以及同样稿件的 Hugo 站点）。")
    parser.add_argument("--items", type=int, required=True, help="稿件篇数")
    parser.add_argument("--out", type=Path, required=True, help="简报仓库目录（须是新目录或空目录）")
    parser.add_argument("--weeks", type=int, help=f"分布在多少周（默认 篇数÷{ITEMS_PER_ISSUE}，最后一周是 2026-W48）")
    parser.add_argument("--units", type=int, default=40, help="单位数（默认 40）")
    parser.add_argument("--topics", type=int, default=8, help="栏目数（默认 8）")
    parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）；相同参数得到相同的文件")
    parser.add_argument("--hugo", type=Path, help="同时把这些稿件写成 Hugo 站点，放在这个目录")
    args = parser.parse_args(argv)
    weeks = args.weeks or default_weeks(args.items)
    generate(args.out, args.items, weeks, args.units, args.topics, args.seed)
    print(f"已生成 {args.items} 篇稿件（{weeks} 周，{args.units} 个单位，{args.topics} 个栏目）：{args.out}")
    if args.hugo:
        write_hugo_site(args.out, args.hugo)
        print(f"已生成 Hugo 站点：{args.hugo}")


if __name__ == "__main__":
    main()
