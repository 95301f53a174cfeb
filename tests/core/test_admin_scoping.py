"""Writes through the scoped admin: no moving rows out of one's region, no self-promotion; and one
answer (404) for an id that does not exist, in every registered admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from fawang.accounts.models import Role, User
from fawang.core.admin import NotFoundAdminMixin
from fawang.core.models import AuditEntry

from .conftest import World

pytestmark = pytest.mark.django_db


def form_data(user: User, **changes) -> dict:
    data = {
        "username": user.username, "real_name": user.real_name, "role": user.role,
        "division": user.division_id or "", "service_point": user.service_point_id or "",
        "is_active": "on", "is_staff": "on" if user.is_staff else "",
        "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_county_admin_cannot_move_a_user_out_of_the_county(world: World) -> None:
    client = Client()
    client.force_login(world.user("A:system_admin"))
    clerk = world.user("A:window_clerk")
    url = f"/admin/accounts/user/{clerk.pk}/change/"
    ok = client.post(url, form_data(clerk, real_name="王芳芳"))
    assert ok.status_code == 302, ok.content.decode()[:2000]
    clerk.refresh_from_db()
    assert clerk.real_name == "王芳芳"
    entry = AuditEntry.objects.get(action="update", object_type="accounts.user", object_id=str(clerk.pk))
    assert entry.changes["real_name"] == "王芳芳" and entry.region_code == "410105"
    assert entry.actor == world.user("A:system_admin")
    moved = client.post(url, form_data(clerk, division="410122", service_point=world.points["410122"].pk))
    # Refused by the form (out-of-scope choices are not even valid choices for a county admin).
    assert moved.status_code == 200 and "errorlist" in moved.content.decode()
    clerk.refresh_from_db()
    assert clerk.division_id == "410105" and clerk.real_name == "王芳芳"


def test_only_system_admins_create_supervisors(world: World) -> None:
    client = Client()
    client.force_login(world.user("A:supervisor"))  # holds user.manage, but is not a system admin
    clerk = world.user("A:window_clerk")
    response = client.post(f"/admin/accounts/user/{clerk.pk}/change/", form_data(clerk, role=Role.SUPERVISOR))
    assert response.status_code == 200
    clerk.refresh_from_db()
    assert clerk.role == Role.WINDOW_CLERK
    admin_client = Client()
    admin_client.force_login(world.user("A:system_admin"))
    response = admin_client.post(f"/admin/accounts/user/{clerk.pk}/change/", form_data(clerk, role=Role.SUPERVISOR))
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.role == Role.SUPERVISOR


def test_county_changelist_lists_only_county_users(world: World) -> None:
    client = Client()
    client.force_login(world.user("A:supervisor"))
    page = client.get("/admin/accounts/user/").content.decode()
    assert "a.window_clerk" in page and "b.window_clerk" not in page and "national.supervisor" not in page
    city = Client()
    city.force_login(world.user("city"))
    page = city.get("/admin/accounts/user/").content.decode()
    assert "a.window_clerk" in page and "b.window_clerk" in page and "national.supervisor" not in page


def test_audit_admin_is_read_only(world: World) -> None:
    from fawang.core.audit import audit_record

    entry = audit_record(actor=None, action="export", region_code="410105", object_repr="审计对象")
    client = Client()
    client.force_login(world.user("A:supervisor"))
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"detail": "x"}).status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403


def _admin_models() -> list:
    return [pytest.param(model, id=model._meta.label_lower) for model in admin.site._registry]


@pytest.mark.parametrize("model", _admin_models())
def test_a_missing_id_is_404_in_every_admin(model: type) -> None:
    """Django's admin redirects to the index with a message naming a missing id; every admin here
    (third-party ones included) answers a plain 404 instead, on the change, delete and history pages."""
    assert isinstance(admin.site._registry[model], NotFoundAdminMixin)
    superuser = User.objects.create_superuser("root", password=None)
    client = Client()
    client.force_login(superuser)
    pk = model._meta.pk
    missing = "999999999999" if pk.get_internal_type() == "CharField" else "99999999"
    request = RequestFactory().get("/admin/")
    request.user = superuser
    # A read-only admin refuses its delete page to everyone (403) before looking the row up: the
    # answer is the same for any id, so it tells nothing about which ids exist.
    deletes = admin.site._registry[model].has_delete_permission(request)
    for view, expected in (("change", 404), ("delete", 404 if deletes else 403), ("history", 404)):
        response = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{missing}/{view}/")
        assert response.status_code == expected, (view, response.status_code, response.get("Location"))


def test_bulk_delete_is_scoped_and_audited_row_by_row(world: World) -> None:
    """The changelist's "delete selected" deletes past ``delete_model``: each row still gets its
    audit entry, and another region's row cannot be slipped into the selection."""
    from fawang.legalaid.models import AidMatterScope

    ours = [AidMatterScope.objects.create(region_code="410105", code=f"BULK-{n}", name=f"事项{n}") for n in (1, 2)]
    theirs = AidMatterScope.objects.create(region_code="410122", code="BULK-3", name="事项3")
    client = Client()
    client.force_login(world.user("A:system_admin"))  # reference.edit, county A
    response = client.post("/admin/legalaid/aidmatterscope/", {
        "action": "delete_selected", "_selected_action": [o.pk for o in ours] + [theirs.pk], "post": "yes"})
    assert response.status_code == 302
    assert not AidMatterScope.objects.filter(pk__in=[o.pk for o in ours]).exists()
    assert AidMatterScope.objects.filter(pk=theirs.pk).exists()
    logged = AuditEntry.objects.filter(action="delete", object_type="legalaid.aidmatterscope")
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(str(o.pk) for o in ours)
    assert set(logged.values_list("region_code", flat=True)) == {"410105"}
