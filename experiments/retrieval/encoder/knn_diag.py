"""Diagnostic: E5 kNN over the memory (judged questions of other folds + reference) as an article retriever."""
import json, glob, random, sys, numpy as np
import os
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))  # the repository
from collections import defaultdict
def norm(law): return law.replace('中华人民共和国','',1) if law.startswith('中华人民共和国') else law
d=np.load('/tmp/e5r/emb.npz'); E=d['emb']; T=list(d['text']); pos={t:i for i,t in enumerate(T)}
judged=[json.loads(l) for l in open(ROOT + '/../shared/data/benchmarks/statute-retrieval/train.jsonl')]
jq=[(r['question'], {(norm(x['law']),x['article']) for x in r['relevant']}) for r in judged]
ref=[]
faq=json.load(open(ROOT + '/src/fawang/consultation/data/faq.json')); faq=faq['entries'] if isinstance(faq,dict) else faq
for e in faq: ref.append((e['question'], {(norm(c['law']),c['article']) for c in e.get('citations',[])}))
for f in sorted(glob.glob(ROOT + '/src/fawang/knowledge/retrieval/data/questions/*.jsonl')):
    for l in open(f):
        if l.strip(): r=json.loads(l); ref.append((r['question'], {(norm(r['law']),r['article'])}))
n=len(jq); order=list(range(n)); random.Random(13).shuffle(order); folds=[sorted(order[i::5]) for i in range(5)]
K=int(sys.argv[1]) if len(sys.argv)>1 else 30; TAU=float(sys.argv[2]) if len(sys.argv)>2 else 0.02
RE=E[[pos[q] for q,_ in ref]]
tot=defaultdict(float); cnt=0; gold_n=0
for f in folds:
    held=set(f); mem=[i for i in range(n) if i not in held]
    ME=np.vstack([E[[pos[jq[i][0]] for i in mem]], RE]); mg=[jq[i][1] for i in mem]+[g for _,g in ref]
    for i in f:
        q,gold=jq[i]; s=ME@E[pos[q]]
        top=np.argpartition(-s,K)[:K]; best=s[top].max()
        vote=defaultdict(float)
        for j in top:
            w=np.exp((s[j]-best)/TAU)
            for a in mg[j]: vote[a]+=w/len(mg[j])
        ranked=sorted(vote,key=lambda a:-vote[a])
        r10=len(gold&set(ranked[:10]))/len(gold); r100=len(gold&set(ranked[:100]))/len(gold)
        rr=next((1/(k+1) for k,a in enumerate(ranked[:10]) if a in gold),0)
        tot['r10']+=r10; tot['r100']+=r100; tot['mrr']+=rr; tot['ncand']+=len(ranked); cnt+=1
print(K,TAU,{k:round(v/cnt,4) for k,v in tot.items()})

# lexical comparison: the package's memory similarity (BM25 over question terms), same K, (sim/top)^2
if len(sys.argv)>3:
    sys.path.insert(0,ROOT + '/src')
    from fawang.knowledge.retrieval.text import tokenize
    from fawang.knowledge.retrieval.index import Postings
    jt=[tokenize(q) for q,_ in jq]; rt=[tokenize(q) for q,_ in ref]
    tot=defaultdict(float); cnt=0; both=defaultdict(float)
    for f in folds:
        held=set(f); mem=[i for i in range(n) if i not in held]
        P=Postings.build([jt[i] for i in mem]+rt); mg=[jq[i][1] for i in mem]+[g for _,g in ref]
        ME=np.vstack([E[[pos[jq[i][0]] for i in mem]], RE])
        for i in f:
            q,gold=jq[i]; sim=P.score(jt[i]); top=np.argpartition(-sim,K)[:K]; best=sim[top].max()
            vote=defaultdict(float)
            for j in top:
                if sim[j]<=0: continue
                for a in mg[j]: vote[a]+=(sim[j]/best)**2/len(mg[j])
            lr=sorted(vote,key=lambda a:-vote[a])
            s=ME@E[pos[q]]; top2=np.argpartition(-s,K)[:K]; b2=s[top2].max(); v2=defaultdict(float)
            for j in top2:
                for a in mg[j]: v2[a]+=np.exp((s[j]-b2)/TAU)/len(mg[j])
            er=sorted(v2,key=lambda a:-v2[a])
            tot['r10']+=len(gold&set(lr[:10]))/len(gold); tot['r100']+=len(gold&set(lr[:100]))/len(gold)
            tot['mrr']+=next((1/(k+1) for k,a in enumerate(lr[:10]) if a in gold),0)
            both['union_any']+=len(gold&(set(lr)|set(er)))/len(gold); both['lex_any']+=len(gold&set(lr))/len(gold); both['e5_any']+=len(gold&set(er))/len(gold)
            cnt+=1
    print('lexical',{k:round(v/cnt,4) for k,v in tot.items()}, {k:round(v/cnt,4) for k,v in both.items()})
