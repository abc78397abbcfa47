"""Protocol/openapi.yaml is a valid OpenAPI 3.1 document, describes every JSON route the server registers (and no
route it does not), and the example answers of Protocol/examples validate against the operations that give them."""

from __future__ import annotations

import json
import re

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

import openapi_support as support

DOCUMENT = support.load_document()


def test_document_is_valid_openapi_3_1_with_every_ref_resolving():
    spec, base = read_from_filename(str(support.OPENAPI_PATH))
    assert spec["openapi"].startswith("3.1")
    validate(spec, base_uri=support.OPENAPI_PATH.as_uri())
    # The validator does not follow every $ref into the schema files: build a validator for each documented answer,
    # which resolves them all (a missing file or $defs entry raises).
    for path, item in DOCUMENT["paths"].items():
        for method in support.METHODS:
            for status, response in item.get(method, {}).get("responses", {}).items():
                answer, _ = support.response_object(DOCUMENT, method, path, int(status))
                if "content" in answer:
                    validator = support.validator_for(DOCUMENT, method, path, int(status))
                    # Resolving happens lazily: validating a value walks the $refs.
                    list(validator.iter_errors({"error": {"code": "x", "message": "x"}}))


def test_every_route_is_read():
    # The pattern must see every registration: each `router.` call in the sources is one the pattern reads (or the
    # router's set-up), so a route added some other way cannot slip past the documentation check.
    calls = 0
    for swift in support.SOURCES.rglob("*.swift"):
        for line in swift.read_text().splitlines():
            if re.search(r"\brouter\.(?!add\(middleware)", line):
                calls += 1
                assert support.ROUTE_PATTERN.search(line), f"{swift}: a route registered in a way the test does not read: {line.strip()}"
    routes = support.source_routes()
    assert calls == len(routes) and len(routes) > 100


def test_every_json_route_is_documented():
    missing = sorted(support.json_routes() - support.documented_operations(DOCUMENT))
    assert not missing, "JSON routes the server registers but Protocol/openapi.yaml does not describe: " + ", ".join(
        f"{m.upper()} {p}" for m, p in missing)


def test_every_documented_operation_is_a_route():
    stale = sorted(support.documented_operations(DOCUMENT) - support.json_routes())
    assert not stale, "operations in Protocol/openapi.yaml that the server does not register: " + ", ".join(
        f"{m.upper()} {p}" for m, p in stale)


def test_every_operation_documents_its_errors():
    for path, item in DOCUMENT["paths"].items():
        for method in support.METHODS:
            if method not in item:
                continue
            responses = item[method]["responses"]
            assert any(s.startswith("2") for s in responses), f"{method} {path}: no success answer"
            # Every request can meet the Host check.
            assert "400" in responses and "421" in responses, f"{method} {path}: the Host check's answers"
            if method != "get":
                for status in ("403", "415"):
                    assert status in responses, f"{method} {path}: a state change documents {status} (Origin, media type)"
            for status, response in responses.items():
                answer, _ = support.response_object(DOCUMENT, method, path, int(status))
                if not status.startswith("2") and not (path == "/api/v1/signatures/invalidate" and status == "409"):
                    codes = answer["content"]["application/json"]["schema"]["properties"]["error"]["properties"]["code"]["enum"]
                    assert codes and all(re.fullmatch(r"[a-z][a-z_]*", c) for c in codes), (method, path, status)
                    for code in codes:
                        assert f"`{code}`" in answer["description"], f"{method} {path} {status}: {code} not in its description"


def test_documented_error_codes_are_the_protocols():
    # Every code an answer lists is documented in the prose contracts too (HEARINGS.md, PETITIONS.md, PROTOCOL.md,
    # LEGISLATION.md).
    prose = "".join((support.REPO_ROOT / "Protocol" / name).read_text() for name in ("HEARINGS.md", "PETITIONS.md", "PROTOCOL.md", "LEGISLATION.md"))
    codes = set()
    for path, item in DOCUMENT["paths"].items():
        for method in support.METHODS:
            for status, response in item.get(method, {}).get("responses", {}).items():
                answer, _ = support.response_object(DOCUMENT, method, path, int(status))
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                codes |= set(schema.get("properties", {}).get("error", {}).get("properties", {}).get("code", {}).get("enum", []))
    undocumented = sorted(c for c in codes if f"`{c}`" not in prose)
    assert not undocumented, f"error codes of openapi.yaml missing from the Protocol documents: {undocumented}"


EXAMPLES = support.REPO_ROOT / "Protocol" / "examples"

# Each example answer and the operation (method, path, status) that gives it; for the question examples, the
# operation whose answer wraps it and the wrapping.
EXAMPLE_OPERATIONS = {
    "http/sitting.json": ("get", "/api/v1/sittings/{id}", 200, None),
    "http/question.json": ("post", "/api/v1/questions/{id}/answered", 200, "question"),
    "http/question-participant.json": ("post", "/api/v1/sittings/{id}/questions", 201, "ask"),
    "http/question-staff.json": ("post", "/api/v1/questions/{id}/moderation", 200, "question"),
    "http/note.json": ("post", "/api/v1/sittings/{id}/notes", 201, None),
    "http/claim.json": ("post", "/api/v1/questions/{id}/claim", 200, None),
    "http/session.json": ("get", "/api/v1/session", 200, None),
    "http/dashboard.json": ("get", "/api/v1/dashboard", 200, None),
    "http/dashboard-series.json": ("get", "/api/v1/dashboard/series", 200, None),
    "http/moderation-log.json": ("get", "/sittings/{id}/moderation-log.json", 200, None),
    "http/record.json": ("get", "/sittings/{id}/record.json", 200, None),
    "http/error-chair-cannot-claim.json": ("post", "/api/v1/questions/{id}/claim", 403, None),
    "http/error-claimed-by-other.json": ("post", "/api/v1/questions/{id}/moderation", 409, None),
    "http/error-invalid-input.json": ("post", "/api/v1/sittings/{id}/questions", 422, None),
    "http/error-participant-required.json": ("post", "/api/v1/sittings/{id}/questions", 403, None),
    "http/error-question-state-conflict.json": ("post", "/api/v1/questions/{id}/moderation", 409, None),
    "petitions/petition.json": ("get", "/petitions/{id}.json", 200, None),
    "petitions/petitions-list.json": ("get", "/petitions.json", 200, None),
    "petitions/petition-count.json": ("get", "/petitions/{id}/count.json", 200, None),
    "petitions/petition-history.json": ("get", "/petitions/{id}/history.json", 200, None),
    "petitions/petition-integrity.json": ("get", "/petitions/{id}/integrity.json", 200, None),
}


def test_every_json_example_answer_is_mapped():
    files = {str(p.relative_to(EXAMPLES)) for folder in ("http", "petitions") for p in (EXAMPLES / folder).glob("*.json")}
    assert files == set(EXAMPLE_OPERATIONS), f"examples without an operation: {sorted(files - set(EXAMPLE_OPERATIONS))}"


@pytest.mark.parametrize("name", sorted(EXAMPLE_OPERATIONS))
def test_example_answer_validates_against_its_operation(name):
    method, path, status, wrap = EXAMPLE_OPERATIONS[name]
    body = json.loads((EXAMPLES / name).read_text())
    if wrap == "question":
        body = {"question": body}
    elif wrap == "ask":
        body = {"id": body["id"], "state": body["state"], "question": body}
    assert support.problems(DOCUMENT, method, path, status, body) == []


def test_a_wrong_answer_fails_validation():
    # The check above can fail: a changed example is refused (a key too many, a wrong type, an undocumented status).
    sitting = json.loads((EXAMPLES / "http" / "sitting.json").read_text())
    assert support.problems(DOCUMENT, "get", "/api/v1/sittings/{id}", 200, {**sitting, "extra": 1})
    assert support.problems(DOCUMENT, "get", "/api/v1/sittings/{id}", 200, {**sitting, "id": "1"})
    assert support.problems(DOCUMENT, "get", "/api/v1/sittings/{id}", 418, sitting)
    error = {"error": {"code": "not_voted", "message": "m"}}
    assert support.problems(DOCUMENT, "post", "/api/v1/sittings/{id}/questions", 403, error)
