"""Model fields that encrypt personal data at rest (see ``fawang.core.pii``).

The column holds a Fernet token (text); Python code sees the plain string. Tokens are
randomised, so the database cannot filter or sort by these columns: only ``isnull`` is allowed.
Exact lookups go through a separate blind-index column filled with ``pii_blind_index``.
``max_length`` applies to the plain text (validated in forms and ``full_clean``); the column
itself is unbounded text because a token is about 1.4× + 60 bytes longer than its input.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldError
from django.db import models

from fawang.core import pii


class EncryptedMixin:
    """Encrypt on the way into the database, decrypt on the way out."""

    encrypted = True

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return pii.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # type: ignore[misc]
        if value is None:
            return None
        return pii.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"Encrypted field '{getattr(self, 'name', '')}' cannot be filtered with '{lookup_name}'; "
                "filter its blind-index column instead (fawang.core.pii.pii_blind_index)."
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedTextField(EncryptedMixin, models.TextField):
    description = "Text encrypted at rest"


class EncryptedCharField(EncryptedMixin, models.TextField):
    """A short encrypted string (ID number, phone, name): a one-line input in forms."""

    description = "String encrypted at rest"

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        if max_length is None:
            raise TypeError("EncryptedCharField requires max_length (of the plain text)")
        super().__init__(*args, max_length=max_length, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        defaults = {"form_class": forms.CharField, "max_length": self.max_length}
        if not self.choices:
            defaults["widget"] = forms.TextInput
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)
