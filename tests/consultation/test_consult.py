"""consult(): classification, quoted articles, FAQ, services, service point, record, case link."""

from __future__ import annotations

import pytest

from fawang.consultation import services
from fawang.consultation.choices import AnswerSource
from fawang.consultation.models import CallbackRequest, SmartConsultation
from fawang.consultation.selectors import nearest_service_point
from fawang.consultation.services import callback_request_create, consult, retrieve_articles
from fawang.core.errors import DomainError

from .conftest import citizen, service_point, staff

pytestmark = pytest.mark.django_db

QUESTION = "公司拖欠我三个月工资一直不发，我该怎么办？"


def test_records_everything_it_answered(laws, faq):
    c = consult(question=QUESTION, channel="web")
    c.refresh_from_db()
    assert c.category == "劳动纠纷"
    assert len(c.category_top3) == 3 and c.category_top3[0][0] == "劳动纠纷"
    assert c.faq_ids, "a labour FAQ entry should match"
    labels = {(x["law"], x["article"]) for x in c.citations}
    assert ("劳动合同法", "第三十条") in labels
    resolved = next(x for x in c.citations if x["article"] == "第三十条")
    assert resolved["article_id"] is not None and "支付令" in resolved["text"]
    assert c.article_ids, "retrieval quotes at least one article"
    assert "劳动纠纷" in c.answer_text and "《劳动合同法》第三十条" in c.answer_text
    assert c.answer_source == AnswerSource.TEMPLATE
    assert {s["code"] for s in c.service_types} >= {"GGFL-FY-001", "GGFL-TJ-001"}
    assert SmartConsultation.objects.count() == 1


def test_an_unsure_classification_names_the_other_likely_categories(laws, faq, client, monkeypatch):
    """Below ``CONFIDENT_SCORE`` the top category is more often wrong than right: the answer, the
    opinion and the next steps cover the three likeliest, best first."""
    unsure = ("劳动纠纷", 0.22, [("劳动纠纷", 0.22), ("合同纠纷", 0.2), ("人身损害", 0.12)])
    monkeypatch.setattr(services, "classify_question", lambda question: unsure)
    c = consult(question=QUESTION, channel="web")
    assert c.category == "劳动纠纷" and c.category_score == 0.22
    assert c.answer_text.splitlines()[0] == "您的问题初步归类为“劳动纠纷”，也可能涉及“合同纠纷”、“人身损害”。"
    codes = [s["code"] for s in c.service_types]
    assert len(codes) == len(set(codes)) and {"GGFL-FY-001", "GGFL-TJ-001"} <= set(codes)
    page = client.get(f"/consult/o/{c.public_id}/").content.decode()
    assert "也可能涉及：合同纠纷、人身损害" in page

    sure = ("劳动纠纷", 0.61, [("劳动纠纷", 0.61), ("合同纠纷", 0.2), ("人身损害", 0.05)])
    monkeypatch.setattr(services, "classify_question", lambda question: sure)
    c = consult(question=QUESTION, channel="web")
    assert c.answer_text.splitlines()[0] == "您的问题初步归类为“劳动纠纷”。"
    assert "也可能涉及" not in client.get(f"/consult/o/{c.public_id}/").content.decode()
    # A record saved before the top 3 were stored shows its category alone.
    SmartConsultation.objects.filter(pk=c.pk).update(category_score=0, category_top3=[])
    assert "也可能涉及" not in client.get(f"/consult/o/{c.public_id}/").content.decode()


def test_without_statutes_or_faq_still_answers_honestly(db):
    c = consult(question="我想咨询一个问题")
    assert c.citations == [] and c.faq_ids == []
    assert "12348" in c.answer_text


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"question": "  "}, "question_required"),
    ({"question": "x" * 2001}, "question_too_long"),
    ({"question": "工资", "channel": "fax"}, "channel_invalid"),
    ({"question": "工资", "region_code": "41x"}, "region_invalid"),
    ({"question": "工资", "lat": 34.7}, "location_invalid"),
])
def test_bad_input_is_refused_and_nothing_saved(kwargs, code):
    with pytest.raises(DomainError) as exc:
        consult(**kwargs)
    assert exc.value.code == code
    assert SmartConsultation.objects.count() == 0


def test_retrieval_fallback_when_engine_fails(laws, monkeypatch):
    def broken(question, limit):
        raise RuntimeError("index missing")

    monkeypatch.setattr(services, "_search_engine", broken)
    hits = retrieve_articles("离婚诉讼孩子抚养")
    assert hits and hits[0].law == "民法典"


def test_retrieval_uses_the_engine_when_it_answers(laws, monkeypatch):
    from fawang.knowledge.models import Article

    wanted = Article.objects.get(label="第十条")
    monkeypatch.setattr(services, "_search_engine", lambda q, limit: [wanted.pk])
    assert [a.article_id for a in retrieve_articles("随便什么问题")] == [wanted.pk]


def test_nearest_service_point_by_region_and_by_distance(db):
    county = service_point("P1", "410105", lat=34.77, lng=113.68)
    far = service_point("P2", "410106", lat=34.80, lng=113.30)
    assert nearest_service_point(region_code="410105001") == county
    assert nearest_service_point(region_code="410106") == far
    near = nearest_service_point(lat=34.78, lng=113.67)
    assert near == county and near.distance_km < 3
    assert nearest_service_point() is None


def test_links_a_completed_consultation_case(laws, faq, catalog):
    from fawang.cases.models import Case

    point = service_point("P9", "410105")
    agent = staff(division_code="4101")
    c = consult(question=QUESTION, channel="hotline", region_code="410105", entered_by=agent)
    assert c.service_point == point
    assert c.entered_by == agent
    assert c.case_number
    case = Case.objects.get(number=c.case_number)
    assert case.status == "completed" and case.channel == "hotline" and case.item.code == "GGFL-ZX-001"
    types = list(case.events.order_by("id").values_list("type", flat=True))
    assert types[0] == "case.received" and "consultation.answered" in types and types[-1] == "case.completed"


def test_no_region_no_case_but_still_recorded(faq, catalog):
    c = consult(question=QUESTION)
    assert c.case_number == "" and c.pk


def test_citizen_is_linked(faq):
    person = citizen()
    c = consult(question=QUESTION, user=person)
    assert c.user == person and c.entered_by is None


def test_callback_request_validates_and_encrypts_phone(db):
    with pytest.raises(DomainError) as exc:
        callback_request_create(name="张三", phone="123")
    assert exc.value.field == "phone"
    with pytest.raises(DomainError):
        callback_request_create(name=" ", phone="13800138000")
    assert CallbackRequest.objects.count() == 0
    c = consult(question=QUESTION, region_code="410105")
    cb = callback_request_create(name="张三", phone="+86 138 0013 8000", consultation=c, preferred_time="晚上")
    cb.refresh_from_db()
    assert cb.phone == "13800138000" and cb.region_code == "410105" and cb.status == "pending"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM consultation_callbackrequest WHERE id = %s", [cb.pk])
        assert "13800138000" not in cursor.fetchone()[0]


def test_fallback_quotes_only_articles_of_the_right_field(laws):
    from fawang.consultation.services import _search_fallback, compose_answer

    hits = _search_fallback("离婚诉讼调解", 5, category="婚姻家庭")
    assert hits and hits[0][1] is True
    weak = _search_fallback("离婚诉讼调解", 5, category="债权债务")
    assert weak and not any(strong for _pk, strong in weak)
    articles = [services.QuotedArticle(1, "民法典", "第一千零七十九条", "夫妻一方要求离婚的……", strong=False)]
    assert "第一千零七十九条" not in compose_answer(category="债权债务", faq=[], articles=articles)


def test_faq_keyword_edits_take_effect_without_restart(faq):
    from fawang.consultation.models import FaqEntry
    from fawang.consultation.selectors import faq_search

    assert not any("遗嘱" in m.entry.question for m in faq_search("小区停车位归谁"))
    entry = FaqEntry.objects.get(key="faq-01-09")
    entry.keywords = [*entry.keywords, "小区停车位"]
    entry.save()
    assert faq_search("小区停车位归谁")[0].entry.key == "faq-01-09"
