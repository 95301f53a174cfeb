"""The semantic channel (supervised semantic indexing): learning, files, candidates."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fawang.knowledge.retrieval import ranker, search_articles, semantic
from fawang.knowledge.retrieval.engine import get_engine, reset_engine
from fawang.knowledge.retrieval.model import RetrievalModel, semantic_path
from fawang.knowledge.retrieval.text import tokenize
from fawang.knowledge.retrieval.train import Example, train

WAGES = ("中华人民共和国劳动合同法", "第八十五条")
CUSTODY = ("中华人民共和国民法典", "第一千零八十四条")
LOAN = ("中华人民共和国民法典", "第六百六十七条")

# Everyday words the statutes never use: only the judged pairs can link them.
QUESTIONS = [("东家 欠 薪水", WAGES), ("东家 薪水 拖着", WAGES), ("薪水 东家 跑路", WAGES),
             ("娃 跟 谁 过", CUSTODY), ("娃 归属 吵架", CUSTODY), ("娃 跟 爹 还是 娘", CUSTODY),
             ("借 票子 赖账", LOAN), ("票子 借出去 要不回", LOAN), ("赖账 票子", LOAN)]


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(semantic, "EPOCHS", 30)
    monkeypatch.setattr(semantic, "BATCH", 4)
    monkeypatch.setattr(semantic, "LEARNING_RATE", 0.05)


def _fit(index):
    terms = [tokenize(q) for q, _ in QUESTIONS]
    rows = [[index.key_to_row[k]] for _, k in QUESTIONS]
    return semantic.fit(terms, rows, index, seed=3)


def test_learns_words_no_statute_uses(corpus, fast):
    index = get_engine().index
    model = _fit(index)
    vectors = model.article_vectors(index)
    assert vectors.shape == (index.n, semantic.DIM * semantic.MODELS)
    for question, key in [("东家欠我薪水", WAGES), ("娃跟谁", CUSTODY), ("票子要不回", LOAN)]:
        scores = vectors @ model.question_vector(tokenize(question))
        assert index.key(int(np.argmax(scores))) == key, question
    # No known word: no direction, every article scores 0.
    assert not (vectors @ model.question_vector(["完全陌生的词"])).any()


def test_fit_is_deterministic(corpus, fast):
    index = get_engine().index
    a, b = _fit(index), _fit(index)
    np.testing.assert_array_equal(a.question_vectors, b.question_vectors)
    np.testing.assert_array_equal(a.statute_vectors, b.statute_vectors)


def test_only_the_questions_other_gold_articles_are_spared_as_negatives():
    # Question 0 cites articles 10 and 11, question 1 cites 20. Columns: the three positives,
    # then each row's same-law draws (12 for question 0, 11 and 21 for question 1).
    questions = np.array([0, 0, 1])
    docs = np.array([10, 11, 20, 12, 12, 11, 21])
    keys = np.unique(np.array([0 * 100 + 10, 0 * 100 + 11, 1 * 100 + 20]))
    mask = semantic._other_gold(questions, docs, keys, 100)
    assert mask.tolist() == [
        [False, True, False, False, False, True, False],  # 11 is question 0's too
        [True, False, False, False, False, True, False],  # 10 and 11 likewise; draw 12 counts
        [False, False, False, False, False, False, False],  # 11 is not question 1's: a negative
    ]


def test_lexical_negatives_are_the_questions_bm25_look_alikes_minus_its_gold(corpus, monkeypatch):
    index = get_engine().index
    monkeypatch.setattr(semantic, "LEXICAL_POOL", 3)
    terms = tokenize("用人单位 拖欠 劳动报酬")
    gold = index.key_to_row[WAGES]
    scores = index.fields["all"].score(terms)
    pool = semantic._lexical_pools([terms, []], [[gold], []], index)
    assert pool.shape == (2, min(3, index.n - 1))
    assert gold not in pool[0]
    ranked = [int(r) for r in np.argsort(-scores, kind="stable") if int(r) != gold]
    # The pool is the best-scoring articles other than the cited one (ties in any order).
    assert sorted(scores[pool[0]].tolist(), reverse=True) == [float(scores[r]) for r in ranked[:pool.shape[1]]]


def test_fit_with_lexical_negatives_still_learns_and_is_deterministic(corpus, fast, monkeypatch):
    monkeypatch.setattr(semantic, "LEXICAL_NEGATIVES", 2)
    monkeypatch.setattr(semantic, "LEXICAL_POOL", 4)
    index = get_engine().index
    a, b = _fit(index), _fit(index)
    np.testing.assert_array_equal(a.statute_vectors, b.statute_vectors)
    vectors = a.article_vectors(index)
    scores = vectors @ a.question_vector(tokenize("东家欠我薪水"))
    assert index.key(int(np.argmax(scores))) == WAGES


def test_averaged_models_score_as_the_mean_of_their_parts(corpus, fast):
    """The stored model of K random starts is one model whose scores are the K models' mean."""
    index = get_engine().index
    terms = [tokenize(q) for q, _ in QUESTIONS]
    rows = [[index.key_to_row[k]] for _, k in QUESTIONS]
    parts = [semantic.fit(terms, rows, index, seed=3 + k, models=1) for k in range(2)]
    both = semantic.fit(terms, rows, index, seed=3, models=2)
    for question in ("东家欠我薪水", "娃跟谁", "完全陌生的词 劳动报酬"):
        q = tokenize(question)
        mean = sum(p.article_vectors(index) @ p.question_vector(q) for p in parts) / 2
        np.testing.assert_allclose(both.article_vectors(index) @ both.question_vector(q), mean,
                                   rtol=1e-4, atol=1e-5)


def test_file_round_trip_keeps_the_ranking(corpus, fast, tmp_path):
    index = get_engine().index
    model = _fit(index)
    path = tmp_path / "m.semantic.npz"
    model.save(path)
    loaded = semantic.SemanticModel.load(path)
    assert loaded.question_words == model.question_words
    assert loaded.statute_words == model.statute_words
    q = tokenize("东家欠我薪水")
    before = model.article_vectors(index) @ model.question_vector(q)
    after = loaded.article_vectors(index) @ loaded.question_vector(q)
    assert np.argsort(-before)[:3].tolist() == np.argsort(-after)[:3].tolist()
    np.testing.assert_allclose(before, after, atol=0.05 * float(np.abs(before).max()))


def test_semantic_channel_adds_candidates_no_word_reaches(corpus, fast, monkeypatch):
    """With the lexical and law channels off, the semantic scores alone propose candidates,
    and their 4 feature columns are filled (zeros when there is no semantic model)."""
    monkeypatch.setattr(ranker, "CAND_PER_CHANNEL", 0)
    monkeypatch.setattr(ranker, "LAW_TOP", 0)
    monkeypatch.setattr(ranker, "SEM_CANDS", 1)
    index = get_engine().index
    model = _fit(index)
    terms = tokenize("东家欠我薪水")
    scores = model.article_vectors(index) @ model.question_vector(terms)
    cands, X = ranker.features(index, None, terms, semantic=scores)
    assert [index.key(int(r)) for r in cands] == [WAGES]
    assert X.shape == (1, len(ranker.FEATURES))
    assert X[0, ranker.FEATURES.index("sem_rank")] == 1.0
    _, X0 = ranker.features(index, None, tokenize("劳动报酬"))
    assert not X0[:, ranker.FEATURES.index("sem"):].any()


def test_trained_model_ships_its_vectors_and_refuses_foreign_ones(corpus, fast, settings, monkeypatch):
    monkeypatch.setattr(ranker, "SEEDS", 1)
    examples = [Example(q, frozenset({k})) for q, k in QUESTIONS]
    index = get_engine().index
    model = train(examples, index, info={"source": "test"})
    assert model.semantic is not None
    path = corpus / "model.json"
    model.save(path)
    assert semantic_path(path).exists()
    assert json.loads(path.read_text(encoding="utf-8"))["semantic_sha256"]
    settings.FAWANG_RETRIEVAL_MODEL = path
    reset_engine()
    assert (search_articles("东家欠我薪水", limit=3)[0].law_title, search_articles("东家欠我薪水", limit=3)[0].label) == WAGES

    # Vectors from another training run: the model is stale, search falls back to lexical.
    other = train(examples[:6], index, info={"source": "test"})
    other.semantic.save(semantic_path(path))
    with pytest.raises(ValueError):
        RetrievalModel.load(path)
    reset_engine()
    assert search_articles("用人单位 劳动报酬")[0].law_title == "中华人民共和国劳动合同法"


def test_article_vectors_are_stored_once_per_index_build(corpus, fast, settings, monkeypatch):
    """A later process (here: a reset engine) maps the stored vectors instead of computing them;
    a rebuilt index or another model gets its own, and a rebuild removes the stale file."""
    from fawang.knowledge.retrieval import rebuild_retrieval_index
    from fawang.knowledge.retrieval.engine import index_dir

    monkeypatch.setattr(ranker, "SEEDS", 1)
    examples = [Example(q, frozenset({k})) for q, k in QUESTIONS]
    path = corpus / "model.json"
    train(examples, get_engine().index, info={"source": "test"}).save(path)
    settings.FAWANG_RETRIEVAL_MODEL = path
    reset_engine()
    first = search_articles("东家欠我薪水", limit=5)
    stored = sorted(index_dir().glob("derived-semantic-*.npy"))
    assert len(stored) == 1 and get_engine().index.build_id in stored[0].name

    computed = []
    real = semantic.SemanticModel.article_vectors
    monkeypatch.setattr(semantic.SemanticModel, "article_vectors",
                        lambda self, index: computed.append(index) or real(self, index))
    reset_engine()
    assert search_articles("东家欠我薪水", limit=5) == first
    assert computed == []  # read back, not recomputed
    np.testing.assert_array_equal(np.load(stored[0]), real(get_engine().model.semantic, get_engine().index))

    # A file that does not fit the index (truncated, foreign) is recomputed, not trusted.
    np.save(stored[0], np.zeros((1, 3), dtype=np.float32))
    reset_engine()
    assert search_articles("东家欠我薪水", limit=5) == first and len(computed) == 1

    rebuild_retrieval_index()  # stores the new build's vectors itself (once, for every process)
    assert not stored[0].exists()  # derived from the previous build
    assert len(computed) == 2
    reset_engine()
    assert search_articles("东家欠我薪水", limit=5) == first and len(computed) == 2
    assert [p.name for p in index_dir().glob("derived-semantic-*.npy")] == [
        f"derived-semantic-{get_engine().model.semantic_digest[:16]}-{get_engine().index.build_id}.npy"]
