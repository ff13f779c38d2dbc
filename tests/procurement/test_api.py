"""POST /api/v1/procurement/classify."""

import pytest

URL = "/api/v1/procurement/classify"

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_classify_gives_class_and_reason_per_id(client):
    response = post(
        client,
        {
            "notices": [
                {"id": "a", "procedure": "innovation", "innovative": [], "cpv": ["90000000-7"]},
                {"id": "b", "procedure": "open", "innovative": ["fp-requ"], "cpv": ["45000000"]},
                {"id": "c", "procedure": "open", "innovative": [], "cpv": [], "market_dialogue": True},
                {"id": "d", "procedure": "restricted"},
            ]
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()["notices"]
    assert [(n["id"], n["class"]) for n in body] == [
        ("a", "innovation"),
        ("b", "innovation_friendly"),
        ("c", "innovation_friendly"),
        ("d", "other"),
    ]
    assert body[0]["reason"] == "Procurement of innovation: procedure is innovation partnership (innovation)."


def test_unknown_procedure_is_422_naming_the_code_and_field(client):
    response = post(client, {"notices": [{"id": "a", "procedure": "open"}, {"id": "b", "procedure": "lottery"}]})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "notices.1.procedure"
    assert "lottery" in error["message"]


def test_unknown_innovative_code_is_422_naming_its_place(client):
    response = post(client, {"notices": [{"id": "a", "procedure": "open", "innovative": ["mar-nov", "shiny"]}]})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "notices.0.innovative.1" and "shiny" in error["message"]


@pytest.mark.parametrize("cpv", ["7311", "73110000-66", "abcdefgh", 73110000])
def test_bad_cpv_is_422_naming_the_field(client, cpv):
    response = post(client, {"notices": [{"id": "a", "procedure": "open", "cpv": [cpv]}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("notices.0.cpv")


def test_batch_over_the_limit_is_refused(client):
    response = post(client, {"notices": [{"id": str(i), "procedure": "open"} for i in range(1001)]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "notices"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"notices": []},
        {"notices": "x"},
        {"notices": [{"id": "a"}]},
        {"notices": [{"id": "a", "procedure": "open", "x": 1}]},
    ],
)
def test_malformed_requests_are_422(client, body):
    assert post(client, body).status_code == 422


def test_market_dialogue_must_be_a_boolean(client):
    response = post(client, {"notices": [{"id": "a", "procedure": "open", "market_dialogue": "yes"}]})
    assert response.status_code == 422
