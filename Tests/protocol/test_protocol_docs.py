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
    "client": ["subscribe", "subscribe-resume", "subscribe-forbidden", "subscribe-moderation", "unsubscribe", "ping"],
    "server": [
        "welcome", "snapshot-petition", "snapshot-petition-areas", "snapshot-sitting", "snapshot-sitting-moderation",
        "snapshot-dashboard", "event-count", "event-threshold", "event-state", "event-areas", "event-viewers",
        "event-question", "event-moderated", "event-votes", "event-on-screen", "event-sitting", "event-counts",
        "event-question-moderation", "event-claim", "event-note", "event-presence", "event-held-votes", "event-tally",
        "event-state-hidden", "subscribed", "subscribed-recovered", "unsubscribed", "pong", "error-unknown-topic",
        "error-forbidden-topic", "error-malformed-json", "error-access-revoked",
    ],
}

# Every event name, with the topic kinds it is sent on ("sitting" is sitting:{id}, "moderation" sitting:{id}:moderation,
# "areas" petition:{id}:areas).
EVENT_TOPIC_KINDS = {
    "count": {"petition"}, "threshold": {"petition"}, "state": {"petition", "areas"}, "areas": {"areas"},
    "viewers": {"sitting"}, "moderated": {"sitting"}, "votes": {"sitting"}, "on_screen": {"sitting"},
    "sitting": {"sitting"}, "counts": {"sitting"},
    "question": {"sitting", "moderation"},
    "claim": {"moderation"}, "note": {"moderation"}, "presence": {"moderation"}, "held_votes": {"moderation"},
    "tally": {"dashboard"},
    "comment": {"bill", "bill_moderation"}, "comment_removed": {"bill"}, "clause_counts": {"bill"}, "marker": {"bill"},
    "version": {"bill"},
    "log": {"bill_moderation"},
}

# WebSocket messages only; Protocol/examples/http and Protocol/schemas/http are checked by test_hearings_http_examples.py.
EXAMPLE_FILES = sorted(p for d in DIRECTION_TYPES for p in (EXAMPLES / d).glob("*.json"))
SCHEMA_FILES = sorted(p for d in DIRECTION_TYPES for p in (SCHEMAS / d).glob("*.schema.json"))


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


def topic_kind(topic: str) -> str:
    """petition, areas, sitting, moderation, bill, bill_moderation or dashboard; raises ValueError for anything else."""
    if topic == "dashboard":
        return "dashboard"
    bill = re.fullmatch(r"bill:([1-9][0-9]*)(:moderation)?", topic)
    if bill:
        return "bill_moderation" if bill.group(2) else "bill"
    match = re.fullmatch(r"(petition|sitting):([1-9][0-9]*)(:moderation|:areas)?", topic)
    if not match or (match.group(3) or "") not in {"", {"petition": ":areas", "sitting": ":moderation"}[match.group(1)]}:
        raise ValueError(topic)
    return match.group(3)[1:] if match.group(3) else match.group(1)


def topic_id(topic: str) -> int | None:
    """The id in the topic name; None for dashboard."""
    return None if topic == "dashboard" else int(topic.split(":")[1])


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
            # `http`: hearing answers (schemas in schemas/http); `petitions`: the UK-shaped open data, whose key order
            # a Swift test compares with the server's real answers (PetitionJSONShapeTests); `regions`: the demo's
            # sample areas, CSV files as `hemicycle regions import` reads them, and their README; `legislation`: the
            # sample bill in both import formats (LEGISLATION.md), and its README naming the source.
            assert path.parent.parent == EXAMPLES and path.parent.name in {*DIRECTION_TYPES, "http", "petitions", "regions", "legislation"}, rel(path)
            if path.parent.name == "regions":
                assert path.suffix == ".csv" or path.name == "README.md", rel(path)
            elif path.parent.name == "legislation":
                assert path.suffix in {".txt", ".xml"} or path.name == "README.md", rel(path)
            else:
                assert path.suffix == ".json", rel(path)


def test_only_known_schema_directories():
    for path in SCHEMAS.rglob("*"):
        if path.is_file():
            assert path.parent.parent == SCHEMAS and path.parent.name in {*DIRECTION_TYPES, "http"}, rel(path)
            assert path.name.endswith(".schema.json"), rel(path)


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


PUBLISHED_STATES = {"approved", "on_screen", "answered"}


def sample_region_of() -> dict[str, str]:
    """Constituency code -> region code, from the demo's sample areas (examples/regions/constituencies.csv)."""
    import csv
    with open(EXAMPLES / "regions" / "constituencies.csv", encoding="utf-8", newline="") as file:
        return {row["code"]: row["region"] for row in csv.DictReader(file)}


def sample_area_names() -> dict[str, dict[str, dict]]:
    """The names of the demo's sample areas (examples/regions/*.csv) in the shape of an `areas` event's `names`."""
    import csv

    def rows(name):
        with open(EXAMPLES / "regions" / f"{name}.csv", encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))
    return {
        "countries": {row["code"]: {"name": row["name"]} for row in rows("countries")},
        "constituencies": {row["code"]: {"name": row["name"], "mp": row["member"] or None} for row in rows("constituencies")},
        "regions": {row["code"]: {"name": row["name"]} for row in rows("regions")},
    }


def published_order_key(question: dict, votes: dict) -> tuple:
    """The order of a sitting's published questions: open ones by votes (most first), answered ones last; then id."""
    return (question["state"] == "answered", -votes[str(question["id"])], question["id"])


def check_question(question: dict, sitting: int):
    assert question["sitting_id"] == sitting, "a question of sitting:{id} belongs to that sitting"
    assert question["id"] not in question["merged_from"] and question["merged_into"] != question["id"]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=rel)
def test_example_semantics(path: Path):
    """What the schemas cannot say."""
    example = load_json(path)
    message_type = example["type"]
    topic = example.get("topic")
    kind = topic_kind(topic) if topic else None
    data = example.get("data")
    if message_type in {"snapshot", "event"} and kind == "areas" and example.get("event") != "state":
        assert data["petition_id"] == topic_id(topic), "data.petition_id matches the topic"
        assert list(data) in (["countries", "constituencies", "regions", "petition_id"],
                              ["countries", "constituencies", "regions", "petition_id", "names"]), "the server's key order"
        assert message_type == "event" or "names" not in data, "snapshots carry no names"
        if "names" in data:
            names = data["names"]
            assert list(names) == ["countries", "constituencies", "regions"], "the server's key order"
            assert sum(len(names[part]) for part in names) <= 100, "at most 100 names an event"
            sample = sample_area_names()
            for part in ("countries", "constituencies", "regions"):
                assert list(names[part]) == sorted(names[part]), f"names.{part}: codes in ascending order"
                for code, entry in names[part].items():
                    assert data[part].get(code, 0) > 0, f"names.{part}.{code}: only areas of the event that have signatures are named"
                    assert entry == sample[part][code], f"names.{part}.{code}: the name of the sample tables"
        for part in ("countries", "constituencies", "regions"):
            assert list(data[part]) == sorted(data[part]), f"{part}: codes in ascending order"
            if message_type == "snapshot":
                assert all(n > 0 for n in data[part].values()), f"{part}: the snapshot lists areas with signatures only"
        if message_type == "snapshot":
            region_of = sample_region_of()
            sums: dict[str, int] = {}
            for code, n in data["constituencies"].items():
                sums[region_of[code]] = sums.get(region_of[code], 0) + n
            assert data["regions"] == dict(sorted(sums.items())), "regions are the sums of their constituencies"
    if message_type == "event" and example["event"] == "state":
        assert data["id"] == topic_id(topic), "data.id matches the topic"
        assert (data["rejection"] is None) == (data["rejected_at"] is None), "a rejection comes with its time"
        assert (data["state"] == "closed") <= (data["closed_at"] is not None), "a closed petition has closed_at"
    if message_type == "snapshot" and kind != "areas":
        if kind == "dashboard":
            assert "id" not in data, "the dashboard topic has no id"
        else:
            assert data["id"] == topic_id(topic), "data.id matches the topic"
        if kind == "petition":
            thresholds = data["thresholds"]
            assert [t["signatures"] for t in thresholds] == sorted(t["signatures"] for t in thresholds)
            for t in thresholds:
                assert "reached_at" in t, "reached_at is present (null when not reached)"
        if kind == "sitting":
            published = data["questions"]
            for q in published + ([data["on_screen"]] if data["on_screen"] else []):
                check_question(q, data["id"])
                assert q["state"] in PUBLISHED_STATES, "only published questions"
            assert set(data["votes"]) == {str(q["id"]) for q in published}, "votes has every published question"
            on_screen = [q for q in published if q["state"] == "on_screen"]
            assert on_screen == ([data["on_screen"]] if data["on_screen"] else []), "on_screen is also in questions"
            for state in PUBLISHED_STATES:
                assert data["counts"][state] == sum(q["state"] == state for q in published), state
            own_votes = {str(q["id"]): q["votes"] for q in published}
            assert published == sorted(published, key=lambda q: published_order_key(q, own_votes))
            assert list(data["votes"]) == [
                str(q["id"]) for q in sorted(published, key=lambda q: published_order_key(q, data["votes"]))]
        if kind == "moderation":
            ids = [q["id"] for q in data["questions"]]
            assert ids == sorted(ids), "staff questions are in id order"
            for q in data["questions"]:
                check_question(q, data["id"])
                if q["merged_into"] is not None:
                    assert q["merged_into"] in ids
                    assert q["id"] in next(t for t in data["questions"] if t["id"] == q["merged_into"])["merged_from"]
            assert data["held_votes"] == {str(q["id"]): q["held_votes"] for q in data["questions"] if q["held_votes"] > 0}, \
                "held_votes lists every question with held votes, and only those"
            for note in data["notes"]:
                assert note["sitting_id"] == data["id"]
                assert note["question"] is None or note["question"] in ids
            assert len({m["id"] for m in data["staff"]}) == len(data["staff"])
    if message_type == "event":
        assert kind in EVENT_TOPIC_KINDS[example["event"]], f"{example['event']} is not sent on {kind} topics"
        if example["event"] == "question":
            check_question(data, topic_id(topic))
        if example["event"] == "note":
            assert data["sitting_id"] == topic_id(topic)
        if example["event"] == "on_screen" and data["question"] is not None:
            assert data["question"]["state"] == "on_screen"
            check_question(data["question"], topic_id(topic))
        if example["event"] == "sitting":
            assert (data["state"] == "scheduled") == (data["stream_started_at"] is None)
            assert (data["state"] == "ended") == (data["ended_at"] is not None)
    if message_type in {"snapshot", "event"} and kind == "dashboard":
        for sitting in data["sittings"]:
            assert sitting["peak_viewers"] >= sitting["viewers"]
        for petition in data["petitions"]:
            signatures = [t["signatures"] for t in petition["thresholds"]]
            assert signatures == sorted(signatures)
    if message_type == "subscribe" and "resume" in example:
        assert set(example["resume"]) <= set(example["topics"]), "every resume key is in topics"
    # Only where the numbers are present: the sitting snapshot and the viewers event (the dashboard's are above).
    if message_type in {"snapshot", "event"} and "peak_viewers" in data:
        assert data["peak_viewers"] >= data["viewers"]


def test_hearing_examples_tell_one_story():
    """The sitting:3 examples describe one sitting: the snapshots (taken at one moment), dashboard and events agree."""
    sitting = load_json(EXAMPLES / "server/snapshot-sitting.json")
    moderation = load_json(EXAMPLES / "server/snapshot-sitting-moderation.json")
    dashboard = load_json(EXAMPLES / "server/snapshot-dashboard.json")
    public_keys = list(sitting["data"]["questions"][0])
    staff_by_id = {q["id"]: q for q in moderation["data"]["questions"]}
    # The public questions are the staff ones without the staff fields (which come last).
    for q in sitting["data"]["questions"]:
        assert {k: staff_by_id[q["id"]][k] for k in public_keys} == q
        assert list(staff_by_id[q["id"]])[:len(public_keys)] == public_keys
    published = {q["id"] for q in moderation["data"]["questions"] if q["state"] in PUBLISHED_STATES}
    assert published == {q["id"] for q in sitting["data"]["questions"]}
    states = [q["state"] for q in moderation["data"]["questions"]]
    assert sitting["data"]["counts"] == {s: states.count(s) for s in sitting["data"]["counts"]}
    # The votes map is newer than the question objects, never older.
    for q in sitting["data"]["questions"]:
        assert sitting["data"]["votes"][str(q["id"])] >= q["votes"]
    # The dashboard at the same moment.
    [entry] = [s for s in dashboard["data"]["sittings"] if s["id"] == 3]
    counts = sitting["data"]["counts"]
    assert entry["questions"] == {
        "submitted": counts["submitted"], "approved": counts["approved"] + counts["on_screen"],
        "answered": counts["answered"]}
    assert (entry["viewers"], entry["peak_viewers"]) == (sitting["data"]["viewers"], sitting["data"]["peak_viewers"])
    assert entry["title"] == sitting["data"]["title"] and entry["state"] == sitting["data"]["state"]
    # Events come after their topic's snapshot, in the same epoch.
    bases = {"sitting:3": sitting, "sitting:3:moderation": moderation, "dashboard": dashboard}
    for path in EXAMPLE_FILES:
        event = load_json(path)
        if event["type"] == "event" and event["topic"] in bases:
            base = bases[event["topic"]]
            assert event["epoch"] == base["epoch"] and event["offset"] > base["offset"], rel(path)
    # Offset 19 publishes a question that waited in the moderation queue; offset 23 rejects another one, which the
    # moderation topic shows at its offset 66, after the moderator's claim at 65 (acting on a question ends the claim).
    question = load_json(EXAMPLES / "server/event-question.json")["data"]
    assert staff_by_id[question["id"]]["state"] == "submitted" and question["state"] == "approved"
    moderated = load_json(EXAMPLES / "server/event-moderated.json")["data"]
    assert staff_by_id[moderated["question_id"]]["state"] == "submitted"
    staff_event = load_json(EXAMPLES / "server/event-question-moderation.json")["data"]
    assert staff_event["id"] == moderated["question_id"] and staff_event["reason"] == moderated["reason"]
    assert staff_event["state"] == moderated["state"] and staff_event["claimed_by"] is None
    claim = load_json(EXAMPLES / "server/event-claim.json")["data"]
    assert claim["question_id"] == moderated["question_id"]
    assert claim["claimed_by"]["name"] in {m["name"] for m in moderation["data"]["staff"]}
    # A staff page subscribes to both sitting topics.
    subscribe = load_json(EXAMPLES / "client/subscribe-moderation.json")
    subscribed = load_json(EXAMPLES / "server/subscribed-moderation.json")
    assert subscribed["ref"] == subscribe["ref"] and [t["topic"] for t in subscribed["topics"]] == subscribe["topics"]
    assert [(t["epoch"], t["offset"]) for t in subscribed["topics"]] == [
        (sitting["epoch"], sitting["offset"]), (moderation["epoch"], moderation["offset"])]
    forbidden = load_json(EXAMPLES / "server/error-forbidden-topic.json")
    assert forbidden["ref"] == load_json(EXAMPLES / "client/subscribe-forbidden.json")["ref"]


def test_petition_areas_examples_tell_one_story():
    """The areas event follows the areas snapshot of the same petition, and applying it (set each given code, keep
    the others, drop zeros) keeps the regions the sums of their constituencies."""
    snapshot = load_json(EXAMPLES / "server/snapshot-petition-areas.json")
    event = load_json(EXAMPLES / "server/event-areas.json")
    assert event["topic"] == snapshot["topic"] and event["epoch"] == snapshot["epoch"]
    assert event["offset"] > snapshot["offset"]
    merged = copy.deepcopy(snapshot["data"])
    named = event["data"].get("names", {})
    assert any(named.get(part) for part in ("countries", "constituencies", "regions")), "the example shows names of new areas"
    for part in ("countries", "constituencies", "regions"):
        for code in named.get(part, {}):
            assert snapshot["data"][part].get(code, 0) == 0, f"names.{part}.{code}: only areas new to the topic are named"
        new_areas = [code for code, n in event["data"][part].items() if n > 0 and snapshot["data"][part].get(code, 0) == 0]
        assert sorted(named.get(part, {})) == new_areas, f"names.{part}: every new area of the sample tables is named"
        for code, n in event["data"][part].items():
            assert n != snapshot["data"][part].get(code, 0), f"{part}.{code}: an event carries only changed areas"
            if n == 0:
                merged[part].pop(code, None)
            else:
                merged[part][code] = n
    region_of = sample_region_of()
    sums: dict[str, int] = {}
    for code, n in merged["constituencies"].items():
        sums[region_of[code]] = sums.get(region_of[code], 0) + n
    assert merged["regions"] == sums
    state = load_json(EXAMPLES / "server/event-state.json")
    petition = load_json(EXAMPLES / "server/snapshot-petition.json")
    assert state["topic"] == petition["topic"] and state["epoch"] == petition["epoch"]
    assert state["offset"] > petition["offset"] and state["data"]["id"] == petition["data"]["id"]
    assert snapshot["topic"] == f"{petition['topic']}:areas"


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
    # Petition state and areas.
    "state event without rejection": ("server/event-state.json", "event", _delete(["data", "rejection"])),
    "state event with a rejection without details": (
        "server/event-state.json", "event", _set(["data", "rejection"], {"code": "duplicate"})),
    "state event time without milliseconds": (
        "server/event-state.json", "event", _set(["data", "closed_at"], "2026-11-28T09:00:00Z")),
    "state event on a sitting topic": ("server/event-state.json", "event", _set(["topic"], "sitting:3")),
    # Held votes (moderation topic only) and revoked staff access.
    "held votes event on the public sitting topic": ("server/event-held-votes.json", "event", _set(["topic"], "sitting:3")),
    "held votes of zero in the map": ("server/event-held-votes.json", "event", _set(["data", "held_votes", "15"], 0)),
    "held votes keyed by a non-id": ("server/event-held-votes.json", "event", _set(["data", "held_votes", "q15"], 3)),
    "staff question without held_votes": ("server/event-question-moderation.json", "event", _delete(["data", "held_votes"])),
    "moderation snapshot without held_votes": (
        "server/snapshot-sitting-moderation.json", "snapshot", _delete(["data", "held_votes"])),
    "access_revoked without topics": ("server/error-access-revoked.json", "error", _delete(["topics"])),
    "access_revoked with a ref": ("server/error-access-revoked.json", "error", _set(["ref"], "sub-1")),
    "access_revoked naming a public topic": ("server/error-access-revoked.json", "error", _set(["topics"], ["sitting:3"])),
    "topics on another error": ("server/error-unknown-topic.json", "error", _set(["topics"], ["sitting:3:moderation"])),
    "count event on an areas topic": ("server/event-count.json", "event", _set(["topic"], "petition:1:areas")),
    "areas event on a petition topic": ("server/event-areas.json", "event", _set(["topic"], "petition:1")),
    "areas event without regions": ("server/event-areas.json", "event", _delete(["data", "regions"])),
    "areas event without petition_id": ("server/event-areas.json", "event", _delete(["data", "petition_id"])),
    "areas event with a negative count": ("server/event-areas.json", "event", _set(["data", "countries", "GB"], -1)),
    "areas event with a string count": ("server/event-areas.json", "event", _set(["data", "regions", "E15000007"], "1020")),
    "areas event name without its member": (
        "server/event-areas.json", "event", _delete(["data", "names", "constituencies", "S14000021", "mp"])),
    "areas event name empty": ("server/event-areas.json", "event", _set(["data", "names", "regions", "S15000001", "name"], "")),
    "areas event name as a bare string": ("server/event-areas.json", "event", _set(["data", "names", "regions", "S15000001"], "Scotland")),
    "areas event names without regions": ("server/event-areas.json", "event", _delete(["data", "names", "regions"])),
    "areas snapshot with names": (
        "server/snapshot-petition-areas.json", "snapshot", _set(["data", "names"], load_json(EXAMPLES / "server/event-areas.json")["data"]["names"])),
    "areas snapshot with a zero count": (
        "server/snapshot-petition-areas.json", "snapshot", _set(["data", "constituencies", "E14001096"], 0)),
    "areas snapshot with petition data": (
        "server/snapshot-petition-areas.json", "snapshot",
        _set(["data"], load_json(EXAMPLES / "server/snapshot-petition.json")["data"])),
    "petition snapshot with areas data": (
        "server/snapshot-petition.json", "snapshot",
        _set(["data"], load_json(EXAMPLES / "server/snapshot-petition-areas.json")["data"])),
    "topic with an unknown petition suffix": ("server/snapshot-petition-areas.json", "snapshot", _set(["topic"], "petition:1:regions")),
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
    # Hearings: topic names, the topic kinds of each event, data shapes.
    "dashboard topic with an id": ("server/snapshot-dashboard.json", "snapshot", _set(["topic"], "dashboard:1")),
    "tally event with an id": ("server/event-tally.json", "event", _set(["topic"], "dashboard:1")),
    "moderation topic with a trailing part": (
        "server/event-claim.json", "event", _set(["topic"], "sitting:3:moderation:x")),
    "moderation topic of a petition": ("server/event-note.json", "event", _set(["topic"], "petition:1:moderation")),
    "subscribed to a dashboard with an id": (
        "server/subscribed-moderation.json", "subscribed", _set(["topics", 1, "topic"], "dashboard:3")),
    "votes event on a petition topic": ("server/event-votes.json", "event", _set(["topic"], "petition:1")),
    "votes event on the moderation topic": (
        "server/event-votes.json", "event", _set(["topic"], "sitting:3:moderation")),
    "tally event on a sitting topic": ("server/event-tally.json", "event", _set(["topic"], "sitting:3")),
    "claim event on the public sitting topic": ("server/event-claim.json", "event", _set(["topic"], "sitting:3")),
    "note event on the dashboard": ("server/event-note.json", "event", _set(["topic"], "dashboard")),
    "viewers event on the moderation topic": (
        "server/event-viewers.json", "event", _set(["topic"], "sitting:3:moderation")),
    "question event on a petition topic": ("server/event-question.json", "event", _set(["topic"], "petition:1")),
    "public question on the moderation topic (no staff fields)": (
        "server/event-question.json", "event", _set(["topic"], "sitting:3:moderation")),
    "staff question on the public topic (leaks staff fields)": (
        "server/event-question-moderation.json", "event", _set(["topic"], "sitting:3")),
    "question with an unknown state": ("server/event-question.json", "event", _set(["data", "state"], "pending")),
    "question without merged_from": ("server/event-question.json", "event", _delete(["data", "merged_from"])),
    "question with votes as a string": ("server/event-question.json", "event", _set(["data", "votes"], "4")),
    "question priority out of range": ("server/event-question.json", "event", _set(["data", "priority"], 101)),
    "public question with participant fields": ("server/event-question.json", "event", _set(["data", "mine"], True)),
    "approved question with a reason": (
        "server/event-question.json", "event", _set(["data", "reason"], {"code": "off_topic", "text": "Off topic."})),
    "rejected question without a reason": (
        "server/event-question-moderation.json", "event", _set(["data", "reason"], None)),
    "merged question without merged_into": (
        "server/snapshot-sitting-moderation.json", "snapshot", _set(["data", "questions", 0, "merged_into"], None)),
    "answered question without answered_at": (
        "server/snapshot-sitting.json", "snapshot", _set(["data", "questions", 3, "answered_at"], None)),
    "staff question with a 9-character pseudonym": (
        "server/event-question-moderation.json", "event", _set(["data", "participant"], "3fa4c19e0")),
    "edited staff question without original_text": (
        "server/snapshot-sitting-moderation.json", "snapshot", _set(["data", "questions", 4, "original_text"], None)),
    "staff question claim without until": (
        "server/snapshot-sitting-moderation.json", "snapshot",
        _delete(["data", "questions", 7, "claimed_by", "until"])),
    "moderated with an unknown action": ("server/event-moderated.json", "event", _set(["data", "action"], "delete")),
    "moderated without the reason key": ("server/event-moderated.json", "event", _delete(["data", "reason"])),
    "votes map with a key that is not an id": ("server/event-votes.json", "event", _set(["data", "votes", "q12"], 3)),
    "votes map with a negative count": ("server/event-votes.json", "event", _set(["data", "votes", "12"], -1)),
    "counts without withdrawn": ("server/event-counts.json", "event", _delete(["data", "withdrawn"])),
    "on_screen event without the question key": (
        "server/event-on-screen.json", "event", _delete(["data", "question"])),
    "sitting event with an unknown state": ("server/event-sitting.json", "event", _set(["data", "state"], "paused")),
    "sitting event time without milliseconds": (
        "server/event-sitting.json", "event", _set(["data", "ended_at"], "2026-11-29T15:31:40Z")),
    "claim with claimed_by but no until": ("server/event-claim.json", "event", _set(["data", "until"], None)),
    "claim event with the HTTP claim shape": (
        "server/event-claim.json", "event", _set(["data", "claimed_by", "until"], "2026-11-29T14:21:10.402Z")),
    "note without read_at": ("server/event-note.json", "event", _delete(["data", "read_at"])),
    "presence of a clerk": ("server/event-presence.json", "event", _set(["data", "staff", 0, "role"], "clerk")),
    "tally without petitions": ("server/event-tally.json", "event", _delete(["data", "petitions"])),
    "tally sitting without peak_viewers": (
        "server/event-tally.json", "event", _delete(["data", "sittings", 0, "peak_viewers"])),
    "tally question counts with rejected": (
        "server/event-tally.json", "event", _set(["data", "sittings", 0, "questions", "rejected"], 1)),
    "sitting snapshot without votes": ("server/snapshot-sitting.json", "snapshot", _delete(["data", "votes"])),
    "sitting snapshot without counts": ("server/snapshot-sitting.json", "snapshot", _delete(["data", "counts"])),
    "sitting snapshot with a plain http stream_url": (
        "server/snapshot-sitting.json", "snapshot", _set(["data", "stream_url"], "http://video.example/live")),
    "sitting snapshot with an unknown state": (
        "server/snapshot-sitting.json", "snapshot", _set(["data", "state"], "suspended")),
    "sitting snapshot with a staff question": (
        "server/snapshot-sitting.json", "snapshot",
        _set(["data", "questions", 0], load_json(EXAMPLES / "server/event-question-moderation.json")["data"])),
    "sitting snapshot with moderation data": (
        "server/snapshot-sitting.json", "snapshot",
        _set(["data"], load_json(EXAMPLES / "server/snapshot-sitting-moderation.json")["data"])),
    "moderation snapshot missing staff": (
        "server/snapshot-sitting-moderation.json", "snapshot", _delete(["data", "staff"])),
    "moderation snapshot with public questions": (
        "server/snapshot-sitting-moderation.json", "snapshot",
        _set(["data", "questions"], load_json(EXAMPLES / "server/snapshot-sitting.json")["data"]["questions"])),
    "dashboard snapshot with sitting data": (
        "server/snapshot-dashboard.json", "snapshot",
        _set(["data"], load_json(EXAMPLES / "server/snapshot-sitting.json")["data"])),
    "dashboard threshold without reached_at": (
        "server/snapshot-dashboard.json", "snapshot", _delete(["data", "petitions", 0, "thresholds", 1, "reached_at"])),
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


def test_every_event_name_has_an_example_and_is_refused_on_other_topic_kinds():
    schema = load_json(schema_path("server", "event"))
    assert set(schema["properties"]["event"]["enum"]) == set(EVENT_TOPIC_KINDS)
    examples = {}
    for path in EXAMPLE_FILES:
        example = load_json(path)
        if example["type"] == "event":
            examples.setdefault(example["event"], example)
    assert set(examples) == set(EVENT_TOPIC_KINDS), "at least one example per event name"
    other_topics = {"petition": "petition:1", "areas": "petition:1:areas", "sitting": "sitting:3",
                    "moderation": "sitting:3:moderation", "dashboard": "dashboard", "bill": "bill:1",
                    "bill_moderation": "bill:1:moderation"}
    validator = validator_for("server", "event")
    for name, kinds in EVENT_TOPIC_KINDS.items():
        for kind, topic in other_topics.items():
            if kind not in kinds:
                assert errors(validator, {**examples[name], "topic": topic}) != [], f"{name} accepted on {topic}"


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
    assert len(contract_ws_error_codes()) == 9
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


def captioned_spec_blocks():
    """(caption, value) for each ```json block of PROTOCOL.md; the caption is the prose paragraph before the run of
    code blocks the block belongs to."""
    spec = SPEC.read_text(encoding="utf-8")
    found, caption, paragraph, in_code, lang, body = [], "", [], False, "", []
    for line in spec.splitlines():
        if line.startswith("```"):
            if not in_code:
                in_code, lang, body = True, line[3:].strip(), []
                if paragraph:
                    caption, paragraph = " ".join(paragraph), []
            else:
                in_code = False
                if lang == "json":
                    found.append((caption, json.loads("\n".join(body))))
        elif in_code:
            body.append(line)
        elif line.strip():
            paragraph.append(line)
        elif paragraph:
            caption, paragraph = " ".join(paragraph), []
    return found


def test_spec_examples_named_after_a_file_equal_it():
    """A json block whose caption names `examples/<side>/<name>.json` is that file (unless the caption says abridged)."""
    checked = 0
    runs: dict[str, list] = {}
    for caption, value in captioned_spec_blocks():
        runs.setdefault(caption, []).append(value)
    for caption, values in runs.items():
        named = re.findall(r"`examples/((?:client|server)/[a-z0-9-]+\.json)`", caption)
        if not named:
            continue
        files = {name: load_json(EXAMPLES / name) for name in named}
        if "abridged" in caption:
            assert len(values) == 1 and len(files) == 1
            [(name, full)] = files.items()
            assert values[0]["topic"] == full["topic"] and set(values[0]["data"]) == set(full["data"]), name
            continue
        for value in values:
            assert value in files.values(), f"a block after '{caption[:60]}…' is none of {named}"
        for name, file in files.items():
            assert file in values, f"{name} is named in '{caption[:60]}…' but not shown"
        checked += len(values)
    assert checked >= 15


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
