"""The consultation API: public asking, staff-only channels and lists, FAQ, hot topics, callbacks."""

from __future__ import annotations

import pytest

from fawang.consultation.models import CallbackRequest, SmartConsultation
from fawang.consultation.services import consult

from .conftest import staff

pytestmark = pytest.mark.django_db


def test_ask_returns_everything(client, laws, faq):
    r = client.post("/api/consultation/ask", {"question": "公司拖欠工资三个月不发怎么办"}, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["category"] == "劳动纠纷"
    assert any(c["article"] == "第三十条" for c in body["citations"])
    assert body["faq"] and body["faq"][0]["citations"]
    assert body["opinion_url"].startswith("/consult/o/") and body["pdf_url"].endswith("/pdf/")
    detail = client.get(f"/api/consultation/consultations/{body['id']}").json()
    assert detail["answer"] == body["answer"]


def test_validation_errors_are_zh(client, db):
    r = client.post("/api/consultation/ask", {"question": " "}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "question_required"


def test_hotline_channel_needs_staff(client, faq):
    r = client.post("/api/consultation/ask", {"question": "离婚", "channel": "hotline"}, content_type="application/json")
    assert r.status_code == 403
    agent = staff()
    client.force_login(agent)
    r = client.post("/api/consultation/ask", {"question": "离婚", "channel": "hotline"}, content_type="application/json")
    assert r.status_code == 201
    assert SmartConsultation.objects.get().entered_by == agent


def test_classify_and_faq(client, faq):
    assert client.get("/api/consultation/classify", {"q": "被车撞了保险公司不赔"}).json()["category"] == "交通事故"
    rows = client.get("/api/consultation/faq", {"category": "公司法", "limit": 100}).json()
    assert len(rows) >= 8 and {r["category"] for r in rows} == {"公司法"}
    hits = client.get("/api/consultation/faq", {"q": "试用期工资"}).json()
    assert "试用期" in hits[0]["question"]


def test_staff_lists_are_scoped(client, faq):
    consult(question="公司拖欠工资", region_code="410105")
    consult(question="公司拖欠工资", region_code="420105")
    assert client.get("/api/consultation/consultations").status_code == 401
    client.force_login(staff(division_code="4101"))
    rows = client.get("/api/consultation/consultations").json()
    assert [r["region_code"] for r in rows] == ["410105"]


def test_callbacks_api(client, faq):
    c = consult(question="公司拖欠工资", region_code="410105")
    r = client.post("/api/consultation/callbacks", {"name": "王五", "phone": "13800138000",
                                                    "consultation_id": str(c.public_id)}, content_type="application/json")
    assert r.status_code == 201
    r = client.post("/api/consultation/callbacks", {"name": "王五", "phone": "1"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "phone"
    assert CallbackRequest.objects.count() == 1
    client.force_login(staff(division_code="4101"))
    rows = client.get("/api/consultation/callbacks").json()
    assert rows[0]["phone_masked"] != "13800138000" and rows[0]["phone_masked"].startswith("138")
    client.force_login(staff(division_code="4201"))
    assert client.get("/api/consultation/callbacks").json() == []
