"""The window clerk's intake form: one form for every item; the item's own fields and
materials are loaded into it (htmx) from the catalogue record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fawang.cases.choices import Channel, IdType, SpecialGroup
from fawang.catalog.models import ServiceItem


class IntakeForm(forms.Form):
    item = forms.ModelChoiceField(label=_("服务事项"), queryset=ServiceItem.objects.filter(is_active=True),
                                  to_field_name="code")
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices, initial=Channel.WINDOW)
    name = forms.CharField(label=_("申请人姓名"), max_length=100)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label=_("证件号码"), max_length=32, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    address = forms.CharField(label=_("住址"), max_length=300, required=False)
    special_groups = forms.MultipleChoiceField(label=_("特殊群体"), choices=SpecialGroup.choices, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    subject = forms.CharField(label=_("事由"), max_length=200, required=False)
    accept_now = forms.BooleanField(label=_("当场受理"), required=False, initial=True)
    idempotency_key = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("id_type") == IdType.RESIDENT_ID and data.get("id_number"):
            from fawang.core.validators import normalize_id_number, validate_id_number

            value = normalize_id_number(data["id_number"])
            try:
                validate_id_number(value)
            except ValidationError as exc:
                self.add_error("id_number", exc)
            data["id_number"] = value
        if data.get("phone"):
            from fawang.core.validators import validate_phone

            try:
                validate_phone(data["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc)
        return data
