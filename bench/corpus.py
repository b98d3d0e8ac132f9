"""The generated site the bench scripts build: N items over the six collections, written for each generator.

One corpus, written as Exhibit content (`content/` with units and front matter, the
repository's `templates/` and `assets/`) and as Hugo content, so that every tool
builds the same items. `bench_serve.py` uses the short stories (its figures stay
comparable with earlier runs); `peers.py` uses the rich ones: a 2–4 KB Simplified
Chinese story per item with a heading, a list, a table, emphasis and a link, so the
Markdown work is that of a real story and not of a repeated line.

Everything is deterministic: the same count gives the same bytes on every machine.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COLLECTION_SHARES = (("workers", 0.4), ("teams", 0.1), ("honors", 0.15), ("history", 0.1),
                     ("activities", 0.15), ("philosophy", 0.1))
STORY = "外堰出口烧穿后，他第一个冲到岗位现场，带领职工轮流突击，两个小时就清理畅通。\n\n" * 6
SEED = 20240601


@dataclass(frozen=True)
class Item:
    """One generated item; `index` is its place in the corpus (it picks the unit and the date)."""

    collection: str
    stem: str
    title: str
    unit: str
    index: int
    story: str

    @property
    def date(self) -> str:
        return f"20{10 + self.index % 15}-{self.index % 12 + 1:02d}-{self.index % 28 + 1:02d}"


@dataclass(frozen=True)
class Corpus:
    """The generated items, the same for every generator, and the branch units they belong to."""

    items: list[Item]
    units: list[str]


def make_corpus(count: int, *, rich: bool = False, seed: int = SEED) -> Corpus:
    """`count` items shared over the collections by COLLECTION_SHARES.

    `rich=False` gives every item the same short story (bench_serve.py, whose figures
    predate this module); `rich=True` a seeded 2–4 KB story per item (peers.py). A
    story depends only on the seed, the collection and the item's number in it, not on
    `count`: `wo00007` tells the same story in every corpus.
    """
    units = [f"branch-{g}-{b}" for g in range(4) for b in range(5)]
    items: list[Item] = []
    for collection, share in COLLECTION_SHARES:
        for number in range(int(count * share)):
            index = len(items)
            story = rich_story(random.Random(f"{seed}-{collection}-{number}")) if rich else STORY
            items.append(Item(collection, f"{collection[:2]}{number:05d}", f"{collection}条目{number}",
                              units[index % len(units)], index, story))
    return Corpus(items, units)


# --- rich stories -----------------------------------------------------------------------------

_SENTENCES = (
    "外堰出口烧穿后，他第一个冲到岗位现场，带领职工轮流突击，两个小时就清理畅通",
    "澳炉检修期间，党员突击队连续奋战{n}个昼夜，提前完成了炉衬更换任务",
    "面对电解槽短路频发的难题，班组成立攻关小组，逐槽排查，逐项整改",
    "她坚持每天提前半小时到岗，把交接班记录写得清清楚楚，被同事称为“活台账”",
    "车间把安全隐患排查纳入党员责任区，全年消除隐患{n}项，实现零事故",
    "新员工入厂后，由党员师傅一对一带教，三个月内全部通过岗位技能考核",
    "在铜精矿配料环节，他反复试验配比，使渣含铜降低了零点{n}个百分点",
    "支部书记带头下沉班组，把支部会开在炉台旁，把问题解决在现场",
    "冶炼烟气制酸系统改造后，二氧化硫排放浓度大幅下降，厂区环境明显改善",
    "阳极板浇铸线提速以后，班组重新梳理作业标准，确保质量和效率同步提升",
    "每逢急难险重任务，党员总是冲在前面，群众看在眼里，记在心上",
    "他把多年积累的操作经验整理成{n}条口诀，在车间广为传授",
    "工会组织的技能比武中，团队包揽了前三名，展现了过硬的业务本领",
    "为了降低吨铜电耗，技术人员与一线职工共同分析数据，找出了{n}个节能点",
    "创新工作室成立以来，累计完成技术革新{n}项，获得国家专利多项",
    "夜班突遇停电，值班长沉着指挥，按照应急预案有序处置，没有发生次生事故",
    "支部开展“党员先锋岗”创建活动，把党建工作和生产经营紧密结合起来",
    "他常说，设备就像自己的孩子，只有用心呵护，才能在关键时刻不掉链子",
    "老师傅退休前，把一本写满心得的笔记本交给了徒弟，叮嘱他把手艺传下去",
    "在环保设施提标改造中，团队克服工期紧、交叉作业多的困难，按期投运",
    "通过开展“揭榜挂帅”，车间把生产难题变成攻关课题，调动了大家的积极性",
    "她带领质检班组严把化验关，全年出具检测数据{n}余个，准确率保持百分之百",
    "党员示范岗的牌子挂在岗位上，更挂在每名党员的心上",
    "项目推进会上，大家围绕工艺优化畅所欲言，形成了切实可行的改进方案",
    "经过持续改进，转炉吹炼周期缩短了{n}分钟，产能得到有效释放",
    "职工之家建成后，成为大家学习交流、休息调整的温馨港湾",
    "他始终把安全放在第一位，每次作业前都要认真检查防护用品",
    "在“师带徒”活动中，先后培养出{n}名技术骨干，走上了关键岗位",
)
_HEADINGS = ("主要事迹", "攻坚克难", "创新成果", "传帮带", "经验做法", "工作成效", "心得体会")
_POINTS = ("坚持问题导向，把难点当作突破口", "落实岗位责任，做到事事有人管", "开展技术攻关，推动工艺持续优化",
           "加强安全管理，筑牢生产防线", "发挥党员作用，带动身边职工共同进步", "注重数据分析，用事实说话",
           "完善操作规程，固化好的经验做法", "关心职工生活，增强团队凝聚力")
_METRICS = ("铜回收率", "吨铜电耗", "渣含铜", "设备完好率", "一次合格率", "劳动生产率", "安全生产天数")
_LINKS = ("https://www.example.com/news/{n}.html", "https://intranet.example/exhibit/notice/{n}",
          "https://www.example.org/report?id={n}")


def _sentence(rng: random.Random) -> str:
    return rng.choice(_SENTENCES).format(n=rng.randint(2, 99)) + "。"


def rich_story(rng: random.Random) -> str:
    """A 2–4 KB (UTF-8) story: paragraphs with emphasis and a link, a heading, a list, a table.

    The sentences and figures are drawn from `rng`; the layout is always the same, so
    every item exercises the same Markdown features (the `extra` tables included).
    """
    target = rng.randint(2200, 3800)
    intro = [_sentence(rng) for _ in range(2)]
    intro[0] = f"**{intro[0][:-1]}**。"
    link = rng.choice(_LINKS).format(n=rng.randint(1000, 9999))
    intro.append(f"详情见[厂报专题报道]({link})。")
    points = [f"- {point}" for point in rng.sample(_POINTS, rng.randint(3, 5))]
    rows = [f"| {metric} | {rng.randint(60, 98)}.{rng.randint(0, 9)} | {rng.randint(60, 99)}.{rng.randint(0, 9)} |"
            for metric in rng.sample(_METRICS, rng.randint(3, 5))]
    table = ["| 指标 | 改进前 | 改进后 |", "| --- | ---: | ---: |", *rows]
    middle: list[str] = [_sentence(rng)]
    closing: list[str] = [f"*{_sentence(rng)[:-1]}*。"]

    def assemble() -> str:
        # One line break inside a paragraph, for nl2br (Exhibit) and hardWraps (Hugo).
        blocks = ["".join(intro), f"## {heading}", middle[0] + "\n" + "".join(middle[1:]), "\n".join(points),
                  "\n".join(table), "".join(closing)]
        return "\n\n".join(blocks) + "\n"

    heading = rng.choice(_HEADINGS)
    while len(assemble().encode()) < target:
        (middle if rng.random() < 0.5 else closing).append(_sentence(rng))
    return assemble()


# --- Exhibit -------------------------------------------------------------------------------------


def site_yaml(corpus: Corpus) -> str:
    """`content/site.yaml`: the plant committee, four general branches and the corpus's branch units."""
    lines = ["title: 基准测试站点", "language: zh-CN", "units:", "  - id: plant", "    name: 冶炼厂党委",
             "    kind: committee"]
    for group in range(4):
        lines += [f"  - id: general-{group}", f"    name: 第{group}党总支", "    parent: plant",
                  "    kind: general-branch"]
    for unit in corpus.units:
        group = unit.split("-")[1]
        lines += [f"  - id: {unit}", f"    name: 党支部{unit}", f"    parent: general-{group}", "    kind: branch"]
    return "\n".join(lines) + "\n"


def exhibit_front(item: Item) -> str:
    """The YAML front matter Exhibit expects for the item's collection (the required fields and a few more)."""
    name_key = "name" if item.collection in ("workers", "teams") else "title"
    fields = [f"{name_key}: {item.title}"]
    if item.collection in ("workers", "teams", "activities"):
        fields.append(f"unit: {item.unit}")
    if item.collection in ("honors", "history", "activities"):
        fields.append(f"date: {item.date}")
    if item.collection == "philosophy":
        fields.append(f"slogan: 理念{item.index}")
    if item.collection == "workers":
        fields.append("quote: 初始格言")
    return "\n".join(fields) + "\n"


def write_exhibit_site(root: Path, corpus: Corpus) -> None:
    """An Exhibit site folder: content/ (site.yaml with units, one Markdown file per item), templates/, assets/."""
    (root / "content").mkdir(parents=True)
    (root / "content/site.yaml").write_text(site_yaml(corpus), encoding="utf-8")
    for item in corpus.items:
        folder = root / "content" / item.collection
        folder.mkdir(exist_ok=True)
        (folder / f"{item.stem}.md").write_text(f"---\n{exhibit_front(item)}---\n{item.story}", encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "assets", root / "assets")


# --- Hugo ----------------------------------------------------------------------------------------

HUGO_BASEOF = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}"></head><body>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.quote }}</p>{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}
"""
HUGO_LAYOUTS = {"_default/baseof.html": HUGO_BASEOF, "_default/single.html": HUGO_SINGLE,
                "_default/list.html": HUGO_LIST, "index.html": HUGO_LIST}
"""bench_serve.py's theme: a base, item pages, whole-section lists, terms for units."""
HUGO_CONFIG = ('baseURL = "/"\ntitle = "基准测试站点"\ndefaultContentLanguage = "zh-cn"\n'
               '[taxonomies]\n  unit = "units"\n')


def write_hugo_site(root: Path, corpus: Corpus, *, layouts: dict[str, str] = HUGO_LAYOUTS,
                    config: str = HUGO_CONFIG) -> None:
    """The same items as Hugo content (content/<section>/<stem>.md) with a small theme of our own (no downloads)."""
    for name, text in layouts.items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text, encoding="utf-8")
    (root / "static/css").mkdir(parents=True)
    shutil.copy(REPO / "assets/css/site.css", root / "static/css/site.css")
    (root / "hugo.toml").write_text(config, encoding="utf-8")
    for item in corpus.items:
        folder = root / "content" / item.collection
        folder.mkdir(parents=True, exist_ok=True)
        front = f'title: "{item.title}"\nunits: ["{item.unit}"]\nquote: 初始格言\n'
        (folder / f"{item.stem}.md").write_text(f"---\n{front}---\n{item.story}", encoding="utf-8")
