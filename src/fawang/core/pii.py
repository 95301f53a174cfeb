"""Personal data: encryption at rest, blind indexes for exact lookups, and masking.

- Encryption: Fernet (AES-128-CBC + HMAC-SHA256) through ``MultiFernet`` over
  ``settings.PII_KEYS``. The first key encrypts; all keys decrypt, so a key is rotated by
  putting a new key first, running ``fawang rotate-pii-keys`` (re-encrypts every encrypted
  column with the first key), then dropping the old key.
- Blind index: Fernet tokens are randomised, so the database cannot compare them. For fields
  looked up by exact value (ID numbers, phones) the model also stores
  ``pii_blind_index(value)`` — an HMAC-SHA256 of the normalised value — in an indexed
  ``CharField(64)``. The HMAC key is ``settings.PII_BLIND_INDEX_KEY`` (env
  ``FAWANG_PII_BLIND_INDEX_KEY``); it must NOT change when encryption keys rotate, so by
  default it is derived from the last (oldest) entry of ``PII_KEYS``: when rotating, set
  ``FAWANG_PII_BLIND_INDEX_KEY`` explicitly before removing that entry.
- Masking: what every page shows by default; revealing the full value is an audited read
  (``fawang.core.audit.audit_read_personal_data``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_PREFIX = "gAAAAA"  # every Fernet token (version byte 0x80) starts with this


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PII_KEYS is empty: set FAWANG_PII_KEYS")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:  # a malformed key
        raise ImproperlyConfigured(f"Invalid Fernet key in PII_KEYS: {exc}") from exc


def _cipher() -> MultiFernet:
    return _multifernet(tuple(settings.PII_KEYS))


def generate_key() -> str:
    """A fresh key for ``FAWANG_PII_KEYS`` (urlsafe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode()


def encrypt(value: str) -> str:
    """Ciphertext of ``value`` with the primary key ("" stays "")."""
    if value == "":
        return ""
    return _cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Plain text of a token made with any configured key ("" stays "")."""
    if token == "":
        return ""
    try:
        return _cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise ValueError("Cannot decrypt personal data: unknown key or not an encrypted value") from exc


def rotate(token: str) -> str:
    """The same plain text re-encrypted with the primary key."""
    if token == "":
        return ""
    return _cipher().rotate(token.encode("ascii")).decode("ascii")


def _index_key() -> bytes:
    explicit = getattr(settings, "PII_BLIND_INDEX_KEY", "") or os.environ.get("FAWANG_PII_BLIND_INDEX_KEY", "")
    if explicit:
        return explicit.encode()
    if not settings.PII_KEYS:
        raise ImproperlyConfigured("PII_KEYS is empty: set FAWANG_PII_KEYS")
    return hashlib.sha256(b"fawang-blind-index:" + settings.PII_KEYS[-1].encode()).digest()


def normalize_for_index(value: str) -> str:
    """Blanks removed, upper-cased (ID check "x" = "X"), a leading +86 dropped from phones."""
    text = re.sub(r"\s+", "", value or "").upper().replace("－", "-")
    if text.startswith("+86"):
        text = text[3:].lstrip("-")
    return text


def pii_blind_index(value: str) -> str:
    """HMAC-SHA256 hex (64 chars) of the normalised value, for exact-match lookups; "" for ""."""
    text = normalize_for_index(value)
    if not text:
        return ""
    return hmac.new(_index_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


# --- masking --------------------------------------------------------------------------------

def mask_id_number(value: str | None) -> str:
    """410105********1234: region prefix and last four kept (birth date hidden)."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) <= 8:
        return text[:1] + "*" * (len(text) - 1)
    if len(text) < 14:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678 for mobiles; 0371-****0123 for landlines (area code and last four kept)."""
    text = (value or "").strip()
    if not text:
        return ""
    if "-" in text:
        area, _, rest = text.partition("-")
        if len(rest) > 4:
            return f"{area}-{'*' * (len(rest) - 4)}{rest[-4:]}"
        return f"{area}-{'*' * len(rest)}"
    if len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) > 4:
        return "*" * (len(text) - 4) + text[-4:]
    return "*" * len(text)


def mask_name(value: str | None) -> str:
    """张*三 (first and last character kept), 张* for two characters, * for one."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) == 1:
        return "*"
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


_ADDRESS_UNIT = re.compile(r"^.*?(?:省|自治区|市|自治州|地区|盟|区|县|旗)")


def mask_address(value: str | None) -> str:
    """Keep the administrative part up to the county (河南省郑州市金水区) and hide the rest."""
    text = (value or "").strip()
    if not text:
        return ""
    kept = ""
    rest = text
    # Consume up to three administrative units (province, city, county).
    for _ in range(3):
        match = _ADDRESS_UNIT.match(rest)
        if not match or len(match.group(0)) > 8:
            break
        kept += match.group(0)
        rest = rest[len(match.group(0)):]
    if not kept:
        kept = text[: min(6, max(1, len(text) // 3))]
    if kept == text:
        return text
    return kept + "****"
