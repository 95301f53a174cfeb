"""Scratch experiment (fifteenth session): heads over the E5 query vector post-processed with the
unlabelled pool's statistics (all-but-the-top, ZCA whitening, PCA) and a shrinkage-LDA head, each
mixed with the held-out NB; same folds and caches as views_cv.py (needs /tmp/clsviews/views.npz and
pool.npz from views_cv.py embed and selftrain_cv.py embed).

    OMP_NUM_THREADS=2 .venv/bin/python experiments/classify/whiten_cv.py   # ~30 s
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
v=np.load('/tmp/clsviews/views.npz'); n=int(v['n_dev']); Q=v['q'].astype(np.float64)
P=np.load('/tmp/clsviews/pool.npz')['vectors'].astype(np.float64)
y=np.array([CAT_INDEX[r['category']] for r in gold])
faq_lab=[e['category'] for e in faq]; labels=[r['category'] for r in gold]
mu=P.mean(0); C=np.cov((P-mu).T)
w_,U=np.linalg.eigh(C); order=np.argsort(w_)[::-1]; w_=w_[order]; U=U[:,order]
def view(kind):
    X=Q-mu
    if kind=='raw': return Q
    if kind.startswith('abtt'):  # all-but-the-top
        d=int(kind[4:]); return X - (X@U[:,:d])@U[:,:d].T
    if kind.startswith('zca'):
        eps=float(kind[3:]); return X@U@np.diag(1/np.sqrt(w_+eps*w_.mean()))@U.T
    if kind.startswith('pca'):
        d=int(kind[3:]); return X@U[:,:d]/np.sqrt(w_[:d])
def lda_probs(Xtr,ytr,Xte,shrink,cov):
    means=np.stack([Xtr[ytr==c].mean(0) for c in range(20)])
    # within-class covariance shrunk toward pool covariance
    R=Xtr-means[ytr]; W=np.cov(R.T)
    S=(1-shrink)*W+shrink*cov
    Si=np.linalg.inv(S+1e-6*np.eye(len(S)))
    lin=means@Si; b=-0.5*np.einsum('ij,ij->i',lin,means)
    z=Xte@lin.T+b; z-=z.max(1,keepdims=True); e=np.exp(z); return e/e.sum(1,keepdims=True)
res={}
def add(name,acc): res.setdefault(name,[]).append(acc)
for seed in (13,1,2,3):
    nb=nb_logprobs(gold,weak,faq,seed,5)
    folds=list(stratified_folds(gold,5,seed))
    for kind in ['raw','abtt1','abtt3','abtt10','zca0.01','zca0.1','zca1','pca64','pca128']:
        X=view(kind)
        for l2 in (0.1,):
            pr=np.zeros((n,20))
            for fold in folds:
                held=set(fold); tr=[i for i in range(n) if i not in held]
                h=EmbeddingHead.fit(np.vstack([X[tr],X[n:]]),[labels[i] for i in tr]+faq_lab,CATEGORIES,l2=l2)
                pr[fold]=h.probabilities(X[fold])
            add(f'{kind} l2={l2} alone',(pr.argmax(1)==y).mean())
            for w in (0.4,0.5): add(f'{kind} l2={l2} mix{w}',(((1-w)*nb+w*pr).argmax(1)==y).mean())
    for shrink in (0.3,0.6,0.9):
      for temp in (1.0,):
        pr=np.zeros((n,20)); Xc=Q-mu
        for fold in folds:
            held=set(fold); tr=[i for i in range(n) if i not in held]
            Xtr=np.vstack([Xc[tr],Xc[n:]]); ytr=np.array([y[i] for i in tr]+[CAT_INDEX[c] for c in faq_lab])
            pr[fold]=lda_probs(Xtr,ytr,Xc[fold],shrink,C)
        add(f'lda s={shrink} alone',(pr.argmax(1)==y).mean())
        for w in (0.2,0.3,0.4,0.5): add(f'lda s={shrink} mix{w}',(((1-w)*nb+w*pr).argmax(1)==y).mean())
    print('seed',seed,flush=True)
for k,a in res.items(): print(f'{k:<28}'+' / '.join(f'{x:.4f}' for x in a)+f'  mean {np.mean(a):.4f}')
