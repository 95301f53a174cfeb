"""The admin is the real back office, so it obeys the same region scoping as the API.

``NotFoundAdminMixin`` (on every ModelAdmin of the platform, and put in front of the third-party
admins registered before this module): an id that does not exist and an id outside the user's
(scoped) queryset both get the same plain 404, as the API's ``NotFoundOrForbidden`` does. Django
would instead redirect to the admin index with a message naming the id, which tells a county
officer that a row with that id exists somewhere else.

``RoleAdminMixin`` is the one place back-office rights are decided (as NetBox keeps its
permission checks in one place): view/add/change/delete come from the role table
(``admin_actions``), not from Django's per-model permissions, so there is one source of truth and
granting a role is all it takes; every write through the admin leaves an audit entry. Inlines use
it directly; registered admins use one of:

``ScopedAdminMixin`` (for every region-bound ModelAdmin):
- the changelist and every change page only see rows inside the user's region subtree
  (a row outside answers 404 like a missing one, through ``NotFoundAdminMixin``);
- after a save, the row must still be inside the user's region — editing a row "out" of one's
  own region is refused and the whole save is rolled back (the approach NetBox takes with its
  restricted querysets).

``GlobalAdminMixin`` (for data that belongs to no region: the service catalogue, the law library,
the FAQ): every row is visible to whoever holds the view action, and writes also need a
province-level (or national) scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files import File
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fawang.core.audit import audit_record
from fawang.core.models import AuditAction, AuditEntry, OutboxMessage, SiteMessage
from fawang.core.permissions import SupervisionLevel, has_permission, is_staff_user, supervision_level
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


def _audit_value(value: Any) -> Any:
    """A form value as the audit trail stores it (JSON): rows by primary key, files by name."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, File):
        return value.name
    if isinstance(value, QuerySet | list | tuple | set | frozenset):
        return [_audit_value(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool | dict | Decimal | dt.date | dt.time | UUID):
        return value
    return str(value)


# Writes to data that belongs to no region (the service catalogue, the law library, the FAQ) are
# the province's (or the nation's): they are published to every county at once.
PROVINCE_OR_WIDER = frozenset({SupervisionLevel.NATIONAL, SupervisionLevel.PROVINCE})


class RoleAdminMixin:
    """View/add/change/delete rights from the role table, and an audit entry for every write.

    The one place the back office asks "may this user do that": ``admin_actions`` maps each admin
    right to a role-table action (``fawang.core.permissions``), not to Django's per-model
    permissions, so granting a role is all it takes and nothing can be granted around the table.
    Used as is for inlines (their parent admin already checked the region) and, through
    ``GlobalAdminMixin`` and ``ScopedAdminMixin``, for every registered admin of the platform.
    """

    # Role-table action required for each admin right; None = nobody but superusers.
    admin_actions: dict[str, str | None] = {"view": None, "add": None, "change": None, "delete": None}
    # Supervision levels (``fawang.core.permissions.supervision_level``) whose staff may write,
    # on top of the action; None = any level.
    write_levels: frozenset[str] | None = None

    def _allowed(self, request: HttpRequest, right: str) -> bool:
        user = request.user
        if not user.is_active or not user.is_staff:
            return False
        if user.is_superuser:
            return True
        action = self.admin_actions.get(right)
        if not action or not has_permission(user, action):
            return False
        return right == "view" or self.write_levels is None or supervision_level(user) in self.write_levels

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, "view") or self._allowed(request, "change")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, "view") or self._allowed(request, "change")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, "delete")

    # --- saving and the audit trail -------------------------------------------------------
    def check_saved(self, request: HttpRequest, obj: Model) -> None:
        """Hook run right after the row is written, inside the admin's transaction: raising here
        rolls the save back (``ScopedAdminMixin`` refuses a row moved out of the user's region)."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        self.check_saved(request, obj)
        self.audit_save(request, obj, form, change)

    def audit_save(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        """One audit entry for a create or update, with the changed fields (secrets masked). For
        admins whose ``save_model`` writes through a service instead of ``super()``."""
        changes: dict[str, Any] = {}
        for name in getattr(form, "changed_data", []):
            try:
                field = obj._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # a form-only field (a password twice, say) is not the row's data
            if getattr(field, "encrypted", False) or name == "password":
                changes[name] = "[已修改]"  # personal data and secrets never enter the trail
            else:
                changes[name] = _audit_value(form.cleaned_data.get(name))
        audit_record(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE,
                     obj=obj, changes=changes, region_code=self._region_of(obj))

    @contextmanager
    def audited_delete(self, request: HttpRequest, obj: Model) -> Iterator[None]:
        """Wrap a deletion: what the row was is taken before, the entry written after."""
        region = self._region_of(obj)
        object_type, object_id, object_repr = obj._meta.label_lower, str(obj.pk), str(obj)
        yield
        audit_record(actor=request.user, action=AuditAction.DELETE, object_type=object_type,
                     object_id=object_id, object_repr=object_repr, region_code=region)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with self.audited_delete(request, obj):
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The changelist's "delete selected" action deletes in bulk, past ``delete_model``; each
        # row still gets its entry.
        rows = [(obj._meta.label_lower, str(obj.pk), str(obj), self._region_of(obj)) for obj in queryset]
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for object_type, object_id, object_repr, region in rows:
            audit_record(actor=request.user, action=AuditAction.DELETE, object_type=object_type,
                         object_id=object_id, object_repr=object_repr, region_code=region)

    def _region_of(self, obj: Model) -> str:
        return str(getattr(obj, "region_code", "") or "")


class GlobalAdminMixin(NotFoundAdminMixin, RoleAdminMixin):
    """Role-table rights for data that belongs to no region (put it first in the bases): whoever
    holds the view action sees every row, and only province-level (or national) staff holding the
    write actions may write, since a change reaches every county at once."""

    write_levels = PROVINCE_OR_WIDER


class ScopedAdminMixin(NotFoundAdminMixin, RoleAdminMixin):
    """Region scoping and role-table permissions for a ModelAdmin (put it first in the bases)."""

    region_field: str = "region_code"

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

    # --- permissions: the role table's, and the row inside the region ---------------------
    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and (obj is None or self.in_scope(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or self.in_scope(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or self.in_scope(request.user, obj))

    # --- saving ----------------------------------------------------------------------------
    def check_saved(self, request: HttpRequest, obj: Model) -> None:
        # The admin's changeform runs in a transaction: raising here rolls the save back.
        if not self.in_scope(request.user, obj):
            raise DjangoPermissionDenied(gettext("不能将记录保存到您管辖范围以外的区划。"))

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
