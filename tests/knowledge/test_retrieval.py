"""Statute retrieval: metrics, the engine on a small imported corpus, training, eval command."""

from __future__ import annotations

import json
import threading
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from fawang.knowledge.models import Article, Law
from fawang.knowledge.retrieval import rebuild_retrieval_index, search_articles
from fawang.knowledge.retrieval.engine import db_records, get_engine, index_dir, reset_engine
from fawang.knowledge.retrieval.index import ArticleIndex
from fawang.knowledge.retrieval.metrics import mrr_at, ndcg_at, percentile, recall_at, summarize
from fawang.knowledge.retrieval.model import RetrievalModel
from fawang.knowledge.retrieval.text import tokenize
from fawang.knowledge.retrieval.train import Example, read_examples, read_reference, train

A, B, C = ("L", "第一条"), ("L", "第二条"), ("M", "第一条")


def test_metrics_on_toy_rankings():
    ranked = [C, A, ("X", "第九条"), B]
    gold = {A, B}
    assert recall_at(ranked, gold, 2) == 0.5
    assert recall_at(ranked, gold, 10) == 1.0
    assert mrr_at(ranked, gold, 10) == 0.5
    assert mrr_at(ranked, {("Z", "第一条")}, 10) == 0.0
    # gains at ranks 2 and 4; ideal at 1 and 2
    expected = (1 / 1.584962500721156 + 1 / 2.321928094887362) / (1 + 1 / 1.584962500721156)
    assert ndcg_at(ranked, gold, 10) == pytest.approx(expected)
    assert ndcg_at([A, A], {A, B}, 10) == pytest.approx(1 / (1 + 1 / 1.584962500721156))  # repeat gains once
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile([], 95) == 0.0
    out = summarize([(ranked, gold), ([], {A})], [10.0, 20.0])
    assert out["n"] == 2 and out["recall@10"] == 0.5 and out["mrr@10"] == 0.25
    assert set(out) == {"n", "recall@10", "recall@100", "mrr@10", "ndcg@10", "p50_ms", "p95_ms"}


def test_postings_hold_the_bm25_weight_of_every_term_in_every_document():
    """The vectorised build against BM25 written out term by term (k1 1.2, b 0.75)."""
    import math

    from fawang.knowledge.retrieval.index import Postings

    docs = [["工资", "拖欠", "工资"], [], ["离婚", "工资"], ["抚养"]]
    postings = Postings.build(docs)
    assert list(postings.vocab) == sorted({t for d in docs for t in d}) and postings.n_docs == 4
    avg = sum(map(len, docs)) / len(docs)
    for term, tid in postings.vocab.items():
        lo, hi = postings.indptr[tid], postings.indptr[tid + 1]
        holders = [d for d, toks in enumerate(docs) if term in toks]
        assert postings.docs[lo:hi].tolist() == holders  # documents ascending
        idf = math.log(1 + (4 - len(holders) + 0.5) / (len(holders) + 0.5))
        for d, weight in zip(holders, postings.weights[lo:hi], strict=True):
            tf = docs[d].count(term)
            expected = idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(docs[d]) / avg))
            assert weight == pytest.approx(expected, rel=1e-6)
    assert postings.score(["工资", "无此词"]).argmax() == 0
    empty = Postings.build([])
    assert empty.n_docs == 0 and empty.indptr.tolist() == [0] and empty.score(["工资"]).size == 0


def test_tokenize_drops_question_words_and_keeps_legal_terms():
    terms = tokenize("老板不给工资怎么办？")
    assert "工资" in terms and "老板" in terms
    assert "怎么办" not in terms and "？" not in terms
    assert "第五十四条" not in "".join(tokenize("依照第五十四条规定"))


def keys(hits):
    return [(h.law_title, h.label) for h in hits]


def test_search_ranks_matching_article_first_and_drops_superseded_version(corpus):
    hits = search_articles("公司不及时支付劳动报酬怎么办", limit=10)
    assert keys(hits)[0][0] == "中华人民共和国劳动合同法"
    assert ("中华人民共和国劳动合同法", "第三十条") in keys(hits)
    # The 2007 version of the same title is superseded: it is not in the index at all.
    ids = {h.article_id for h in hits}
    old = Article.objects.get(law__source__endswith="(2007).md")
    assert old.id not in ids
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(hits[i].score >= hits[i + 1].score for i in range(len(hits) - 1))


def test_search_is_deterministic_and_handles_empty_and_filters(corpus):
    q = "离婚后孩子归谁抚养"
    assert search_articles(q) == search_articles(q)
    assert search_articles("   ") == []
    assert search_articles("zzzz qqqq") == []
    only = search_articles("离婚 支付 劳动报酬", filters={"law_titles": ["中华人民共和国民法典"]})
    assert only and {h.law_title for h in only} == {"中华人民共和国民法典"}
    assert len(search_articles("用人单位 劳动报酬", limit=1)) == 1


def test_index_is_rebuilt_after_new_articles(corpus):
    law = Law.objects.get(title="中华人民共和国道路交通安全法")
    Article.objects.create(law=law, label="第七十七条", number=77, position=5, text="车辆在道路以外通行时发生的事故，参照本法处理。")
    assert "第七十七条" not in [h.label for h in search_articles("道路以外 车辆 事故")]
    rebuild_retrieval_index()
    assert search_articles("道路以外 车辆 事故")[0].label == "第七十七条"


def test_index_saved_by_several_threads_at_once_stays_whole(corpus, settings):
    """Web workers warming up together may each build a missing index (core/warmup.py)."""
    index = ArticleIndex.build(db_records())
    directory = index_dir()
    errors: list[BaseException] = []

    def save() -> None:
        try:
            index.save(directory)
        except BaseException as exc:  # collected: an exception in a thread does not fail the test
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ArticleIndex.load(directory).n == index.n
    assert sorted(p.name for p in directory.iterdir()) == ["index.json", "index.npz"]  # no temporary left


def test_deleted_article_stays_on_the_law_page_but_out_of_the_index(corpus):
    law = Law.objects.get(title="中华人民共和国道路交通安全法")
    Article.objects.create(law=law, label="第七十八条", number=78, position=6, text="（删去）")
    Article.objects.create(law=law, label="第七十九条", number=79, position=7, text="机动车删去号牌的，予以处罚。")
    rebuild_retrieval_index()
    labels = [h.label for h in search_articles("删去 号牌")]
    assert "第七十九条" in labels and "第七十八条" not in labels


def test_training_memory_bridges_everyday_words(corpus):
    """'老板拖欠工资' shares no term with the statute text; judged examples teach the link."""
    gold = frozenset({("中华人民共和国劳动合同法", "第八十五条")})
    examples = [Example("老板拖欠工资不给", gold), Example("老板一直拖欠我工资", gold),
                Example("工资被老板拖欠了", gold),
                Example("离婚孩子抚养", frozenset({("中华人民共和国民法典", "第一千零八十四条")})),
                Example("借钱不还", frozenset({("中华人民共和国民法典", "第六百六十七条")}))]
    engine = get_engine()
    model = train(examples, engine.index, info={"source": "test"})
    path = corpus / "model.json"
    model.save(path)
    assert RetrievalModel.load(path).memory.gold == model.memory.gold
    from django.conf import settings

    settings.FAWANG_RETRIEVAL_MODEL = path
    reset_engine()
    assert keys(search_articles("老板拖欠工资怎么办", limit=3))[0] == ("中华人民共和国劳动合同法", "第八十五条")


def test_eval_command_prints_json_last_line(corpus, tmp_path):
    path = tmp_path / "q.jsonl"
    rows = [
        {"id": "t-1", "question": "用人单位不支付劳动报酬", "relevant": [
            {"law": "中华人民共和国劳动合同法", "article": "第三十条"},
            {"law": "中华人民共和国劳动合同法", "article": "第八十五条"}]},
        {"id": "t-2", "question": "交通事故保险公司赔偿吗", "relevant": [
            {"law": "中华人民共和国道路交通安全法", "article": "第七十六条"}]},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert len(read_examples(path)) == 2
    out = StringIO()
    call_command("eval_retrieval", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(result) == {"n", "recall@10", "recall@100", "mrr@10", "ndcg@10", "p50_ms", "p95_ms"}
    assert result["n"] == 2
    assert result["recall@10"] == 1.0 and result["mrr@10"] == 1.0
    assert 0 < result["p50_ms"] <= result["p95_ms"]


def test_eval_command_rejects_missing_file(corpus, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("eval_retrieval", str(tmp_path / "missing.jsonl"), "--json")


def test_stale_model_falls_back_to_lexical_ranking(corpus, settings):
    """An artifact from older code must not break consultation: search still answers."""
    stale = corpus / "stale.json"
    stale.write_text(json.dumps({"version": 0, "features": []}), encoding="utf-8")
    settings.FAWANG_RETRIEVAL_MODEL = stale
    reset_engine()
    assert search_articles("用人单位 劳动报酬")[0].law_title == "中华人民共和国劳动合同法"


def test_train_command_writes_model(corpus, tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps({"id": "x-1", "question": "老板拖欠工资", "relevant": [
        {"law": "中华人民共和国劳动合同法", "article": "第八十五条"}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "model.json"
    call_command("train_retrieval", str(path), "--output", str(out), "--no-reference", stdout=StringIO())
    model = RetrievalModel.load(out)
    assert model.info["n_examples"] == 1 and model.info["n_reference"] == 0
    assert model.memory.gold == [[("中华人民共和国劳动合同法", "第八十五条")]]

    # By default the memory also holds the reference questions whose articles are imported
    # (here: FAQ entries citing 民法典 第一千零七十九条 etc.), after the judged ones.
    call_command("train_retrieval", str(path), "--output", str(out), stdout=StringIO())
    model = RetrievalModel.load(out)
    assert model.info["n_examples"] == 1 and model.info["n_reference"] > 0
    assert len(model.memory.gold) == 1 + model.info["n_reference"]
    assert model.memory.gold[0] == [("中华人民共和国劳动合同法", "第八十五条")]


def test_reference_questions_resolve_short_titles_and_skip_unknown_articles(corpus, tmp_path):
    faq = tmp_path / "faq.json"
    faq.write_text(json.dumps({"version": 1, "entries": [
        {"key": "f-1", "category": "婚姻家庭", "question": "对方不同意离婚怎么办", "answer": "……",
         "citations": [{"law": "民法典", "article": "第一千零七十九条"}], "keywords": ["诉讼离婚"]},
        {"key": "f-2", "category": "婚姻家庭", "question": "没导入的法", "answer": "……",
         "citations": [{"law": "不存在法", "article": "第一条"}]},
    ]}, ensure_ascii=False), encoding="utf-8")
    qdir = tmp_path / "questions"
    qdir.mkdir()
    (qdir / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"law": "中华人民共和国劳动合同法", "article": "第八十五条", "question": "老板拖着工资不发怎么办"},
        {"law": "中华人民共和国劳动合同法", "article": "第九百条", "question": "没有这一条"},
    ]) + "\n", encoding="utf-8")
    refs = read_reference(get_engine().index, faq=faq, questions_dir=qdir)
    assert [(e.question, sorted(e.gold), e.answer) for e in refs] == [
        ("对方不同意离婚怎么办", [("中华人民共和国民法典", "第一千零七十九条")], "诉讼离婚"),
        ("老板拖着工资不发怎么办", [("中华人民共和国劳动合同法", "第八十五条")], ""),
    ]


def test_shipped_reference_questions_are_well_formed():
    """Real labels, citizen-length text, no question twice for one article: the files are data we wrote by
    hand and a typo would silently drop an entry."""
    import re

    from fawang.knowledge.retrieval.train import ARTICLE_QUESTIONS_DIR

    label = re.compile(r"^第[零〇一二两三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?$")
    files = sorted(ARTICLE_QUESTIONS_DIR.glob("*.jsonl"))
    assert files
    per_article: dict[tuple[str, str], int] = {}
    questions = set()
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line)
            assert set(row) == {"law", "article", "question"}, (path.name, n)
            assert label.match(row["article"]), (path.name, n)
            assert 6 <= len(row["question"]) <= 80, (path.name, n)
            key = (row["law"], row["article"])
            assert (key, row["question"]) not in questions, (path.name, n)
            questions.add((key, row["question"]))
            per_article[key] = per_article.get(key, 0) + 1
    # One question per article, up to three (other angles) for the most-asked laws; never more,
    # so no article outweighs the others in the memory.
    assert max(per_article.values()) <= 3


def test_index_from_older_code_is_rebuilt_not_fatal(corpus, settings):
    meta = settings.VAR_DIR / "retrieval" / "index.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["format"] = -1
    meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    reset_engine()
    assert search_articles("用人单位 劳动报酬")[0].law_title == "中华人民共和国劳动合同法"


def test_law_channel_adds_the_best_articles_of_the_top_laws(corpus, monkeypatch):
    """With every corpus-wide channel switched off, the law channel alone still proposes the
    predicted law's own best lexical matches, and ranks them inside their law."""
    from fawang.knowledge.retrieval import ranker

    monkeypatch.setattr(ranker, "CAND_PER_CHANNEL", 0)
    monkeypatch.setattr(ranker, "LAW_TOP", 1)
    monkeypatch.setattr(ranker, "LAW_CANDS", 2)
    index = get_engine().index
    cands, X = ranker.features(index, None, tokenize("用人单位未支付劳动报酬"))
    got = {index.key(int(r)) for r in cands}
    assert got == {("中华人民共和国劳动合同法", "第八十五条"), ("中华人民共和国劳动合同法", "第三十条")}
    assert X.shape == (2, len(ranker.FEATURES))
    in_law = X[:, ranker.FEATURES.index("in_law_rank")]
    assert sorted(in_law.tolist()) == [pytest.approx(1 / np.log2(3)), 1.0]
    assert (X[:, ranker.FEATURES.index("law_rank")] == 1.0).all()


def test_averaged_ranker_scores_the_mean_of_its_members():
    from fawang.knowledge.retrieval.ranker import LinearRanker

    rng = np.random.default_rng(0)
    Xs = [rng.normal(size=(12, 4)).astype(np.float32) for _ in range(6)]
    ys = [(np.arange(12) == i).astype(np.float32) for i in range(6)]
    members = [LinearRanker.fit(Xs, ys, hidden=3, iters=20, seed=s) for s in (1, 2, 3)]
    merged = LinearRanker.average(members)
    X = rng.normal(size=(9, 4)).astype(np.float32)
    assert merged.w1.shape == (9, 4)
    np.testing.assert_allclose(merged.score(X), np.mean([m.score(X) for m in members], axis=0), rtol=1e-4, atol=1e-5)
    linear = [LinearRanker.fit(Xs, ys, hidden=0, iters=20, seed=s) for s in (1, 2)]
    np.testing.assert_allclose(LinearRanker.average(linear).score(X), np.mean([m.score(X) for m in linear], axis=0),
                               rtol=1e-4, atol=1e-5)


def test_a_missing_index_is_built_and_searched_with_one_model_load(corpus, settings, monkeypatch):
    """A worker that finds no index builds it (the model's article vectors need the model) and then
    loads the engine: the model file, 0.6-0.8 s for the shipped one, is read once, not twice."""
    engine = get_engine()
    path = corpus / "model.json"
    train([Example("老板拖欠工资不给", frozenset({("中华人民共和国劳动合同法", "第八十五条")}))],
          engine.index, info={"source": "test"}).save(path)
    settings.FAWANG_RETRIEVAL_MODEL = path
    for name in ("index.json", "index.npz"):
        (index_dir() / name).unlink()
    reset_engine()
    loads = []
    real_load = RetrievalModel.load.__func__
    monkeypatch.setattr(RetrievalModel, "load", classmethod(lambda cls, p: loads.append(p) or real_load(cls, p)))
    rebuilt = get_engine()
    assert (index_dir() / "index.json").exists() and rebuilt.model is not None
    assert loads == [path]
    assert search_articles("老板拖欠工资怎么办", limit=3) and loads == [path]
