"""The platform boots: home page, health check, admin login and API docs answer."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/healthz", "/admin/login/", "/accounts/login/", "/api/docs"])
def test_public_pages_answer(client, url):
    response = client.get(url)
    assert response.status_code == 200, url


@pytest.mark.django_db
def test_home_page_names_the_platform_and_hotline(client):
    body = client.get("/").content.decode()
    assert "12348" in body
    assert "法律援助" in body
