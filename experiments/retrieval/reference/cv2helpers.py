"""The memory of cv2.py with MEMX=kwref (judged questions + FAQ with keywords + written questions)."""
import glob
import json
from pathlib import Path

from fawang.knowledge.retrieval import ranker as R
from fawang.knowledge.retrieval.text import tokenize


CACHE = Path("/tmp/retr_cache2")  # per-fold feature caches of cv2.py / cv_ssi_ens.py / cascade.py


def index_and_examples():
    """The prototype CV's index (the corpus imported in /tmp/retr_var) and the judged training
    questions that have gold articles, in the order the fold split uses."""
    from fawang.knowledge.retrieval import train as T
    from fawang.knowledge.retrieval.index import ArticleIndex

    ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
    ex = [e for e in T.read_examples(Path("/work/shared/data/benchmarks/statute-retrieval/train.jsonl"))
          if e.gold]
    return ix, ex


def full_title(law, titles):
    """Our files cite laws by short name (民法典); the index knows the full title."""
    for c in (law, "中华人民共和国" + law):
        if c in titles:
            return c
    return law


def memory(tr, ix):
    titles = set(ix.law_titles)

    def full(law):
        return full_title(law, titles)

    T_, G_, X_ = [], [], []
    for e in json.load(open("/work/main/src/fawang/consultation/data/faq.json"))["entries"]:
        T_.append(tokenize(e["question"]))
        G_.append(sorted({(full(c["law"]), c["article"]) for c in e["citations"]}))
        X_.append(tokenize(" ".join(e.get("keywords", []))))
    for path in sorted(glob.glob("/work/main/src/fawang/knowledge/retrieval/data/questions/*.jsonl")):
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            T_.append(tokenize(r["question"]))
            G_.append([(r["law"], r["article"])])
            X_.append([])
    return R.Memory([tokenize(e.question) for e in tr] + T_, [sorted(e.gold) for e in tr] + G_,
                    [[] for _ in tr] + X_)


def fit_and_rank(Xs, ys, tests, fit, ix, ex):
    """Fit the ranker(s) of one FIT spec (hidden:iters:l2[:starts]) on a fold's training
    features and rank its held-out questions: [(top 100 keys, gold set)]."""
    import numpy as np

    h, it, l2 = int(fit[0]), int(fit[1]), float(fit[2])
    nseed = int(fit[3]) if len(fit) > 3 else 1
    rks = [R.LinearRanker.fit(Xs, ys, hidden=h, iters=it, l2=l2, seed=7 + s) for s in range(nseed)]
    out = []
    for i, c, X in tests:
        s = sum(r.score(X) for r in rks)
        order = np.lexsort((c, -s))[:100]
        out.append(([ix.key(int(r)) for r in c[order]], set(ex[i].gold)))
    return out


def rank_variants(runs, f, variants, fits, ix, ex):
    """Fit every FIT spec on each variant's training features of fold f, rank its held-out
    questions, add them to runs[(name, fit)] and print the fold's figures.
    variants: [(name, training features, training labels, held-out tests)]."""
    from fawang.knowledge.retrieval.metrics import summarize

    for name, xs_, ys_, te_ in variants:
        for fit in fits:
            r = fit_and_rank(xs_, ys_, te_, fit, ix, ex)
            runs[(name, fit)] += r
            print(f"  fold {f} {name} {':'.join(fit)} {summarize(r)}", flush=True)
