"""Validators for identifiers of legal service institutions and practitioners.

Each validator raises ``fawang.core.errors.DomainError`` with a zh-hans message naming the
field, so services, the CSV import and the API report the same text.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from fawang.core.errors import DomainError

from .choices import InstitutionKind, PractitionerKind

# GB 32100-2015 统一社会信用代码: 31 characters (no I, O, S, V, Z).
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: the registration authority (1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政,
# 6 旅游, 7 宗教, 8 工会, 9 市场监管/工商, A 中央军委改革和编制办公室, N 农业, Y 其他).
CREDIT_CODE_AUTHORITIES = set("123456789ANY")
# Province-level division codes, the first two digits of a lawyer's practice certificate.
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}
# The Lawyers Law came into force in 1980 (暂行条例); no certificate predates it.
FIRST_PRACTICE_YEAR = 1979
_GENERIC_LICENCE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff()（）〔〕\[\]\-]{4,40}$")
_PHONE = re.compile(r"^[0-9+\-() 转,，、]{5,60}$")


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 are given."""
    total = 0
    for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True):
        total += CREDIT_CODE_CHARSET.index(char) * weight
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str, *, field: str = "credit_code") -> str:
    """Check a 统一社会信用代码 (GB 32100-2015) and return it normalised (upper case)."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise DomainError("invalid_credit_code", _("统一社会信用代码应为18位（当前%(n)d位）。") % {"n": len(code)},
                          field=field)
    bad = [c for c in code if c not in CREDIT_CODE_CHARSET]
    if bad:
        raise DomainError("invalid_credit_code",
                          _("统一社会信用代码含有不允许的字符“%(c)s”（不使用I、O、S、V、Z）。") % {"c": bad[0]},
                          field=field)
    if code[0] not in CREDIT_CODE_AUTHORITIES:
        raise DomainError("invalid_credit_code", _("统一社会信用代码第1位（登记管理部门代码）无效。"), field=field)
    if not code[2:8].isdigit():
        raise DomainError("invalid_credit_code", _("统一社会信用代码第3至8位应为行政区划代码。"), field=field)
    if credit_code_check_char(code[:17]) != code[17]:
        raise DomainError("invalid_credit_code", _("统一社会信用代码校验位错误，请核对。"), field=field)
    return code


def validate_lawyer_licence(value: str, *, field: str = "licence_number") -> str:
    """A lawyer's practice certificate number (律师执业证号): 17 digits.

    Digits 1–4 are the issuing region, 5–8 the year practice began, then the category and a
    sequence. We check the parts we can check without the issuing register.
    """
    number = value.strip()
    if not re.fullmatch(r"\d{17}", number):
        raise DomainError("invalid_licence", _("律师执业证号应为17位数字。"), field=field)
    if number[:2] not in PROVINCE_CODES:
        raise DomainError("invalid_licence", _("律师执业证号前两位应为省级行政区划代码。"), field=field)
    year = int(number[4:8])
    if not FIRST_PRACTICE_YEAR <= year <= datetime.date.today().year:
        raise DomainError("invalid_licence", _("律师执业证号第5至8位应为执业年份。"), field=field)
    return number


def validate_law_firm_licence(value: str, *, field: str = "licence_number") -> str:
    """A law firm's practice licence number (律师事务所执业许可证号): 17 digits."""
    number = value.strip()
    if not re.fullmatch(r"\d{17}", number):
        raise DomainError("invalid_licence", _("律师事务所执业许可证号应为17位数字。"), field=field)
    if number[1:3] not in PROVINCE_CODES:
        raise DomainError("invalid_licence", _("律师事务所执业许可证号第2至3位应为省级行政区划代码。"),
                          field=field)
    return number


def validate_generic_licence(value: str, *, field: str = "licence_number") -> str:
    number = value.strip()
    if not _GENERIC_LICENCE.fullmatch(number):
        raise DomainError("invalid_licence", _("证号格式不正确：应为4至40位数字、字母或汉字，不含空格。"),
                          field=field)
    return number


def validate_practitioner_licence(kind: str, value: str, *, field: str = "licence_number") -> str:
    """Licence number for a practitioner of ``kind``; "" is allowed only where none is issued."""
    number = (value or "").strip()
    if not number:
        if kind in (PractitionerKind.LAWYER, PractitionerKind.NOTARY, PractitionerKind.APPRAISER,
                    PractitionerKind.GRASSROOTS_WORKER):
            raise DomainError("licence_required", _("该类人员必须填写执业证号。"), field=field)
        return ""
    if kind == PractitionerKind.LAWYER:
        return validate_lawyer_licence(number, field=field)
    return validate_generic_licence(number, field=field)


def validate_institution_licence(kind: str, value: str, *, field: str = "licence_number") -> str:
    number = (value or "").strip()
    if not number:
        if kind in (InstitutionKind.LAW_FIRM, InstitutionKind.NOTARY_OFFICE, InstitutionKind.APPRAISAL_BODY,
                    InstitutionKind.GRASSROOTS_OFFICE):
            raise DomainError("licence_required", _("该类机构必须填写执业许可证号。"), field=field)
        return ""
    if kind == InstitutionKind.LAW_FIRM:
        return validate_law_firm_licence(number, field=field)
    return validate_generic_licence(number, field=field)


def validate_phone(value: str, *, field: str = "phone") -> str:
    phone = (value or "").strip()
    if phone and not _PHONE.fullmatch(phone):
        raise DomainError("invalid_phone", _("电话号码格式不正确。"), field=field)
    return phone


def validate_coordinates(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise DomainError("invalid_coordinates", _("经度和纬度须同时填写。"), field="latitude")
    if latitude is None or longitude is None:
        return
    if not -90 <= float(latitude) <= 90:
        raise DomainError("invalid_coordinates", _("纬度应在-90至90之间。"), field="latitude")
    if not -180 <= float(longitude) <= 180:
        raise DomainError("invalid_coordinates", _("经度应在-180至180之间。"), field="longitude")


def validate_choices(values: list[str] | None, allowed: type, *, field: str) -> list[str]:
    """A list of keys from a TextChoices class, de-duplicated, order kept."""
    result: list[str] = []
    valid = set(allowed.values)
    for value in values or []:
        if value not in valid:
            raise DomainError("invalid_choice", _("“%(v)s”不是有效的选项。") % {"v": value}, field=field)
        if value not in result:
            result.append(value)
    return result
