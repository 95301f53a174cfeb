"""Segmentation helpers for matching questions to FAQ entries and to statute text."""

from __future__ import annotations

import re
from functools import lru_cache

_PUNCT = re.compile(r"[^\w]+")
STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 是 我 你 他 她 它 我们 他们 怎么 怎么办 怎样 如何 什么 哪些 可以 能 能否 会 要 "
    "应该 需要 还 就 都 和 与 或 在 有 没有 被 把 对 给 从 这 那 这个 那个 一个 请问 你好 您好 律师 "
    "问题 情况 现在 已经 自己 如果 但是 因为 所以 可是 还是 一下 多少 多久 是否 不 也 又 再 让 "
    "及 等 到 去 来 个 说 做 想".split()
)


@lru_cache(maxsize=1)
def _cut():
    try:
        from fawang.knowledge.segment import segmenter  # rjieba with the legal-terms dictionary

        return segmenter().cut
    except ImportError:  # pragma: no cover - knowledge.segment ships with the project
        pass
    try:
        import rjieba

        return rjieba.cut
    except ImportError:  # pragma: no cover
        import jieba

        return jieba.lcut


def words(text: str) -> list[str]:
    """Content words of ``text`` (segmented, stopwords and one-character words dropped)."""
    out = []
    for word in _cut()(text or ""):
        word = word.strip().lower()
        if len(word) >= 2 and word not in STOPWORDS and not _PUNCT.fullmatch(word):
            out.append(word)
    return out


def bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for chunk in _PUNCT.split((text or "").lower()):
        grams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return grams
