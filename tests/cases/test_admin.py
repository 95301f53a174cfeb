"""The admin back office is scoped like the API, cannot bypass the services, and takes its rights
from the role table (``ScopedAdminMixin``), not from Django's per-model permissions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fawang.accounts.models import Role
from fawang.cases.models import CaseCallback, Rating
from fawang.cases.services import case_create, case_transfer
from fawang.core.models import AuditEntry

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(consultation_item, clerk, applicant, county_point):
    return case_create(item=consultation_item, channel="window", applicant=applicant, service_point=county_point,
                       actor=clerk)


def test_admin_case_list_scoped_and_read_only(client, case):
    # No Django permission is granted: the supervisors' role (case.view) is what opens the admin.
    inside = f.user(Role.SUPERVISOR, division_code="410102", is_staff=True)
    outside = f.user(Role.SUPERVISOR, division_code="410103", is_staff=True)
    client.force_login(inside)
    assert case.number in client.get("/admin/cases/case/").content.decode()
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
    assert client.get("/admin/cases/case/add/").status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/change/", {"subject": "改写"}).status_code == 403
    client.force_login(outside)
    assert case.number not in client.get("/admin/cases/case/").content.decode()
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 404  # like a missing id


def test_case_inlines_show_steps_and_events_to_the_role(client, case):
    client.force_login(f.user(Role.LAWYER, division_code="410102", is_staff=True))
    page = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "case.received" in page  # the event inline, shown through case.view alone


def test_staff_flag_without_a_staff_role_opens_nothing(client, case):
    """Django's ``is_staff`` lets one sign in to the admin; the rights still come from the role."""
    citizen = f.user(Role.CITIZEN, is_staff=True)
    client.force_login(citizen)
    for model in ("case", "party", "caseevent", "rating", "casecallback"):
        assert client.get(f"/admin/cases/{model}/").status_code == 403, model
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 403
    assert "/admin/cases/" not in client.get("/admin/").content.decode()


def test_rows_of_a_case_are_scoped_through_the_case(client, case, clerk, other_point):
    rating = Rating.objects.create(case=case, attitude=1, efficiency=1, professionalism=1, region_code=case.region_code)
    callback = CaseCallback.objects.create(case=case, rating=rating, reason="不满意回访", due_at=timezone.now(),
                                           region_code=case.region_code)
    event = case.events.first()
    other = f.user(Role.WINDOW_CLERK, point=other_point, is_staff=True)
    client.force_login(other)
    pages = [f"/admin/cases/caseevent/{event.pk}/change/", f"/admin/cases/rating/{rating.pk}/change/",
             f"/admin/cases/casecallback/{callback.pk}/change/"]
    for url in pages:
        assert client.get(url).status_code == 404, url
    # A handover addressed to the other county shows it the case and everything hanging off it.
    case_transfer(case=case, actor=clerk, to_service_point=other_point, reason="当事人住所地在邻区")
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.post(pages[2], {"reason": "改写", "status": "done"}).status_code == 403  # callback_complete only
    assert client.post(f"/admin/cases/caseevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_front_desk_corrects_a_party_in_its_region_audited(client, applicant, county_point, other_point):
    data = {"kind": applicant.kind, "name": "张叁", "id_type": applicant.id_type, "preferred_language": "zh",
            "special_groups": "[]", "region_code": "410102"}
    url = f"/admin/cases/party/{applicant.pk}/change/"
    client.force_login(f.user(Role.LAWYER, point=county_point, is_staff=True))  # case.view, no case.intake
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(f.user(Role.WINDOW_CLERK, point=other_point, is_staff=True))
    assert client.get(url).status_code == 404
    client.force_login(f.user(Role.WINDOW_CLERK, point=county_point, is_staff=True))
    moved = client.post(url, {**data, "region_code": "410103"})
    assert moved.status_code == 200 and "errorlist" in moved.content.decode()  # not out of one's region
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    applicant.refresh_from_db()
    assert applicant.name == "张叁" and applicant.region_code == "410102"
    entry = AuditEntry.objects.get(action="update", object_type="cases.party", object_id=str(applicant.pk))
    assert entry.changes["name"] == "张叁" and entry.region_code == "410102"
