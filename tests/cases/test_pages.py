"""Staff pages: intake form (ID validation, materials, idempotent re-post), queue colours, scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fawang.accounts.models import Role
from fawang.cases.models import Case, CaseAttachment

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, clerk, consultation_item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(clerk)
    return client


def post_intake(client, **extra):
    data = {"item": "GGFL-ZX-001", "channel": "window", "name": "周九", "id_type": "resident_id",
            "id_number": f.ID_NUMBERS[0], "phone": "13800138001", "address": "", "subject": "欠薪",
            "accept_now": "on", "idempotency_key": "form-1",
            "m_id_card": SimpleUploadedFile("id.pdf", b"%PDF-1.4 test", content_type="application/pdf"), **extra}
    return client.post("/staff/cases/intake/", data)


def test_intake_creates_accepts_and_stores_material(page):
    assert page.get("/staff/cases/intake/").status_code == 200
    r = post_intake(page)
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/staff/cases/{case.number}/")
    assert case.status == "accepted" and case.applicant.name == "周九"
    attachment = CaseAttachment.objects.get()
    assert attachment.name == "身份证件" and attachment.file.read() == b"%PDF-1.4 test"
    assert post_intake(page).status_code == 302 and Case.objects.count() == 1  # double submit
    detail = page.get(f"/staff/cases/{case.number}/")
    assert detail.status_code == 200 and "登记接收" in detail.content.decode()


def test_intake_rejects_bad_id_number(page):
    r = post_intake(page, id_number="11010519491231002Y")
    assert r.status_code == 200 and "身份证" in r.content.decode()
    assert Case.objects.count() == 0


def test_item_partial_lists_materials(page):
    r = page.get("/staff/cases/intake/item/?item=GGFL-ZX-001")
    assert "身份证件" in r.content.decode() and "m_id_card" in r.content.decode()


def test_queue_coloured_and_scoped(page, client, other_clerk):
    post_intake(page)
    case = Case.objects.get()
    case.steps.update(state="overdue")
    html = page.get("/staff/cases/").content.decode()
    assert case.number in html and "sla-overdue" in html
    client.force_login(other_clerk)
    assert case.number not in client.get("/staff/cases/").content.decode()
    assert client.get(f"/staff/cases/{case.number}/").status_code == 404


def test_actions_and_errors(page):
    post_intake(page)
    case = Case.objects.get()
    r = page.post(f"/staff/cases/{case.number}/complete/", {"result": ""}, follow=True)
    assert "请填写办理结果" in r.content.decode()
    page.post(f"/staff/cases/{case.number}/complete/", {"result": "已解答"})
    case.refresh_from_db()
    assert case.status == "completed"


def test_login_and_role_required(client, consultation_item):
    assert client.get("/staff/cases/").status_code == 302
    client.force_login(f.user(Role.CITIZEN))
    assert client.get("/staff/cases/").status_code == 403


def test_incoming_transfer_listed_for_receiver(page, client, other_clerk, other_point):
    post_intake(page)
    case = Case.objects.get()
    page.post(f"/staff/cases/{case.number}/transfer/", {"to": other_point.code, "reason": "属地管辖"})
    case.refresh_from_db()
    assert case.status == "transferring"
    client.force_login(other_clerk)
    html = client.get("/staff/cases/").content.decode()
    assert "待接收的转办" in html and case.number in html
    client.post(f"/staff/cases/{case.number}/transfer_accept/")
    case.refresh_from_db()
    assert case.region_code == other_point.region_code and case.responsible_user == other_clerk
