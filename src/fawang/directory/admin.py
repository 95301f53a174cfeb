"""The directory back office. Forms validate through the same cleaners as the services, every
queryset is cut to the staff user's region (superusers see everything), and rights come from the
role table like everywhere in the admin (``DirectoryAdmin``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fawang.core.admin import RoleAdminMixin, ScopedAdminMixin
from fawang.core.errors import DomainError

from . import services
from .choices import Language, PracticeArea
from .models import CreditRecord, Institution, Practitioner
from .permissions import can_edit_region


class DomainCleanedForm(forms.ModelForm):
    """A ModelForm whose ``clean`` runs a service cleaner and reports its DomainError in place."""

    current_user: Any = None
    field_aliases = {"division_code": "division", "institution_id": "institution"}

    def add_domain_error(self, exc: DomainError) -> None:
        field = self.field_aliases.get(exc.field or "", exc.field)
        self.add_error(field if field in self.fields else None, exc.message)

    def check_region(self, region_code: str, field: str = "division") -> None:
        if self.current_user is not None and not can_edit_region(self.current_user, region_code):
            self.add_error(field if field in self.fields else None, _("您无权维护该区划的名录。"))


class InstitutionAdminForm(DomainCleanedForm):
    specialties = forms.MultipleChoiceField(label=_("业务专长"), choices=PracticeArea.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("服务语言"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Institution
        fields = ["kind", "mediation_kind", "name", "credit_code", "licence_number", "responsible_person",
                  "address", "phone", "division", "service_areas", "specialties", "languages", "latitude",
                  "longitude", "business_hours", "introduction", "status", "is_demo"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        values = {k: data.get(k) for k in services.INSTITUTION_FIELDS if k in data}
        values["division_code"] = data["division"].code if data.get("division") else ""
        try:
            self.domain_cleaned = services.clean_institution(values, instance_id=self.instance.pk)
        except DomainError as exc:
            self.add_domain_error(exc)
            return data
        self.check_region(self.domain_cleaned["region_code"])
        return data


class PractitionerAdminForm(DomainCleanedForm):
    specialties = forms.MultipleChoiceField(label=_("业务专长"), choices=PracticeArea.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("服务语言"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Practitioner
        fields = ["kind", "name", "sex", "licence_number", "practice_since", "institution", "specialties",
                  "languages", "division", "phone", "photo", "introduction", "is_legal_aid_lawyer",
                  "current_load", "status", "is_demo"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        values = {k: data.get(k) for k in services.PRACTITIONER_FIELDS if k in data}
        values["institution_id"] = data["institution"].pk if data.get("institution") else None
        values["division_code"] = data["division"].code if data.get("division") else ""
        try:
            self.domain_cleaned = services.clean_practitioner(values, instance_id=self.instance.pk)
        except DomainError as exc:
            self.add_domain_error(exc)
            return data
        self.check_region(self.domain_cleaned["region_code"])
        return data


class CreditRecordAdminForm(DomainCleanedForm):
    class Meta:
        model = CreditRecord
        fields = ["kind", "institution", "practitioner", "assessment_result", "decided_on",
                  "issuing_authority", "decision_number", "summary", "public_until", "is_demo"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        institution = data.get("institution")
        if institution is None and "institution" not in self.fields:  # inline under an institution
            institution = getattr(self.instance, "institution", None) or Institution(region_code="")
        try:
            self.domain_cleaned = services.clean_credit_record(
                kind=data.get("kind"), decided_on=data.get("decided_on"),
                issuing_authority=data.get("issuing_authority"), summary=data.get("summary"),
                institution=institution, practitioner=data.get("practitioner"),
                decision_number=data.get("decision_number") or "",
                assessment_result=data.get("assessment_result") or "", public_until=data.get("public_until"),
            )
        except DomainError as exc:
            self.add_domain_error(exc)
            return data
        if self.domain_cleaned["region_code"]:
            self.check_region(self.domain_cleaned["region_code"], field="institution")
        return data


DIRECTORY_ACTIONS = {"view": "directory.view", "add": "directory.edit", "change": "directory.edit",
                     "delete": "directory.edit"}


class DirectoryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Region scoping and role-table rights from ``ScopedAdminMixin`` (``directory.view`` to look,
    ``directory.edit`` to write, like the directory's API); on top, the forms validate through the
    services' cleaners, so what the admin saves is what the services would have saved."""

    admin_actions = DIRECTORY_ACTIONS

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.current_user = request.user  # the form's region check names the field in error
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        for name, value in getattr(form, "domain_cleaned", {}).items():
            setattr(obj, name, value)
        if hasattr(obj, "refresh_tags"):
            obj.refresh_tags()
        super().save_model(request, obj, form, change)


class PractitionerInline(RoleAdminMixin, admin.TabularInline):
    admin_actions = {"view": "directory.view", "change": "directory.edit"}
    model = Practitioner
    fields = ["name", "kind", "licence_number", "status", "is_legal_aid_lawyer"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # add practitioners on their own page, where they are validated in full


class CreditRecordInline(RoleAdminMixin, admin.TabularInline):
    admin_actions = DIRECTORY_ACTIONS
    model = CreditRecord
    form = CreditRecordAdminForm
    fk_name = "institution"
    fields = ["kind", "assessment_result", "decided_on", "issuing_authority", "decision_number", "summary",
              "public_until", "is_demo"]
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(DirectoryAdmin):
    form = InstitutionAdminForm
    list_display = ["name", "kind", "mediation_kind", "region_code", "credit_code", "status", "is_demo"]
    list_filter = ["kind", "mediation_kind", "status", "is_demo"]
    search_fields = ["name", "credit_code", "licence_number", "responsible_person", "address", "region_code"]
    raw_id_fields = ["division"]
    inlines = [PractitionerInline, CreditRecordInline]
    list_per_page = 50

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not CreditRecord:
            return super().save_formset(request, form, formset, change)
        for record in formset.save(commit=False):
            record.region_code = form.instance.region_code
            record.save()
        for record in formset.deleted_objects:
            record.delete()
        formset.save_m2m()
        return None


@admin.register(Practitioner)
class PractitionerAdmin(DirectoryAdmin):
    form = PractitionerAdminForm
    list_display = ["name", "kind", "licence_number", "institution", "region_code", "is_legal_aid_lawyer",
                    "current_load", "status", "is_demo"]
    list_filter = ["kind", "status", "is_legal_aid_lawyer", "is_demo"]
    search_fields = ["name", "licence_number", "institution__name", "region_code"]
    raw_id_fields = ["institution", "division"]
    list_select_related = ["institution"]
    list_per_page = 50


@admin.register(CreditRecord)
class CreditRecordAdmin(DirectoryAdmin):
    form = CreditRecordAdminForm
    list_display = ["kind", "decided_on", "subject", "issuing_authority", "decision_number", "public_until",
                    "is_demo"]
    list_filter = ["kind", "assessment_result", "is_demo"]
    search_fields = ["institution__name", "practitioner__name", "decision_number", "summary"]
    raw_id_fields = ["institution", "practitioner"]
    date_hierarchy = "decided_on"
    list_select_related = ["institution", "practitioner"]

    @admin.display(description=_("对象"))
    def subject(self, obj: CreditRecord) -> str:
        return str(obj.subject or "")
