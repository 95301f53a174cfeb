"""User administration, scoped: a county administrator sees and manages only their county's staff.

A staff user's region is their service point's region, else their division. Users without
either (national supervisors, system administrators, citizens) are visible nationally only.
Only system administrators (and superusers) may create or promote supervisors and system
administrators; nobody but a superuser may grant superuser status or raw Django permissions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import User
from fawang.accounts.services import can_assign_role
from fawang.core.admin import ScopedAdminMixin
from fawang.core.scoping import in_region, region_q


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    region_field = "division"
    admin_actions = {"view": "user.manage", "add": "user.manage", "change": "user.manage",
                     "delete": "user.manage"}
    list_display = ("username", "real_name", "role", "division", "service_point", "is_active", "is_demo")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "real_name")
    list_select_related = ("division", "service_point")
    autocomplete_fields = ()
    raw_id_fields = ("division", "service_point")
    ordering = ("username",)

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("身份与岗位"), {"fields": ("real_name", "role", "division", "service_point", "is_demo")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    superuser_fieldsets = fieldsets + (
        (_("系统权限"), {"fields": ("is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "password1", "password2", "real_name", "role", "division",
                           "service_point")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def scope_q(self, code: str) -> Q:
        if not code:
            return Q()
        return region_q(code, "division_id") | region_q(code, "service_point__region_code")

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.fieldsets

    def get_form(self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class UserScopedForm(form_class):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                role = data.get("role")
                if role and not can_assign_role(actor, role) and (obj is None or obj.role != role):
                    self.add_error("role", gettext("只有系统管理员可以设置监督管理人员或系统管理员。"))
                code = getattr(actor, "scope_code", None)
                if not actor.is_superuser:
                    division = data.get("division")
                    point = data.get("service_point")
                    for field, value in (("division", getattr(division, "pk", None)),
                                         ("service_point", getattr(point, "region_code", None))):
                        if value is not None and (code is None or not in_region(code, value)):
                            self.add_error(field, gettext("不能选择您管辖范围以外的区划或服务点。"))
                    if code and division is None and point is None:
                        # An account without a place would be national: not for a local admin.
                        self.add_error("division", gettext("请选择所属区划或服务点。"))
                return data

        if "role" in UserScopedForm.base_fields and not can_assign_role(actor, "supervisor"):
            from fawang.accounts.models import Role
            from fawang.accounts.services import PRIVILEGED_ROLES

            allowed = [(v, label) for v, label in Role.choices if v not in PRIVILEGED_ROLES]
            if obj is not None and obj.role in PRIVILEGED_ROLES:
                allowed.append((obj.role, obj.get_role_display()))
            UserScopedForm.base_fields["role"] = forms.ChoiceField(
                label=UserScopedForm.base_fields["role"].label, choices=allowed,
            )
        return UserScopedForm

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        code = getattr(request.user, "scope_code", None)
        if not request.user.is_superuser and code:
            if db_field.name == "division":
                kwargs["queryset"] = db_field.related_model.objects.filter(region_q(code, "code"))
            elif db_field.name == "service_point":
                kwargs["queryset"] = db_field.related_model.objects.filter(region_q(code))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
