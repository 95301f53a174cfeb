"""Retrieval metrics over (law title, article label) keys.

Gold articles are a *set* per question; a ranking is a list of keys (duplicates count once).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Key = tuple[str, str]


def recall_at(ranked: Sequence[Key], gold: set[Key], k: int) -> float:
    """Fraction of the gold articles found in the first k results."""
    if not gold:
        return 0.0
    return len(gold & set(ranked[:k])) / len(gold)


def mrr_at(ranked: Sequence[Key], gold: set[Key], k: int = 10) -> float:
    """1/rank of the first gold article within the first k, else 0."""
    for i, key in enumerate(ranked[:k]):
        if key in gold:
            return 1.0 / (i + 1)
    return 0.0


def ndcg_at(ranked: Sequence[Key], gold: set[Key], k: int = 10) -> float:
    """Binary-gain nDCG; a repeated key gains only at its first position."""
    if not gold:
        return 0.0
    seen: set[Key] = set()
    dcg = 0.0
    for i, key in enumerate(ranked[:k]):
        if key in gold and key not in seen:
            dcg += 1.0 / math.log2(i + 2)
        seen.add(key)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(gold))))
    return dcg / ideal


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(runs: Iterable[tuple[Sequence[Key], set[Key]]], latencies_ms: Sequence[float] = ()) -> dict:
    """The benchmark's JSON object: mean metrics over questions plus latency percentiles."""
    runs = list(runs)
    n = len(runs)

    def mean(values: list[float]) -> float:
        return round(sum(values) / n, 4) if n else 0.0

    return {
        "n": n,
        "recall@10": mean([recall_at(r, g, 10) for r, g in runs]),
        "recall@100": mean([recall_at(r, g, 100) for r, g in runs]),
        "mrr@10": mean([mrr_at(r, g, 10) for r, g in runs]),
        "ndcg@10": mean([ndcg_at(r, g, 10) for r, g in runs]),
        "p50_ms": round(percentile(list(latencies_ms), 50), 2),
        "p95_ms": round(percentile(list(latencies_ms), 95), 2),
    }
