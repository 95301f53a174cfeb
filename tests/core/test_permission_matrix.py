"""Region isolation, tested for every registered endpoint.

For each staff role, a user of county A asking for county B's object gets 401/403/404 (or a
redirect to the sign-in page) and never the data; the Zhengzhou city supervisor gets it; and a
county-A user whose role holds the endpoint's action sees county A's own object (positive
control, so the test cannot pass by denying everything).

To cover a new endpoint, append an ``Endpoint`` to ``ENDPOINTS``: a factory that makes one
object in a given county (and a marker string that appears in the response only if the
object's data leaked), a URL builder, and the role-table action that grants access.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from fawang.accounts.models import Role, User
from fawang.core.audit import audit_record
from fawang.core.models import AuditEntry, OutboxMessage
from fawang.core.outbox import outbox_enqueue
from fawang.core.permissions import has_permission
from fawang.regions.models import ServicePoint

from .conftest import COUNTY_A, COUNTY_B, World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    # (world, county code, side "A"/"B") -> (object, marker text that only a leak would show)
    factory: Callable[[World, str, str], tuple[Any, str]]
    url: Callable[[Any], str]
    action: str | None  # the role-table action that grants access (None: superusers only)
    method: str = "get"
    payload: Callable[[Any], dict[str, Any]] | None = None
    requires_admin_model: type | None = None  # skip when that model has no admin registration


# --- factories -------------------------------------------------------------------------------

def make_user(world: World, county: str, side: str) -> tuple[User, str]:
    user = world.user(f"{side}:window_clerk")
    return user, user.real_name


def make_audit(world: World, county: str, side: str) -> tuple[AuditEntry, str]:
    marker = f"审计标记{side}{county}"
    entry = audit_record(actor=None, action="export", region_code=county, detail=marker, object_repr=marker)
    return entry, marker


def _outbox(county: str, side: str) -> OutboxMessage:
    phone = "13800000001" if side == "A" else "13900000002"
    return outbox_enqueue(channel="sms", recipient=phone, subject=f"受理通知{side}{county}", body="您的申请已受理",
                          idempotency_key=f"matrix-{side}", region_code=county)


def make_outbox(world: World, county: str, side: str) -> tuple[OutboxMessage, str]:
    message = _outbox(county, side)
    return message, message.subject


def make_outbox_phone(world: World, county: str, side: str) -> tuple[OutboxMessage, str]:
    message = _outbox(county, side)
    return message, message.recipient


def make_point(world: World, county: str, side: str) -> tuple[ServicePoint, str]:
    point = world.points[county]
    return point, point.name


def change_url(model: str) -> Callable[[Any], str]:
    return lambda obj: f"/admin/{model}/{obj.pk}/change/"


def list_url(url: str) -> Callable[[Any], str]:
    return lambda obj: url


ENDPOINTS: list[Endpoint] = [
    Endpoint("admin user change", make_user, change_url("accounts/user"), "user.manage"),
    Endpoint("admin user changelist", make_user, list_url("/admin/accounts/user/"), "user.manage"),
    Endpoint("admin audit change", make_audit, change_url("core/auditentry"), "audit.view"),
    Endpoint("admin audit changelist", make_audit, list_url("/admin/core/auditentry/"), "audit.view"),
    Endpoint("admin outbox change", make_outbox, change_url("core/outboxmessage"), "outbox.view"),
    Endpoint("admin service point change", make_point, change_url("regions/servicepoint"), "directory.view",
             requires_admin_model=ServicePoint),
    Endpoint("api audit list", make_audit, list_url("/api/core/audit/"), "audit.view"),
    Endpoint(
        "api pii reveal", make_outbox_phone, list_url("/api/core/pii/reveal"), "pii.reveal", method="post",
        payload=lambda obj: {"model": "core.outboxmessage", "id": str(obj.pk), "field": "recipient"},
    ),
]

ROLES = [r for r in Role.values if r != Role.CITIZEN]
DENIED = {401, 403, 404}


def request(client: Client, endpoint: Endpoint, obj: Any) -> Any:
    url = endpoint.url(obj)
    if endpoint.method == "post":
        return client.post(url, json.dumps(endpoint.payload(obj) if endpoint.payload else {}),
                           content_type="application/json")
    return client.get(url)


def text(response: Any) -> str:
    """The response body with JSON unescaped, so markers are found in API answers too."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def assert_denied(response: Any, marker: str) -> None:
    body = text(response)
    assert marker not in body, "data leaked"
    if response.status_code == 302:
        assert "login" in response["Location"]
    elif response.status_code == 200:
        # A list endpoint may answer 200 with the user's own rows: B's row must not be among them.
        assert marker not in body
    else:
        assert response.status_code in DENIED, response.status_code


def skip_unregistered(endpoint: Endpoint) -> None:
    if endpoint.requires_admin_model is not None and endpoint.requires_admin_model not in admin.site._registry:
        pytest.skip(f"{endpoint.requires_admin_model.__name__} has no admin yet")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_county_users_never_see_the_other_county(world: World, endpoint: Endpoint) -> None:
    skip_unregistered(endpoint)
    obj_b, marker_b = endpoint.factory(world, COUNTY_B, "B")
    obj_a, marker_a = endpoint.factory(world, COUNTY_A, "A")
    for role in ROLES + ["citizen"]:
        user = world.user("citizen" if role == "citizen" else f"A:{role}")
        client = Client()
        client.force_login(user)
        assert_denied(request(client, endpoint, obj_b), marker_b)
        if endpoint.action and has_permission(user, endpoint.action):
            own = request(client, endpoint, obj_a)
            assert own.status_code == 200, (role, endpoint.name, own.status_code)
            assert marker_a in text(own), (role, endpoint.name)
    anonymous = Client()
    assert_denied(request(anonymous, endpoint, obj_b), marker_b)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_city_supervisor_sees_both_counties(world: World, endpoint: Endpoint) -> None:
    skip_unregistered(endpoint)
    if endpoint.action is None:
        pytest.skip("superuser-only endpoint")
    client = Client()
    client.force_login(world.user("city"))
    for county, side in ((COUNTY_A, "A"), (COUNTY_B, "B")):
        obj, marker = endpoint.factory(world, county, side)
        response = request(client, endpoint, obj)
        assert response.status_code == 200, (endpoint.name, side, response.status_code)
        assert marker in text(response), (endpoint.name, side)


def test_out_of_scope_and_missing_get_the_same_answer(world: World) -> None:
    client = Client()
    client.force_login(world.user("A:supervisor"))
    other = world.user("B:window_clerk")
    out_of_scope = client.get(f"/admin/accounts/user/{other.pk}/change/")
    missing = client.get("/admin/accounts/user/999999/change/")
    assert out_of_scope.status_code == missing.status_code == 404
    api = [client.post("/api/core/pii/reveal", json.dumps(p), content_type="application/json")
           for p in ({"model": "core.outboxmessage", "id": "999999", "field": "recipient"},)]
    assert api[0].status_code == 404


def test_me_endpoint_for_every_role(world: World) -> None:
    for key in [f"A:{r}" for r in ROLES] + ["city", "national", "citizen"]:
        user = world.user(key)
        client = Client()
        client.force_login(user)
        body = client.get("/api/accounts/me").json()
        assert body["username"] == user.username and body["scope_code"] == user.scope_code
