"""Diagnostic (not part of the product): the gold articles no candidate channel produced — how
far are they from a candidate of the same law?

Reads the fold pickles of ``where_lost_cv.py`` (held-out questions with their candidate rows and
gold keys) and the index they were made with. A gold article one or two rows from a candidate of
its own law could be reached by widening the "around" channel (neighbours of strong candidates);
one in a law no channel touched could not.

    .venv/bin/python experiments/retrieval/misses_near.py --folds /tmp/retr_diag --index /tmp/var-s4/retrieval
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from fawang.knowledge.retrieval.index import ArticleIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", default="/tmp/retr_diag")
    parser.add_argument("--index", default="/tmp/var-s4/retrieval")
    args = parser.parse_args()
    index = ArticleIndex.load(Path(args.index))
    counts: Counter = Counter()
    distance: Counter = Counter()
    laws: Counter = Counter()
    for path in sorted(Path(args.folds).glob("fold*.pkl")):
        data = pickle.loads(path.read_bytes())
        for (_question, cands, _X), keys in zip(data["held"], data["held_gold_keys"], strict=True):
            cset = {int(c) for c in cands}
            counts["questions"] += 1
            counts["candidates"] += len(cset)
            for key in keys:
                row = index.key_to_row.get(key)
                if row is None:
                    counts["gold not in the index"] += 1
                    continue
                counts["gold"] += 1
                if row in cset:
                    continue
                counts["gold never a candidate"] += 1
                law = int(index.law_of[row])
                laws[index.law_titles[law]] += 1
                same = [c for c in cset if int(index.law_of[c]) == law]
                if not same:
                    counts["... its law has no candidate"] += 1
                else:
                    distance[min(min(abs(c - row) for c in same), 11)] += 1
    print(dict(counts))
    print("rows to the nearest candidate of the same law (11 = more than 10):", dict(sorted(distance.items())))
    print("laws of the missed articles:", laws.most_common(8))


if __name__ == "__main__":
    main()
