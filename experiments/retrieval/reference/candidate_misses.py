"""Gold articles of held-out questions that never become candidates (cv2 caches, MEMX=kwref TAG=v4):
candidate recall, and whether the missed article's law is among the candidates at all."""
import pickle, sys, json, glob, collections, numpy as np
sys.path.insert(0, "/work/main/src")
from pathlib import Path
from fawang.knowledge.retrieval import train as T
from fawang.knowledge.retrieval.index import ArticleIndex
ix = ArticleIndex.load(Path("/tmp/retr_var/retrieval"))
ex = [e for e in T.read_examples(Path("/work/shared/data/benchmarks/statute-retrieval/train.jsonl")) if e.gold]
refart=set()
for p in glob.glob("/work/main/src/fawang/knowledge/retrieval/data/questions/*.jsonl"):
    for l in open(p): d=json.loads(l); refart.add((d["law"],d["article"]))
cnt=collections.Counter(); laws=collections.Counter(); samples=[]; tot=hit=0
for f in range(5):
    trc, Xs, ys, tests = pickle.loads(Path(f"/tmp/retr_cache2/basekwrefv4_f{f}.pkl").read_bytes())
    for i, c, X in tests:
        keys = {ix.key(int(r)) for r in c}
        claws = collections.Counter(ix.law_of[c].tolist())
        tot += len(ex[i].gold); hit += len(ex[i].gold & keys)
        for g in ex[i].gold:
            if g in keys: continue
            if g not in ix.key_to_row: cnt["not in index"]+=1; samples.append(("noidx",ex[i].question,g)); continue
            r = ix.key_to_row[g]; law = int(ix.law_of[r])
            inlaw = claws.get(law,0)
            cnt["law among cands" if inlaw else "law not among cands"]+=1
            cnt["has ref q" if g in refart else "no ref q"]+=1
            laws[g[0]]+=1
            samples.append((inlaw, ex[i].question, g))
print('candidate recall (micro)', hit / tot); print(cnt); print(laws.most_common(15))
import random; random.seed(3)
for s in random.sample(samples, 25): print(s)
