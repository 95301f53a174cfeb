"""Back office pages for the consultation models render; the consultation record is read-only."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from fawang.accounts.models import User
from fawang.consultation.models import SmartConsultation
from fawang.consultation.services import callback_request_create, consult

from .conftest import staff

pytestmark = pytest.mark.django_db


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
