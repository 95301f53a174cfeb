"""Statute retrieval benchmark: plain BM25 beside the learned ranker (k-fold cross-validated) and
the shipped model, in one run, over the corpus imported in the configured database.

    FAWANG_VAR_DIR=/tmp/bench .venv/bin/fawang migrate
    FAWANG_VAR_DIR=/tmp/bench .venv/bin/fawang import-laws ../shared/data/laws/national
    FAWANG_VAR_DIR=/tmp/bench .venv/bin/python benchmarks/retrieval.py [--k 5] [--without-semantic] [--single-semantic]
    # a candidate recipe beside (or, with --no-shipped-cv, instead of) the shipped one:
    ... benchmarks/retrieval.py --semantic-models 3 --lexical-negatives 4 [--no-shipped-cv]

The cross-validated row is the honest estimate for unseen questions: each fold's questions are
ranked by a model (memory + ranker weights) trained on the other folds only. The shipped-model
row scores the training questions themselves (their own memory entries included) and only shows
that the artifact loads and matches its data. Prints one row per method and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")


def main(argv: list[str] | None = None) -> dict:
    import django

    django.setup()
    from fawang.knowledge.encoder import get_encoder
    from fawang.knowledge.retrieval import search_articles
    from fawang.knowledge.retrieval.engine import get_engine
    from fawang.knowledge.retrieval.metrics import summarize
    from fawang.knowledge.retrieval.train import bm25_baseline, cross_validate, read_examples, read_reference

    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "../shared/data/benchmarks"))
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--answers", action="store_true", help="also the lawyer-answer variant (slow)")
    parser.add_argument("--judged-only", action="store_true", help="also the memory without reference questions (slow)")
    parser.add_argument("--without-semantic", action="store_true", help="also the recipe without the semantic channel (slow)")
    parser.add_argument("--single-semantic", action="store_true", help="also one semantic model instead of the average (slow)")
    parser.add_argument("--without-neighbours", action="store_true",
                        help="also the recipe without the sentence-encoder neighbours (slow)")
    parser.add_argument("--semantic-models", type=int, help="also a row with this many averaged semantic models")
    parser.add_argument("--lexical-negatives", type=int,
                        help="also a row with this many lexical hard negatives per semantic training pair")
    parser.add_argument("--no-shipped-cv", action="store_true",
                        help="skip the shipped recipe's CV row (≈ 1 h here) when an earlier log of the same code has it")
    args = parser.parse_args(argv)
    data = Path(args.data)
    train_file = data / "statute-retrieval/train.jsonl"
    engine = get_engine()
    if engine is None:
        sys.exit("no articles imported: run `fawang import-laws ../shared/data/laws/national` first")
    index = engine.index
    plain = read_examples(train_file)
    print(f"corpus: {index.n} articles, {len(index.law_titles)} laws; questions: {len(plain)}")
    results: dict[str, dict] = {}

    def row(name: str, fn) -> None:
        started = time.perf_counter()
        res = fn()
        res["seconds"] = round(time.perf_counter() - started, 1)
        results[name] = res
        print(f"{name:58s} R@10={res['recall@10']:.4f} R@100={res['recall@100']:.4f} "
              f"MRR@10={res['mrr@10']:.4f} nDCG@10={res['ndcg@10']:.4f} p95={res['p95_ms']}ms", flush=True)

    row("plain BM25, article text (baseline)", lambda: bm25_baseline(plain, index, field="text"))
    row("BM25 text+chapter+title (baseline)", lambda: bm25_baseline(plain, index, field="all"))
    reference = read_reference(index)
    print(f"reference questions (FAQ + written per article): {len(reference)}")
    from fawang.knowledge.retrieval import semantic
    from fawang.knowledge.retrieval import train as training

    if args.judged_only:
        row(f"learned ranker, judged questions only, {args.k}-fold CV",
            lambda: cross_validate(plain, index, k=args.k, seed=args.seed))

    def with_settings(settings: dict | None = None):
        """cross_validate with some module settings of the training code changed for one row."""
        def run() -> dict:
            settings_ = settings or {}
            saved = {(where, name): getattr(where, name) for where, name in settings_}
            for (where, name), value in settings_.items():
                setattr(where, name, value)
            try:
                return cross_validate(plain, index, k=args.k, seed=args.seed, reference=reference,
                                      progress=lambda line: print("    " + line, flush=True))
            finally:
                for (where, name), value in saved.items():
                    setattr(where, name, value)
        return run

    if args.without_semantic:
        row(f"learned ranker + reference questions, no semantic channel, {args.k}-fold CV",
            with_settings({(training, "SEMANTIC"): False}))
    if args.without_neighbours:
        row(f"+ semantic channel, {semantic.MODELS} models, no encoder neighbours, {args.k}-fold CV",
            with_settings({(training, "NEIGHBOURS"): False}))
    if args.single_semantic:
        row(f"+ semantic channel, one model, {args.k}-fold CV",
            with_settings({(semantic, "MODELS"): 1}))
    if not args.no_shipped_cv:
        neighbours = "+ encoder neighbours" if training.NEIGHBOURS and get_encoder() else "no encoder neighbours"
        row(f"+ semantic channel, {semantic.MODELS} models averaged, {neighbours}, {args.k}-fold CV (= shipped)",
            with_settings())
    if args.semantic_models is not None or args.lexical_negatives is not None:
        models = semantic.MODELS if args.semantic_models is None else args.semantic_models
        lexical = semantic.LEXICAL_NEGATIVES if args.lexical_negatives is None else args.lexical_negatives
        row(f"variant: {models} semantic models, {lexical} lexical negatives, {args.k}-fold CV",
            with_settings({(semantic, "MODELS"): models, (semantic, "LEXICAL_NEGATIVES"): lexical}))
    if args.answers:
        answers = data / "consultation-answers/train.jsonl"
        with_answers = read_examples(train_file, answers if answers.exists() else None)
        row(f"learned ranker + lawyer-answer terms in memory, {args.k}-fold CV",
            lambda: cross_validate(with_answers, index, k=args.k, seed=args.seed, reference=reference))

    def shipped() -> dict:
        runs, lat = [], []
        for e in plain:
            start = time.perf_counter()
            hits = search_articles(e.question, limit=100)
            lat.append((time.perf_counter() - start) * 1000)
            runs.append(([(h.law_title, h.label) for h in hits], set(e.gold)))
        return summarize(runs, lat)

    row("shipped model on its own training questions (NOT held out)", shipped)
    print(json.dumps(results, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
