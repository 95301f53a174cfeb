"""Hot topics (F16): most asked categories and FAQ questions per region and time window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fawang.consultation.models import SmartConsultation
from fawang.consultation.selectors import hot_topics
from fawang.consultation.services import consult

from .test_line_services import _user, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_counts_by_region_and_window(client, faq):
    for _ in range(3):
        consult(question="公司拖欠工资不发怎么办", region_code="410105")
    consult(question="离婚后孩子抚养权归谁", region_code="410105")
    consult(question="离婚后孩子抚养权归谁", region_code="420105")
    old = consult(question="被车撞了保险公司不赔", region_code="410105")
    SmartConsultation.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))

    hot = hot_topics(region_code="4101", days=30)
    assert hot["total"] == 4
    assert hot["categories"][0] == {"category": "劳动纠纷", "count": 3}
    assert {"category": "婚姻家庭", "count": 1} in hot["categories"]
    assert all(row["category"] != "交通事故" for row in hot["categories"])
    assert hot["questions"][0]["count"] == 3 and hot["questions"][0]["category"] == "劳动纠纷"

    everywhere = hot_topics(days=60)
    assert everywhere["total"] == 6
    assert {"category": "婚姻家庭", "count": 2} in everywhere["categories"]

    api = client.get("/api/consultation/hot-topics", {"region_code": "4201"}).json()
    assert api["total"] == 1 and api["categories"] == [{"category": "婚姻家庭", "count": 1}]
    assert "劳动纠纷" in client.get("/consult/").content.decode()


def test_hotline_and_window_consultations_count_and_a_smart_one_on_the_line_counts_once(world, faq):  # noqa: F811
    """The 12348 hotline and the window are where most questions arrive: they count too, under
    the category staff confirmed; a smart consultation brought onto the line is not counted twice."""
    from fawang.consultation import services_line as line

    for _ in range(2):
        line.consultation_record(actor=world["agent"], channel="hotline", question="邻居装修把我家墙震裂了",
                                 category="侵权")
    smart = consult(question="公司拖欠工资三个月不发怎么办", channel="web", region_code="410102", use_llm=False)
    consult(question="离婚后孩子抚养权归谁", region_code="410102", use_llm=False)
    assert smart.category == "劳动纠纷" and smart.case_number
    record = line.consultation_record_from_smart(smart=smart, actor=world["agent"])
    line.consultation_set_category(record=record, actor=world["agent"], category="债权债务")

    hot = hot_topics(region_code="410102", days=30)
    assert hot["total"] == 4
    assert hot["categories"] == [{"category": "侵权", "count": 2}, {"category": "债权债务", "count": 1},
                                 {"category": "婚姻家庭", "count": 1}]
    assert hot_topics(region_code="410103", days=30)["total"] == 0
