"""Chinese article labels ("第一千零七十九条") to numbers."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_LABEL = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")


def chinese_to_int(text: str) -> int | None:
    """'一千零七十九' → 1079, '十五' → 15, '123' → 123; None for anything else."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            return None
    return total + current


def article_number(label: str) -> int | None:
    """'第一千零七十九条' → 1079; None when the label is not an article label."""
    match = _LABEL.search(label or "")
    return chinese_to_int(match.group(1)) if match else None
