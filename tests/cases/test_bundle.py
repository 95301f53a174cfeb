"""Themed one-stop bundle (F16): one form, one linked case per item, data copied into each."""

from __future__ import annotations

import pytest

from fawang.cases.models import CaseEvent
from fawang.cases.services import bundle_intake, case_accept
from fawang.catalog.models import ServiceBundle
from fawang.catalog.services import catalog_load
from fawang.core.errors import DomainError

pytestmark = pytest.mark.django_db

FORM = {"employer": "某建筑劳务公司", "amount_owed": "32000", "work_period": "2025年3月至12月",
        "dispute_summary": "工程结束后包工头失联，工资未付"}


def test_wage_bundle_creates_linked_cases(clerk, applicant, county_point):
    catalog_load()
    bundle = ServiceBundle.objects.get(code="GGFL-TC-001")
    cases = bundle_intake(bundle=bundle, channel="window", applicant=applicant, service_point=county_point,
                          actor=clerk, form_data=FORM, idempotency_key="wage-1")
    assert [c.item.code for c in cases] == ["GGFL-ZX-001", "GGFL-FY-001", "GGFL-TJ-001"]
    for case in cases:
        assert case.form_data == FORM and case.bundle == bundle
        assert set(case.linked_cases.all()) == set(cases) - {case}
        assert CaseEvent.objects.filter(case=case).last().type == "case.linked"
    # 法律援助法第四十三条's 7 days run from the legal aid center's receipt (case.accepted), not
    # from a county window's intake; the catalogue's clock starts when the center accepts.
    assert not cases[1].steps.filter(step="decide").exists()
    case_accept(case=cases[1], actor=clerk)
    assert "第四十三条" in cases[1].steps.get(step="decide").article
    again = bundle_intake(bundle=bundle, channel="window", applicant=applicant, service_point=county_point,
                          actor=clerk, form_data=FORM, idempotency_key="wage-1")
    assert [c.pk for c in again] == [c.pk for c in cases]
    assert CaseEvent.objects.filter(type="case.linked").count() == 3


def test_bundle_form_required_fields(clerk, applicant, county_point):
    catalog_load()
    bundle = ServiceBundle.objects.get(code="GGFL-TC-001")
    with pytest.raises(DomainError) as exc:
        bundle_intake(bundle=bundle, channel="window", applicant=applicant, service_point=county_point,
                      actor=clerk, form_data={"employer": "x"})
    assert exc.value.code == "form_incomplete" and "拖欠金额" in exc.value.message


def test_bundle_api(client, clerk, applicant, county_point):
    catalog_load()
    client.force_login(clerk)
    body = {"channel": "window", "service_point_code": "SP-410102", "form_data": FORM,
            "applicant": {"name": "郑十一", "phone": "13812345678"}}
    r = client.post("/api/cases/bundles/GGFL-TC-002", body, content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY="fam-1")
    assert r.status_code == 400 and r.json()["code"] == "form_incomplete"
    body["form_data"] = {"relation": "配偶", "issue": "家庭暴力", "dispute_summary": "长期遭受殴打"}
    r = client.post("/api/cases/bundles/GGFL-TC-002", body, content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY="fam-1")
    assert r.status_code == 201 and [c["item_code"] for c in r.json()] == ["GGFL-ZX-001", "GGFL-FY-001", "GGFL-TJ-001"]
    assert client.post("/api/cases/bundles/NOPE", body, content_type="application/json").status_code == 404
