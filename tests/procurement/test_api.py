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
    assert [n["reason_code"] for n in body] == [
        "procedure=innovation",
        "bt776=fp-requ",
        "market_dialogue",
        "other=restricted",
    ]


BATCH = [
    {"id": "a", "procedure": "innovation", "innovative": ["mar-nov"], "cpv": ["73110000-6"]},
    {"id": "b", "procedure": "open", "innovative": ["fp-requ", "org-nov"], "market_dialogue": True},
    {"id": "c", "procedure": "open", "cpv": ["45000000"]},
]
REASONS = {
    "en": [
        "Procurement of innovation: procedure is innovation partnership (innovation); R&D services (CPV 73): "
        "pre-commercial procurement under the R&D exception; BT-776 mar-nov: novel or significantly improved "
        "compared with the market.",
        "Innovation-friendly procurement: BT-776 fp-requ: specifications based on functional and performance "
        "requirements; BT-776 org-nov: novel for the organisation; a market-dialogue notice preceded it.",
        "Other: open procedure (open) without innovation codes or market dialogue.",
    ],
    "nb": [
        "Anskaffelse av innovasjon: prosedyren er innovasjonspartnerskap (innovation); FoU-tjenester (CPV 73): "
        "førkommersiell anskaffelse etter FoU-unntaket; BT-776 mar-nov: nytt eller vesentlig forbedret "
        "sammenlignet med markedet.",
        "Innovasjonsvennlig anskaffelse: BT-776 fp-requ: kravspesifikasjon basert på funksjons- og ytelseskrav; "
        "BT-776 org-nov: nytt for organisasjonen; en kunngjøring om markedsdialog kom før denne.",
        "Annen anskaffelse: åpen anbudskonkurranse (open) uten innovasjonskoder eller markedsdialog.",
    ],
    "nn": [
        "Anskaffing av innovasjon: prosedyren er innovasjonspartnarskap (innovation); FoU-tenester (CPV 73): "
        "førkommersiell anskaffing etter FoU-unntaket; BT-776 mar-nov: nytt eller vesentleg forbetra samanlikna "
        "med marknaden.",
        "Innovasjonsvennleg anskaffing: BT-776 fp-requ: kravspesifikasjon basert på funksjons- og yteevnekrav; "
        "BT-776 org-nov: nytt for organisasjonen; ei kunngjering om marknadsdialog kom før denne.",
        "Anna anskaffing: open anbodskonkurranse (open) utan innovasjonskodar eller marknadsdialog.",
    ],
}
CODES = ["procedure=innovation;cpv=73;bt776=mar-nov", "bt776=fp-requ;bt776=org-nov;market_dialogue", "other=open"]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_reason_is_in_the_request_language_and_the_code_is_the_same_in_all(client, language):
    response = client.post(URL, {"notices": BATCH}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    body = response.json()["notices"]
    assert [n["reason"] for n in body] == REASONS[language]
    assert [n["reason_code"] for n in body] == CODES
    assert [n["class"] for n in body] == ["innovation", "innovation_friendly", "other"]


def test_the_schema_documents_the_reason_code(client):
    schema = client.get("/api/v1/openapi.json").json()
    out = schema["components"]["schemas"]["ProcurementClassOut"]
    assert set(out["required"]) == {"id", "class", "reason", "reason_code"}
    assert out["properties"]["reason_code"]["type"] == "string"
    assert "procedure=innovation;cpv=73;bt776=mar-nov" in out["properties"]["reason_code"]["description"]
    assert "Accept-Language" in out["properties"]["reason"]["description"]


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
