"""Scratch experiment (fifteenth session): label-noise-aware training of the embedding head (in the
spirit of confident learning). In each outer training part an inner 4-fold CV gives every dev row
its out-of-sample probability of its own label; the lowest 10/20/30 % get weight 0 / 0.3 / 0.6 in
the head's fit (EmbeddingHead.fit sample_weight); the head is then mixed with the held-out NB.

    OMP_NUM_THREADS=2 .venv/bin/python experiments/classify/noisy_labels_cv.py   # ~45 s
"""
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / 'src')); sys.path.insert(0, str(HERE))
from views_cv import sources, nb_logprobs, CAT_INDEX
from fawang.knowledge.classify.categories import CATEGORIES
from fawang.knowledge.classify.embedding import EmbeddingHead
from fawang.knowledge.classify.training import stratified_folds
gold, weak, faq = sources()
v=np.load('/tmp/clsviews/views.npz'); n=int(v['n_dev']); Q=v['q']
labels=[r['category'] for r in gold]; y=np.array([CAT_INDEX[c] for c in labels])
faq_lab=[e['category'] for e in faq]; nf=len(faq_lab)
res={}
def add(k,a): res.setdefault(k,[]).append(a)
for seed in (13,1,2,3):
    nb=nb_logprobs(gold,weak,faq,seed,5)
    sub=[gold[i] for i in range(n)]
    preds={}
    for fold in stratified_folds(gold,5,seed):
        held=set(fold); tr=[i for i in range(n) if i not in held]
        # inner out-of-sample head probs for training rows (dev rows of tr only)
        trg=[gold[i] for i in tr]
        pin=np.zeros(len(tr))
        for ifold in stratified_folds(trg,4,13):
            ih=set(ifold); itr=[tr[j] for j in range(len(tr)) if j not in ih]
            h=EmbeddingHead.fit(np.vstack([Q[itr],Q[n:]]),[labels[i] for i in itr]+faq_lab,CATEGORIES,l2=0.1)
            pr=h.probabilities(Q[[tr[j] for j in ifold]])
            pin[list(ifold)]=pr[np.arange(len(ifold)),y[[tr[j] for j in ifold]]]
        order=np.argsort(pin)
        for frac in (0.0,0.1,0.2,0.3):
            for om in (0.0,0.3,0.6):
                if frac==0 and om>0: continue
                w=np.ones(len(tr)+nf)
                w[order[:int(frac*len(tr))]]=om
                h=EmbeddingHead.fit(np.vstack([Q[tr],Q[n:]]),[labels[i] for i in tr]+faq_lab,CATEGORIES,l2=0.1,sample_weight=w)
                preds.setdefault((frac,om),np.zeros((n,20)))[fold]=h.probabilities(Q[fold])
    for (frac,om),pr in preds.items():
        add(f'frac={frac} w={om} alone',(pr.argmax(1)==y).mean())
        for mw in (0.4,0.5): add(f'frac={frac} w={om} mix{mw}',(((1-mw)*nb+mw*pr).argmax(1)==y).mean())
    print('seed',seed,flush=True)
for k,a in res.items(): print(f'{k:<26}'+' / '.join(f'{x:.4f}' for x in a)+f'  mean {np.mean(a):.4f}')
