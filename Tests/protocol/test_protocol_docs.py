"""Keeps Protocol/ honest: examples, JSON Schemas, asyncapi.yaml, PROTOCOL.md and DESIGN-CONTRACT.md agree.

Run from the repository root:

    python3 -m pytest Tests/protocol -q

Needs only pytest, jsonschema and PyYAML.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "Protocol"
SCHEMAS = PROTOCOL / "schemas"
EXAMPLES = PROTOCOL / "examples"
ASYNCAPI = PROTOCOL / "asyncapi.yaml"
SPEC = PROTOCOL / "PROTOCOL.md"
CONTRACT = PROTOCOL / "DESIGN-CONTRACT.md"

CLIENT_TYPES = {"subscribe", "unsubscribe", "ping"}
SERVER_TYPES = {"welcome", "snapshot", "event", "subscribed", "unsubscribed", "pong", "error"}
DIRECTION_TYPES = {"client": CLIENT_TYPES, "server": SERVER_TYPES}
REPLIES_WITH_OPTIONAL_REF = {"subscribed", "unsubscribed", "pong"}

REQUIRED_EXAMPLES = {
    "client": ["subscribe", "subscribe-resume", "unsubscribe", "ping"],
    "server": [
        "welcome", "snapshot-petition", "snapshot-sitting", "event-count", "event-threshold", "event-viewers",
        "subscribed", "subscribed-recovered", "unsubscribed", "pong", "error-unknown-topic", "error-malformed-json",
    ],
}

EXAMPLE_FILES = sorted(EXAMPLES.glob("*/*.json"))
SCHEMA_FILES = sorted(SCHEMAS.glob("*/*.schema.json"))


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def schema_path(direction: str, message_type: str) -> Path:
    return SCHEMAS / direction / f"{message_type}.schema.json"


def validator_for(direction: str, message_type: str) -> Draft202012Validator:
    return Draft202012Validator(load_json(schema_path(direction, message_type)))


def direction_of(message_type: str) -> str:
    for direction, types in DIRECTION_TYPES.items():
        if message_type in types:
            return direction
    raise KeyError(message_type)


def errors(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(instance)]


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --------------------------------------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------------------------------------

def test_one_schema_per_message_type():
    found = {(p.parent.name, p.name.removesuffix(".schema.json")) for p in SCHEMA_FILES}
    expected = {(d, t) for d, types in DIRECTION_TYPES.items() for t in types}
    assert found == expected


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=rel)
def test_schema_is_valid_2020_12(path: Path):
    schema = load_json(path)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    # The schemas only use keywords that mean the same in draft-07, so AsyncAPI Schema Object tooling (a draft-07
    # superset) reads them the same way. Keep it so.
    Draft7Validator.check_schema({**schema, "$schema": "http://json-schema.org/draft-07/schema#"})


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=rel)
def test_schema_envelope(path: Path):
    schema = load_json(path)
    message_type = path.name.removesuffix(".schema.json")
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["type"]["const"] == message_type
    assert "type" in schema["required"]
    ref = schema["properties"].get("ref")
    if message_type == "error":
        assert "ref" in schema["required"] and ref["type"] == ["string", "null"]
    elif ref is not None:
        assert "ref" not in schema["required"] and ref["type"] == "string", "ref is optional and never null"


def iter_refs(node, where=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from iter_refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_refs(value, f"{where}/{i}")


def resolve_pointer(document, fragment: str):
    """Resolve a JSON pointer fragment ("/a/b", without the leading '#') or raise KeyError/IndexError."""
    node = document
    if fragment in ("", "/"):
        return node
    assert fragment.startswith("/"), f"not a JSON pointer: {fragment!r}"
    for token in fragment[1:].split("/"):
        token = unquote(token).replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=rel)
def test_schema_refs_resolve(path: Path):
    schema = load_json(path)
    for where, ref in iter_refs(schema):
        assert ref.startswith("#"), f"{where}: schemas are self-contained, got {ref}"
        resolve_pointer(schema, ref[1:])


# --------------------------------------------------------------------------------------------------------------------
# Examples
# --------------------------------------------------------------------------------------------------------------------

def test_required_examples_exist():
    for direction, names in REQUIRED_EXAMPLES.items():
        for name in names:
            assert (EXAMPLES / direction / f"{name}.json").is_file(), f"missing examples/{direction}/{name}.json"


def test_only_json_examples_in_known_directions():
    for path in EXAMPLES.rglob("*"):
        if path.is_file():
            assert path.parent.parent == EXAMPLES and path.parent.name in DIRECTION_TYPES, rel(path)
            assert path.suffix == ".json", rel(path)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=rel)
def test_example_validates_against_its_schema(path: Path):
    text = path.read_text(encoding="utf-8")
    example = json.loads(text)
    direction = path.parent.name
    assert isinstance(example, dict)
    message_type = example.get("type")
    assert message_type in DIRECTION_TYPES[direction], f"type {message_type!r} is not a {direction} message"
    assert re.fullmatch(rf"{re.escape(message_type)}(-[a-z0-9]+)*\.json", path.name), \
        f"{path.name} should be named {message_type}.json or {message_type}-<variant>.json"
    assert list(example)[0] == "type", "`type` must be the first key"
    assert text == json.dumps(example, indent=2, ensure_ascii=False) + "\n", "pretty-print with 2-space indent"

    schema = load_json(schema_path(direction, message_type))
    assert errors(Draft202012Validator(schema), example) == []
    draft7 = Draft7Validator({**schema, "$schema": "http://json-schema.org/draft-07/schema#"})
    assert errors(draft7, example) == []


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=rel)
def test_example_semantics(path: Path):
    """What the schemas cannot say."""
    example = load_json(path)
    message_type = example["type"]
    if message_type == "snapshot":
        assert example["data"]["id"] == int(example["topic"].split(":")[1]), "data.id matches the topic"
        if example["topic"].startswith("petition:"):
            thresholds = example["data"]["thresholds"]
            assert [t["signatures"] for t in thresholds] == sorted(t["signatures"] for t in thresholds)
            for t in thresholds:
                assert "reached_at" in t, "reached_at is present (null when not reached)"
    if message_type == "subscribe" and "resume" in example:
        assert set(example["resume"]) <= set(example["topics"]), "every resume key is in topics"
    if message_type in {"snapshot", "event"} and example["topic"].startswith("sitting:"):
        data = example["data"]
        assert data["peak_viewers"] >= data["viewers"]


# --------------------------------------------------------------------------------------------------------------------
# Negative checks: the schemas do reject wrong messages (so the tests above can fail)
# --------------------------------------------------------------------------------------------------------------------

def _mutate(base: str, change):
    example = load_json(EXAMPLES / base)
    change(example)
    return example


def _set(path, value):
    def change(obj):
        node = obj
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def _delete(path):
    def change(obj):
        node = obj
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return change


NEGATIVE_CASES = {
    "wrong type const": ("server/pong.json", "pong", _set(["type"], "ping")),
    "subscribed with type of another message": ("server/subscribed.json", "subscribed", _set(["type"], "unsubscribed")),
    "unknown top-level field": ("server/welcome.json", "welcome", _set(["extra"], 1)),
    "protocol 2": ("server/welcome.json", "welcome", _set(["protocol"], 2)),
    "ref null outside error": ("server/pong.json", "pong", _set(["ref"], None)),
    "error without ref key": ("server/error-malformed-json.json", "error", _delete(["ref"])),
    "unknown error code": ("server/error-unknown-topic.json", "error", _set(["code"], "no_such_code")),
    "offset as string": ("server/event-count.json", "event", _set(["offset"], "42")),
    "event offset 0": ("server/event-count.json", "event", _set(["offset"], 0)),
    "unknown event name": ("server/event-count.json", "event", _set(["event"], "signatures")),
    "count event with viewers data": (
        "server/event-count.json", "event", _set(["data"], {"viewers": 1, "peak_viewers": 2})),
    "count event on a sitting topic": ("server/event-count.json", "event", _set(["topic"], "sitting:3")),
    "viewers event on a petition topic": ("server/event-viewers.json", "event", _set(["topic"], "petition:1")),
    "threshold without reached_at": ("server/event-threshold.json", "event", _delete(["data", "reached_at"])),
    "timestamp without milliseconds": (
        "server/event-threshold.json", "event", _set(["data", "reached_at"], "2026-11-29T10:15:04Z")),
    "snapshot threshold missing reached_at": (
        "server/snapshot-petition.json", "snapshot", _delete(["data", "thresholds", 0, "reached_at"])),
    "petition snapshot with sitting data": (
        "server/snapshot-petition.json", "snapshot",
        _set(["data"], load_json(EXAMPLES / "server/snapshot-sitting.json")["data"])),
    "topic with leading zero": ("server/snapshot-sitting.json", "snapshot", _set(["topic"], "sitting:03")),
    "subscribed entry without recovered": (
        "server/subscribed.json", "subscribed", _delete(["topics", 0, "recovered"])),
    "subscribe with empty topics": ("client/subscribe.json", "subscribe", _set(["topics"], [])),
    "subscribe topics not strings": ("client/subscribe.json", "subscribe", _set(["topics"], [1])),
    "resume with negative offset": (
        "client/subscribe-resume.json", "subscribe", _set(["resume", "petition:1", "offset"], -1)),
    "resume without epoch": ("client/subscribe-resume.json", "subscribe", _delete(["resume", "petition:1", "epoch"])),
    "ping with ref null": ("client/ping.json", "ping", _set(["ref"], None)),
}


@pytest.mark.parametrize("name", NEGATIVE_CASES)
def test_schema_rejects(name: str):
    base, message_type, change = NEGATIVE_CASES[name]
    direction = base.split("/")[0]
    # The example itself is valid ...
    assert errors(validator_for(direction, message_type), load_json(EXAMPLES / base)) == []
    # ... and the mutated one is not.
    bad = copy.deepcopy(load_json(EXAMPLES / base))
    change(bad)
    assert errors(validator_for(direction, message_type), bad) != [], f"{name}: schema accepted {bad}"


def test_example_check_catches_a_wrong_type():
    """The example test derives the schema from `type`; a file whose type const is wrong for its schema fails."""
    example = load_json(EXAMPLES / "server" / "event-count.json")
    example["type"] = "snapshot"  # now validated against snapshot.schema.json, which requires no `event`
    assert errors(validator_for("server", "snapshot"), example) != []


# --------------------------------------------------------------------------------------------------------------------
# asyncapi.yaml
# --------------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def asyncapi():
    document = yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_asyncapi_version_and_info(asyncapi):
    assert asyncapi["asyncapi"] == "3.0.0"
    assert isinstance(asyncapi["info"]["title"], str) and isinstance(asyncapi["info"]["version"], str)
    allowed = {"asyncapi", "id", "info", "servers", "defaultContentType", "channels", "operations", "components"}
    assert set(asyncapi) <= allowed


def test_asyncapi_refs_resolve(asyncapi):
    refs = list(iter_refs(asyncapi))
    assert refs
    for where, ref in refs:
        target, _, fragment = ref.partition("#")
        if target:
            path = (ASYNCAPI.parent / target).resolve()
            assert path.is_file(), f"{where}: {ref} -> missing file {path}"
            if fragment:
                resolve_pointer(load_json(path), fragment)
        else:
            try:
                resolve_pointer(asyncapi, fragment)
            except (KeyError, IndexError, ValueError) as exc:
                pytest.fail(f"{where}: {ref} does not resolve ({exc!r})")


def test_asyncapi_structure(asyncapi):
    live = asyncapi["channels"]["live"]
    assert live["address"] == "/live"
    assert set(live["messages"]) == CLIENT_TYPES | SERVER_TYPES
    for server in asyncapi["servers"].values():
        assert {"host", "protocol"} <= set(server) and server["protocol"] in {"ws", "wss"}

    sent, received = set(), set()
    for name, operation in asyncapi["operations"].items():
        assert operation["action"] in {"send", "receive"}, name
        assert operation["channel"] == {"$ref": "#/channels/live"}, name
        assert operation["messages"], name
        for message in operation["messages"]:
            ref = message["$ref"]
            assert ref.startswith("#/channels/live/messages/"), f"{name}: {ref}"
            (sent if operation["action"] == "send" else received).add(ref.rsplit("/", 1)[1])
        if "reply" in operation:
            assert operation["reply"]["channel"] == {"$ref": "#/channels/live"}
            for message in operation["reply"]["messages"]:
                assert message["$ref"].startswith("#/channels/live/messages/"), name
    assert sent == CLIENT_TYPES
    assert received == SERVER_TYPES


def test_asyncapi_messages_match_schemas_and_examples(asyncapi):
    messages = asyncapi["components"]["messages"]
    assert set(messages) == CLIENT_TYPES | SERVER_TYPES
    for name, message in messages.items():
        direction = direction_of(name)
        assert message["name"] == name
        assert message["payload"] == {"$ref": f"./schemas/{direction}/{name}.schema.json"}
        validator = validator_for(direction, name)
        assert message.get("examples"), f"{name} has no example"
        for example in message["examples"]:
            file = EXAMPLES / direction / f"{example['name']}.json"
            assert file.is_file(), f"asyncapi example {example['name']} has no file {rel(file)}"
            assert example["payload"] == load_json(file), f"asyncapi example {example['name']} differs from its file"
            assert errors(validator, example["payload"]) == []


# --------------------------------------------------------------------------------------------------------------------
# PROTOCOL.md against DESIGN-CONTRACT.md
# --------------------------------------------------------------------------------------------------------------------

def contract_section(title_start: str) -> str:
    text = CONTRACT.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title_start)}.*?(?=^## |\Z)", text, re.M | re.S)
    assert match, f"section '## {title_start}' not found in DESIGN-CONTRACT.md"
    return match.group(0)


def snake_codes(section: str) -> set[str]:
    """Backticked identifiers with an underscore, e.g. `unknown_topic`, plus "code":"..." values."""
    spans = re.findall(r"`([^`]+)`", section)
    codes = {s for s in spans if re.fullmatch(r"[a-z]+(?:_[a-z]+)+", s)}
    codes |= set(re.findall(r'"code"\s*:\s*"([a-z_]+)"', section))
    return codes


def contract_ws_error_codes() -> set[str]:
    return snake_codes(contract_section("Error codes"))


def contract_all_error_codes() -> set[str]:
    return (contract_ws_error_codes()
            | snake_codes(contract_section("Endpoint and envelope"))
            | snake_codes(contract_section("HTTP used by the pages")))


def contract_close_codes() -> list[tuple[str, str]]:
    return re.findall(r"^\|\s*(\d{4})\s*\|\s*([a-z_]+)\s*\|", contract_section("Close codes"), re.M)


def test_contract_parsing_finds_codes():
    assert len(contract_ws_error_codes()) == 8
    assert {"origin_not_allowed", "invalid_input", "unsupported_media_type"} <= contract_all_error_codes()
    assert ("4002", "slow_consumer") in contract_close_codes() and len(contract_close_codes()) == 7


def test_every_contract_error_code_is_documented():
    spec = SPEC.read_text(encoding="utf-8")
    missing = sorted(code for code in contract_all_error_codes() if f"`{code}`" not in spec)
    assert missing == []


def test_every_contract_close_code_is_documented():
    spec = SPEC.read_text(encoding="utf-8")
    for number, name in contract_close_codes():
        assert re.search(rf"^\|\s*{number}\s*\|\s*`{name}`\s*\|", spec, re.M), f"close code {number} {name}"


def test_error_schema_codes_equal_contract():
    schema = load_json(schema_path("server", "error"))
    assert set(schema["properties"]["code"]["enum"]) == contract_ws_error_codes()


def test_welcome_example_uses_contract_defaults():
    welcome = load_json(EXAMPLES / "server" / "welcome.json")
    assert welcome["heartbeat_ms"] == 25000
    assert welcome["limits"] == {"max_message_bytes": 16 * 1024, "max_topics": 100}


def spec_messages():
    """Every message shown in PROTOCOL.md: ```json blocks holding an object with `type`, and C→S / S→C lines."""
    spec = SPEC.read_text(encoding="utf-8")
    found = []
    for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", spec, re.M | re.S):
        if lang == "json":
            value = json.loads(body)
            if isinstance(value, dict) and "type" in value:
                found.append((None, value))
        for arrow, line in re.findall(r"^(C→S|S→C) (.+)$", body, re.M):
            found.append(("client" if arrow == "C→S" else "server", json.loads(line)))
    return found


def test_spec_examples_are_valid_messages():
    found = spec_messages()
    assert len(found) >= 20
    for claimed_direction, message in found:
        direction = direction_of(message["type"])
        if claimed_direction is not None:
            assert direction == claimed_direction, message
        assert errors(validator_for(direction, message["type"]), message) == [], message


def test_worked_example_offsets_follow_the_client_rule():
    """Replaying the worked example through the client rule of section 7.2 ends in the documented state."""
    held = {}
    for direction, message in spec_messages():
        if direction != "server":
            continue
        if message["type"] == "snapshot":
            held[message["topic"]] = (message["epoch"], message["offset"])
        elif message["type"] == "event":
            epoch, offset = held[message["topic"]]
            assert message["epoch"] == epoch and message["offset"] > offset
            held[message["topic"]] = (epoch, message["offset"])
        elif message["type"] == "subscribed":
            for entry in message["topics"]:
                assert held[entry["topic"]] == (entry["epoch"], entry["offset"])
    assert held == {"petition:1": ("b41d07e5", 0)}
