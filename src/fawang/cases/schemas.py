"""Request bodies shared by every app that takes a citizen's details (intake, legal aid, mediation).

A plain pydantic model, not ninja ``Schema``: it is parsed from JSON and turned into keyword
arguments of `services.party_create`, never read from model instances, so ninja's attribute
resolver per field (a fifth of an intake's Python time) buys nothing here.
"""

from __future__ import annotations

from pydantic import BaseModel

from .choices import IdType, PartyKind


class PartyIn(BaseModel):
    """A party as the citizen or the clerk gives it; the fields of `party_create`."""

    name: str
    kind: str = PartyKind.NATURAL
    id_type: str = IdType.RESIDENT_ID
    id_number: str = ""
    phone: str = ""
    address: str = ""
    ethnicity: str = ""
    preferred_language: str = "zh"
    special_groups: list[str] = []
