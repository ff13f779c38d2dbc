"""The one NinjaAPI object; each app contributes a Router mounted under /api/v1/."""

from typing import Any

from ninja import NinjaAPI

from nyskap.core.text import ACCEPTED_TEXT_PATTERN

from .errors import install_error_handlers
from .parser import INT64, StrictJsonParser

JSON_VALUE = "JsonValue"
JSON_VALUE_REF = {"$ref": f"#/components/schemas/{JSON_VALUE}"}


def _bound_integers(node: Any) -> None:
    """Every integer the API reads or writes fits in 64 bits (the parser refuses larger ones): say so in the
    schema, so clients and the contract test know."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("minimum", -INT64)
            node.setdefault("maximum", INT64)
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _constrain_text(node: Any) -> None:
    """Text the API reads follows nyskap.core.text (the parser refuses anything else): say so on every free
    string, and give free-form values (`additionalProperties: true`) the same rules."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not ({"pattern", "format", "enum", "const"} & node.keys()):
            node["pattern"] = ACCEPTED_TEXT_PATTERN
        if node.get("additionalProperties") is True or ("properties" in node and "additionalProperties" not in node):
            node["additionalProperties"] = JSON_VALUE_REF
        for value in node.values():
            _constrain_text(value)
    elif isinstance(node, list):
        for value in node:
            _constrain_text(value)


def _document_input_rules(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    inputs = [
        part
        for operations in schema.get("paths", {}).values()
        for operation in operations.values()
        if isinstance(operation, dict)
        for part in (operation.get("parameters", []), operation.get("requestBody", {}))
    ]
    names: set[str] = set()
    pending = _refs(inputs)
    while pending:
        name = pending.pop()
        if name in names or name not in components:
            continue
        names.add(name)
        pending |= _refs(components[name])
    for part in inputs:
        _constrain_text(part)
    for name in names:
        _constrain_text(components[name])
    components[JSON_VALUE] = {
        "description": "Any JSON value following the API's rules for text and integers.",
        "anyOf": [
            {"type": "string", "pattern": ACCEPTED_TEXT_PATTERN},
            {"type": "integer", "minimum": -INT64, "maximum": INT64},
            {"type": "number"},
            {"type": "boolean"},
            {"type": "null"},
            {"type": "array", "items": JSON_VALUE_REF},
            {"type": "object", "additionalProperties": JSON_VALUE_REF},
        ],
    }


class NyskapAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        _document_input_rules(schema)
        _bound_integers(schema)
        return schema


api = NyskapAPI(
    title="Nyskap API",
    version="1",
    description=(
        "Open API for Nyskap, the Norwegian public sector's innovation platform. Reading published data needs no "
        "key; write operations take a bearer token (`Authorization: Bearer nsk_…`)."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StrictJsonParser(),
)
install_error_handlers(api)

from nyskap.organisations.api import counties_router  # noqa: E402
from nyskap.organisations.api import router as organisations_router  # noqa: E402

api.add_router("/organisations", organisations_router)
api.add_router("/counties", counties_router)

from nyskap.projects.api import router as projects_router  # noqa: E402

from .me import router as me_router  # noqa: E402

api.add_router("/projects", projects_router)

from nyskap.benefits.api import router as benefits_router  # noqa: E402
from nyskap.instruments.api import router as instruments_router  # noqa: E402

api.add_router("/instruments", instruments_router)
api.add_router("/benefits", benefits_router)

from nyskap.culture.api import router as culture_router  # noqa: E402
from nyskap.surveys.api import router as surveys_router  # noqa: E402

api.add_router("/surveys", surveys_router)
api.add_router("/culture", culture_router)

from nyskap.trials.api import router as trials_router  # noqa: E402

api.add_router("/trials", trials_router)
api.add_router("/me", me_router)

from .tasks import router as tasks_router  # noqa: E402

api.add_router("/tasks", tasks_router)
