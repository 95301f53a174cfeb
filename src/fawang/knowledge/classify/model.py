"""A (complement) multinomial naive Bayes text classifier in pure Python, saved as JSON.

Why naive Bayes and not something heavier: 300 labelled questions (15 per class) plus a few
thousand weakly labelled ones. With so little data NB with binary features is as accurate as a
linear SVM in our cross-validation and needs no numpy/scikit-learn at run time; the whole model is
a table of counts that loads in milliseconds. Documents carry a weight so weak labels count less
than gold ones.

Complement NB (Rennie et al. 2003) scores a category by how badly the *other* categories explain
the question, estimated from all their documents pooled. Our training sources are very unbalanced
(the weak labels are 23 % 合同纠纷 and contain almost no 海事海商), and per-class estimates from a
handful of documents are noisy; the complement estimates use ~19/20 of the data for every class.
Measured: +4 to +8 accuracy points over plain NB in stratified CV on every seed and k we tried
(docs/benchmarks.md).

Since 2026-12-07 the artifact may also carry a sentence-embedding head (``embedding.py``) whose
probabilities are mixed into ``scores`` when its optional encoder is installed; the NB tables
are unchanged by it.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fawang.knowledge.classify.embedding import EmbeddingHead, get_encoder
from fawang.knowledge.classify.expansion import TermMap
from fawang.knowledge.classify.features import tokens

FORMAT_VERSION = 1
SCORE_TEMPERATURE = 4.0


@dataclass
class NaiveBayes:
    categories: list[str]
    alpha: float = 0.3
    # counts[category][feature] = weighted number of documents of that category with the feature
    counts: dict[str, dict[str, float]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)
    # Hand-written keyword priors: each keyword of a category found verbatim in the question adds
    # ``keyword_bonus`` to that category's log-score (a legal term like 工伤 is decisive evidence
    # that 15 examples per class cannot teach).
    keywords: dict[str, list[str]] = field(default_factory=dict)
    keyword_bonus: float = 0.0
    complement: bool = False
    # Query expansion (``expansion.py``): the top ``expansion_terms`` statute words of a question
    # become extra features. None / 0 = off (artifacts from before the expansion load that way).
    term_map: TermMap | None = None
    expansion_terms: int = 0
    # Sentence-embedding head (``embedding.py``): when present and the encoder is installed, the
    # reported probabilities are (1 - w) x NB + w x head, w = ``embedding_weight``.
    embedding: EmbeddingHead | None = None
    embedding_weight: float = 0.0
    meta: dict = field(default_factory=dict)
    _log_cache: dict[str, tuple[dict[str, float], float]] = field(default_factory=dict, repr=False)

    def features(self, text: str, *, expand: bool = True) -> set[str]:
        """Feature set of ``text``: its tokens, plus its expansion words when the model has a
        term map and ``expand`` is on."""
        feats = set(tokens(text))
        if expand and self.term_map is not None and self.expansion_terms > 0:
            feats |= self.term_map.features(text, self.expansion_terms)
        return feats

    @classmethod
    def train(cls, docs: Iterable[tuple], *, categories: list[str], alpha: float = 0.3,
              min_df: int = 1, keywords: dict[str, list[str]] | None = None,
              keyword_bonus: float = 0.0, complement: bool = False, term_map: TermMap | None = None,
              expansion_terms: int = 0) -> NaiveBayes:
        """``docs``: (text, category, weight) or (text, category, weight, expand). ``expand``
        (default True) says whether a document gets expansion features: citizens' questions do;
        keyword pseudo-documents and the weakly labelled statute-style questions do not (measured
        better, docs/benchmarks.md). Features seen in fewer than ``min_df`` documents are dropped
        (they keep the artifact small and carry no evidence)."""
        model = cls(categories=list(categories), alpha=alpha, term_map=term_map, expansion_terms=expansion_terms)
        per_doc: list[tuple[set[str], str, float]] = []
        df: dict[str, int] = defaultdict(int)
        for text, category, weight, *rest in docs:
            if category not in categories:
                raise ValueError(f"unknown category {category!r}")
            feats = model.features(text, expand=bool(rest[0]) if rest else True)
            per_doc.append((feats, category, weight))
            for feat in feats:
                df[feat] += 1
        counts: dict[str, dict[str, float]] = {c: defaultdict(float) for c in categories}
        totals = dict.fromkeys(categories, 0.0)
        vocab = {f for f, n in df.items() if n >= min_df}
        for feats, category, weight in per_doc:
            for feat in feats & vocab:
                counts[category][feat] += weight
                totals[category] += weight
        model.counts = {c: dict(v) for c, v in counts.items()}
        model.totals = totals
        model.vocabulary = vocab
        model.keywords = {k: list(v) for k, v in (keywords or {}).items()}
        model.keyword_bonus = keyword_bonus
        model.complement = complement
        return model

    def _logs(self, category: str) -> tuple[dict[str, float], float]:
        """Per-feature log-weights of ``category`` (higher = more evidence for it) and the weight of
        a vocabulary feature the table lacks."""
        if category not in self._log_cache and self.complement:
            self._complement_logs()
        if category not in self._log_cache:
            denom = self.totals[category] + self.alpha * len(self.vocabulary)
            table = {f: math.log((n + self.alpha) / denom) for f, n in self.counts[category].items()}
            self._log_cache[category] = (table, math.log(self.alpha / denom))
        return self._log_cache[category]

    def _complement_logs(self) -> None:
        pooled: dict[str, float] = defaultdict(float)
        for table in self.counts.values():
            for feat, n in table.items():
                pooled[feat] += n
        grand = sum(self.totals.values())
        size = len(self.vocabulary)
        for category in self.categories:
            denom = grand - self.totals[category] + self.alpha * size
            own = self.counts[category]
            # Negated: a feature frequent in the other classes is evidence *against* this one.
            table = {f: -math.log((n - own.get(f, 0.0) + self.alpha) / denom) for f, n in pooled.items()}
            self._log_cache[category] = (table, -math.log(self.alpha / denom))

    def scores(self, text: str) -> list[tuple[str, float]]:
        """(category, probability) for every category, best first."""
        feats = [f for f in self.features(text) if f in self.vocabulary]
        logits = []
        for category in self.categories:
            table, unseen = self._logs(category)
            bonus = self.keyword_bonus * sum(1 for word in self.keywords.get(category, ()) if word in text)
            logits.append(sum(table.get(f, unseen) for f in feats) + bonus)
        # NB log-likelihoods sum dozens of dependent n-grams and are wildly over-confident; a
        # temperature keeps the ranking and makes the score usable as a "how sure" hint.
        top = max(logits)
        exps = [math.exp((x - top) / SCORE_TEMPERATURE) for x in logits]
        norm = sum(exps)
        probs = [e / norm for e in exps]
        if self.uses_embeddings:
            head = dict(zip(self.embedding.categories, self.embedding.probabilities(get_encoder().encode([text]))[0],
                            strict=True))
            w = self.embedding_weight
            probs = [(1 - w) * p + w * float(head.get(c, 0.0)) for c, p in zip(self.categories, probs, strict=True)]
        return sorted(zip(self.categories, probs, strict=True), key=lambda p: -p[1])

    @property
    def uses_embeddings(self) -> bool:
        """Whether ``scores`` mixes in the sentence-embedding head in this process."""
        return self.embedding is not None and self.embedding_weight > 0 and get_encoder() is not None

    def predict(self, text: str) -> str:
        return self.scores(text)[0][0]

    # -- persistence -------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "kind": "complement_nb_binary" if self.complement else "multinomial_nb_binary",
            "complement": self.complement,
            "alpha": self.alpha,
            "categories": self.categories,
            "totals": {c: round(v, 4) for c, v in self.totals.items()},
            "counts": {c: {f: round(n, 4) for f, n in sorted(v.items())} for c, v in self.counts.items()},
            "keywords": self.keywords,
            "keyword_bonus": self.keyword_bonus,
            "expansion_terms": self.expansion_terms if self.term_map is not None else 0,
            "term_map": self.term_map.to_json() if self.term_map is not None else None,
            "embedding": self.embedding.to_json() if self.embedding is not None else None,
            "embedding_weight": self.embedding_weight if self.embedding is not None else 0.0,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict) -> NaiveBayes:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError("unsupported classifier model format")
        term_map = TermMap.from_json(data["term_map"]) if data.get("term_map") else None
        return cls(categories=data["categories"], alpha=data["alpha"], counts=data["counts"],
                   totals=data["totals"], vocabulary={f for table in data["counts"].values() for f in table},
                   keywords=data.get("keywords", {}), keyword_bonus=data.get("keyword_bonus", 0.0),
                   complement=bool(data.get("complement", False)), term_map=term_map,
                   expansion_terms=int(data.get("expansion_terms", 0)),
                   embedding=EmbeddingHead.from_json(data["embedding"]) if data.get("embedding") else None,
                   embedding_weight=float(data.get("embedding_weight", 0.0)), meta=data.get("meta", {}))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> NaiveBayes:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
