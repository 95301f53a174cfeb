"""Sentence-encoder neighbours of the retrieval memory (retrieval/neighbours.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fawang.knowledge.retrieval import model as model_module
from fawang.knowledge.retrieval import neighbours, ranker, search_articles
from fawang.knowledge.retrieval import train as train_module
from fawang.knowledge.retrieval.engine import get_engine, reset_engine
from fawang.knowledge.retrieval.model import RetrievalModel, neighbours_path
from fawang.knowledge.retrieval.neighbours import MemoryVectors
from fawang.knowledge.retrieval.text import tokenize
from fawang.knowledge.retrieval.train import Example, train

WAGES = ("中华人民共和国劳动合同法", "第八十五条")
CUSTODY = ("中华人民共和国民法典", "第一千零八十四条")
LOAN = ("中华人民共和国民法典", "第六百六十七条")
TOPICS = ("薪", "娃", "票子")  # what the fake encoder "understands"


class FakeEncoder:
    """Unit vectors by topic: paraphrases with no shared word land on the same direction."""

    dim = 4

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts, *, cache=True):
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            hits = [j for j, word in enumerate(TOPICS) if word in text]
            out[i, hits[0] if hits else 3] = 1.0
        return out


@pytest.fixture
def fake_encoder(monkeypatch):
    encoder = FakeEncoder()
    monkeypatch.setattr(model_module, "get_encoder", lambda: encoder)
    monkeypatch.setattr(train_module, "get_encoder", lambda: encoder)
    monkeypatch.setattr(ranker, "SEEDS", 1)
    return encoder


EXAMPLES = [Example("东家欠薪", frozenset({WAGES})), Example("薪水被东家扣着", frozenset({WAGES})),
            Example("娃跟谁过", frozenset({CUSTODY})), Example("娃归谁养", frozenset({CUSTODY})),
            Example("借出去的票子要不回", frozenset({LOAN})), Example("票子被人赖掉", frozenset({LOAN}))]


def test_votes_weigh_the_nearest_and_leave_one_out():
    rows = [np.array([0, 1]), np.array([2]), np.array([2])]
    laws = [np.array([0]), np.array([1]), np.array([1])]
    sim = np.array([0.90, 0.88, 0.50], dtype=np.float32)
    art, law = neighbours.votes(sim, rows, laws, n_articles=3, n_laws=2)
    assert art[0] == pytest.approx(0.5)  # the nearest: weight 1, shared by its two articles
    assert art[2] == pytest.approx(np.exp(-0.02 / neighbours.TAU) + np.exp(-0.40 / neighbours.TAU), rel=1e-5)
    assert law[0] == pytest.approx(1.0)
    art, _ = neighbours.votes(sim, rows, laws, n_articles=3, n_laws=2, exclude=0)
    assert art[0] == 0.0 and art[2] == pytest.approx(1.0 + np.exp(-0.38 / neighbours.TAU), rel=1e-5)


def test_vectors_survive_their_file_to_int8_precision(tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(20, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    stored = MemoryVectors(vectors)
    stored.save(tmp_path / "v.npz")
    again = MemoryVectors.from_bytes((tmp_path / "v.npz").read_bytes())
    np.testing.assert_allclose(again.vectors, vectors, atol=0.01)
    q = vectors[3]
    assert int(np.argmax(again.similarities(q))) == 3


def test_neighbours_add_candidates_and_fill_their_columns(corpus, fake_encoder, monkeypatch):
    """With every other channel off, the encoder's neighbours alone propose the article their
    memory questions cite; without neighbours the 4 columns stay zero."""
    index = get_engine().index
    model = train(EXAMPLES, index, info={"source": "test"})
    from fawang.knowledge.retrieval.ranker import BoundMemory

    bound = BoundMemory(model.memory, index)
    monkeypatch.setattr(ranker, "LAW_TOP", 0)
    monkeypatch.setattr(ranker, "AROUND_TOP", 0)
    question = "我的薪水一直没发"  # no word of any memory question or statute in common but 薪水
    sims = model.question_neighbours(question)
    assert sims.shape == (len(EXAMPLES),)
    cands, X = ranker.features(index, bound, tokenize("完全无关的词"), neighbours=sims)
    keys = [index.key(int(r)) for r in cands]
    assert WAGES in keys
    col = ranker.FEATURES.index("nb_art_norm")
    assert X[keys.index(WAGES), col] == pytest.approx(1.0)
    _, X0 = ranker.features(index, bound, tokenize("劳动报酬"))
    assert not X0[:, col:].any()
    assert len(ranker.FEATURES) == X.shape[1]


def test_model_ships_vectors_and_a_fallback_ranker(corpus, fake_encoder, settings, monkeypatch):
    index = get_engine().index
    model = train(EXAMPLES, index, info={"source": "test"})
    assert model.neighbours is not None and model.neighbours.vectors.shape == (len(EXAMPLES), FakeEncoder.dim)
    assert model.fallback is not None and model.info["neighbours"] is True
    path = corpus / "model.json"
    model.save(path)
    assert neighbours_path(path).exists()
    assert json.loads(path.read_text(encoding="utf-8"))["neighbours_sha256"]
    loaded = RetrievalModel.load(path)
    np.testing.assert_allclose(loaded.neighbours.vectors, model.neighbours.vectors, atol=0.01)
    assert loaded.ranker_for(np.zeros(len(EXAMPLES))) is loaded.ranker
    assert loaded.ranker_for(None) is loaded.fallback

    settings.FAWANG_RETRIEVAL_MODEL = path
    reset_engine()
    top = search_articles("薪水的事", limit=3)[0]
    assert (top.law_title, top.label) == WAGES

    # No encoder in this process: the fallback ranker answers, without neighbour features.
    monkeypatch.setattr(model_module, "get_encoder", lambda: None)
    assert loaded.question_neighbours("薪水的事") is None
    reset_engine()
    assert search_articles("用人单位 劳动报酬")[0].law_title == "中华人民共和国劳动合同法"

    # Vectors of another memory: the model is refused (stale), never mixed up.
    MemoryVectors(np.ones((2, FakeEncoder.dim), dtype=np.float32)).save(neighbours_path(path))
    with pytest.raises(ValueError):
        RetrievalModel.load(path)


def test_without_encoder_the_model_is_trained_as_before(corpus, monkeypatch):
    monkeypatch.setattr(train_module, "get_encoder", lambda: None)
    monkeypatch.setattr(ranker, "SEEDS", 1)
    model = train(EXAMPLES, get_engine().index, info={"source": "test"})
    assert model.neighbours is None and model.fallback is None and model.info["neighbours"] is False


def test_given_vectors_are_used_and_nothing_is_encoded_again(corpus, fake_encoder):
    vectors = {e.question: v for e, v in zip(EXAMPLES, FakeEncoder().encode([e.question for e in EXAMPLES]),
                                             strict=True)}
    model = train(EXAMPLES, get_engine().index, vectors=vectors, fallback=False)
    assert fake_encoder.calls == 0
    assert model.neighbours is not None and model.fallback is None
