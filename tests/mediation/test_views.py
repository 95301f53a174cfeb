"""Staff pages of mediation: list and step forms (htmx), scoped like the API."""

from __future__ import annotations

import pytest

from fawang.mediation import services as s
from fawang.mediation.choices import MediationStatus
from fawang.mediation.models import Mediation

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(item, station, clerk, parties):
    a, b = parties
    return s.mediation_apply(actor=clerk, parties=[(a, "applicant"), (b, "respondent")], summary="邻里纠纷",
                             channel="window", service_point=station)


def test_steps_through_the_page(client, m, mediator_user, mediators, outsider):
    client.force_login(mediator_user)
    assert m.case.number in client.get("/mediation/").content.decode()
    assert "受理" in client.get(f"/mediation/{m.pk}/").content.decode()
    assert client.post(f"/mediation/{m.pk}/accept/", HTTP_HX_REQUEST="true").status_code == 200
    panel = client.post(f"/mediation/{m.pk}/assign/", {"mediators": [str(mediators[0].pk)]}, HTTP_HX_REQUEST="true")
    assert panel.status_code == 200 and "刘调解" in panel.content.decode()
    bad = client.post(f"/mediation/{m.pk}/agree/", {"terms": "赔偿"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "第二十九条" in bad.content.decode()
    ok = client.post(f"/mediation/{m.pk}/agree/", {
        "facts": "漏水", "issues": "赔偿", "terms": "赔偿1000元", "performance_manner": "现金",
        "performance_deadline": "2026-12-31"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "agreement.pdf" in ok.content.decode()
    assert Mediation.objects.get(pk=m.pk).status == MediationStatus.AGREED
    from fawang.accounts.models import Role

    from .conftest import point, staff

    # Staff of the county who do not handle this mediation see it, but not the agreement's PDF link.
    client.force_login(staff(Role.MEDIATOR, point("SFS-410102", "410102", "county_center")))
    page = client.get(f"/mediation/{m.pk}/").content.decode()
    assert m.case.number in page and "agreement.pdf" not in page
    client.force_login(outsider)
    assert client.get(f"/mediation/{m.pk}/").status_code == 404
    assert m.case.number not in client.get("/mediation/").content.decode()
