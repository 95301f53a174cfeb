"""Back office pages for the consultation models render; the consultation record is read-only."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from core.conftest import World, build_world  # tests/core, on sys.path
from fawang.accounts.models import Role, User
from fawang.consultation.models import FaqEntry, SmartConsultation
from fawang.consultation.services import callback_request_create, consult
from fawang.core.models import AuditEntry

from .conftest import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


def test_changelists_render_and_record_is_read_only(client, faq):
    c = consult(question="公司拖欠工资不发", region_code="410105")
    callback_request_create(name="张三", phone="13800138000", consultation=c)
    admin = User.objects.create_superuser("root", "root@example.com", "pw-Test-12345")
    client.force_login(admin)
    for model in ("faqentry", "smartconsultation", "callbackrequest"):
        response = client.get(f"/admin/consultation/{model}/")
        assert response.status_code == 200, model
    assert client.get("/admin/consultation/smartconsultation/add/").status_code == 403
    page = client.get(f"/admin/consultation/smartconsultation/{c.pk}/change/").content.decode()
    assert "公司拖欠工资不发" in page
    assert "13800138000" not in client.get("/admin/consultation/callbackrequest/").content.decode()


def test_staff_see_only_their_region(client, faq):
    consult(question="公司拖欠工资不发", region_code="410105")
    consult(question="公司拖欠工资不发", region_code="420105")
    user = staff(division_code="4101")  # a hotline agent: consultation.answer in the role table
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get("/admin/consultation/smartconsultation/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert SmartConsultation.objects.count() == 2


def test_admin_column_titles_follow_the_language(client, faq):
    consult(question="公司拖欠工资不发", region_code="410105")
    admin = User.objects.create_superuser("root", "root@example.com", "pw-Test-12345")
    client.force_login(admin)
    with translation.override("en"):  # restores the language the middleware switches for the request
        page = client.get("/admin/consultation/smartconsultation/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'class="column-short_question">\s*<div class="text"><span>Question</span>', page)


def _faq_form(**changes: str) -> dict[str, str]:
    data = {"key": "faq-admin-1", "category": "劳动纠纷", "question": "试用期可以不签合同吗？",
            "answer": "不可以，用人单位应当自用工之日起一个月内订立书面劳动合同。", "citations": "[]",
            "keywords": "[]", "is_published": "on", "sort_order": "0"}
    data.update(changes)
    return data


def test_faq_is_kept_by_province_supervisors_and_audited(client, world):
    province = User.objects.create_user("province.supervisor", password=None, role=Role.SUPERVISOR, is_staff=True,
                                        division=world.divisions["41"])
    client.force_login(province)
    response = client.post("/admin/consultation/faqentry/add/", _faq_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = FaqEntry.objects.get(key="faq-admin-1")
    audit = AuditEntry.objects.get(action="create", object_type="consultation.faqentry")
    assert audit.object_id == str(entry.pk) and audit.changes["question"] == "试用期可以不签合同吗？"


def test_county_supervisor_sees_the_faq_but_does_not_write_it(client, world):
    entry = FaqEntry.objects.create(key="faq-admin-2", category="劳动纠纷", question="问题", answer="解答")
    client.force_login(world.user("A:supervisor"))  # knowledge.edit, but a county's
    assert client.get(f"/admin/consultation/faqentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/consultation/faqentry/add/").status_code == 403
    assert client.post(f"/admin/consultation/faqentry/{entry.pk}/change/",
                       _faq_form(key="faq-admin-2", question="改写")).status_code == 403
    entry.refresh_from_db()
    assert entry.question == "问题"


def test_faq_admin_refuses_roles_without_the_action(client, world):
    entry = FaqEntry.objects.create(key="faq-admin-3", category="劳动纠纷", question="问题", answer="解答")
    client.force_login(world.user("A:hotline_agent"))
    assert "/admin/consultation/faqentry/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/consultation/faqentry/").status_code == 403
    assert client.get(f"/admin/consultation/faqentry/{entry.pk}/change/").status_code == 403
