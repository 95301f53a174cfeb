import glob
import json
import sys
from pathlib import Path

sys.path.insert(0, "/work/main/src")
from fawang.knowledge.classify import MODEL_PATH
from fawang.knowledge.classify.model import NaiveBayes
from fawang.knowledge.classify.training import cross_validate, read_faq, read_jsonl, train_model

D = Path("/work/shared/data/benchmarks")
term_map = NaiveBayes.load(MODEL_PATH).term_map
gold = read_jsonl(D / "question-classification/dev.jsonl")
weak = read_jsonl(D / "statute-retrieval/train.jsonl") + read_jsonl(D / "consultation-answers/train.jsonl")
ref = []
for p in sorted(glob.glob("/work/main/src/fawang/knowledge/retrieval/data/questions/*.jsonl")):
    for l in open(p):
        r = json.loads(l)
        ref.append({"question": r["question"], "relevant": [{"law": r["law"], "article": r["article"]}]})
faq = read_faq()
seeds = [13, 1, 2, 3]
for name, w in [("shipped", weak), ("weak+ref", weak + ref)]:
    accs = [cross_validate(gold, lambda tr: train_model(tr, w, faq, term_map=term_map, expansion_terms=10).predict, k=5, seed=s)["accuracy"] for s in seeds]
    print(name, accs, round(sum(accs) / 4, 4), flush=True)
