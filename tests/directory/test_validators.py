"""Identifier validators: credit code (GB 32100-2015), licence numbers, phones, coordinates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fawang.core.errors import DomainError
from fawang.directory import validators as v
from fawang.directory.choices import InstitutionKind, PracticeArea, PractitionerKind


@pytest.mark.parametrize("code", [
    "914403001922038216",   # Huawei Technologies Co., Ltd.
    "9144030071526726XG",   # Tencent (Shenzhen)
    "91110000802100433B",
    "91350100M000100Y43",
])
def test_real_credit_codes_pass(code):
    assert v.validate_credit_code(code) == code


def test_credit_code_is_normalised_to_upper_case():
    assert v.validate_credit_code(" 9144030071526726xg ") == "9144030071526726XG"


@pytest.mark.parametrize("code, fragment", [
    ("91440300192203821", "18位"),
    ("9144030019220382161", "18位"),
    ("914403001922038217", "校验位"),
    ("91440300192203821I", "不允许的字符"),
    ("9144030019220382O6", "不允许的字符"),
    ("B14403001922038216", "登记管理部门"),
    ("9144A3001922038216", "行政区划"),
])
def test_bad_credit_codes_are_rejected_with_reason(code, fragment):
    with pytest.raises(DomainError) as err:
        v.validate_credit_code(code)
    assert err.value.code == "invalid_credit_code"
    assert err.value.field == "credit_code"
    assert fragment in err.value.message


@given(st.text(alphabet=v.CREDIT_CODE_CHARSET, min_size=9, max_size=9),
       st.sampled_from(sorted(v.CREDIT_CODE_AUTHORITIES)))
def test_any_single_character_change_breaks_the_check(body, authority):
    first17 = authority + "1" + "410105" + body
    code = first17 + v.credit_code_check_char(first17)
    assert v.validate_credit_code(code) == code
    # Changing any one character of the body (keeping the format) must be detected.
    for i in range(8, 17):
        for replacement in ("0", "Y"):
            if code[i] == replacement:
                continue
            broken = code[:i] + replacement + code[i + 1:]
            with pytest.raises(DomainError):
                v.validate_credit_code(broken)


def test_lawyer_licence_format():
    assert v.validate_lawyer_licence("41012010110012345") == "41012010110012345"
    for bad in ("4101201011001234", "4101201011001234X", "99012010110012345", "41011970110012345",
                "41019999110012345"):
        with pytest.raises(DomainError) as err:
            v.validate_lawyer_licence(bad)
        assert err.value.code == "invalid_licence"


def test_practitioner_licence_required_for_licensed_kinds_only():
    with pytest.raises(DomainError) as err:
        v.validate_practitioner_licence(PractitionerKind.NOTARY, "")
    assert err.value.code == "licence_required"
    assert v.validate_practitioner_licence(PractitionerKind.VOLUNTEER, "") == ""
    assert v.validate_practitioner_licence(PractitionerKind.MEDIATOR, "") == ""
    assert v.validate_practitioner_licence(PractitionerKind.NOTARY, "豫证字第0123号") == "豫证字第0123号"
    with pytest.raises(DomainError):
        v.validate_practitioner_licence(PractitionerKind.NOTARY, "12 34")
    with pytest.raises(DomainError):
        v.validate_practitioner_licence(PractitionerKind.LAWYER, "123")


def test_institution_licence():
    assert v.validate_institution_licence(InstitutionKind.LAW_FIRM, "24101200310452338") == "24101200310452338"
    with pytest.raises(DomainError):
        v.validate_institution_licence(InstitutionKind.LAW_FIRM, "2410120031045233")
    with pytest.raises(DomainError):
        v.validate_institution_licence(InstitutionKind.NOTARY_OFFICE, "")
    assert v.validate_institution_licence(InstitutionKind.LEGAL_AID_CENTER, "") == ""


def test_phone_and_coordinates():
    assert v.validate_phone("0371-12348") == "0371-12348"
    assert v.validate_phone("") == ""
    with pytest.raises(DomainError):
        v.validate_phone("call me")
    v.validate_coordinates(34.75, 113.66)
    v.validate_coordinates(None, None)
    for lat, lng in ((34.7, None), (91, 113), (34, 181)):
        with pytest.raises(DomainError):
            v.validate_coordinates(lat, lng)


def test_choice_lists_are_checked_and_deduplicated():
    assert v.validate_choices(["labor", "labor", "tort"], PracticeArea, field="specialties") == ["labor", "tort"]
    with pytest.raises(DomainError) as err:
        v.validate_choices(["河南话"], PracticeArea, field="specialties")
    assert err.value.field == "specialties"


def test_practice_areas_are_the_twenty_consultation_categories():
    assert len(PracticeArea.values) == 20
    assert {"婚姻家庭", "劳动纠纷", "抵押担保", "海事海商"} <= {str(label) for label in PracticeArea.labels}
