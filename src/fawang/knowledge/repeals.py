"""Repeals written in the statutes themselves: "《个体工商户条例》同时废止".

Why: the LawRefBook metadata (`law.expired`) lags behind. 个体工商户条例 (2016 text) is listed
as in force although 促进个体工商户发展条例, in force since 2022-11-01, ends with "《个体工商户
条例》同时废止". A citizen must never be shown a repealed law as current, so the import reads
the repeal clauses itself and retires the laws they name.

What counts as a repeal clause (precision first; a missed repeal leaves the metadata's answer,
a wrong one hides a law in force):

- the verb is 废止 (同时/即行/予以/一并 废止), 停止执行, 不再执行 or 不再适用, ending a clause;
- it follows a list of whole titles: each `《X》`, optionally with its document number
  `（法释〔2002〕3号）`, directly followed by a list separator (、 和 及 以及 ，) or by the verb
  (optionally after "自本解释公布之日起"). So `《X》第三条…废止`, `《X》中有关…的规定同时废止`,
  `与本法不一致的…不再适用` and titles merely cited earlier in the sentence never count;
- a title element whose own prefix says "根据/依照/按照/依据…" is not part of the list.

Which law a title means: titles are compared without "中华人民共和国", spaces and bracket
width (试行 stays part of the title: 民事诉讼法（试行） is not 民事诉讼法). `《关于…》` after an
issuing body (最高人民法院2012年…发布的《关于适用〈刑事诉讼法〉的解释》) also matches the
body's own title. A reference to the repealing law's own title (信访条例 2005: "1995年…发布的
《信访条例》同时废止") names an earlier incarnation: versions of one title are handled by
`services._retire_superseded_versions`, so it is skipped here. Of the other title's versions
only the newest one published before the repealing law took effect is retired (older ones
were already replaced by it, newer ones are not what the clause speaks of; a title held once
and undated is taken as it is), only in the same region, and only once that date has come (a law published now, in force next year, repeals
nothing yet).

The repealing law's effective date is its own "本…自YYYY年M月D日起施行" (an amended version
keeps the original's date, which is when the repeal happened), else `valid_from`, else the
publish date. Everything is decided on the parsed files before anything is written, so a
re-import computes the same fields and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .parsing import ParsedLaw

_VERB = re.compile(r"(?:同时|即行|一并)?(?:予以)?废止|(?:同时)?停止执行|不再执行|不再适用")
# 《…》 with at most one level of nested 〈〉/《》/<> inside (《关于适用〈民事诉讼法〉的解释》).
_TITLE = re.compile(r"《((?:[^《》]|《[^《》]*》)+)》")
# What may stand between a title's closing 》 and the repeal verb.
_DOC_NUMBER = r"(?:[（(][^（）()《》]{1,40}[)）])?"
_TO_VERB = re.compile(
    _DOC_NUMBER
    + r"(?:，?(?:自|在)?本(?:法|条例|规定|办法|解释|规则|细则|决定|安排|意见)?"
      r"(?:公布|发布|施行|实施|生效|公布施行|发布施行|公布实施|发布实施)(?:之日起|后)，?)?"
    + r"(?:同时|即行|一并)?(?:予以)?$")
# Between two list elements: a separator, or nothing at all (《A》《B》同时废止).
_TO_NEXT = re.compile(_DOC_NUMBER + r"(?:、|和|及|以及|，|；|$)")
_CITING = re.compile(r"根据|依照|按照|依据|参照|违反")
_ENDS_CLAUSE = re.compile(r"[。；，]|$")
_EFFECTIVE = re.compile(
    r"本(?:法|条例|规定|办法|解释|规则|细则|决定|安排)自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|实施|生效)")


def title_key(title: str) -> str:
    """A title as compared: no 中华人民共和国, no spaces, one bracket width, 〈〉 as 《》."""
    table = str.maketrans({"〈": "《", "〉": "》", "<": "《", ">": "》", "(": "（", ")": "）"})
    return re.sub(r"\s+", "", title.translate(table)).replace("中华人民共和国", "")


@dataclass(frozen=True)
class RepealClause:
    """One title a sentence repeals: `title` as written, `prefix` the text before it (dates,
    issuing body) back to the previous list element, `sentence` for the report."""

    title: str
    prefix: str
    sentence: str


def repeal_clauses(text: str) -> list[RepealClause]:
    """The whole titles an article's text repeals (see the module docstring for the rules)."""
    found: list[RepealClause] = []
    for sentence in re.split(r"(?<=。)", text):
        if "》" not in sentence:
            continue
        titles = list(_TITLE.finditer(sentence))
        for verb in _VERB.finditer(sentence):
            if not _ENDS_CLAUSE.match(sentence, verb.end()):
                continue
            before = [m for m in titles if m.end() <= verb.start()]
            if not before or not _TO_VERB.fullmatch(sentence, before[-1].end(), verb.start()):
                continue
            chain = [before[-1]]
            for prev in reversed(before[:-1]):
                gap = sentence[prev.end():chain[-1].start()]
                if not _TO_NEXT.match(gap):
                    break
                chain.append(prev)
            chain.reverse()
            for i, m in enumerate(chain):
                start = chain[i - 1].end() if i else _clause_start(sentence, m.start())
                prefix = sentence[start:m.start()]
                if i and _TO_NEXT.match(prefix):
                    prefix = prefix[_TO_NEXT.match(prefix).end():]
                if _CITING.search(prefix):
                    continue
                found.append(RepealClause(title=m.group(1), prefix=prefix, sentence=sentence.strip()))
    return found


def _clause_start(sentence: str, pos: int) -> int:
    """Where the clause holding the first title starts (after the last 。/；/， before it)."""
    cut = max(sentence.rfind(mark, 0, pos) for mark in "；，。")
    return cut + 1


def effective_date(parsed: ParsedLaw, fields: Mapping) -> dt.date | None:
    """When the law took effect: its own 施行 article, else the metadata's dates."""
    for article in reversed(parsed.articles):
        m = _EFFECTIVE.search(article.text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    return fields.get("valid_from") or fields.get("publish_date")


@dataclass
class Repeal:
    """`law` (the repealed version) is repealed by `by` from `on`; `article` and `sentence`
    cite the clause."""

    law: object
    by: object
    by_title: str
    article: str
    on: dt.date
    sentence: str


def find_repeals(laws: Iterable, *, today: dt.date) -> list[Repeal]:
    """Every (repealed version, repealing law) pair among `laws`.

    `laws` are the import's prepared files: objects with `.parsed` (ParsedLaw) and `.fields`
    (title, publish_date, valid_from, region_code, is_case). The earliest repeal of a version
    wins when several laws repeal it (e.g. the old and the amended text of the repealing law).
    """
    laws = [p for p in laws if not p.fields["is_case"]]
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    for p in laws:
        by_key[(title_key(p.fields["title"]), p.fields["region_code"])].append(p)
    chosen: dict[int, Repeal] = {}
    for repealer in laws:
        effective = None
        region = repealer.fields["region_code"]
        own_key = title_key(repealer.fields["title"])
        for article in repealer.parsed.articles:
            if "》" not in article.text:
                continue
            for clause in repeal_clauses(article.text):
                key = _resolve(clause, region, by_key)
                if key is None or key == own_key:
                    continue
                if effective is None:
                    effective = effective_date(repealer.parsed, repealer.fields) or dt.date.max
                if effective > today:
                    continue
                for target in _version_in_effect(by_key[(key, region)], effective):
                    current = chosen.get(id(target))
                    if current is None or effective < current.on:
                        chosen[id(target)] = Repeal(
                            law=target, by=repealer, by_title=repealer.fields["title"], article=article.label,
                            on=effective, sentence=clause.sentence)
    return list(chosen.values())


def _resolve(clause: RepealClause, region: str, by_key: Mapping[tuple[str, str], list]) -> str | None:
    key = title_key(clause.title)
    if (key, region) in by_key:
        return key
    if key.startswith("关于"):
        # 最高人民法院1992年…发布的《关于适用〈民事诉讼法〉若干问题的意见》: the issuing body stands
        # before the title, the stored title starts with it.
        prefix = title_key(clause.prefix)
        matches = [k for (k, r) in by_key if r == region and k.endswith(key) and k != key
                   and k[:-len(key)] in prefix]
        if len(matches) == 1:
            return matches[0]
    return None


def _version_in_effect(versions: list, effective: dt.date) -> list:
    """The newest dated version(s) published before `effective`: what the clause repealed.

    A title held once and undated (河南省人民代表大会常务委员会关于办理省人大代表建议、批评和意见的
    办法) is that law: a clause cannot name a law made after it. Several undated files of one
    title (the 民法典 books) are never guessed at.
    """
    if len(versions) == 1 and versions[0].fields["publish_date"] is None:
        return list(versions)
    older = [p for p in versions if p.fields["publish_date"] is not None and p.fields["publish_date"] < effective]
    if not older:
        return []
    newest = max(p.fields["publish_date"] for p in older)
    return [p for p in older if p.fields["publish_date"] == newest]
