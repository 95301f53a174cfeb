"""Training the ranker from judged questions (JSONL: {"question", "relevant": [{law, article}]}).

Each training question's features are computed leave-one-out (its own memory entry hidden), so
the ranker learns how much to trust the memory for a question it has *not* seen, which is the
situation of every real citizen.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fawang.knowledge.encoder import get_encoder

from . import ranker as _ranker
from . import semantic as _semantic
from .index import ArticleIndex
from .metrics import summarize
from .model import RetrievalModel, untrained_ranker
from .neighbours import MemoryVectors
from .ranker import BoundMemory, LinearRanker, Memory, features
from .text import char_bigrams, tokenize

Key = tuple[str, str]

# Questions we wrote, one to three per article of the laws citizens ask about most (data/questions/README.md).
ARTICLE_QUESTIONS_DIR = Path(__file__).resolve().parent / "data" / "questions"
SEMANTIC = True  # learn the semantic channel (semantic.py) with the ranker
SEMANTIC_FOLDS = 3  # models that give the judged questions their held-out semantic scores
NEIGHBOURS = True  # sentence-encoder neighbours (neighbours.py), when the encoder is installed


@dataclass(frozen=True)
class Example:
    question: str
    gold: frozenset[Key]
    # Similarity-only terms of the memory entry: a lawyer's answer (consultation-answers) or
    # an FAQ entry's keywords.
    answer: str = ""



def read_examples(path: Path, answers: Path | None = None) -> list[Example]:
    """Judged questions from JSONL; answers joined by the numeric part of the id (lecoqa-7 ~ stard-7)."""
    by_num: dict[str, str] = {}
    if answers is not None:
        for line in answers.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                by_num[str(row["id"]).rsplit("-", 1)[-1]] = row.get("answer", "")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gold = frozenset((r["law"], r["article"]) for r in row.get("relevant", []))
        num = str(row.get("id", "")).rsplit("-", 1)[-1]
        out.append(Example(row["question"], gold, by_num.get(num, "")))
    return out


def _index_title(law: str, titles: set[str]) -> str:
    """Our own files cite laws by short name (民法典); the index knows the full title."""
    full = f"中华人民共和国{law}"
    return full if law not in titles and full in titles else law


def read_reference(index: ArticleIndex, *, faq: Path | None = None,
                   questions_dir: Path | None = ARTICLE_QUESTIONS_DIR) -> list[Example]:
    """Questions with known articles that are not lawyer-judged: our FAQ (its keywords as extra
    similarity terms) and the questions written per article under `data/questions/`.

    They join the memory, so a citizen's question can reach an article that no judged question
    cites (half of the gold articles of an unseen question are such), and they teach the term map
    everyday words for statute words. They never train the ranker's weights: those must reflect
    how far to trust the memory for a real question.
    """
    from fawang.knowledge.classify.training import FAQ_PATH, read_faq

    titles = set(index.law_titles)
    out = []
    for entry in read_faq(faq or FAQ_PATH):
        gold = frozenset((_index_title(c["law"], titles), c["article"]) for c in entry.get("citations", []))
        out.append(Example(entry["question"], gold, " ".join(entry.get("keywords", []))))
    if questions_dir is not None and questions_dir.is_dir():
        for path in sorted(questions_dir.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    out.append(Example(row["question"], frozenset({(_index_title(row["law"], titles), row["article"])})))
    return [e for e in out if any(k in index.key_to_row for k in e.gold)]


def train(examples: Iterable[Example], index: ArticleIndex, *, reference: Sequence[Example] = (),
          info: dict | None = None, vectors: Mapping[str, np.ndarray] | None = None,
          fallback: bool = True) -> RetrievalModel:
    """Memory = the judged examples, then `reference`; ranker = judged examples only, each with
    its own memory entry left out (the judged entries come first, so entry j is example j).

    With the sentence encoder (or `vectors`: question text → encoder vector, for every memory
    question) the memory keeps each entry's vector and the ranker learns the neighbour features;
    `fallback` then also trains the ranker used where the encoder is missing (cross-validation
    skips it: it scores the ranker that runs with the encoder)."""
    examples = [e for e in examples if e.gold]
    everything = examples + [e for e in reference if e.gold]
    terms = [tokenize(e.question) for e in everything]
    memory = Memory(terms, [sorted(e.gold) for e in everything], [tokenize(e.answer) for e in everything])
    bound = BoundMemory(memory, index)
    semantic = _semantic.fit(terms, bound.rows, index) if SEMANTIC else None
    own_scores = _held_out_semantic_scores(terms, bound.rows, len(examples), index) if SEMANTIC else None
    neighbours = memory_vectors([e.question for e in everything], vectors) if NEIGHBOURS else None

    def fit_rankers(with_neighbours: bool) -> LinearRanker:
        Xs, ys = [], []
        for j, e in enumerate(examples):
            nb = neighbours.similarities(neighbours.vectors[j]) if with_neighbours else None
            cands, X = features(index, bound, terms[j], bigrams=char_bigrams(e.question), exclude=j,
                                semantic=None if own_scores is None else own_scores[j], neighbours=nb)
            Xs.append(X)
            ys.append(np.array([index.key(r) in e.gold for r in cands], dtype=np.float32))
        return LinearRanker.average([
            LinearRanker.fit(Xs, ys, hidden=_ranker.HIDDEN, iters=_ranker.ITERS, l2=_ranker.L2, seed=7 + i)
            for i in range(_ranker.SEEDS if _ranker.HIDDEN else 1)])

    ranker = fit_rankers(neighbours is not None)
    without = fit_rankers(False) if neighbours is not None and fallback else None
    return RetrievalModel(ranker=ranker, memory=memory, semantic=semantic, neighbours=neighbours, fallback=without,
                          info={"n_examples": len(examples), "n_reference": len(everything) - len(examples),
                                "neighbours": neighbours is not None, **(info or {})})


def memory_vectors(questions: Sequence[str], known: Mapping[str, np.ndarray] | None = None) -> MemoryVectors | None:
    """The encoder's vector of every memory question (from `known` where given); None when a
    question is missing from `known` and there is no encoder to compute it."""
    known = known or {}
    missing = list(dict.fromkeys(q for q in questions if q not in known))
    if missing:
        encoder = get_encoder()
        if encoder is None:
            return None
        known = {**known, **dict(zip(missing, encoder.encode(missing, cache=False), strict=True))}
    return MemoryVectors(np.stack([np.asarray(known[q], dtype=np.float32) for q in questions])
                         if questions else np.zeros((0, 0), dtype=np.float32))


def _held_out_semantic_scores(terms: list[list[str]], rows: Sequence[np.ndarray], n_judged: int,
                              index: ArticleIndex) -> list[np.ndarray]:
    """Semantic scores of each judged question from a model that never saw it.

    Like the memory features (leave-one-out), the ranker must learn how far to trust the
    semantic channel for an unseen question; a model trained on the question itself would
    look far too good. SEMANTIC_FOLDS models, each on the reference questions and the judged
    questions outside its fold.
    """
    out: list[np.ndarray] = [np.zeros(0)] * n_judged
    n_all = len(terms)
    for fold in folds(n_judged, SEMANTIC_FOLDS, seed=29):
        held = set(fold)
        keep = [j for j in range(n_all) if j not in held]
        model = _semantic.fit([terms[j] for j in keep], [rows[j] for j in keep], index)
        vectors = model.article_vectors(index)
        for j in fold:
            out[j] = vectors @ model.question_vector(terms[j])
    return out


def folds(n: int, k: int, seed: int = 13) -> list[list[int]]:
    """k disjoint folds of range(n) after a seeded shuffle (deterministic)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def rank_keys(index: ArticleIndex, model: RetrievalModel | None, bound: BoundMemory | None,
              question: str, limit: int = 100) -> list[Key]:
    terms = tokenize(question)
    semantic = model.semantic_scores(index, terms) if model else None
    neighbours = model.question_neighbours(question) if model else None
    ranker = model.ranker_for(neighbours) if model else untrained_ranker()
    cands, X = features(index, bound, terms, bigrams=char_bigrams(question), semantic=semantic,
                        neighbours=neighbours)
    if cands.size == 0:
        return []
    order = np.lexsort((cands, -ranker.score(X)))[:limit]
    return [index.key(int(r)) for r in cands[order]]


def cross_validate(examples: list[Example], index: ArticleIndex, *, k: int = 5, seed: int = 13,
                   reference: Sequence[Example] = (), progress=None) -> dict:
    """Honest estimate: train on k-1 folds (memory + ranker), rank the held-out fold. The
    reference questions are in every fold's memory: they are not judged questions, and a real
    question meets them too."""
    examples = [e for e in examples if e.gold]
    # Every question's encoder vector once, not once a fold (12,000 questions, ~45 ms each).
    vectors = None
    if NEIGHBOURS and (encoder := get_encoder()) is not None:
        texts = list(dict.fromkeys(e.question for e in [*examples, *reference]))
        vectors = dict(zip(texts, encoder.encode(texts, cache=False), strict=True))
    runs, latencies = [], []
    for f, test in enumerate(folds(len(examples), k, seed)):
        held = set(test)
        model = train([e for i, e in enumerate(examples) if i not in held], index, reference=reference,
                      vectors=vectors, fallback=False)
        bound = BoundMemory(model.memory, index)
        for i in test:
            start = time.perf_counter()
            ranked = rank_keys(index, model, bound, examples[i].question)
            latencies.append((time.perf_counter() - start) * 1000)
            runs.append((ranked, set(examples[i].gold)))
        if progress:
            progress(f"fold {f + 1}/{k}: {summarize(runs)}")
    return summarize(runs, latencies)


def bm25_baseline(examples: list[Example], index: ArticleIndex, *, field: str = "text") -> dict:
    """Plain BM25 over one field (no learning): the reference the task states (~0.41/0.63/0.36)."""
    runs, latencies = [], []
    for e in examples:
        if not e.gold:
            continue
        start = time.perf_counter()
        s = index.fields[field].score(tokenize(e.question))
        top = np.argpartition(-s, 100)[:100]
        top = top[np.lexsort((top, -s[top]))]
        latencies.append((time.perf_counter() - start) * 1000)
        runs.append(([index.key(int(r)) for r in top if s[r] > 0], set(e.gold)))
    return summarize(runs, latencies)
