"""Staff page helpers: the same scoping and permission rules as the API, for class-based views."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from fawang.core.errors import NotFoundOrForbidden, PermissionDenied
from fawang.core.permissions import access_object, has_permission, is_staff_user
from fawang.core.scoping import restrict


class ScopedViewMixin(LoginRequiredMixin):
    """For ListView/DetailView/UpdateView…: staff only, ``required_action`` checked, and the
    queryset restricted to the user's region (objects outside it are a 404, like missing ones).
    """

    required_action: str | None = None
    region_field: str = "region_code"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not is_staff_user(user):
            raise DjangoPermissionDenied
        if self.required_action and not has_permission(user, self.required_action):
            raise DjangoPermissionDenied
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotFoundOrForbidden as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    def get_queryset(self) -> QuerySet:
        return restrict(super().get_queryset(), self.request.user, self.region_field)  # type: ignore[misc]

    def get_scoped_object(self, queryset: QuerySet, pk: Any) -> Model:
        return access_object(queryset, self.request.user, pk, field=self.region_field)
