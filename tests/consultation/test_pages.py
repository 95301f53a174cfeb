"""Public pages: ask → 意见书 (HTML and PDF), FAQ, 转人工 one tap away, callback form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fawang.consultation.models import CallbackRequest, SmartConsultation

from .conftest import service_point, staff

pytestmark = pytest.mark.django_db


def test_consult_page_has_form_hot_topics_and_talk_to_person(client, faq):
    response = client.get("/consult/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="question"' in html
    assert 'href="tel:12348"' in html and 'href="#callback"' in html
    assert "热点问题" in html


def test_ask_then_opinion_page(client, laws, faq):
    service_point("P1", "410105")
    response = client.post("/consult/ask/", {"question": "公司拖欠工资三个月不发怎么办", "region_code": "410105"})
    assert response.status_code == 302
    c = SmartConsultation.objects.get()
    assert response["Location"] == reverse("consultation:opinion", args=[c.public_id])
    assert c.channel == "web"
    html = client.get(response["Location"]).content.decode()
    for part in ("法律咨询意见书", "一、咨询问题", "三、适用法律", "《劳动合同法》第三十条", "服务点P1", "仅供参考",
                 'href="tel:12348"', 'id="callback"'):
        assert part in html, part


def test_ask_with_empty_question_shows_error(client, db):
    response = client.post("/consult/ask/", {"question": "  "})
    assert response.status_code == 400
    assert "请填写您要咨询的问题" in response.content.decode()
    assert SmartConsultation.objects.count() == 0


def test_staff_enter_on_hotline_channel(client, faq):
    agent = staff()
    client.force_login(agent)
    assert "来源渠道" in client.get("/consult/").content.decode()
    client.post("/consult/ask/", {"question": "离婚后孩子归谁抚养", "channel": "hotline"})
    c = SmartConsultation.objects.get()
    assert c.channel == "hotline" and c.entered_by == agent and c.user is None


def test_citizen_cannot_pick_staff_channel(client, faq):
    client.post("/consult/ask/", {"question": "离婚后孩子归谁抚养", "channel": "hotline"})
    assert SmartConsultation.objects.get().channel == "web"


def test_opinion_pdf(client, laws, faq):
    client.post("/consult/ask/", {"question": "公司拖欠工资三个月不发怎么办"})
    c = SmartConsultation.objects.get()
    response = client.get(reverse("consultation:opinion_pdf", args=[c.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5000


def test_unknown_opinion_is_404(client, db):
    assert client.get("/consult/o/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_faq_page_lists_filters_and_searches(client, faq):
    html = client.get("/consult/faq/?category=交通事故").content.decode()
    assert "肇事司机逃逸了" in html and "离婚时孩子的抚养权归谁" not in html
    html = client.get("/consult/faq/?q=拖欠工资").content.decode()
    assert "公司拖欠工资不发" in html


def test_callback_form_creates_record(client, faq):
    client.post("/consult/ask/", {"question": "公司拖欠工资三个月不发怎么办"})
    c = SmartConsultation.objects.get()
    response = client.post("/consult/callback/", {"name": "李四", "phone": "13800138000", "consultation": str(c.public_id)})
    assert response.status_code == 200 and "已收到您的回电请求" in response.content.decode()
    cb = CallbackRequest.objects.get()
    assert cb.consultation == c and cb.name == "李四"


def test_callback_form_bad_phone(client, db):
    response = client.post("/consult/callback/", {"name": "李四", "phone": "12"})
    assert response.status_code == 400
    assert "电话号码格式不正确" in response.content.decode()
    assert CallbackRequest.objects.count() == 0


def test_faq_page_quotes_imported_articles(client, laws, faq):
    html = client.get("/consult/faq/?category=劳动纠纷").content.decode()
    assert "《劳动合同法》第三十条 原文" in html and "申请支付令" in html


def test_region_choices_are_where_service_points_are(client, db):
    service_point("P1", "410105")
    html = client.get("/consult/").content.decode()
    assert 'value="4101"' in html and 'value="410105"' in html
    assert 'value="4201"' not in html


def test_ask_with_browser_location_picks_the_nearest_point(client, faq):
    service_point("NEAR", "410105", lat=34.77, lng=113.68)
    service_point("FAR", "410106", lat=34.80, lng=113.30)
    client.post("/consult/ask/", {"question": "公司拖欠工资", "lat": "34.7712", "lng": "113.6790"})
    c = SmartConsultation.objects.get()
    assert c.service_point.code == "NEAR" and c.region_code == "410105"
    html = client.get(reverse("consultation:opinion", args=[c.public_id])).content.decode()
    assert "服务点NEAR" in html and "公里" in html
    client.post("/consult/ask/", {"question": "公司拖欠工资", "lat": "abc", "lng": "1"})
    assert SmartConsultation.objects.count() == 2
