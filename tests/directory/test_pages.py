"""Public directory pages: search (full page and htmx partial), details, map, demo badges."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from fawang.directory import services
from fawang.directory.choices import InstitutionKind, PractitionerKind


@pytest.fixture
def data(make_institution, make_practitioner):
    firm = make_institution(name="河南金水律师事务所", specialties=["labor"], latitude=34.77, longitude=113.67,
                            is_demo=True)
    aid = make_institution(kind=InstitutionKind.LEGAL_AID_CENTER, name="郑州市二七区法律援助中心",
                           division_code="410103", latitude=34.73, longitude=113.60)
    lawyer = make_practitioner(name="王律师", institution_id=firm.pk, specialties=["labor"], languages=["english"],
                               phone="13812345678", is_demo=True)
    mediator = make_practitioner(kind=PractitionerKind.MEDIATOR, name="刘调解", division_code="410105001")
    services.credit_record_create(actor=None, kind="award", institution=firm, decided_on=datetime.date.today(),
                                  issuing_authority="郑州市司法局", summary="2024年度优秀律师事务所")
    services.credit_record_create(actor=None, kind="sanction", institution=firm,
                                  decided_on=datetime.date(2019, 1, 1), issuing_authority="郑州市司法局",
                                  summary="过期的处罚", public_until=datetime.date(2020, 1, 1))
    return {"firm": firm, "aid": aid, "lawyer": lawyer, "mediator": mediator}


def test_search_page_lists_institutions_with_demo_badge(client, data):
    body = client.get(reverse("directory:search")).content.decode()
    assert "河南金水律师事务所" in body and "郑州市二七区法律援助中心" in body
    assert 'class="demo-badge"' in body
    assert 'hx-get="/directory/"' in body  # the filter form updates results in place


def test_search_filters_without_js(client, data):
    body = client.get(reverse("directory:search"), {"institution_kind": "legal_aid_center"}).content.decode()
    assert "郑州市二七区法律援助中心" in body and "河南金水律师事务所" not in body
    body = client.get(reverse("directory:search"), {"target": "practitioners", "language": "english"}).content.decode()
    assert "王律师" in body and "刘调解" not in body
    body = client.get(reverse("directory:search"), {"target": "practitioners", "region": "410105001"}).content.decode()
    assert "刘调解" in body and "王律师" not in body


def test_htmx_request_gets_only_the_results_fragment(client, data):
    response = client.get(reverse("directory:search"), {"specialty": "labor"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "河南金水律师事务所" in body and "郑州市二七区法律援助中心" not in body


def test_invalid_filters_are_reported(client, data):
    body = client.get(reverse("directory:search"), {"region": "abc"}).content.decode()
    assert "区划代码应为2至12位数字" in body


def test_nearby_search_shows_distances(client, data):
    body = client.get(reverse("directory:search"), {"lat": "34.769", "lng": "113.669", "radius_km": "20"}).content.decode()
    assert "公里" in body
    assert body.index("河南金水律师事务所") < body.index("郑州市二七区法律援助中心")


def test_pagination(client, make_institution):
    for i in range(23):
        make_institution(name=f"分页{i:02d}律师事务所")
    body = client.get(reverse("directory:search")).content.decode()
    assert "第 1 / 2 页" in body
    body = client.get(reverse("directory:search"), {"page": 2}).content.decode()
    assert "分页22律师事务所" in body and "分页00律师事务所" not in body


def test_institution_detail(client, data):
    body = client.get(reverse("directory:institution", args=[data["firm"].pk])).content.decode()
    assert data["firm"].credit_code in body
    assert "王律师" in body
    assert "2024年度优秀律师事务所" in body
    assert "过期的处罚" not in body
    assert "演示数据" in body
    assert client.get(reverse("directory:institution", args=[999999])).status_code == 404


def test_practitioner_detail_hides_personal_phone(client, data):
    body = client.get(reverse("directory:practitioner", args=[data["lawyer"].pk])).content.decode()
    assert data["lawyer"].licence_number in body
    assert "河南金水律师事务所" in body
    assert "劳动纠纷" in body and "英语" in body
    assert "13812345678" not in body
    assert "演示数据" in body
    assert client.get(reverse("directory:practitioner", args=[999999])).status_code == 404


def test_map_page_loads_echarts_and_points_at_the_api(client, data):
    body = client.get(reverse("directory:map")).content.decode()
    assert "vendor/echarts.min.js" in body
    assert 'data-api="/api/directory/map"' in body
    assert "法律援助中心（1）" in body


def test_region_select_offers_listed_cities_and_counties(client, data, divisions):
    from fawang.directory.selectors import region_options

    assert region_options() == [("4101", "郑州市"), ("410103", "\u3000二七区"), ("410105", "\u3000金水区")]
    body = client.get(reverse("directory:search")).content.decode()
    assert '<option value="410103">' in body
    # A code that is not in the list (a township, from a link) still filters and stays selected.
    body = client.get(reverse("directory:search"), {"target": "practitioners", "region": "410105001"}).content.decode()
    assert '<option value="410105001" selected>' in body


def test_credit_disclosure_page(client, data):
    body = client.get(reverse("directory:credit")).content.decode()
    assert "2024年度优秀律师事务所" in body and "过期的处罚" not in body
    body = client.get(reverse("directory:credit"), {"kind": "sanction"}).content.decode()
    assert "2024年度优秀律师事务所" not in body and "暂无公示中的信用记录" in body
    assert client.get(reverse("directory:credit"), {"kind": "nonsense"}).status_code == 200


def test_pages_issue_a_bounded_number_of_queries(client, make_institution, make_practitioner,
                                                 django_assert_max_num_queries):
    for i in range(5):
        firm = make_institution(name=f"查询数{i}律师事务所")
        for _ in range(4):
            make_practitioner(institution_id=firm.pk)
    with django_assert_max_num_queries(8):
        client.get(reverse("directory:search"), {"target": "practitioners"})
    with django_assert_max_num_queries(8):
        client.get(reverse("directory:search"))
    with django_assert_max_num_queries(8):
        client.get(reverse("directory:institution", args=[firm.pk]))
