"""The HTTP answers of the live hearings API (Protocol/HEARINGS.md): Protocol/examples/http/*.json against
Protocol/schemas/http/*.schema.json, and both against HEARINGS.md and the WebSocket schemas and examples.

Run from the repository root:

    python3 -m pytest Tests/protocol -q

The example files are the fixtures a server test compares real answers with (key sets), so their keys must be
exactly those of HEARINGS.md. An example `<name>.json` or `<name>-<variant>.json` is checked against the schema
with the longest matching `<name>` (`question-staff.json` against `question-staff.schema.json`, `error-*.json`
against `error.schema.json`).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from test_protocol_docs import EXAMPLES, PROTOCOL, ROOT, SCHEMAS, errors, iter_refs, load_json, rel, resolve_pointer

HTTP_EXAMPLES = EXAMPLES / "http"
HTTP_SCHEMAS = SCHEMAS / "http"
HEARINGS = PROTOCOL / "HEARINGS.md"

REQUIRED_HTTP_EXAMPLES = [
    "sitting", "question", "question-participant", "question-staff", "note", "claim", "session", "dashboard", "dashboard-series",
    "moderation-log", "record", "error-question-state-conflict", "error-claimed-by-other", "error-invalid-input",
    "error-participant-required", "error-chair-cannot-claim",
]

EXAMPLE_FILES = sorted(HTTP_EXAMPLES.glob("*.json"))
SCHEMA_FILES = sorted(HTTP_SCHEMAS.glob("*.schema.json"))
SCHEMA_NAMES = {p.name.removesuffix(".schema.json") for p in SCHEMA_FILES}
# Server WebSocket schemas whose $defs share names with the HTTP ones.
WS_SCHEMA_FILES = [SCHEMAS / "server" / "snapshot.schema.json", SCHEMAS / "server" / "event.schema.json"]


def schema_name_of(example: Path) -> str:
    stem = example.name.removesuffix(".json")
    candidates = [n for n in SCHEMA_NAMES if stem == n or stem.startswith(n + "-")]
    assert candidates, f"{example.name} matches no schema in {rel(HTTP_SCHEMAS)}"
    return max(candidates, key=len)


def http_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_json(HTTP_SCHEMAS / f"{name}.schema.json"))


def example(name: str):
    return load_json(HTTP_EXAMPLES / f"{name}.json")


def ws_example(name: str):
    return load_json(EXAMPLES / "server" / f"{name}.json")


# --------------------------------------------------------------------------------------------------------------------
# Schemas and examples
# --------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", SCHEMA_FILES, ids=rel)
def test_http_schema_is_valid_and_self_contained(path: Path):
    schema = load_json(path)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert path.read_text(encoding="utf-8") == json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    for where, ref in iter_refs(schema):
        assert ref.startswith("#/"), f"{where}: schemas are self-contained, got {ref}"
        resolve_pointer(schema, ref[1:])
    # Closed objects: every object with properties says additionalProperties false.
    for where, node in walk(schema):
        if isinstance(node, dict) and "properties" in node and node.get("type") == "object":
            assert node.get("additionalProperties") is False, f"{rel(path)} {where}: not closed"


def walk(node, where=""):
    yield where, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{where}/{i}")


def test_required_http_examples_exist():
    for name in REQUIRED_HTTP_EXAMPLES:
        assert (HTTP_EXAMPLES / f"{name}.json").is_file(), f"missing examples/http/{name}.json"


def test_every_http_schema_has_an_example():
    used = {schema_name_of(p) for p in EXAMPLE_FILES}
    assert used == SCHEMA_NAMES


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=rel)
def test_http_example_validates(path: Path):
    text = path.read_text(encoding="utf-8")
    value = json.loads(text)
    assert isinstance(value, dict)
    assert text == json.dumps(value, indent=2, ensure_ascii=False) + "\n", "pretty-print with 2-space indent"
    assert errors(http_validator(schema_name_of(path)), value) == []


def test_shared_definitions_are_identical_everywhere():
    """A $defs name means one thing in every schema, HTTP and WebSocket alike (e.g. `question`, `dashboard`)."""
    seen: dict[str, tuple[str, object]] = {}
    for path in [*WS_SCHEMA_FILES, *SCHEMA_FILES]:
        for name, definition in load_json(path).get("$defs", {}).items():
            if name in seen:
                assert definition == seen[name][1], f"$defs/{name} differs between {seen[name][0]} and {rel(path)}"
            else:
                seen[name] = (rel(path), definition)
    for shared in ["question", "staff_question", "note", "counts", "dashboard", "timestamp"]:
        assert shared in seen


def test_staff_and_participant_questions_extend_the_public_one():
    defs = load_json(HTTP_SCHEMAS / "question.schema.json")["$defs"]
    public = defs["question"]["properties"]
    for name, extra in [("question-staff", ["original_text", "participant", "claimed_by", "held_votes"]),
                        ("question-participant", ["mine", "voted"])]:
        schema = load_json(HTTP_SCHEMAS / f"{name}.schema.json")
        definition = schema["$defs"][schema["$ref"].rsplit("/", 1)[1]]
        assert list(definition["properties"]) == [*public, *extra]
        assert {k: definition["properties"][k] for k in public} == public
        assert definition["required"] == [*public, *extra]


# --------------------------------------------------------------------------------------------------------------------
# Key names: exactly those of HEARINGS.md
# --------------------------------------------------------------------------------------------------------------------

def hearings_json_blocks() -> list[dict]:
    return [json.loads(body) for body in re.findall(r"^```json\n(.*?)^```", HEARINGS.read_text(encoding="utf-8"),
                                                    re.M | re.S)]


def hearings_block_with(key: str) -> dict:
    [block] = [b for b in hearings_json_blocks() if key in b]
    return block


def test_sitting_and_question_keys_are_those_of_hearings():
    sitting = hearings_block_with("scheduled_start")
    question = hearings_block_with("answered_offset_seconds")
    assert list(example("sitting")) == list(sitting)
    assert list(example("sitting")["settings"]) == list(sitting["settings"])
    assert list(example("sitting")["counts"]) == list(sitting["counts"])
    assert list(example("question")) == list(question)
    # HEARINGS.md's own examples are valid answers.
    assert errors(http_validator("sitting"), sitting) == []
    assert errors(http_validator("question"), question) == []


def quoted_keys(text: str) -> list[str]:
    return re.findall(r'"([a-z_]+)"', text)


def test_other_keys_are_those_of_hearings():
    text = HEARINGS.read_text(encoding="utf-8")
    note = re.search(r"A Note is `(\{.*?\})`", text).group(1)
    assert quoted_keys(note) == ["id", "sitting_id", "question", "text", "author", "id", "name", "created_at",
                                 "read_at"]
    assert list(example("note")) == ["id", "sitting_id", "question", "text", "author", "created_at", "read_at"]
    assert list(example("note")["author"]) == ["id", "name"]
    staff_fields = re.search(r"\*\*Staff\*\* see the question with more fields \(a StaffQuestion\): (.*?)\n\n", text, re.S).group(1)
    for key in ["original_text", "participant", "claimed_by", "held_votes"]:
        assert f"`{key}`" in staff_fields
    assert list(example("question-staff"))[-4:] == ["original_text", "participant", "claimed_by", "held_votes"]
    assert list(example("claim")["claimed_by"]) == ["id", "name", "until"], "a StaffQuestion's claimed_by"
    assert list(example("question-participant"))[-2:] == ["mine", "voted"]
    assert '"mine": bool' in text and '"voted": bool' in text
    session = re.search(r"\| `POST /api/v1/session` \| anyone \| .*? \| `(.*?)` \|", text).group(1)
    assert quoted_keys(session) == ["staff", "id", "name", "email", "role", "sittings", "password_change_required"]
    assert list(example("session")) == ["staff", "password_change_required"]
    assert list(example("session")["staff"]) == ["id", "name", "email", "role", "sittings"]
    claim = re.search(r"^\| `POST /api/v1/questions/\{id\}/claim` \|.*\| `([^`]*)` \|$", text, re.M).group(1)
    assert quoted_keys(claim) == list(example("claim"))
    assert quoted_keys(re.search(r"Errors are `(.*?)`", text).group(1)) == ["error", "code", "message", "fields"]
    dashboard = hearings_block_with("petitions")
    assert list(example("dashboard")) == list(dashboard)
    assert list(example("dashboard")["sittings"][0]) == list(dashboard["sittings"][0])
    assert list(example("dashboard")["petitions"][0]) == list(dashboard["petitions"][0])


def test_error_examples_use_codes_of_hearings():
    text = HEARINGS.read_text(encoding="utf-8")
    table = text[text.index("Errors specific to hearings"):]
    for path in HTTP_EXAMPLES.glob("error-*.json"):
        code = load_json(path)["error"]["code"]
        assert f"`{code}`" in table, f"{path.name}: {code} is not in HEARINGS.md's error table"
        assert path.name == "error-" + code.replace("_", "-") + ".json"
    assert "fields" in example("error-invalid-input")["error"]


# --------------------------------------------------------------------------------------------------------------------
# One story with the WebSocket examples
# --------------------------------------------------------------------------------------------------------------------

def test_http_examples_agree_with_the_live_examples():
    snapshot = ws_example("snapshot-sitting")["data"]
    sitting = example("sitting")
    for key in ["id", "title", "committee", "state", "stream_url", "stream_started_at", "ended_at", "counts"]:
        assert sitting[key] == snapshot[key], key
    assert example("question") == ws_example("event-on-screen")["data"]["question"]
    assert example("note") == ws_example("event-note")["data"]
    assert example("dashboard") == ws_example("snapshot-dashboard")["data"]
    claim, claim_event = example("claim"), ws_example("event-claim")["data"]
    assert claim["question_id"] == claim_event["question_id"] and claim["until"] == claim_event["until"]
    assert claim["claimed_by"] == {**claim_event["claimed_by"], "until": claim_event["until"]}
    staff = {q["id"]: q for q in ws_example("snapshot-sitting-moderation")["data"]["questions"]}
    edited = example("question-staff")
    assert edited["original_text"] and edited["participant"] == staff[edited["id"]]["participant"]
    mine = example("question-participant")
    assert {k: v for k, v in mine.items() if k not in {"mine", "voted"}} == ws_example("event-question")["data"]
    log = example("moderation-log")
    assert ws_example("event-moderated")["data"] in log["entries"]
    assert all(e["question_id"] in staff for e in log["entries"])


def test_moderation_log_counts_its_entries():
    log = example("moderation-log")
    entries = log["entries"]
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries), "oldest first"
    by_action, by_reason = {}, {}
    for e in entries:
        by_action[e["action"]] = by_action.get(e["action"], 0) + 1
        if e["reason"]:
            by_reason[e["reason"]["code"]] = by_reason.get(e["reason"]["code"], 0) + 1
    assert log["counts"] == {"by_action": dict(sorted(by_action.items())), "by_reason": dict(sorted(by_reason.items()))}
    # Replaying the log gives each question's last state, as the record shows it.
    last = {e["question_id"]: e["state"] for e in entries}
    for q in example("record")["questions"]:
        assert last[q["id"]] == q["state"], q["id"]


def stream_time(seconds: int) -> str:
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def test_record_is_consistent():
    record = example("record")
    questions = record["questions"]
    assert [q["id"] for q in questions] == sorted(q["id"] for q in questions)
    published = {q["id"] for q in questions if q["state"] in {"approved", "on_screen", "answered"}}
    # A merged duplicate is listed only if it had been published itself (its text was public); otherwise it is only
    # an id in the survivor's merged_from.
    was_published = {e["question_id"] for e in example("moderation-log")["entries"] if e["action"] in {"approve", "published"}}
    for q in questions:
        assert q["state"] in {"approved", "on_screen", "answered"} or (q["merged_into"] in published and q["id"] in was_published)
        assert q["directed_to"] == q["tag"]
        offset = q["answered_offset_seconds"]
        assert q["stream_time"] == (stream_time(offset) if offset is not None else None)
    answered = sorted((q["answered_offset_seconds"], q["text"]) for q in questions if q["answered_offset_seconds"] is not None)
    expected = [{"offset_seconds": 0, "title": record["sitting"]["title"]}] if answered else []
    expected += [{"offset_seconds": o, "title": t} for o, t in answered]
    assert record["chapters"] == expected
    assert record["sitting"]["state"] == "ended"


# --------------------------------------------------------------------------------------------------------------------
# Negative checks
# --------------------------------------------------------------------------------------------------------------------

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
    "sitting without settings": ("sitting", _delete(["settings"])),
    "sitting with an unknown moderation mode": ("sitting", _set(["settings", "moderation"], "none")),
    "sitting with an unknown state": ("sitting", _set(["state"], "adjourned")),
    "sitting counts without merged": ("sitting", _delete(["counts", "merged"])),
    "sitting scheduled_start without milliseconds": ("sitting", _set(["scheduled_start"], "2026-11-29T14:00:00Z")),
    "public question with mine": ("question", _set(["mine"], True)),
    "public question with staff fields": ("question", _set(["participant"], "3fa4c19e")),
    "question with an unknown state": ("question", _set(["state"], "hidden")),
    "question name omitted instead of null": ("question", _delete(["name"])),
    "participant question without voted": ("question-participant", _delete(["voted"])),
    "staff question without participant": ("question-staff", _delete(["participant"])),
    "staff question with an upper-case pseudonym": ("question-staff", _set(["participant"], "7D13E6F0")),
    "edited staff question without original_text": ("question-staff", _set(["original_text"], None)),
    "note with author as a string": ("note", _set(["author"], "Sam Okafor")),
    "note without question key": ("note", _delete(["question"])),
    "claim without until in claimed_by": ("claim", _delete(["claimed_by", "until"])),
    "session without password_change_required": ("session", _delete(["password_change_required"])),
    "session with an unknown role": ("session", _set(["staff", "role"], "superuser")),
    "session with sitting ids as strings": ("session", _set(["staff", "sittings"], ["3"])),
    "moderation log entry with an unknown action": ("moderation-log", _set(["entries", 0, "action"], "delete")),
    "moderation log counts for an unknown action": ("moderation-log", _set(["counts", "by_action", "deleted"], 1)),
    "record question without stream_time": ("record", _delete(["questions", 0, "stream_time"])),
    "record chapter without title": ("record", _delete(["chapters", 0, "title"])),
    "record sitting without counts": ("record", _delete(["sitting", "counts"])),
    "dashboard with an id": ("dashboard", _set(["id"], 1)),
    "dashboard series minute without viewers": ("dashboard-series", _delete(["sittings", 0, "minutes", 0, "viewers"])),
    "dashboard series peak of nobody": ("dashboard-series", _set(["sittings", 0, "peak", "viewers"], 0)),
    "dashboard series without window_minutes": ("dashboard-series", _delete(["window_minutes"])),
    "dashboard series sitting without minutes": ("dashboard-series", _delete(["sittings", 1, "minutes"])),
    "error without message": ("error-question-state-conflict", _delete(["error", "message"])),
    "error with empty fields": ("error-invalid-input", _set(["error", "fields"], {})),
    "error field message not a string": ("error-invalid-input", _set(["error", "fields", "text"], ["too long"])),
    "error code not snake_case": ("error-claimed-by-other", _set(["error", "code"], "Claimed-By-Other")),
    "error body not wrapped": ("error-claimed-by-other", lambda e: e.update(e.pop("error"))),
}


@pytest.mark.parametrize("name", NEGATIVE_CASES)
def test_http_schema_rejects(name: str):
    base, change = NEGATIVE_CASES[name]
    path = HTTP_EXAMPLES / f"{base}.json"
    validator = http_validator(schema_name_of(path))
    assert errors(validator, load_json(path)) == []
    bad = copy.deepcopy(load_json(path))
    change(bad)
    assert errors(validator, bad) != [], f"{name}: schema accepted {bad}"


def test_relative_paths_are_in_the_repository():
    assert HTTP_EXAMPLES.is_dir() and HTTP_SCHEMAS.is_dir() and ROOT in HTTP_EXAMPLES.parents
