import pytest


@pytest.mark.django_db
def test_when_anonymous_opens_front_page_then_it_renders_in_bokmal(anonymous):
    response = anonymous.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "nb"
    assert b'<html lang="nb"' in response.content


@pytest.mark.django_db
def test_when_leader_is_logged_in_then_profile_page_shows(as_leader):
    response = as_leader.get("/konto/")
    assert response.status_code == 200
