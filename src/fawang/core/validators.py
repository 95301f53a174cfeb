"""Validation of Chinese resident ID numbers and phone numbers (zh-hans messages).

Resident ID numbers (居民身份证号码) follow GB 11643-1999: six digits of the administrative
division where the number was first issued, eight digits of birth date (YYYYMMDD), a
three-digit sequence (odd for men, even for women) and a check character computed with
ISO 7064 MOD 11-2 over the first 17 digits ("X" stands for 10). Old 15-digit numbers were
replaced in 2004-2013 and are refused: the platform needs the full number for exact matching.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Province-level prefixes in use (GB/T 2260) plus 81/82/83 used on residence permits for
# residents of Hong Kong, Macao and Taiwan (港澳台居民居住证).
PROVINCE_PREFIXES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code (010, 02x, 0xxx) + 7–8 digit local number, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")


class Sex:
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class IdNumberInfo:
    birth_date: dt.date
    sex: str  # Sex.MALE / Sex.FEMALE
    region_code: str  # six-digit division code of first issue


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    total = sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    """Strip blanks and turn a lowercase check "x" (and full-width "Ｘ") into "X"."""
    return (value or "").strip().replace(" ", "").replace("ｘ", "X").replace("Ｘ", "X").upper()


def validate_id_number(value: str) -> None:
    """Raise ``ValidationError`` (code, zh-hans message) unless ``value`` is a valid ID number."""
    parse_id_number(value)


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Birth date, sex and issuing region of a valid ID number; ``ValidationError`` otherwise."""
    number = normalize_id_number(value)
    if not number:
        raise ValidationError(_("请填写身份证号码。"), code="id_required")
    if len(number) == 15 and number.isdigit():
        raise ValidationError(_("请填写18位居民身份证号码（15位旧号码已停止使用）。"), code="id_legacy")
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位，当前为%(n)d位。") % {"n": len(number)}, code="id_length")
    if not _ID_SHAPE.match(number):
        raise ValidationError(_("身份证号码前17位应为数字，最后一位为数字或X。"), code="id_format")
    if number[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(_("身份证号码的地区码无效。"), code="id_region")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date") from None
    today = today or dt.date.today()
    if birth.year < 1900 or birth > today:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date")
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="id_checksum")
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdNumberInfo(birth_date=birth, sex=sex, region_code=number[:6])


def normalize_phone(value: str) -> str:
    """Strip blanks, full-width digits' cousins "－", and a leading +86/86 country code."""
    phone = (value or "").strip().replace(" ", "").replace("－", "-").replace("—", "-")
    for prefix in ("+86-", "+86", "0086"):
        if phone.startswith(prefix):
            phone = phone[len(prefix):]
            break
    if len(phone) == 13 and phone.startswith("86") and MOBILE_RE.match(phone[2:]):
        phone = phone[2:]
    return phone


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx (an optional +86 is accepted)."""
    phone = normalize_phone(value)
    if not phone:
        raise ValidationError(_("请填写手机号码。"), code="mobile_required")
    if not MOBILE_RE.match(phone):
        raise ValidationError(_("手机号码格式不正确，应为以1开头的11位数字。"), code="mobile_format")


def validate_phone(value: str) -> None:
    """A mobile number or a landline with area code (e.g. 0371-67890123, 010-12345678-801)."""
    phone = normalize_phone(value)
    if not phone:
        raise ValidationError(_("请填写联系电话。"), code="phone_required")
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return
    raise ValidationError(
        _("电话号码格式不正确：请填写11位手机号码，或带区号的固定电话（如 0371-12345678）。"),
        code="phone_format",
    )
