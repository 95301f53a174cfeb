from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from fawang.core.validators import (
    Sex,
    id_check_char,
    parse_id_number,
    validate_id_number,
    validate_mobile,
    validate_phone,
)


def make_id(prefix: str, birth: str, seq: str) -> str:
    first17 = prefix + birth + seq
    return first17 + id_check_char(first17)


def test_check_char_known_examples() -> None:
    # The worked example of GB 11643-1999: 11010519491231002X.
    assert id_check_char("11010519491231002") == "X"
    # A synthetic Zhengzhou Jinshui number with its computed check character passes.
    number = make_id("410105", "19900307", "123")
    validate_id_number(number)


def test_parse_id_number() -> None:
    info = parse_id_number("11010519491231002X")
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == Sex.FEMALE  # 17th digit 2 is even
    assert info.region_code == "110105"
    man = parse_id_number(make_id("410122", "19851120", "031"))
    assert man.sex == Sex.MALE and man.region_code == "410122" and man.birth_date == dt.date(1985, 11, 20)


def test_lowercase_x_and_spaces_accepted() -> None:
    validate_id_number(" 11010519491231002x ")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id_required"),
        ("410105900307123", "id_legacy"),
        ("41010519900307123", "id_length"),
        ("4101051990030712345", "id_length"),
        ("41010519900307A123", "id_format"),
        ("X10105199003071234", "id_format"),
        (make_id("990105", "19900307", "123"), "id_region"),
        (make_id("000105", "19900307", "123"), "id_region"),
        (make_id("410105", "19900230", "123"), "id_birth_date"),
        (make_id("410105", "19901301", "123"), "id_birth_date"),
        (make_id("410105", "18990101", "123"), "id_birth_date"),
        (make_id("410105", "29990101", "123"), "id_birth_date"),
    ],
)
def test_invalid_id_numbers(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert exc.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.messages[0])  # zh-hans message


def test_wrong_check_digit() -> None:
    good = make_id("410105", "19900307", "123")
    for ch in "0123456789X":
        if ch == good[-1]:
            continue
        with pytest.raises(ValidationError) as exc:
            validate_id_number(good[:-1] + ch)
        assert exc.value.code == "id_checksum"
        assert "校验位" in exc.value.messages[0]


def test_feb_29_only_in_leap_years() -> None:
    validate_id_number(make_id("410105", "20000229", "456"))
    with pytest.raises(ValidationError):
        validate_id_number(make_id("410105", "19990229", "456"))


@given(
    st.sampled_from(["110101", "410105", "410122", "440305", "650102"]),
    st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.integers(0, 999),
)
def test_generated_numbers_round_trip(prefix: str, birth: dt.date, seq: int) -> None:
    number = make_id(prefix, birth.strftime("%Y%m%d"), f"{seq:03d}")
    info = parse_id_number(number)
    assert info.birth_date == birth
    assert info.sex == (Sex.MALE if seq % 2 else Sex.FEMALE)
    # Any single-digit change in the first 17 digits breaks the check digit (MOD 11-2 catches it).
    i = seq % 17
    digit = str((int(number[i]) + 1) % 10)
    tampered = number[:i] + digit + number[i + 1:]
    with pytest.raises(ValidationError):
        validate_id_number(tampered)


@pytest.mark.parametrize("value", ["13812345678", "19912345678", "+86 138 1234 5678", "8613812345678"])
def test_valid_mobiles(value: str) -> None:
    validate_mobile(value)
    validate_phone(value)


@pytest.mark.parametrize("value", ["", "12812345678", "1381234567", "138123456789", "0371-67890123", "abc"])
def test_invalid_mobiles(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_mobile(value)


@pytest.mark.parametrize("value", ["0371-67890123", "037167890123", "010-62345678", "0371-6789012", "010-82345678-801"])
def test_valid_landlines(value: str) -> None:
    validate_phone(value)


@pytest.mark.parametrize("value", ["", "12348", "371-67890123", "0371-1234", "0371-0123456", "phone"])
def test_invalid_phones(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_phone(value)
    assert exc.value.code in {"phone_required", "phone_format"}
