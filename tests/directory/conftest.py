"""Fixtures for the directory tests: a slice of Zhengzhou's divisions, staff users, factories."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from fawang.accounts.models import Role, User
from fawang.directory import services
from fawang.directory.choices import InstitutionKind, PractitionerKind
from fawang.directory.validators import credit_code_check_char
from fawang.regions.models import Division, DivisionLevel

_seq = itertools.count(1)


def make_credit_code(prefix: str = "31410000", serial: int | None = None) -> str:
    """A valid 统一社会信用代码 (authority 3 = 司法行政) with a computed check character."""
    serial = next(_seq) if serial is None else serial
    first17 = (prefix + f"{serial:09d}")[:17]
    return first17 + credit_code_check_char(first17)


def make_lawyer_licence(year: int = 2010, serial: int | None = None) -> str:
    serial = next(_seq) if serial is None else serial
    return f"4101{year}1{1}{serial:07d}"[:17]


@pytest.fixture
def divisions(db) -> dict[str, Division]:
    henan = Division.objects.create(code="41", name="河南省", level=DivisionLevel.PROVINCE)
    zz = Division.objects.create(code="4101", name="郑州市", level=DivisionLevel.CITY, parent=henan)
    jinshui = Division.objects.create(code="410105", name="金水区", level=DivisionLevel.COUNTY, parent=zz)
    erqi = Division.objects.create(code="410103", name="二七区", level=DivisionLevel.COUNTY, parent=zz)
    street = Division.objects.create(code="410105001", name="经八路街道", level=DivisionLevel.TOWNSHIP,
                                     parent=jinshui)
    kaifeng = Division.objects.create(code="4102", name="开封市", level=DivisionLevel.CITY, parent=henan)
    return {"41": henan, "4101": zz, "410105": jinshui, "410103": erqi, "410105001": street, "4102": kaifeng}


@pytest.fixture
def make_user(divisions):
    def _make(role: str = Role.SUPERVISOR, division: str | None = "4101", **extra: Any) -> User:
        n = next(_seq)
        return User.objects.create_user(
            username=f"u{n}", password="x-Pass-123456", role=role,
            division=divisions[division] if division else None, **extra,
        )
    return _make


@pytest.fixture
def make_institution(divisions):
    def _make(**values: Any):
        defaults: dict[str, Any] = {
            "kind": InstitutionKind.LAW_FIRM,
            "name": f"河南测试{next(_seq)}律师事务所",
            "division_code": "410105",
        }
        defaults.update(values)
        kind = defaults["kind"]
        if kind != InstitutionKind.MEDIATION_COMMITTEE:
            defaults.setdefault("credit_code", make_credit_code())
        if kind == InstitutionKind.LAW_FIRM:
            defaults.setdefault("licence_number", f"2410120{next(_seq):010d}")
        elif kind in (InstitutionKind.NOTARY_OFFICE, InstitutionKind.APPRAISAL_BODY,
                      InstitutionKind.GRASSROOTS_OFFICE):
            defaults.setdefault("licence_number", f"XK{next(_seq):08d}")
        return services.institution_create(actor=None, **defaults)
    return _make


@pytest.fixture
def make_practitioner(make_institution):
    def _make(**values: Any):
        defaults: dict[str, Any] = {"kind": PractitionerKind.LAWYER, "name": f"张{next(_seq)}"}
        defaults.update(values)
        kind = defaults["kind"]
        if kind == PractitionerKind.LAWYER:
            defaults.setdefault("licence_number", make_lawyer_licence())
            if "institution_id" not in defaults:
                defaults["institution_id"] = make_institution().pk
        return services.practitioner_create(actor=None, **defaults)
    return _make
