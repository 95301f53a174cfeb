"""Tokenisation shared by the index, the queries and the training script.

Every component (article index, learned term map, evaluation) must cut text the same way, or the
learned weights point at terms the index never produces; so there is exactly one function here.
"""

from __future__ import annotations

import re
import unicodedata

import rjieba

# Function words of questions and statutes: they carry no topic, and in the learned term map they
# would otherwise associate with every article.
STOPWORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 是 在 有 和 与 及 或 或者 以及 并 并且 而 被 把 将 对 对于 由 从 向 于 为 以 之 其
    这 那 这个 那个 这些 那些 这样 那样 这种 那种 此 该 本 各 每 某 某某 我 你 他 她 它 我们 你们 他们 她们 自己
    什么 怎么 怎么办 怎样 如何 哪些 哪 哪个 哪里 为什么 吗 是否 是不是 能否 能不能 可否 可不可以 多少 几 么
    会 能 可以 可 要 需要 应 应该 应当 得 地 也 都 就 还 又 再 已 已经 没有 没 不 不是 一 一个 个 等 等等
    """.split()
)

_KEEP = re.compile(r"[\w]", re.UNICODE)
_NUMERAL_ARTICLE = re.compile(r"第[零〇一二三四五六七八九十百千\d]+[条章节款项编]")


def normalize(text: str) -> str:
    """NFKC folds full-width letters and digits so '１２' and '12' are one term."""
    return unicodedata.normalize("NFKC", text).lower()


def tokenize(text: str) -> list[str]:
    """Search-mode jieba terms minus punctuation, stopwords and article numerals.

    Search mode emits both '劳动合同' and its parts '劳动', '合同': a citizen who writes '合同' still
    meets an article that says '劳动合同'.
    """
    text = _NUMERAL_ARTICLE.sub(" ", normalize(text))
    out: list[str] = []
    for term in rjieba.cut_for_search(text):
        term = term.strip()
        if not term or term in STOPWORDS or not _KEEP.search(term):
            continue
        if len(term) == 1 and term.isascii():
            continue
        out.append(term)
    return out


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_FUNCTION_CHARS = frozenset("的了吗呢是在有和与及或怎么办什么如何哪些可以应当")


def char_bigrams(text: str) -> list[str]:
    """Overlapping Chinese character pairs, a second view of the text for the ranker.

    They match words that jieba cuts differently in a colloquial question and in a statute,
    where the word-level fields see no common term. Pairs made only of function characters
    are dropped.
    Measured: +1.6 points Recall@10 and MRR@10 in cross-validation."""
    out: list[str] = []
    for run in _HAN_RUN.findall(normalize(text)):
        out.extend(run[i:i + 2] for i in range(len(run) - 1)
                   if not (run[i] in _FUNCTION_CHARS and run[i + 1] in _FUNCTION_CHARS))
    return out
