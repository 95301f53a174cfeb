"""The generated Zhengzhou demo directory: plausible, valid, deterministic and idempotent."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from fawang.directory import demo, services
from fawang.directory.choices import InstitutionKind, MediationCommitteeKind, PractitionerKind
from fawang.directory.models import CreditRecord, Institution, Practitioner
from fawang.regions.models import Division, DivisionLevel

DATA = Path(__file__).resolve().parents[2] / "../shared/data/divisions"
FALLBACK = {  # a slice of 4101, used when the shared data folder is absent
    "410105": "金水区", "410103": "二七区", "410122": "中牟县", "410185": "登封市",
    "410105001": "经八路街道", "410105002": "花园路街道", "410103001": "淮河路街道",
    "410122100": "城关镇", "410122101": "韩寺镇", "410185100": "城关镇", "410185101": "大金店镇",
}


def load_zhengzhou_divisions() -> None:
    rows: dict[str, str] = {}
    if (DATA / "areas.csv").exists():
        for name in ("areas.csv", "streets.csv"):
            with open(DATA / name, encoding="utf-8") as f:
                rows.update({r["code"]: r["name"] for r in csv.DictReader(f) if r["code"].startswith("4101")})
    else:
        rows = dict(FALLBACK)
    Division.objects.create(code="41", name="河南省", level=DivisionLevel.PROVINCE)
    Division.objects.create(code="4101", name="郑州市", level=DivisionLevel.CITY, parent_id="41")
    levels = {6: DivisionLevel.COUNTY, 9: DivisionLevel.TOWNSHIP}
    parents = {6: "4101", 9: None}
    for length in (6, 9):
        Division.objects.bulk_create([
            Division(code=code, name=name, level=levels[length], parent_id=parents[length] or code[:6])
            for code, name in sorted(rows.items()) if len(code) == length
        ])


def snapshot() -> tuple:
    return (
        sorted(Institution.objects.values_list("kind", "name", "credit_code", "latitude")),
        sorted(Practitioner.objects.values_list("kind", "name", "licence_number", "region_code")),
        sorted(CreditRecord.objects.values_list("decision_number", "kind")),
    )


@pytest.mark.django_db
def test_skips_without_divisions():
    out = io.StringIO()
    demo.load(stdout=out)
    assert not Institution.objects.exists()
    assert "跳过" in out.getvalue()


@pytest.mark.django_db
def test_demo_is_plausible_valid_and_idempotent():
    load_zhengzhou_divisions()
    counties = Division.objects.filter(level=DivisionLevel.COUNTY).count()
    townships = Division.objects.filter(level=DivisionLevel.TOWNSHIP).count()
    demo.load(stdout=io.StringIO())
    first = snapshot()
    counts = {k: Institution.objects.filter(kind=k).count() for k in InstitutionKind.values}
    assert counts["law_firm"] == 40
    assert counts["notary_office"] == counties + 2
    assert counts["appraisal_body"] == 10
    assert counts["legal_aid_center"] == counties + 1
    assert Institution.objects.filter(mediation_kind=MediationCommitteeKind.TOWNSHIP).count() == townships
    assert Institution.objects.filter(mediation_kind=MediationCommitteeKind.INDUSTRY).count() == 5
    assert Institution.objects.get(name="郑州市金水区法律援助中心").phone == "12348"
    people = {k: Practitioner.objects.filter(kind=k).count() for k in PractitionerKind.values}
    assert people["expert"] == 50 and people["volunteer"] == 40
    assert 250 <= people["lawyer"] <= 400
    assert Practitioner.objects.filter(is_legal_aid_lawyer=True).exists()
    assert CreditRecord.objects.count() >= 10
    from fawang.directory.selectors import credit_record_search
    assert {r.kind for r in credit_record_search()} == {"award", "assessment", "discipline", "sanction"}
    assert not Institution.objects.filter(is_demo=False).exists()
    assert not Practitioner.objects.filter(is_demo=False).exists()
    assert not CreditRecord.objects.filter(is_demo=False).exists()
    if townships > 100:  # the full Zhengzhou division table from the shared data
        assert 350 <= people["lawyer"] + people["notary"] + people["appraiser"] <= 500
        assert 250 <= people["mediator"] <= 450

    # Every generated row passes the same validation that staff input does.
    for inst in Institution.objects.all():
        values = {k: getattr(inst, k) for k in services.INSTITUTION_FIELDS if k != "division_code"}
        services.clean_institution(values | {"division_code": inst.region_code}, instance_id=inst.pk)
    for person in Practitioner.objects.all():
        values = {k: getattr(person, k) for k in services.PRACTITIONER_FIELDS if k != "division_code"}
        services.clean_practitioner(values | {"division_code": person.region_code}, instance_id=person.pk)

    # A second run changes nothing.
    out = io.StringIO()
    demo.load(stdout=out)
    assert snapshot() == first
    assert "新增机构 0，人员 0，信用记录 0" in out.getvalue()


@pytest.mark.django_db
def test_demo_is_deterministic():
    load_zhengzhou_divisions()
    city = Division.objects.get(code="4101")
    one, two = demo.build_plan(city), demo.build_plan(city)
    assert [(i.name, i.credit_code, i.latitude) for i in one.institutions] == \
        [(i.name, i.credit_code, i.latitude) for i in two.institutions]
    assert [(p.name, p.licence_number) for _, p in one.practitioners] == \
        [(p.name, p.licence_number) for _, p in two.practitioners]
