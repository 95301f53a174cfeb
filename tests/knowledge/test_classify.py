"""Question classifier: shipped model, rules, commands, and an honest held-out check."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fawang.knowledge.classify import CATEGORIES, classify_question
from fawang.knowledge.classify.categories import KEYWORD_PRIORS, category_for_law
from fawang.knowledge.classify.model import NaiveBayes
from fawang.knowledge.classify.numerals import article_number, chinese_to_int
from fawang.knowledge.classify.training import (
    accuracy_and_macro_f1,
    cross_validate,
    faq_docs,
    read_faq,
    read_jsonl,
    stratified_folds,
    train_model,
    weak_docs,
)

SHARED = Path(__file__).resolve().parents[2] / "../shared/data/benchmarks"
DEV = SHARED / "question-classification/dev.jsonl"
needs_shared = pytest.mark.skipif(not DEV.exists(), reason="../shared/data absent")


def test_twenty_categories_each_with_priors():
    assert len(CATEGORIES) == 20 == len(set(CATEGORIES))
    assert set(KEYWORD_PRIORS) == set(CATEGORIES)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("公司拖欠工资三个月不发，还不签劳动合同怎么办", "劳动纠纷"),
        ("被车撞了，交警认定对方全责，保险公司不赔", "交通事故"),
        ("老公出轨想离婚，孩子抚养权归谁", "婚姻家庭"),
        ("朋友借了我五万元写了借条一直不还钱", "债权债务"),
        ("别人抢注了我们的商标怎么办", "知识产权"),
    ],
)
def test_shipped_model_on_plain_questions(question, expected):
    category, score, top3 = classify_question(question)
    assert category == expected
    assert 0 < score <= 1
    assert len(top3) == 3 and top3[0] == (category, score)
    assert all(c in CATEGORIES for c, _ in top3)


def test_empty_question_is_general():
    assert classify_question("   ")[0] == "综合咨询"


def test_numerals():
    assert chinese_to_int("一千零七十九") == 1079
    assert chinese_to_int("十五") == 15
    assert chinese_to_int("二百六十四") == 264
    assert chinese_to_int("abc") is None
    assert article_number("第一千二百零八条") == 1208
    assert article_number("第三十条之一") == 30
    assert article_number("总则") is None


def test_law_rules():
    assert category_for_law("中华人民共和国劳动合同法", "第三十条") == "劳动纠纷"
    assert category_for_law("中华人民共和国民法典", "第一千零七十九条") == "婚姻家庭"
    assert category_for_law("中华人民共和国民法典", "第一千二百零八条") == "交通事故"
    assert category_for_law("中华人民共和国民法典", "第六百六十七条") == "债权债务"
    assert category_for_law("中华人民共和国民法典", "第十条") is None
    assert category_for_law("最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释", "第一条") == "抵押担保"
    assert category_for_law("某某条例", "第一条") is None


def test_weak_docs_need_a_majority():
    rows = [
        {"question": "甲", "relevant": [{"law": "中华人民共和国劳动合同法", "article": "第十条"}]},
        {"question": "乙", "relevant": [{"law": "中华人民共和国劳动合同法", "article": "第十条"},
                                         {"law": "中华人民共和国商标法", "article": "第三条"}]},
        {"question": "丙", "relevant": [{"law": "某条例", "article": "第一条"}]},
    ]
    assert weak_docs(rows, 0.5) == [("甲 ", "劳动纠纷", 0.5)]


def test_faq_docs_cover_every_category():
    docs = faq_docs(read_faq(), 1.0)
    assert len(docs) >= 200 and {c for _, c, _ in docs} == set(CATEGORIES)


def test_metrics():
    acc, f1 = accuracy_and_macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert acc == 0.75
    # a: p=1 r=.5 f=.667; b: p=.667 r=1 f=.8
    assert f1 == pytest.approx((2 / 3 + 0.8) / 2)


def test_folds_are_disjoint_and_stratified():
    rows = [{"question": str(i), "category": "ab"[i % 2]} for i in range(20)]
    folds = stratified_folds(rows, 5)
    flat = sorted(i for f in folds for i in f)
    assert flat == list(range(20))
    assert all(sum(rows[i]["category"] == "a" for i in f) == 2 for f in folds)


def test_model_roundtrip(tmp_path):
    docs = [("工资拖欠", "劳动纠纷", 1.0), ("离婚财产", "婚姻家庭", 1.0)]
    model = NaiveBayes.train(docs, categories=["劳动纠纷", "婚姻家庭"], keywords={"劳动纠纷": ["工资"]},
                             keyword_bonus=2.0)
    model.save(tmp_path / "m.json")
    again = NaiveBayes.load(tmp_path / "m.json")
    assert again.scores("拖欠工资") == model.scores("拖欠工资")
    assert again.predict("离婚") == "婚姻家庭"


def test_eval_command_prints_json_last(tmp_path):
    path = tmp_path / "eval.jsonl"
    path.write_text(
        "\n".join(json.dumps({"question": q, "category": c}, ensure_ascii=False) for q, c in [
            ("老公出轨要离婚孩子抚养权", "婚姻家庭"),
            ("公司拖欠工资不发", "劳动纠纷"),
        ]),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("eval_classify", str(path), "--json", stdout=out)
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert last == {"n": 2, "accuracy": 1.0, "macro_f1": 1.0}


def test_train_command_writes_model(tmp_path):
    dev = tmp_path / "dev.jsonl"
    dev.write_text("\n".join(json.dumps({"question": q, "category": c}, ensure_ascii=False) for q, c in [
        ("拖欠工资", "劳动纠纷"), ("离婚", "婚姻家庭")]), encoding="utf-8")
    out_path = tmp_path / "model.json"
    call_command("train_classifier", str(dev), "--output", str(out_path), stdout=StringIO())
    model = NaiveBayes.load(out_path)
    assert model.meta["trained_on"]["gold"] == 2
    assert model.meta["trained_on"]["faq"] >= 200  # our FAQ questions are training examples too
    assert model.predict("老板拖欠工资") == "劳动纠纷"


def test_train_command_takes_several_labelled_files(tmp_path):
    """The dev file and the questions staff confirmed (``export-category-labels``) train together."""
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"question": "拖欠工资", "category": "劳动纠纷"}, ensure_ascii=False), encoding="utf-8")
    staff = tmp_path / "labels.jsonl"
    staff.write_text("\n".join(json.dumps({"id": f"ZX{i}", "question": q, "category": c}, ensure_ascii=False)
                               for i, (q, c) in enumerate([("离婚", "婚姻家庭"), ("邻居噪音扰民", "综合咨询")])),
                     encoding="utf-8")
    out_path = tmp_path / "model.json"
    call_command("train_classifier", str(dev), str(staff), "--output", str(out_path), stdout=StringIO(),
                 stderr=StringIO())
    assert NaiveBayes.load(out_path).meta["trained_on"]["gold"] == 3


@needs_shared
def test_cross_validated_accuracy_on_dev_split():
    """Held-out estimate on a small split (3 folds, 8 categories) to stay fast: far above chance."""
    keep = set(CATEGORIES[:8])
    rows = [r for r in read_jsonl(DEV) if r["category"] in keep]
    result = cross_validate(rows, lambda tr: train_model(tr).predict, k=3)
    assert result["n"] == 120
    assert result["accuracy"] > 0.4  # chance is 0.05 over 20 classes


def test_shipped_model_is_complement_nb():
    from fawang.knowledge.classify import get_model

    assert get_model().complement is True


def test_complement_nb_roundtrip_and_unbalanced_classes(tmp_path):
    """Complement NB is not swayed by one class having many more (weak) documents."""
    docs = [("合同违约金", "合同纠纷", 1.0)] * 30 + [("船舶碰撞", "海事海商", 1.0), ("合同", "海事海商", 1.0)]
    model = NaiveBayes.train(docs, categories=["合同纠纷", "海事海商"], complement=True)
    model.save(tmp_path / "m.json")
    again = NaiveBayes.load(tmp_path / "m.json")
    assert again.complement is True
    assert again.scores("船舶碰撞合同") == model.scores("船舶碰撞合同")
    assert again.predict("船舶碰撞") == "海事海商"
    assert again.predict("违约金") == "合同纠纷"


def test_weak_docs_tolerate_non_text_keywords():
    """consultation-answers has rows whose ``keywords`` is NaN (pandas export)."""
    rows = [{"question": "甲", "keywords": float("nan"),
             "relevant": [{"law": "中华人民共和国劳动合同法", "article": "第十条"}]}]
    assert weak_docs(rows, 1.0) == [("甲 ", "劳动纠纷", 1.0)]


# -- query expansion (term map baked into the artifact) ----------------------------------------


def _tiny_term_map():
    from fawang.knowledge.classify.expansion import TermMap

    return TermMap({"老板": [("用人单位", 0.9, 2.0), ("劳动者", 0.5, 1.5)],
                    "工资": [("劳动报酬", 0.8, 3.0), ("用人单位", 0.4, 2.0)]})


def test_term_map_expands_deterministically_and_roundtrips():
    from fawang.knowledge.classify.expansion import TermMap

    term_map = _tiny_term_map()
    # Best P per statute word, highest first; ties broken by the word; at most n words.
    assert term_map.expand("老板不发工资") == ["用人单位", "劳动报酬", "劳动者"]
    assert term_map.expand("老板不发工资", n=1) == ["用人单位"]
    assert term_map.expand("今天天气很好") == []
    # A word the question already contains is no expansion.
    assert "用人单位" not in term_map.expand("老板说用人单位不发工资")
    again = TermMap.from_json(json.loads(json.dumps(term_map.to_json(), ensure_ascii=False)))
    assert again.expand("老板不发工资") == term_map.expand("老板不发工资")


def test_expansion_features_are_learned_and_saved(tmp_path):
    """A question sharing no word with the training text is classified through the statute
    words its words expand to; weak/pseudo documents (expand=False) get no expansion."""
    docs = [("老板", "劳动纠纷", 1.0), ("离婚 财产", "婚姻家庭", 1.0), ("夫妻 感情", "婚姻家庭", 1.0),
            ("老板娘", "婚姻家庭", 1.0, False)]
    model = NaiveBayes.train(docs, categories=["劳动纠纷", "婚姻家庭"], complement=True,
                             term_map=_tiny_term_map(), expansion_terms=10)
    assert "X:用人单位" in model.features("老板")
    assert "X:用人单位" not in model.features("老板", expand=False)
    assert model.counts["劳动纠纷"]["X:用人单位"] == 1.0
    assert not any(f.startswith("X:") for f in model.counts["婚姻家庭"])
    # "工资" shares no character with any training text; its expansion 用人单位 decides.
    assert model.features("工资") & model.vocabulary == {"X:用人单位"}
    assert model.predict("工资") == "劳动纠纷"
    model.save(tmp_path / "m.json")
    again = NaiveBayes.load(tmp_path / "m.json")
    assert again.expansion_terms == 10 and again.term_map is not None
    assert again.scores("工资") == model.scores("工资")


def test_old_artifact_without_term_map_loads(tmp_path):
    model = NaiveBayes.train([("工资", "劳动纠纷", 1.0), ("离婚", "婚姻家庭", 1.0)],
                             categories=["劳动纠纷", "婚姻家庭"])
    data = model.to_json()
    del data["term_map"], data["expansion_terms"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    old = NaiveBayes.load(path)
    assert old.term_map is None and old.features("老板工资") == set(old.features("老板工资", expand=False))


def test_shipped_model_carries_its_term_map():
    """The classifier never needs the law corpus at run time: the map is in the artifact."""
    from fawang.knowledge.classify import get_model

    model = get_model()
    assert model.expansion_terms == 10
    assert model.term_map is not None and len(model.term_map) > 500
    assert any(f.startswith("X:") for f in model.vocabulary)


def test_train_command_keeps_the_term_map_of_the_existing_artifact(tmp_path, monkeypatch):
    """Without a retrieval engine (no corpus imported) retraining keeps the artifact's map."""
    from fawang.knowledge.management.commands import train_classifier

    monkeypatch.setattr(train_classifier, "term_map_from_engine", lambda: None)
    dev = tmp_path / "dev.jsonl"
    dev.write_text("\n".join(json.dumps({"question": q, "category": c}, ensure_ascii=False) for q, c in [
        ("拖欠工资", "劳动纠纷"), ("离婚", "婚姻家庭")]), encoding="utf-8")
    out_path = tmp_path / "model.json"
    seed = NaiveBayes.train([("工资", "劳动纠纷", 1.0)], categories=["劳动纠纷"], term_map=_tiny_term_map(),
                            expansion_terms=10)
    seed.save(out_path)
    call_command("train_classifier", str(dev), "--output", str(out_path), stdout=StringIO(), stderr=StringIO())
    model = NaiveBayes.load(out_path)
    assert model.term_map is not None and model.term_map.links == _tiny_term_map().links
    assert model.meta["term_map"]["source"].startswith("kept")
    call_command("train_classifier", str(dev), "--output", str(out_path), "--expansion-terms", "0",
                 stdout=StringIO(), stderr=StringIO())
    assert NaiveBayes.load(out_path).term_map is None


def test_classification_is_fast_and_deterministic():
    import time

    questions = ["公司拖欠工资三个月不发，还不签劳动合同怎么办", "被车撞了，交警认定对方全责，保险公司不赔",
                 "老公出轨想离婚，孩子抚养权归谁"] * 10
    classify_question("预热")
    started = time.perf_counter()
    first = [classify_question(q) for q in questions]
    per_question = (time.perf_counter() - started) / len(questions)
    assert first == [classify_question(q) for q in questions]
    assert per_question < 0.03


def test_train_command_takes_the_term_map_from_the_retrieval_engine(tmp_path, monkeypatch):
    from fawang.knowledge.classify.expansion import TermMap
    from fawang.knowledge.management.commands import train_classifier

    engine_map = TermMap({"老板": [("用人单位", 0.9, 2.0)]})
    monkeypatch.setattr(train_classifier, "term_map_from_engine", lambda: engine_map)
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"question": "老板拖欠工资", "category": "劳动纠纷"}, ensure_ascii=False),
                   encoding="utf-8")
    out_path = tmp_path / "model.json"
    call_command("train_classifier", str(dev), "--output", str(out_path), "--min-df", "1", stdout=StringIO())
    model = NaiveBayes.load(out_path)
    assert model.meta["term_map"] == {"source": "retrieval engine", "question_words": 1}
    assert model.term_map.links == engine_map.links
    assert model.counts["劳动纠纷"]["X:用人单位"] >= 1  # the dev question was expanded


def test_train_command_survives_a_failing_engine(tmp_path, monkeypatch):
    """A broken retrieval setup must not stop the classifier from being retrained."""
    from fawang.knowledge.management.commands import train_classifier

    def boom():
        raise RuntimeError("no database here")

    monkeypatch.setattr(train_classifier, "term_map_from_engine", boom)
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"question": "离婚", "category": "婚姻家庭"}, ensure_ascii=False), encoding="utf-8")
    out_path = tmp_path / "model.json"
    err = StringIO()
    call_command("train_classifier", str(dev), "--output", str(out_path), stdout=StringIO(), stderr=err)
    assert NaiveBayes.load(out_path).term_map is None
    assert "检索引擎不可用" in err.getvalue()
