"""Back office: forms validate like the services; lists and edits are cut to the user's region."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from fawang.accounts.models import Role
from fawang.directory.models import CreditRecord, Institution

from .conftest import make_credit_code


@pytest.fixture
def staff(make_user):
    user = make_user(role=Role.SUPERVISOR, division="410105", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="directory"))
    return user


def _form(**extra):
    data = {"kind": "legal_aid_center", "name": "郑州市金水区法律援助中心", "division": "410105",
            "credit_code": make_credit_code("12410000"), "service_areas": "[]", "specialties": ["labor"],
            "languages": ["mandarin"], "status": "active",
            "practitioners-TOTAL_FORMS": "0", "practitioners-INITIAL_FORMS": "0",
            "credit_records-TOTAL_FORMS": "0", "credit_records-INITIAL_FORMS": "0"}
    data.update(extra)
    return data


def test_admin_add_validates_credit_code(client, staff):
    client.force_login(staff)
    response = client.post("/admin/directory/institution/add/", _form(credit_code="12410000123456789X"))
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Institution.objects.exists()


def test_admin_add_sets_region_and_tags(client, staff):
    client.force_login(staff)
    response = client.post("/admin/directory/institution/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    inst = Institution.objects.get()
    assert inst.region_code == "410105"
    assert inst.tags == "|s:labor|l:mandarin|"


def test_admin_refuses_other_regions(client, staff, make_institution):
    client.force_login(staff)
    response = client.post("/admin/directory/institution/add/", _form(division="410103"))
    assert response.status_code == 200
    assert "您无权维护该区划的名录" in response.content.decode()
    mine = make_institution(name="金水所")
    theirs = make_institution(name="二七所", division_code="410103")
    body = client.get("/admin/directory/institution/").content.decode()
    assert "金水所" in body and "二七所" not in body
    assert client.get(f"/admin/directory/institution/{theirs.pk}/change/").status_code == 404  # like a missing id
    assert client.get(f"/admin/directory/institution/{mine.pk}/change/").status_code == 200


def test_admin_inline_credit_record_gets_region(client, staff, make_institution):
    inst = make_institution(name="金水所", specialties=["labor"])
    client.force_login(staff)
    data = _form(kind="law_firm", name="金水所", credit_code=inst.credit_code, licence_number=inst.licence_number)
    data.update({"credit_records-TOTAL_FORMS": "1", "credit_records-0-kind": "assessment",
                 "credit_records-0-assessment_result": "passed", "credit_records-0-decided_on": "2024-03-01",
                 "credit_records-0-issuing_authority": "郑州市金水区司法局", "credit_records-0-summary": "2023年度考核合格"})
    response = client.post(f"/admin/directory/institution/{inst.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = CreditRecord.objects.get()
    assert record.region_code == "410105" and record.institution == inst


def test_admin_practitioner_and_credit_pages_answer(client, staff, make_practitioner):
    make_practitioner(name="王律师")
    client.force_login(staff)
    assert "王律师" in client.get("/admin/directory/practitioner/").content.decode()
    assert client.get("/admin/directory/creditrecord/").status_code == 200
    assert client.get("/admin/directory/practitioner/add/").status_code == 200
