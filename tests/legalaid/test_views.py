"""Staff pages: the reviewer's queue and the decision form (htmx), same scope as the API."""

from __future__ import annotations

import pytest

from fawang.legalaid import services as s
from fawang.legalaid.choices import AidStatus
from fawang.legalaid.models import LegalAidApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(items, center, clerk, reviewer, applicant):
    a = s.legalaid_apply(actor=clerk, applicant=applicant, channel="window", service_point=center,
                         matter="pension", household_size=1, household_monthly_income="500",
                         honesty_commitment_signed=True)
    return s.legalaid_receive(app=a, actor=reviewer)


def test_queue_lists_the_region_only(client, app, reviewer, outsider):
    client.force_login(reviewer)
    page = client.get("/legalaid/?queue=review")
    assert page.status_code == 200 and app.case.number in page.content.decode()
    partial = client.get("/legalaid/?queue=review", HTTP_HX_REQUEST="true").content.decode()
    assert app.case.number in partial and "<html" not in partial
    client.force_login(outsider)
    assert app.case.number not in client.get("/legalaid/?queue=review").content.decode()
    assert client.get(f"/legalaid/{app.pk}/").status_code == 404


def test_decision_form_refuses_with_reasons_and_approves(client, app, approver, standard):
    client.force_login(approver)
    page = client.get(f"/legalaid/{app.pk}/").content.decode()
    assert "决定给予法律援助" in page and "决定不予法律援助" in page
    empty = client.post(f"/legalaid/{app.pk}/refuse/", {"reasons": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400 and "说明理由" in empty.content.decode()
    ok = client.post(f"/legalaid/{app.pk}/approve/", HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "三日内指派" in ok.content.decode()
    assert LegalAidApplication.objects.get(pk=app.pk).status == AidStatus.APPROVED


def test_reviewer_cannot_decide_and_anonymous_is_redirected(client, app, reviewer):
    assert client.get("/legalaid/").status_code == 302
    client.force_login(reviewer)
    denied = client.post(f"/legalaid/{app.pk}/approve/", HTTP_HX_REQUEST="true")
    assert denied.status_code == 400 and "权限" in denied.content.decode()
    assert LegalAidApplication.objects.get(pk=app.pk).status == AidStatus.UNDER_REVIEW


def test_lawyer_reports_and_approver_reviews_on_the_page(client, app, approver, center, lawyers, standard):
    from fawang.accounts.models import Role

    from .conftest import staff

    lawyer = staff(Role.LAWYER, center)
    s.legalaid_approve(app=app, actor=approver)
    s.legalaid_assign(app=app, actor=approver, lawyer_user=lawyer)
    client.force_login(lawyer)
    page = client.get(f"/legalaid/{app.pk}/").content.decode()
    assert "通报" in page and "提交结案报告" in page and "终止法律援助</button>" not in page
    assert client.post(f"/legalaid/{app.pk}/progress/", {"content": "已立案"}, HTTP_HX_REQUEST="true").status_code == 200
    done = client.post(f"/legalaid/{app.pk}/closing/", {"outcome": "胜诉", "documents": "判决书"},
                       HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "等待质量评查" in done.content.decode()
    client.force_login(approver)
    reviewed = client.post(f"/legalaid/{app.pk}/quality/", {"grade": "good", "methods": ["file_inspection"]},
                           HTTP_HX_REQUEST="true")
    assert reviewed.status_code == 200
    assert LegalAidApplication.objects.get(pk=app.pk).status == AidStatus.CLOSED


def test_bureau_decides_objection_on_the_page(client, app, approver, clerk, bureau):
    s.legalaid_refuse(app=app, actor=approver, reasons="不符合条件")
    s.legalaid_object(app=app, actor=clerk, grounds="不服")
    client.force_login(bureau)
    assert "作出审查决定" in client.get(f"/legalaid/{app.pk}/").content.decode()
    out = client.post(f"/legalaid/{app.pk}/decide_objection/", {"outcome": "corrected", "note": "重新审查"},
                      HTTP_HX_REQUEST="true")
    assert out.status_code == 200
    assert LegalAidApplication.objects.get(pk=app.pk).status == AidStatus.UNDER_REVIEW
