"""Question type × article type features: does "what kind of answer is asked for" lift MRR@10?

top1_errors.py shows most first-place errors are a neighbouring provision of the right law: the
definition ranked above the liability rule, the general rule above the procedure. Citizens
signal the kind of answer they want (什么是 / 要赔偿吗 / 怎么申请 / 有效吗 / 有权…吗), and articles
have a kind (是指 / 承担…责任 / 申请…日内 / 无效 / 有权). Five cue classes on each side (regular
expressions, written without looking at any held-out fold), as ranker columns:

- `diag`: 5 columns, question cue k and article cue k both present;
- `diag+art`: those and the article's 5 cues alone (a prior for definitional articles etc.).

Same caches, folds and ranker fits (3 starts) as cascade.py; the first row refits the cached
features unchanged and must reproduce 0.7097 / 0.9033 / 0.5916 / 0.5752.

    CACHE=ssinf8910 OPENBLAS_NUM_THREADS=1 python qtype.py
"""
import os
import pickle
import re
import sqlite3
import sys

import numpy as np

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.retrieval import train as T  # noqa: E402
import cv2helpers as H  # noqa: E402
from fawang.knowledge.retrieval.metrics import summarize  # noqa: E402

ix, ex = H.index_and_examples()
cache = H.CACHE
tag = os.environ.get("CACHE", "ssinf8910")

Q_CUES = [
    r"什么是|是什么|指什么|何为|含义|定义|哪些|范围|区别",
    r"责任|赔偿|赔|处罚|罚款|判刑|判几年|坐牢|追究|违约金",
    r"如何|怎么|怎样|程序|流程|申请|起诉|提交|材料|期限|多久|时效|哪里",
    r"有效|无效|合法|违法|犯罪|是否属于|算不算",
    r"权利|有权|能否|能不能|可以|可不可以|要求",
]
A_CUES = [
    r"是指|本法所称|本条例所称|包括下列|下列.{0,6}属于",
    r"承担.{0,8}责任|赔偿|罚款|有期徒刑|拘役|罚金|追究",
    r"申请|提交|提出|日内|期限|起诉|办理",
    r"无效|有效|不得|禁止|违反",
    r"有权|可以请求|可以要求|享有",
]
QC = [re.compile(p) for p in Q_CUES]
AC = [re.compile(p) for p in A_CUES]

db = sqlite3.connect("/tmp/retr_var/fawang.sqlite3")
text_of = dict(db.execute("select id, text from knowledge_article"))
art_cues = np.zeros((ix.n, len(AC)), dtype=np.float32)
for row, aid in enumerate(ix.article_ids):
    t = text_of.get(int(aid), "")
    art_cues[row] = [1.0 if p.search(t) else 0.0 for p in AC]
print("article cue rates", art_cues.mean(0).round(3), flush=True)


def q_cues(q):
    return np.array([1.0 if p.search(q) else 0.0 for p in QC], dtype=np.float32)


def extra(q, c, mode):
    a = art_cues[c]
    d = a * q_cues(q)[None, :]
    return d if mode == "diag" else np.hstack([d, a])


modes = ["diag", "diag+art"]
runs = {"cached features": []} | {m: [] for m in modes}


FIT = ("8", "300", "0.001", "3")  # hidden:iters:l2:starts, as cascade.py


folds = list(T.folds(len(ex), 5, 13))
for f, test in enumerate(folds):
    held = set(test)
    tr_idx = [i for i in range(len(ex)) if i not in held]
    Xs, ys, tests = pickle.loads((cache / f"{tag}_f{f}.pkl").read_bytes())
    cands = pickle.loads((cache / f"{tag}_cands_f{f}.pkl").read_bytes())
    r = H.fit_and_rank(Xs, ys, tests, FIT, ix, ex)
    runs["cached features"] += r
    print(f"  fold {f} cached {summarize(r)}", flush=True)
    for m in modes:
        Xm = [np.hstack([X, extra(ex[i].question, c, m)]) for i, c, X in zip(tr_idx, cands, Xs, strict=True)]
        tm = [(i, c, np.hstack([X, extra(ex[i].question, c, m)])) for i, c, X in tests]
        r = H.fit_and_rank(Xm, ys, tm, FIT, ix, ex)
        runs[m] += r
        print(f"  fold {f} {m} {summarize(r)}", flush=True)
for k, r in runs.items():
    print(tag, k, summarize(r), flush=True)
