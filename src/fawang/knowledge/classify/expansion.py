"""Query expansion: a citizen's words → the statute words lawyers' answers tie them to.

The statute-retrieval engine learns a term map from judged questions (``BoundMemory.co``: for each
question word, how often each statute word occurs in the articles cited for it). "老板" leads to
"用人单位", "看守所" to "羁押": statute vocabulary that the 20 categories line up with better than
the colloquial text does. The classifier adds the top expansion words of a question as extra
features ("X:用人单位").

Why the map is *baked into the classifier artifact* instead of asking the engine at run time: the
engine needs the law corpus imported and a 70 MB index loaded; a fresh deployment, a test without
a database, or a corpus being re-imported must classify exactly as the shipped model was measured.
The map is small (question words seen ≥ 2 times, links with P ≥ 0.3) and is rebuilt with the
classifier by ``fawang train-classifier`` (from the engine of the corpus imported at that time).

Measured (docs/benchmarks.md, "Question classification"): +1.1 to +1.9 accuracy points in
stratified CV. The term map comes from ``statute-retrieval/train.jsonl`` and the law corpus,
never from the classification labels.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

PREFIX = "X:"
# How many expansion words become features (the top ones by P(statute word | question word)).
EXPANSION_TERMS = 10
# The retrieval engine keeps this many candidates ranked by P × idf before we pick ours.
CANDIDATES = 20
XLAT_MIN = 2  # as the retrieval engine: a word needs this many judged pairs to be translated
XLAT_P = 0.3

logger = logging.getLogger(__name__)


def _question_terms(text: str) -> list[str]:
    """The retrieval engine's own tokeniser: the map's keys are its terms."""
    from fawang.knowledge.retrieval.text import tokenize

    return tokenize(text)


@dataclass
class TermMap:
    # question term -> [(statute word, P(statute word | question term), idf of the statute word)]
    links: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.links)

    def expand(self, text: str, n: int = EXPANSION_TERMS) -> list[str]:
        """Up to ``n`` statute words for ``text`` (none that the text already contains as a
        term), deterministic: ties broken by the word itself."""
        terms = _question_terms(text)
        best: dict[str, tuple[float, float]] = {}
        for term in dict.fromkeys(terms):
            for word, p, idf in self.links.get(term, ()):
                if p > best.get(word, (0.0, 0.0))[0]:
                    best[word] = (p, idf)
        query = set(terms)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0] * kv[1][1], kv[0]))[:CANDIDATES]
        ranked = [kv for kv in ranked if kv[0] not in query]
        ranked.sort(key=lambda kv: (-kv[1][0], kv[0]))
        return [word for word, _ in ranked[:n]]

    def features(self, text: str, n: int = EXPANSION_TERMS) -> set[str]:
        return {PREFIX + word for word in self.expand(text, n)}

    def to_json(self) -> dict:
        """{"idf": {statute word: idf}, "links": {question term: [[statute word, P], ...]}}."""
        idf = {w: round(i, 4) for links in self.links.values() for w, _, i in links}
        return {"idf": dict(sorted(idf.items())),
                "links": {t: [[w, round(p, 4)] for w, p, _ in links] for t, links in sorted(self.links.items())}}

    @classmethod
    def from_json(cls, data: dict) -> TermMap:
        idf = data["idf"]
        return cls({t: [(w, float(p), float(idf[w])) for w, p in links] for t, links in data["links"].items()})


def term_map_from_engine() -> TermMap | None:
    """The retrieval engine's learned term map, or None when no corpus is imported (or the
    retrieval model has no memory). Needs Django (the engine reads the article index)."""
    from fawang.knowledge.retrieval.engine import get_engine

    engine = get_engine()
    if engine is None or engine.memory is None:
        return None
    memory = engine.memory
    links: dict[str, list[tuple[str, float, float]]] = {}
    for term, row in memory.co.items():
        nq = memory.q_count[term]
        if nq < XLAT_MIN:
            continue
        kept = [(memory.text_vocab[a], c / nq, float(memory.text_idf[a])) for a, c in row.items()
                if c >= XLAT_MIN and c / nq >= XLAT_P]
        if kept:
            links[term] = sorted(kept, key=lambda x: (-x[1], x[0]))
    logger.info("term map: %d question words", len(links))
    return TermMap(links)
