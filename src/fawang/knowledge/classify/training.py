"""Training data assembly and evaluation (k-fold cross-validation, accuracy, macro-F1)."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from fawang.knowledge.classify.categories import CATEGORIES, KEYWORD_PRIORS, category_for_law
from fawang.knowledge.classify.embedding import EmbeddingHead, get_encoder
from fawang.knowledge.classify.expansion import TermMap
from fawang.knowledge.classify.model import NaiveBayes

Doc = tuple[str, str, float]  # text, category, weight


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def labelled_docs(rows: Iterable[dict], weight: float = 1.0) -> list[Doc]:
    return [(r["question"], r["category"], weight) for r in rows if r.get("category") in CATEGORIES]


def weak_docs(rows: Iterable[dict], weight: float) -> list[Doc]:
    """Questions labelled by their relevant statutes (``relevant``: [{law, article}]).

    A question counts only when its statutes vote for one category by a strict majority; the
    answer text (consultation-answers) is appended because it repeats the legal terms.
    """
    docs: list[Doc] = []
    seen: set[str] = set()
    for row in rows:
        question = row.get("question", "")
        if not question or question in seen:
            continue
        votes = Counter(c for x in row.get("relevant", []) if (c := category_for_law(x["law"], x.get("article", ""))))
        if not votes:
            continue
        (best, n), *rest = votes.most_common()
        if rest and rest[0][1] == n:
            continue
        seen.add(question)
        keywords = row.get("keywords")  # some consultation-answers rows carry NaN here
        text = question + " " + (keywords.replace("；", " ") if isinstance(keywords, str) else "")
        docs.append((text, best, weight))
    return docs


# The FAQ we wrote (consultation app): hand-labelled questions in plain citizen language.
FAQ_PATH = Path(__file__).resolve().parents[2] / "consultation" / "data" / "faq.json"


def read_faq(path: Path = FAQ_PATH) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["entries"] if isinstance(data, dict) else data


def faq_docs(entries: Iterable[dict], weight: float) -> list[Doc]:
    """Our own FAQ questions (+ their keywords) as labelled examples; the answers are left out
    (their statute vocabulary measured worse than the question alone)."""
    return [(e["question"] + " " + " ".join(e.get("keywords", [])), e["category"], weight)
            for e in entries if e.get("category") in CATEGORIES]


def prior_docs(weight: float) -> list[Doc]:
    """One pseudo-document per keyword, so each prior word is evidence on its own."""
    return [(word, category, weight) for category, words in KEYWORD_PRIORS.items() for word in words]


def accuracy_and_macro_f1(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float]:
    n = len(gold)
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    f1s = []
    for c in sorted(set(gold)):
        prec = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        rec = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return (correct / n if n else 0.0), (sum(f1s) / len(f1s) if f1s else 0.0)


def stratified_folds(rows: Sequence[dict], k: int, seed: int = 13) -> list[list[int]]:
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_cat[row["category"]].append(i)
    rng = random.Random(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    for cat in sorted(by_cat):
        idx = by_cat[cat]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            folds[j % k].append(i)
    return folds


def cross_validate(rows: Sequence[dict], fit: Callable[[list[dict]], Callable[[str], str]], *, k: int = 5,
                   seed: int = 13) -> dict:
    """k-fold CV over ``rows``: ``fit(train_rows)`` returns a predict function; the held-out fold
    is never seen by ``fit``. Returns pooled accuracy and macro-F1 over all held-out predictions."""
    gold: list[str] = []
    pred: list[str] = []
    for fold in stratified_folds(rows, k, seed):
        held = set(fold)
        predict = fit([r for i, r in enumerate(rows) if i not in held])
        for i in fold:
            gold.append(rows[i]["category"])
            pred.append(predict(rows[i]["question"]))
    acc, f1 = accuracy_and_macro_f1(gold, pred)
    return {"n": len(gold), "k": k, "accuracy": round(acc, 4), "macro_f1": round(f1, 4)}


# Chosen by 5-fold CV on the dev file (see docs/benchmarks.md, "Question classification").
# ``complement`` is an int (1 = complement NB) so that ``train-classifier --complement 0`` parses.
DEFAULTS = {"weak_weight": 0.1, "prior_weight": 6.0, "keyword_bonus": 4.0, "faq_weight": 1.0, "alpha": 0.3,
            "min_df": 2, "complement": 1, "expansion_terms": 10,
            # Sentence-embedding head (embedding.py): its share of the mixed probabilities and
            # its L2, the most frequent choices of the nested CV (experiments/classify/README.md).
            "embedding_weight": 0.4, "embedding_l2": 0.1}


def train_model(gold_rows: Sequence[dict], weak_rows: Sequence[dict] = (), faq_entries: Sequence[dict] = (), *,
                weak_weight: float = DEFAULTS["weak_weight"], prior_weight: float = DEFAULTS["prior_weight"],
                keyword_bonus: float = DEFAULTS["keyword_bonus"], faq_weight: float = DEFAULTS["faq_weight"],
                alpha: float = DEFAULTS["alpha"], min_df: int = DEFAULTS["min_df"],
                complement: int = DEFAULTS["complement"], term_map: TermMap | None = None,
                expansion_terms: int = DEFAULTS["expansion_terms"],
                embedding_weight: float = DEFAULTS["embedding_weight"],
                embedding_l2: float = DEFAULTS["embedding_l2"]) -> NaiveBayes:
    """NB over gold questions + weakly labelled questions + our FAQ questions + keyword
    pseudo-documents, with the keyword bonus at prediction time. Weights of 0 switch a source
    off (the baselines).

    With a ``term_map`` the citizens' questions (gold and FAQ, and every question classified
    later) get ``expansion_terms`` expansion features; the weak questions (statute-style wording,
    and the very questions the term map was learned from) and keyword pseudo-documents do not:
    expanding them measured worse (docs/benchmarks.md).

    With ``embedding_weight`` > 0 and the sentence encoder installed, an ``EmbeddingHead`` is
    trained on the gold and FAQ questions (question text alone; the weak labels made it worse in
    every nested choice) and mixed into the model's probabilities. Without the encoder the model
    is the NB alone."""
    docs: list[tuple] = list(labelled_docs(gold_rows))
    if weak_weight:
        docs += [(*doc, False) for doc in weak_docs(weak_rows, weak_weight)]
    if faq_weight:
        docs += faq_docs(faq_entries, faq_weight)
    if prior_weight:
        docs += [(*doc, False) for doc in prior_docs(prior_weight)]
    keywords = {c: list(w) for c, w in KEYWORD_PRIORS.items()} if keyword_bonus else None
    model = NaiveBayes.train(docs, categories=list(CATEGORIES), alpha=alpha, min_df=min_df, keywords=keywords,
                             keyword_bonus=keyword_bonus, complement=bool(complement),
                             term_map=term_map if expansion_terms else None, expansion_terms=expansion_terms)
    if embedding_weight > 0 and (encoder := get_encoder()) is not None:
        labelled = [(r["question"], r["category"]) for r in gold_rows if r.get("category") in CATEGORIES]
        if faq_weight:
            labelled += [(e["question"], e["category"]) for e in faq_entries if e.get("category") in CATEGORIES]
        if labelled:
            texts, labels = zip(*labelled, strict=True)
            model.embedding = EmbeddingHead.fit(encoder.encode(texts), labels, CATEGORIES, l2=embedding_l2)
            model.embedding_weight = embedding_weight
    return model
