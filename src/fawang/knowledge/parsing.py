"""Parser for the LawRefBook markdown format (pure functions, no database).

A file is::

    # 中华人民共和国法律援助法          <- title (the first `# ` line)
    # 总则                              <- optional further `# ` lines: the part (民法典 编)
    2021年8月20日 第十三届…通过          <- history lines
    <!-- INFO END -->
    ## 第一章 总则                      <- chapter (`##`); `## 第一编` / `## 第一分编` are parts
    ### 第一节 …                        <- section (`###`, `####`)
    第一条 为了……                       <- an article starts a line with 第X条 / 第X条之一
    continuation paragraph               <- appended to the current article

Text before the first article (宪法's 序言, the 基本法 preambles) becomes a first article with
number 0 labelled by its heading (or 序言). Documents without any 第X条 line (amendment decisions, standards, case write-ups) are split
into one "article" per heading block, labelled with the heading, so they stay searchable and
citable without pretending to have article numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fawang.core.errors import DomainError

INFO_END = "<!-- INFO END -->"
NON_LAW_FILES = frozenset({"_index.md", "法律法规模版.md"})

_NUM = "零〇一二两三四五六七八九十百千万\\d"
# "第一百二十八 条侦查人员…" (a stray space before 条, no space after) occurs in the data, so the
# space after the label is only required when there was none before 条.
ARTICLE_LINE = re.compile(
    rf"^第(?P<num>[{_NUM}]+)(?P<gap>[ \u3000]*)条(?:之(?P<sub>[{_NUM}]+))?(?P<after>[ \u3000\t]+|$)?"
)
_PART = re.compile(rf"^第[{_NUM}]+(?:分)?编")
_CHAPTER = re.compile(rf"^第[{_NUM}]+章")
_SECTION = re.compile(rf"^第[{_NUM}]+节")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
LABEL_MAX = 30
# Shorter text before the first article is a repeated title or a stray character, not a preamble.
PREAMBLE_MIN_CHARS = 40
HEADING_MAX = 200
# Chapter names some files write as a bare line without `##` (刑事诉讼法's "附则" before 第三百零八条);
# read as text they would end the previous article.
BARE_CHAPTERS = frozenset({"附则", "总则", "分则"})
NUMBERED_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
NUMBERED_HEADING_MAX = 40


def chinese_numeral(text: str) -> int:
    """'一百零一' → 101, '十五' → 15, '二十' → 20, '123' → 123. ValueError otherwise."""
    if text.isdigit():
        return int(text)
    total = current = 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            raise ValueError(text)
    return total + current


@dataclass
class ParsedArticle:
    label: str
    number: int
    sub_number: int
    part: str
    chapter: str
    section: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    title: str
    part: str  # extra `# ` header lines (民法典 split by 编)
    history: str
    articles: list[ParsedArticle]
    numbered: bool  # True when articles come from 第X条 lines


def _clean_heading(line: str) -> str:
    text = line.lstrip("#").strip()
    return re.sub(r"[\s\u2002\u3000]+", " ", text)[:HEADING_MAX]


def _is_numbered_heading(line: str) -> bool:
    """'四、土地征收补偿费用分配及土地承包经营权继承纠纷的处理': a short 一、/二、 line without sentence
    punctuation. Judicial interpretations write their sections so, without `##`; the caller also
    requires that an article starts on the next line, because the same shape is an enumerated
    item inside an article or an annex list (基本法 附件, 导弹出口管制条例 清单)."""
    return bool(NUMBERED_HEADING.match(line)) and len(line) <= NUMBERED_HEADING_MAX and not re.search("[。；：]", line)


def parse_article_line(line: str) -> tuple[str, int, int, str] | None:
    """'第一百零一条之一 内容' → ('第一百零一条之一', 101, 1, '内容'); None if not an article start."""
    match = ARTICLE_LINE.match(line)
    if not match or (match.group("after") is None and not match.group("gap")):
        return None
    try:
        number = chinese_numeral(match.group("num"))
        sub = chinese_numeral(match.group("sub")) if match.group("sub") else 0
    except ValueError:
        return None
    label = f"第{match.group('num')}条" + (f"之{match.group('sub')}" if match.group("sub") else "")
    return label, number, sub, line[match.end():].strip()


def parse_law_markdown(text: str, *, name: str) -> ParsedLaw:
    """Parse one file's text; `name` (the file path) is only used in error messages."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    title = ""
    parts: list[str] = []
    history: list[str] = []
    body_start = None
    for index, raw in enumerate(lines):
        line = raw.strip()
        if line == INFO_END:
            body_start = index + 1
            break
        if line.startswith("# "):
            if not title:
                title = line[2:].strip()
            else:
                parts.append(line[2:].strip())
        elif line.startswith("##") or (title and parse_article_line(line)):
            body_start = index  # no marker: the body starts at the first heading/article
            break
        elif line and title:
            history.append(line)
    if not title:
        raise DomainError("law_no_title", _("%(name)s：缺少「# 标题」行") % {"name": name})
    if body_start is None:
        body_start = len(lines)
    part = " ".join(parts)[:HEADING_MAX]

    articles: list[ParsedArticle] = []
    blocks: list[ParsedArticle] = []  # heading blocks, used when there are no 第X条 lines
    cur_part, chapter, section = part, "", ""
    current: ParsedArticle | None = None
    block: ParsedArticle | None = None
    preamble: list[ParsedArticle] = []  # text before the first 第X条 (宪法 序言, 基本法 序言)
    body = [stripped for raw in lines[body_start:] if (stripped := raw.strip())]
    for at, line in enumerate(body):
        if re.sub(r"[\s\u3000]+", "", line) in BARE_CHAPTERS or (
                _is_numbered_heading(line) and at + 1 < len(body) and parse_article_line(body[at + 1])):
            line = "## " + line
        if line.startswith("#"):
            heading = _clean_heading(line)
            level = len(line) - len(line.lstrip("#"))
            if _PART.match(heading):
                cur_part, chapter, section = heading, "", ""
            elif _CHAPTER.match(heading):
                chapter, section = heading, ""
            elif _SECTION.match(heading) or level >= 3:
                section = heading
            else:
                chapter, section = heading, ""
            current = None
            block = ParsedArticle(label=heading[:LABEL_MAX], number=0, sub_number=0, part=cur_part,
                                  chapter=chapter, section=section)
            blocks.append(block)
            continue
        parsed = parse_article_line(line)
        if parsed:
            label, number, sub, rest = parsed
            current = ParsedArticle(label=label, number=number, sub_number=sub, part=cur_part,
                                    chapter=chapter, section=section, paragraphs=[rest] if rest else [])
            articles.append(current)
            continue
        if current is not None:
            current.paragraphs.append(line)
        elif not articles:
            preamble.append(ParsedArticle(label=_("序言"), number=0, sub_number=0, part=cur_part,
                                          chapter=chapter, section=section, paragraphs=[line]))
        if block is None:
            block = ParsedArticle(label=_("正文"), number=0, sub_number=0, part=cur_part, chapter="",
                                  section="")
            blocks.append(block)
        block.paragraphs.append(line)

    if articles:
        lead = [p.paragraphs[0].replace("\u200b", "").strip() for p in preamble]
        lead = [p for p in lead if p and p.replace(" ", "") not in title]
        if sum(len(p) for p in lead) >= PREAMBLE_MIN_CHARS:
            first = preamble[0]
            first.paragraphs = lead
            first.label = (first.chapter or first.label)[:LABEL_MAX]
            articles.insert(0, first)
        for article in articles:
            if not article.paragraphs:
                article.paragraphs = [""]
        return ParsedLaw(title=title[:300], part=part, history="\n".join(history), articles=articles,
                         numbered=True)
    blocks = [b for b in blocks if b.paragraphs]
    if not blocks:
        raise DomainError("law_empty", _("%(name)s：没有条文或正文") % {"name": name})
    for position, item in enumerate(blocks, start=1):
        item.number = position
    return ParsedLaw(title=title[:300], part=part, history="\n".join(history), articles=blocks,
                     numbered=False)
