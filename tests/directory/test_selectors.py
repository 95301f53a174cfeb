"""Directory reads: public search filters, nearest search, public credit period, staff scope."""

from __future__ import annotations

import datetime

import pytest

from fawang.accounts.models import Role
from fawang.core.errors import NotFoundOrForbidden
from fawang.directory import selectors, services
from fawang.directory.choices import InstitutionKind, ListingStatus, PractitionerKind


@pytest.fixture
def listing(make_institution, make_practitioner):
    firm = make_institution(name="河南金水律师事务所", specialties=["labor", "marriage_family"],
                            languages=["mandarin", "english"], latitude=34.7700, longitude=113.6700,
                            address="郑州市金水区花园路1号")
    aid = make_institution(kind=InstitutionKind.LEGAL_AID_CENTER, name="郑州市二七区法律援助中心",
                           division_code="410103", specialties=["labor"], latitude=34.7300, longitude=113.6000)
    far = make_institution(name="开封市某律师事务所", division_code="4102", latitude=34.7970, longitude=114.3070,
                           service_areas=["410105"])
    gone = make_institution(name="已注销律师事务所", status=ListingStatus.DEREGISTERED)
    lawyer = make_practitioner(name="王律师", institution_id=firm.pk, specialties=["labor"],
                               languages=["english"], is_legal_aid_lawyer=True)
    mediator = make_practitioner(kind=PractitionerKind.MEDIATOR, name="刘调解", division_code="410105001",
                                 specialties=["marriage_family"], languages=["sign"])
    return {"firm": firm, "aid": aid, "far": far, "gone": gone, "lawyer": lawyer, "mediator": mediator}


def names(qs):
    return sorted(x.name for x in qs)


def test_institution_filters(listing):
    assert names(selectors.institution_search(kind=InstitutionKind.LEGAL_AID_CENTER)) == ["郑州市二七区法律援助中心"]
    assert names(selectors.institution_search(specialty="labor")) == ["河南金水律师事务所", "郑州市二七区法律援助中心"]
    assert names(selectors.institution_search(language="english")) == ["河南金水律师事务所"]
    assert names(selectors.institution_search(q="花园路")) == ["河南金水律师事务所"]
    assert names(selectors.institution_search(q=listing["aid"].credit_code.lower())) == ["郑州市二七区法律援助中心"]
    # Deregistered bodies are hidden from the default public search but can be asked for.
    assert "已注销律师事务所" not in names(selectors.institution_search())
    assert names(selectors.institution_search(status=ListingStatus.DEREGISTERED)) == ["已注销律师事务所"]


def test_region_filter_includes_declared_service_areas(listing):
    # 410105 itself, plus the Kaifeng firm that declares 410105 as a service area.
    assert names(selectors.institution_search(region="410105")) == ["开封市某律师事务所", "河南金水律师事务所"]
    assert names(selectors.institution_search(region="410103")) == ["郑州市二七区法律援助中心"]
    assert len(names(selectors.institution_search(region="4101"))) == 3
    # A street inside 410105 is served by everything that serves 410105.
    assert "河南金水律师事务所" not in names(selectors.institution_search(region="410105001"))
    assert "开封市某律师事务所" in names(selectors.institution_search(region="410105001"))


def test_practitioner_filters(listing):
    assert names(selectors.practitioner_search(kind=PractitionerKind.MEDIATOR)) == ["刘调解"]
    assert names(selectors.practitioner_search(specialty="labor")) == ["王律师"]
    assert names(selectors.practitioner_search(language="sign")) == ["刘调解"]
    assert names(selectors.practitioner_search(region="410105001")) == ["刘调解"]
    assert names(selectors.practitioner_search(legal_aid_only=True)) == ["王律师"]
    assert names(selectors.practitioner_search(q="金水律师")) == ["王律师"]  # by institution name
    assert names(selectors.practitioner_search(q=listing["lawyer"].licence_number)) == ["王律师"]
    assert names(selectors.practitioner_search(institution_id=listing["firm"].pk)) == ["王律师"]


def test_nearest_sorts_by_distance_and_respects_radius(listing):
    here = {"latitude": 34.7690, "longitude": 113.6690}
    near = selectors.institutions_near(radius_km=20, **here)
    assert [n.institution.name for n in near] == ["河南金水律师事务所", "郑州市二七区法律援助中心"]
    assert near[0].distance_km < 0.2
    assert 5 < near[1].distance_km < 10
    wide = selectors.institutions_near(radius_km=100, **here)
    assert wide[-1].institution.name == "开封市某律师事务所"
    assert 50 < wide[-1].distance_km < 65
    assert selectors.institutions_near(radius_km=100, limit=1, **here)[0].institution.name == "河南金水律师事务所"


def test_haversine_known_distance():
    # Zhengzhou (34.7466, 113.6253) to Kaifeng (34.7970, 114.3070): about 62.5 km.
    assert selectors.haversine_km(34.7466, 113.6253, 34.7970, 114.3070) == pytest.approx(62.5, abs=1.0)


def test_credit_records_hide_expired_ones(listing):
    today = datetime.date.today()
    firm = listing["firm"]
    services.credit_record_create(actor=None, kind="award", institution=firm, decided_on=today,
                                  issuing_authority="郑州市律师协会", summary="优秀律所")
    services.credit_record_create(actor=None, kind="sanction", institution=firm,
                                  decided_on=today - datetime.timedelta(days=900), issuing_authority="郑州市司法局",
                                  summary="警告", public_until=today - datetime.timedelta(days=1))
    assert [r.summary for r in selectors.credit_record_search(institution_id=firm.pk)] == ["优秀律所"]
    detail = selectors.institution_get_public(institution_id=firm.pk)
    assert [r.summary for r in detail.credit_records.all()] == ["优秀律所"]
    assert [p.name for p in detail.practitioners.all()] == ["王律师"]
    with pytest.raises(NotFoundOrForbidden):
        selectors.institution_get_public(institution_id=999999)


def test_staff_lists_are_scoped(listing, make_user):
    erqi = make_user(role=Role.SUPERVISOR, division="410103")
    city = make_user(role=Role.SUPERVISOR, division="4101")
    citizen = make_user(role=Role.CITIZEN, division=None)
    assert names(selectors.institution_list_for_staff(user=erqi)) == ["郑州市二七区法律援助中心"]
    # Staff see every status, including deregistered.
    assert "已注销律师事务所" in names(selectors.institution_list_for_staff(user=city))
    assert not selectors.institution_list_for_staff(user=citizen).exists()
    assert names(selectors.practitioner_list_for_staff(user=erqi)) == []
    with pytest.raises(NotFoundOrForbidden):
        selectors.access_institution(user=erqi, institution_id=listing["firm"].pk)
    assert selectors.access_institution(user=city, institution_id=listing["firm"].pk) == listing["firm"]
    with pytest.raises(NotFoundOrForbidden):
        selectors.access_practitioner(user=erqi, practitioner_id=listing["lawyer"].pk)


def test_map_points_only_with_coordinates(listing, make_institution):
    make_institution(name="无坐标律师事务所")
    points = selectors.map_points()
    assert {p["name"] for p in points} == {"河南金水律师事务所", "郑州市二七区法律援助中心", "开封市某律师事务所"}
    assert all(isinstance(p["lat"], float) for p in points)
