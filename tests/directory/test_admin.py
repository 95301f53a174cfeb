"""Back office: forms validate like the services; lists and edits are cut to the user's region; rights
come from the role table (``directory.view`` / ``directory.edit``), not Django's model permissions."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.core.models import AuditEntry
from fawang.directory.models import CreditRecord, Institution

from .conftest import make_credit_code


@pytest.fixture
def staff(make_user):
    return make_user(role=Role.SUPERVISOR, division="410105", is_staff=True)  # directory.edit in the role table


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
    entry = AuditEntry.objects.get(action="create", object_type="directory.institution")
    assert entry.object_id == str(inst.pk) and entry.region_code == "410105" and entry.actor == staff


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


def test_directory_view_alone_may_look_but_not_write(client, make_user, make_institution):
    clerk = make_user(role=Role.WINDOW_CLERK, division="410105", is_staff=True)  # directory.view, no .edit
    mine = make_institution(name="金水所")
    theirs = make_institution(name="二七所", division_code="410103")
    client.force_login(clerk)
    body = client.get("/admin/directory/institution/").content.decode()
    assert "金水所" in body and "二七所" not in body
    assert client.get(f"/admin/directory/institution/{mine.pk}/change/").status_code == 200
    assert client.get(f"/admin/directory/institution/{theirs.pk}/change/").status_code == 404
    assert client.get("/admin/directory/institution/add/").status_code == 403
    data = _form(kind="law_firm", name="改名所", credit_code=mine.credit_code, licence_number=mine.licence_number)
    assert client.post(f"/admin/directory/institution/{mine.pk}/change/", data).status_code == 403
    assert client.post(f"/admin/directory/institution/{mine.pk}/delete/", {"post": "yes"}).status_code == 403
    mine.refresh_from_db()
    assert mine.name == "金水所"


def test_staff_flag_without_a_staff_role_opens_nothing(client, make_user, make_institution):
    inst = make_institution(name="金水所")
    client.force_login(make_user(role=Role.CITIZEN, division=None, is_staff=True))
    assert "/admin/directory/" not in client.get("/admin/").content.decode()
    for model in ("institution", "practitioner", "creditrecord"):
        assert client.get(f"/admin/directory/{model}/").status_code == 403, model
    assert client.get(f"/admin/directory/institution/{inst.pk}/change/").status_code == 403


def test_editor_deletes_inside_the_region_audited(client, staff, make_institution):
    inst = make_institution(name="金水所")
    client.force_login(staff)
    assert client.post(f"/admin/directory/institution/{inst.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Institution.objects.filter(pk=inst.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="directory.institution", object_id=str(inst.pk),
                                     region_code="410105").exists()
