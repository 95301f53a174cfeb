from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views.generic import DetailView, ListView

from fawang.core.audit import audit_record
from fawang.core.models import AuditEntry
from fawang.core.views import ScopedViewMixin

from .conftest import World

pytestmark = pytest.mark.django_db


class AuditList(ScopedViewMixin, ListView):
    model = AuditEntry
    required_action = "audit.view"

    def render_to_response(self, context, **kwargs):
        return HttpResponse(",".join(e.detail for e in context["object_list"]))


class AuditDetail(ScopedViewMixin, DetailView):
    model = AuditEntry
    required_action = "audit.view"

    def render_to_response(self, context, **kwargs):
        return HttpResponse(context["object"].detail)


def call(view, user, **kwargs):
    request = RequestFactory().get("/x/")
    request.user = user
    return view.as_view()(request, **kwargs)


def test_scoped_views(world: World) -> None:
    a = audit_record(actor=None, action="export", region_code="410105", detail="A")
    b = audit_record(actor=None, action="export", region_code="410122", detail="B")
    assert call(AuditList, world.user("A:supervisor")).content.decode() == "A"
    assert sorted(call(AuditList, world.user("city")).content.decode().split(",")) == ["A", "B"]
    assert call(AuditDetail, world.user("A:supervisor"), pk=a.pk).content.decode() == "A"
    with pytest.raises(Http404):
        call(AuditDetail, world.user("A:supervisor"), pk=b.pk)
    with pytest.raises(PermissionDenied):
        call(AuditList, world.user("A:window_clerk"))  # role lacks audit.view
    with pytest.raises(PermissionDenied):
        call(AuditList, world.user("citizen"))
    assert call(AuditList, AnonymousUser()).status_code == 302
