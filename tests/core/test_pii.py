from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.test import override_settings

from fawang.core import pii
from fawang.core.fields import EncryptedCharField, EncryptedTextField
from fawang.core.pii import mask_address, mask_id_number, mask_name, mask_phone, pii_blind_index

KEY_A = "ZmF3YW5nLWRlbW8tcGlpLWtleS0zMi1ieXRlcy0hISE="
KEY_B = pii.generate_key()


def test_encrypt_round_trip_is_randomised() -> None:
    a = pii.encrypt("410105199003071234")
    b = pii.encrypt("410105199003071234")
    assert a != b and "4101051990" not in a
    assert pii.decrypt(a) == pii.decrypt(b) == "410105199003071234"
    assert pii.encrypt("") == "" and pii.decrypt("") == ""
    assert pii.decrypt(pii.encrypt("郑州市金水区花园路1号")) == "郑州市金水区花园路1号"


def test_key_rotation() -> None:
    with override_settings(PII_KEYS=[KEY_A]):
        old = pii.encrypt("13812345678")
        index_before = pii_blind_index("13812345678")
    with override_settings(PII_KEYS=[KEY_B, KEY_A]):
        assert pii.decrypt(old) == "13812345678"  # old key still decrypts
        new = pii.rotate(old)
        # The blind index is stable across rotation (derived from the oldest key).
        assert pii_blind_index("13812345678") == index_before
    with override_settings(PII_KEYS=[KEY_B]):
        assert pii.decrypt(new) == "13812345678"
        with pytest.raises(ValueError):
            pii.decrypt(old)  # the retired key's tokens are no longer readable


def test_blind_index() -> None:
    a = pii_blind_index("11010519491231002X")
    assert len(a) == 64 and all(c in "0123456789abcdef" for c in a)
    assert pii_blind_index(" 11010519491231002x") == a  # normalised
    assert pii_blind_index("+86 138 1234 5678") == pii_blind_index("13812345678")
    assert pii_blind_index("11010519491231003X") != a
    assert pii_blind_index("") == ""
    with override_settings(PII_BLIND_INDEX_KEY="another-secret"):
        assert pii_blind_index("11010519491231002X") != a


@pytest.mark.parametrize(
    ("value", "masked"),
    [("410105199003071234", "410105********1234"), ("11010519491231002X", "110105********002X"), ("", "")],
)
def test_mask_id_number(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812345678", "138****5678"), ("0371-67890123", "0371-****0123"), ("", ""), ("123", "***")],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("张三丰", "张*丰"), ("张三", "张*"), ("欧阳娜娜", "欧**娜"), ("王", "*"), ("", "")],
)
def test_mask_name(value: str, masked: str) -> None:
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("河南省郑州市金水区花园路59号院3号楼", "河南省郑州市金水区****"),
        ("郑州市中牟县官渡镇大孟村12号", "郑州市中牟县****"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放南路1号", "新疆维吾尔自治区乌鲁木齐市天山区****"),
        ("花园路59号", "花园****"),
        ("", ""),
    ],
)
def test_mask_address(value: str, masked: str) -> None:
    assert mask_address(value) == masked


def test_encrypted_fields_prep_and_lookups() -> None:
    field = EncryptedCharField(max_length=32)
    field.name = "phone"
    token = field.get_prep_value("13812345678")
    assert token.startswith(pii.TOKEN_PREFIX)
    assert field.from_db_value(token, None, None) == "13812345678"
    assert field.get_prep_value(None) is None
    assert field.formfield().max_length == 32
    with pytest.raises(FieldError):
        field.get_lookup("exact")
    assert field.get_lookup("isnull") is not None
    with pytest.raises(TypeError):
        EncryptedCharField()
    assert EncryptedTextField().from_db_value(pii.encrypt("地址"), None, None) == "地址"
