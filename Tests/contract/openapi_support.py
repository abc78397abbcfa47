"""Reading Protocol/openapi.yaml for the contract tests: the document, its operations, the routes the server
registers (read from the Swift source, so that a new route without documentation fails a test), and a validator of
JSON answers against an operation's documented response for a status (jsonschema 2020-12, `$ref`s into
Protocol/schemas resolved from the files)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO_ROOT = Path(__file__).resolve().parents[2]
OPENAPI_PATH = REPO_ROOT / "Protocol" / "openapi.yaml"
SOURCES = REPO_ROOT / "Sources"
METHODS = ("get", "post", "put", "patch", "delete")

# One registration: `router.get("/path"` (the only way the app registers routes; `test_every_route_is_read` checks it).
ROUTE_PATTERN = re.compile(r'router\.(get|post|put|patch|delete)\(\s*"([^"]+)"')

# Routes that answer JSON though their path does not say so: the same route serves a page and its JSON form.
#   GET /petitions/:id serves /petitions/{id}.json when the last segment ends with `.json` (PetitionController.show),
#   and GET /bills/:id serves /bills/{id}.json the same way (BillController.show);
#   POST /confirm/:token answers JSON to a JSON body, a page to the confirmation page's form.
JSON_FORMS = {
    ("get", "/petitions/:id"): "/petitions/{id}.json",
    ("post", "/confirm/:token"): "/confirm/{token}",
    ("get", "/bills/:id"): "/bills/{id}.json",  # BillController.show: `.json` (and `.akn.xml`, not JSON) or the page
    # BillController.frozenReport: `/bills/{id}/reports/{n}.json` (the frozen bytes) or the report's page.
    ("get", "/bills/:id/reports/:report"): "/bills/{id}/reports/{report}.json",
}
# Routes whose path looks like an API path but that answer no JSON document: the WebSocket endpoint (Protocol/
# PROTOCOL.md, asyncapi.yaml; a plain GET gets 426 `upgrade_required`).
NOT_JSON = {("get", "/live")}


def load_document() -> dict:
    return yaml.safe_load(OPENAPI_PATH.read_text())


def source_routes() -> list[tuple[str, str, str]]:
    """(method, path as registered, file) of every route the app registers."""
    routes = []
    for swift in sorted(SOURCES.rglob("*.swift")):
        for method, path in ROUTE_PATTERN.findall(swift.read_text()):
            routes.append((method, path, str(swift.relative_to(REPO_ROOT))))
    return routes


def is_json_route(method: str, path: str) -> bool:
    if (method, path) in NOT_JSON:
        return False
    return (method, path) in JSON_FORMS or path.startswith("/api/") or path.endswith(".json") or path in ("/health", "/ready")


def documented_path(method: str, path: str) -> str:
    """The OpenAPI path of a registered route: `:name` becomes `{name}` (and the JSON forms above)."""
    if (method, path) in JSON_FORMS:
        return JSON_FORMS[(method, path)]
    return re.sub(r":([A-Za-z_]+)", r"{\1}", path)


def json_routes() -> set[tuple[str, str]]:
    return {(m, documented_path(m, p)) for m, p, _ in source_routes() if is_json_route(m, p)}


def documented_operations(document: dict | None = None) -> set[tuple[str, str]]:
    document = document or load_document()
    return {(method, path) for path, item in document["paths"].items() for method in item if method in METHODS}


@lru_cache(maxsize=None)
def _retrieve(uri: str) -> Resource:
    if not uri.startswith("file://"):
        raise LookupError(f"only local files are resolved: {uri}")
    path = Path(uri[len("file://"):])
    text = path.read_text()
    contents = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    return Resource.from_contents(contents, default_specification=DRAFT202012)


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return Registry(retrieve=_retrieve)


def _pointer_escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def response_object(document: dict, method: str, path: str, status: int) -> tuple[dict, str]:
    """The documented response of an operation for `status` (a `$ref` to components/responses followed) and its JSON
    pointer in the document. Fails (KeyError) when the status is not documented."""
    responses = document["paths"][path][method]["responses"]
    key = str(status)
    if key not in responses:
        raise KeyError(f"{method.upper()} {path} does not document status {status} (documents {sorted(responses)})")
    response = responses[key]
    pointer = "/paths/" + _pointer_escape(path) + "/" + method + "/responses/" + key
    if "$ref" in response:
        ref = response["$ref"]
        assert ref.startswith("#/components/responses/"), ref
        pointer = ref[1:]
        response = document["components"]["responses"][ref.rsplit("/", 1)[1]]
    return response, pointer


def validator_for(document: dict, method: str, path: str, status: int) -> Draft202012Validator:
    """A validator of the JSON body documented for (method, path, status)."""
    _, pointer = response_object(document, method, path, status)
    uri = OPENAPI_PATH.as_uri()
    schema = {"$ref": f"{uri}#{pointer}/content/application~1json/schema"}
    return Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(document: dict, method: str, path: str, status: int, body) -> list[str]:
    """Every way `body` fails the documented answer (empty when it conforms)."""
    try:
        validator = validator_for(document, method, path, status)
    except KeyError as error:
        return [str(error)]
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(body)]
