"""The public search form: plain GET parameters, so every result page has a shareable URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import InstitutionKind, Language, PracticeArea, PractitionerKind

EMPTY = [("", _("不限"))]


class DirectorySearchForm(forms.Form):
    TARGETS = [("institutions", _("机构")), ("practitioners", _("人员"))]

    target = forms.ChoiceField(label=_("查询对象"), choices=TARGETS, required=False, initial="institutions")
    q = forms.CharField(label=_("名称/证号"), required=False, max_length=100)
    institution_kind = forms.ChoiceField(label=_("机构类型"), choices=EMPTY + InstitutionKind.choices,
                                         required=False)
    practitioner_kind = forms.ChoiceField(label=_("人员类型"), choices=EMPTY + PractitionerKind.choices,
                                          required=False)
    # A select of the listed cities and counties; any division code (e.g. a township's, from
    # a link) is still accepted.
    region = forms.RegexField(label=_("地区"), regex=r"^\d{2,12}$", required=False,
                              error_messages={"invalid": _("区划代码应为2至12位数字。")})
    specialty = forms.ChoiceField(label=_("业务专长"), choices=EMPTY + PracticeArea.choices, required=False)
    language = forms.ChoiceField(label=_("服务语言"), choices=EMPTY + Language.choices, required=False)
    legal_aid_only = forms.BooleanField(label=_("仅法律援助律师"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    radius_km = forms.FloatField(label=_("范围（公里）"), required=False, min_value=0.1, max_value=500,
                                 initial=10)

    def __init__(self, *args: Any, region_options: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if region_options:
            current = (self.data.get("region") or "").strip() if self.is_bound else ""
            if current.isdigit() and current not in dict(region_options):
                region_options = [*region_options, (current, current)]
            self.fields["region"].widget = forms.Select(choices=EMPTY + region_options)
