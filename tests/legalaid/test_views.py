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
