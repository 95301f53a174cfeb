"""Fixtures for the consultation tests: a small statute table, FAQ, divisions, service points."""

from __future__ import annotations

import itertools

import pytest

from fawang.accounts.models import Role, User
from fawang.knowledge.models import Article, Law, LawLevel
from fawang.regions.models import Division, DivisionLevel, ServicePoint

_seq = itertools.count(1)

ARTICLES = {
    ("中华人民共和国劳动合同法", "劳动合同法"): [
        ("第三十条", 30, "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。用人单位拖欠或者未足额支付劳动报酬的，劳动者可以依法向当地人民法院申请支付令。"),
        ("第八十五条", 85, "用人单位未按照劳动合同的约定或者国家规定及时足额支付劳动者劳动报酬的，由劳动行政部门责令限期支付劳动报酬。"),
        ("第十条", 10, "建立劳动关系，应当订立书面劳动合同。"),
    ],
    ("中华人民共和国民法典", "民法典"): [
        ("第一千零七十九条", 1079, "夫妻一方要求离婚的，可以由有关组织进行调解或者直接向人民法院提起离婚诉讼。"),
        ("第一千零八十四条", 1084, "离婚后，不满两周岁的子女，以由母亲直接抚养为原则。"),
    ],
    ("中华人民共和国法律援助法", "法律援助法"): [
        ("第四十二条", 42, "申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员，免予核查经济困难状况。"),
    ],
}


def make_laws() -> None:
    for (title, short), rows in ARTICLES.items():
        law = Law.objects.create(title=title, short_title=short, level=LawLevel.LAW, source=f"test/{short}.md")
        for pos, (label, number, text) in enumerate(rows):
            Article.objects.create(law=law, label=label, number=number, position=pos, text=text)


def division(code: str, name: str = "") -> Division:
    level = {2: DivisionLevel.PROVINCE, 4: DivisionLevel.CITY, 6: DivisionLevel.COUNTY,
             9: DivisionLevel.TOWNSHIP, 12: DivisionLevel.VILLAGE}[len(code)]
    parent = None
    for length in (9, 6, 4, 2):
        if length < len(code):
            parent = division(code[:length])
            break
    obj, _ = Division.objects.get_or_create(code=code, defaults={"name": name or f"区划{code}", "level": level,
                                                                  "parent": parent})
    return obj


def service_point(code: str, region_code: str, *, lat: float | None = None, lng: float | None = None,
                  kind: str = "county_center") -> ServicePoint:
    return ServicePoint.objects.create(code=code, name=f"服务点{code}", kind=kind, division=division(region_code),
                                       region_code=region_code, address="测试路1号", phone="0371-12345678",
                                       latitude=lat, longitude=lng)


def staff(role: str = Role.HOTLINE_AGENT, *, division_code: str = "4101") -> User:
    n = next(_seq)
    return User.objects.create_user(username=f"c{n}-{role}", password="pw-Test-12345", role=role,
                                    division=division(division_code))


def citizen() -> User:
    n = next(_seq)
    return User.objects.create_user(username=f"citizen{n}", password="pw-Test-12345", role=Role.CITIZEN)


@pytest.fixture
def laws(db):
    make_laws()


@pytest.fixture
def faq(db):
    from fawang.consultation.services import faq_load

    return faq_load()


@pytest.fixture
def catalog(db):
    from fawang.catalog.services import catalog_load

    catalog_load()


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    """No LLM unless a test starts one; the retrieval index is built under a temporary var dir."""
    settings.FAWANG_LLM_BASE_URL = ""
    settings.VAR_DIR = tmp_path / "var"
    try:
        from fawang.knowledge.retrieval.engine import reset_engine
    except ImportError:  # pragma: no cover
        return
    reset_engine()
    yield
    reset_engine()
