"""Text → sparse features: rjieba words plus character bigrams and trigrams.

Questions are short and noisy (typos, masked names like "XX"); characters n-grams survive typos,
words carry the legal terms. Digits and masks are collapsed so "3000元" and "40万元" look alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

_MASK = re.compile(r"[xX×＊*]{2,}|[A-Za-z]\b")
_DIGITS = re.compile(r"\d+(\.\d+)?")
_NON_WORD = re.compile(r"[^\w]+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _MASK.sub("某", text)
    return _DIGITS.sub("0", text)


@lru_cache(maxsize=1)
def _cut():
    try:
        import rjieba

        return rjieba.cut
    except ImportError:  # pragma: no cover - rjieba is a dependency; jieba is the documented fallback
        import jieba

        return jieba.lcut


def tokens(text: str) -> Counter[str]:
    """Feature counts of one text. Word features are prefixed ``w:``, char n-grams are bare."""
    norm = normalize(text)
    feats: Counter[str] = Counter()
    for word in _cut()(norm):
        word = word.strip()
        if word and not _NON_WORD.fullmatch(word):
            feats["w:" + word] += 1
    for chunk in _NON_WORD.split(norm):
        for n in (2, 3):
            for i in range(len(chunk) - n + 1):
                feats[chunk[i : i + n]] += 1
    return feats
