from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.core.errors import NotFoundOrForbidden, PermissionDenied
from fawang.core.models import OutboxMessage
from fawang.core.outbox import outbox_enqueue
from fawang.core.permissions import (
    ACTIONS,
    ROLE_ACTIONS,
    SupervisionLevel,
    access_object,
    has_permission,
    require_permission,
    supervises,
    supervision_level,
)

pytestmark = pytest.mark.django_db


def make_user(django_user_model, username: str, role: str, **kw):
    return django_user_model.objects.create_user(username, password="x", role=role, **kw)


def test_table_is_consistent() -> None:
    assert set(ROLE_ACTIONS) == set(Role.values)
    for actions in ROLE_ACTIONS.values():
        assert actions <= set(ACTIONS)
    with pytest.raises(ValueError):
        has_permission(None, "case.teleport")


def test_role_permissions(django_user_model) -> None:
    reviewer = make_user(django_user_model, "r", Role.LEGAL_AID_REVIEWER)
    approver = make_user(django_user_model, "a", Role.LEGAL_AID_APPROVER)
    citizen = make_user(django_user_model, "c", Role.CITIZEN)
    assert has_permission(reviewer, "legalaid.review") and not has_permission(reviewer, "legalaid.approve")
    assert has_permission(approver, "legalaid.approve")
    assert not has_permission(citizen, "case.view")
    with pytest.raises(PermissionDenied):
        require_permission(reviewer, "legalaid.approve")
    reviewer.is_active = False
    assert not has_permission(reviewer, "legalaid.review")
    root = django_user_model.objects.create_superuser("root", password="x")
    assert all(has_permission(root, a) for a in ACTIONS)


def test_access_object_same_answer_for_missing_and_out_of_scope(django_user_model) -> None:
    clerk = make_user(django_user_model, "clerk", Role.WINDOW_CLERK)
    # Scope without touching regions: a user with no division/service point has no scope.
    ours = outbox_enqueue(channel="sms", recipient="13812345678", subject="", body="b",
                          idempotency_key="1", region_code="410105")
    theirs = outbox_enqueue(channel="sms", recipient="13812345678", subject="", body="b",
                            idempotency_key="2", region_code="410122")
    qs = OutboxMessage.objects.all()
    with pytest.raises(NotFoundOrForbidden):
        access_object(qs, clerk, ours.pk)  # clerk has no scope at all
    national = make_user(django_user_model, "nat", Role.SUPERVISOR)
    assert access_object(qs, national, theirs.pk) == theirs
    for bad in (999999, "abc", None):
        with pytest.raises(NotFoundOrForbidden):
            access_object(qs, national, bad)
    with pytest.raises(PermissionDenied):
        access_object(qs, clerk, ours.pk, action="audit.view")


def test_supervision_level(django_user_model) -> None:
    national = make_user(django_user_model, "nat", Role.SUPERVISOR)
    assert supervision_level(national) == SupervisionLevel.NATIONAL
    citizen = make_user(django_user_model, "c", Role.CITIZEN)
    assert supervision_level(citizen) is None


def test_supervises_only_supervisors_over_the_region(django_user_model) -> None:
    from fawang.regions.models import Division, DivisionLevel

    henan = Division.objects.create(code="41", name="河南省", level=DivisionLevel.PROVINCE)
    city = Division.objects.create(code="4101", name="郑州市", level=DivisionLevel.CITY, parent=henan)
    county = Division.objects.create(code="410105", name="金水区", level=DivisionLevel.COUNTY, parent=city)
    bureau = make_user(django_user_model, "bureau", Role.SUPERVISOR, division=county)
    assert supervises(bureau, "410105001") and supervises(bureau, "410105")
    assert not supervises(bureau, "410122") and not supervises(bureau, "4101")
    assert supervises(make_user(django_user_model, "nat", Role.SUPERVISOR), "410122")
    # Other roles hold case.view in the same region, but do not supervise it.
    for role in (Role.WINDOW_CLERK, Role.SYSTEM_ADMIN, Role.LEGAL_AID_APPROVER):
        assert not supervises(make_user(django_user_model, f"u-{role}", role, division=county), "410105001")
    assert not supervises(None, "410105")
    root = django_user_model.objects.create_superuser("root", "r@example.com", "x")
    assert supervises(root, "410122")
