"""The admin is the real back office, so it obeys the same region scoping as the API.

``NotFoundAdminMixin`` (on every ModelAdmin of the platform, and put in front of the third-party
admins registered before this module): an id that does not exist and an id outside the user's
(scoped) queryset both get the same plain 404, as the API's ``NotFoundOrForbidden`` does. Django
would instead redirect to the admin index with a message naming the id, which tells a county
officer that a row with that id exists somewhere else.

``ScopedAdminMixin`` (for every region-bound ModelAdmin):
- the changelist and every change page only see rows inside the user's region subtree
  (a row outside answers 404 like a missing one, through ``NotFoundAdminMixin``);
- view/add/change/delete rights come from the role table (``admin_actions``), not from Django's
  per-model permissions, so there is one source of truth;
- after a save, the row must still be inside the user's region — editing a row "out" of one's
  own region is refused and the whole save is rolled back (the approach NetBox takes with its
  restricted querysets).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fawang.core.audit import audit_record
from fawang.core.models import AuditAction, AuditEntry, OutboxMessage, SiteMessage
from fawang.core.permissions import has_permission, is_staff_user
from fawang.core.pii import mask_phone
from fawang.core.scoping import in_region, region_q


class NotFoundAdminMixin:
    """A missing or out-of-scope object answers 404 on the change, delete and history pages
    (put it first in the bases). Who may see or edit what is left to the admin it is mixed into."""

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> Any:
        # The one place Django's admin handles "no such row in my queryset"; its redirect with a
        # message naming the id is replaced by the platform-wide answer. The same text for both
        # cases, so the page does not tell "missing" from "not yours".
        raise Http404(gettext("记录不存在或无权访问。"))


class ScopedAdminMixin(NotFoundAdminMixin):
    """Region scoping and role-table permissions for a ModelAdmin (put it first in the bases)."""

    region_field: str = "region_code"
    # Role-table action required for each admin right; None = nobody but superusers.
    admin_actions: dict[str, str | None] = {"view": None, "add": None, "change": None, "delete": None}

    # --- scoping ---------------------------------------------------------------------------
    def scope_q(self, code: str) -> Q:
        """Rows inside division ``code``; override for models scoped through several fields."""
        return region_q(code, self.region_field)

    def scope_queryset(self, queryset: QuerySet, user: Any) -> QuerySet:
        if user.is_superuser:
            return queryset
        code = getattr(user, "scope_code", None)
        if code is None or not is_staff_user(user):
            return queryset.none()
        return queryset.filter(self.scope_q(code))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_queryset(super().get_queryset(request), request.user)  # type: ignore[misc]

    def in_scope(self, user: Any, obj: Model) -> bool:
        if user.is_superuser:
            return True
        if obj.pk is None:
            return True
        return self.scope_queryset(type(obj)._default_manager.filter(pk=obj.pk), user).exists()

    # --- permissions -----------------------------------------------------------------------
    def _allowed(self, request: HttpRequest, right: str) -> bool:
        user = request.user
        if not user.is_active or not user.is_staff:
            return False
        if user.is_superuser:
            return True
        action = self.admin_actions.get(right)
        return bool(action) and has_permission(user, action)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, "view") or self._allowed(request, "change")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = self._allowed(request, "view") or self._allowed(request, "change")
        return allowed and (obj is None or self.in_scope(request.user, obj))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, "change") and (obj is None or self.in_scope(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, "delete") and (obj is None or self.in_scope(request.user, obj))

    # --- saving ----------------------------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        # The admin's changeform runs in a transaction: raising here rolls the save back.
        if not self.in_scope(request.user, obj):
            raise DjangoPermissionDenied(gettext("不能将记录保存到您管辖范围以外的区划。"))
        changes: dict[str, Any] = {}
        for name in getattr(form, "changed_data", []):
            try:
                field = obj._meta.get_field(name)
            except Exception:
                continue
            if getattr(field, "encrypted", False) or name == "password":
                changes[name] = "[已修改]"  # personal data and secrets never enter the trail
            else:
                changes[name] = form.cleaned_data.get(name)
                changes[name] = getattr(changes[name], "pk", changes[name])
        audit_record(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE,
                     obj=obj, changes=changes, region_code=self._region_of(obj))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        region = self._region_of(obj)
        object_type, object_id, object_repr = obj._meta.label_lower, str(obj.pk), str(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        audit_record(actor=request.user, action=AuditAction.DELETE, object_type=object_type,
                     object_id=object_id, object_repr=object_repr, region_code=region)

    def _region_of(self, obj: Model) -> str:
        value = getattr(obj, "region_code", None)
        if value is None:
            value = getattr(obj, f"{self.region_field}_id", None) or getattr(obj, self.region_field, None)
        return str(getattr(value, "pk", value) or "")

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        user = request.user
        field = self.region_field
        if user.is_superuser or field not in getattr(form_class, "base_fields", {}):
            return form_class

        class ScopedForm(form_class):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                value = data.get(field)
                code = getattr(user, "scope_code", None)
                value = getattr(value, "pk", value)
                if value is not None and (code is None or not in_region(code, str(value))):
                    raise ValidationError({field: gettext("不能选择您管辖范围以外的区划。")})
                return data

        return ScopedForm


class ReadOnlyAdminMixin:
    """No add, change or delete through the admin: the rows are written by services only."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "audit.view"}
    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "detail", "region_code",
                    "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_repr", "object_id", "region_code")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    list_select_related = ("actor",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "outbox.view"}
    list_display = ("created_at", "channel", "masked_recipient", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("subject", "idempotency_key", "related_id")
    exclude = ("recipient",)
    readonly_fields = ("channel", "masked_recipient", "user", "subject", "body", "idempotency_key",
                       "related_type", "related_id", "region_code", "status", "attempts", "last_error",
                       "next_attempt_at", "created_at", "sent_at")

    @admin.display(description=_("接收人"))
    def masked_recipient(self, obj: OutboxMessage) -> str:
        return mask_phone(obj.recipient)


@admin.register(SiteMessage)
class SiteMessageAdmin(NotFoundAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "subject", "read_at")
    search_fields = ("subject",)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser


def _answer_404_in_earlier_admins() -> None:
    """Give the admins registered before this module (Django's groups, django-otp's devices,
    django-axes' logs: their apps come first in INSTALLED_APPS, and autodiscover imports admin
    modules in that order) the same 404, without copying their code: each is re-registered as a
    subclass with ``NotFoundAdminMixin`` in front. ``tests/core/test_admin_scoping.py`` checks
    that every registered admin ends up with the mixin."""
    for model, model_admin in list(admin.site._registry.items()):
        if isinstance(model_admin, NotFoundAdminMixin):
            continue
        base = type(model_admin)
        admin.site.unregister(model)
        admin.site.register(model, type(base.__name__, (NotFoundAdminMixin, base), {"__module__": base.__module__}))


_answer_404_in_earlier_admins()
