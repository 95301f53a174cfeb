import math
from collections import Counter, defaultdict

import numpy as np

from fawang.knowledge.retrieval.index import Postings
from fawang.knowledge.retrieval.text import char_bigrams, tokenize

K1, B = 1.2, 0.75


class Ctx:
    def __init__(self, ix, bound, mem):
        self.ix, self.bound, self.mem = ix, bound, mem
        self._qdoc = None
        self._big = None

    def qdoc(self):
        if self._qdoc is None:
            tf = defaultdict(Counter)
            for terms, rows in zip(self.mem.terms, self.bound.rows):
                for r in rows.tolist():
                    tf[r].update(terms)
            rows = sorted(tf)
            lens = {r: sum(tf[r].values()) for r in rows}
            avg = sum(lens.values()) / max(1, len(rows))
            df = Counter()
            for r in rows:
                df.update(tf[r].keys())
            n = len(rows)
            idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
            inv = defaultdict(list)
            for r in rows:
                for t, c in tf[r].items():
                    inv[t].append((r, c))
            self._qdoc = (tf, lens, avg, idf, inv)
        return self._qdoc

    def bigmem(self):
        if self._big is None:
            self._big = Postings.build([char_bigrams("".join(t)) for t in self.mem.terms])
        return self._big


def _bm(tf, ln, avg, idf):
    return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * ln / avg))


def qdoc_scores(ctx, terms, exclude):
    tf, lens, avg, idf, inv = ctx.qdoc()
    s = np.zeros(ctx.ix.n)
    q = set(terms)
    own_rows = set(ctx.bound.rows[exclude].tolist()) if exclude is not None else set()
    own = Counter(ctx.mem.terms[exclude]) if exclude is not None else Counter()
    own_len = sum(own.values())
    for t in q:
        for r, c in inv.get(t, ()):
            ln = lens[r]
            if r in own_rows:
                c -= own.get(t, 0)
                ln -= own_len
                if c <= 0 or ln <= 0:
                    continue
            s[r] += _bm(c, ln, avg, idf[t])
    return s


def qdoc(ctx, question, cands, exclude):
    s = qdoc_scores(ctx, tokenize(question), exclude)
    m = s.max()
    n = s / m if m > 0 else s
    law = ctx.ix.law_of[cands]
    lawmax = np.maximum.reduceat(n, ctx.ix.law_starts)
    return np.column_stack([n[cands], np.log1p(s[cands]), lawmax[law]])


def _neighbour_votes(ctx, sim, rows, laws, k):
    """Top-k neighbours by `sim`, each voting (sim / nearest) ** 2 split over its articles, like
    `ranker.features`; article and law votes normalised to a maximum of 1."""
    part = np.argsort(-sim, kind="stable")[:k]
    part = part[sim[part] > 0]
    art = np.zeros(ctx.ix.n); law = np.zeros(len(ctx.ix.law_titles))
    if part.size:
        top = sim[part[0]]
        for j in part:
            w = (sim[j] / top) ** 2
            if rows[j].size:
                art[rows[j]] += w / rows[j].size
                law[laws[j]] += w
    an = art / art.max() if art.max() > 0 else art
    ln = law / law.max() if law.max() > 0 else law
    return part, an, ln


def bigknn(ctx, question, cands, exclude, k=30):
    sim = ctx.bigmem().score(char_bigrams(question))
    if exclude is not None:
        sim[exclude] = 0
    _, an, ln = _neighbour_votes(ctx, sim, ctx.bound.rows, ctx.bound.laws, k)
    return np.column_stack([an[cands], ln[ctx.ix.law_of[cands]]])

_REF = {}


def _refmem(ctx):
    if "p" not in _REF:
        import glob
        import json
        titles = set(ctx.ix.law_titles)
        T, G = [], []
        for path in sorted(glob.glob("/work/main/src/fawang/knowledge/retrieval/data/questions/*.jsonl")):
            for line in open(path, encoding="utf-8"):
                r = json.loads(line)
                k = (r["law"], r["article"])
                if k in ctx.ix.key_to_row:
                    T.append(tokenize(r["question"]))
                    G.append(np.array([ctx.ix.key_to_row[k]]))
        _REF["p"] = Postings.build(T)
        _REF["rows"] = G
        _REF["laws"] = [ctx.ix.law_of[g] for g in G]
        print("ref entries", len(T), flush=True)
    return _REF


def refknn(ctx, question, cands, exclude, k=10):
    """A separate memory channel over the written per-article questions."""
    ref = _refmem(ctx)
    sim = ref["p"].score(tokenize(question))
    part, an, ln = _neighbour_votes(ctx, sim, ref["rows"], ref["laws"], k)
    best = np.zeros(ctx.ix.n)
    if part.size:
        for j in part:
            r = ref["rows"][j]
            best[r] = np.maximum(best[r], sim[j])
    return np.column_stack([an[cands], ln[ctx.ix.law_of[cands]], np.log1p(best[cands])])


_A2E = {}


def _art_entries(ctx):
    """article row -> memory entries citing it (CSR)."""
    key = id(ctx.bound)
    if key not in _A2E:
        pairs = [(int(r), j) for j, rows in enumerate(ctx.bound.rows) for r in rows.tolist()]
        pairs.sort()
        arts = np.array([p[0] for p in pairs], dtype=np.int64)
        ents = np.array([p[1] for p in pairs], dtype=np.int64)
        indptr = np.searchsorted(arts, np.arange(ctx.ix.n + 1))
        _A2E.clear()
        _A2E[key] = (indptr, ents)
    return _A2E[key]


def maxsim(ctx, question, cands, exclude):
    """Per candidate: the similarity of its best-matching memory question (any rank), relative
    to the best memory question overall; absolute log; same for the law's best."""
    sim = ctx.bound.memory.postings.score(tokenize(question)).astype(np.float64)
    if exclude is not None:
        sim[exclude] = 0.0
    indptr, ents = _art_entries(ctx)
    top = sim.max() if sim.size else 0.0
    best = np.zeros(cands.size)
    for i, r in enumerate(cands.tolist()):
        a, b = indptr[r], indptr[r + 1]
        if b > a:
            best[i] = sim[ents[a:b]].max()
    rel = best / top if top > 0 else best
    # rank of that best entry among all entries
    srt = np.sort(sim)[::-1]
    rank = np.searchsorted(-srt, -best, side="left")
    rr = np.where(best > 0, 1.0 / np.log2(2.0 + rank), 0.0)
    return np.column_stack([rel, np.log1p(best), rr, np.full(cands.size, np.log1p(top))])


_LOC = {}


def _local_scores(ix, field, terms, boosts=None):
    p = ix.fields[field]
    if "sizes" not in _LOC:
        _LOC["sizes"] = np.diff(np.append(ix.law_starts, ix.n)).astype(np.float64)
    sizes = _LOC["sizes"]
    n_laws = len(ix.law_titles)
    out = np.zeros(ix.n)
    for t in dict.fromkeys(terms):
        tid = p.vocab.get(t)
        if tid is None:
            continue
        lo, hi = p.indptr[tid], p.indptr[tid + 1]
        docs = p.docs[lo:hi]; w = p.weights[lo:hi].astype(np.float64)
        df = hi - lo
        idf_g = math.log(1 + (ix.n - df + 0.5) / (df + 0.5))
        law = ix.law_of[docs]
        dfl = np.bincount(law, minlength=n_laws)[law]
        idf_l = np.log(1 + (sizes[law] - dfl + 0.5) / (dfl + 0.5))
        b = boosts.get(t, 1.0) if boosts else 1.0
        out[docs] += w / idf_g * idf_l * b
    return out


def localidf(ctx, question, cands, exclude):
    ix = ctx.ix
    terms = tokenize(question)
    s = _local_scores(ix, "text", terms)
    boosts = ctx.bound.expansion(terms, exclude)
    sx = _local_scores(ix, "text", list(boosts), boosts) if boosts else np.zeros(ix.n)
    law = ix.law_of[cands]
    cols = []
    for arr in (s, sx, s + sx):
        v = arr[cands]
        # normalise within the candidate's law (among candidates)
        mx = np.zeros(len(ix.law_titles)); np.maximum.at(mx, law, v)
        rel = np.where(mx[law] > 0, v / np.maximum(mx[law], 1e-9), 0.0)
        cols += [rel, np.log1p(v)]
    return np.column_stack(cols)
