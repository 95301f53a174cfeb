"""The admin back office is scoped like the API and cannot bypass the services."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.cases.services import case_create

from . import factories as f

pytestmark = pytest.mark.django_db


def test_admin_case_list_scoped_and_read_only(client, consultation_item, clerk, applicant, county_point):
    case = case_create(item=consultation_item, channel="window", applicant=applicant, service_point=county_point,
                       actor=clerk)
    inside = f.user(Role.SUPERVISOR, division_code="410102", is_staff=True, is_superuser=False)
    outside = f.user(Role.SUPERVISOR, division_code="410103", is_staff=True, is_superuser=False)
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(codename__in=["view_case", "add_case", "change_case"])
    inside.user_permissions.set(perms)
    outside.user_permissions.set(perms)
    client.force_login(inside)
    assert case.number in client.get("/admin/cases/case/").content.decode()
    assert client.get("/admin/cases/case/add/").status_code == 403
    client.force_login(outside)
    assert case.number not in client.get("/admin/cases/case/").content.decode()
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 404  # like a missing id
