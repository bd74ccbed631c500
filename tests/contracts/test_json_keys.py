"""Golden tests of the `--json` shapes of the scripting commands (DESIGN §4).

One scripted morning at the Civic Centre runs every scripting command once through
`frontdesk.cli.main`; each output is compared with `golden/json_keys.json`: exactly the
keys listed there, each value of its listed JSON type, and extra keys only where the
golden file names them as allowed additions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = json.loads((HERE / "golden" / "json_keys.json").read_text(encoding="utf-8"))
SHAPES: dict[str, Any] = GOLDEN["commands"]
# The commands DESIGN §4 and issue 10 name as the stable scripting interface.
SCRIPTING = {
    "ticket issue",
    "estimate",
    "call-next",
    "call-next, nobody waiting",
    "call",
    "start",
    "complete",
    "transfer",
    "queue",
    "report standard",
    "slots",
    "book",
    "checkin",
}


def _is_datetime(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# bool is a subclass of int in Python; JSON keeps them apart, and so do we.
TYPES: dict[str, Callable[[Any], bool]] = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "list": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "datetime": _is_datetime,
    "date": _is_date,
}


def shape_problems(value: Any, shape: dict[str, Any], where: str) -> list[str]:
    """Every way `value` departs from `shape` (empty when it conforms)."""
    if not isinstance(value, dict):
        return [f"{where}: expected an object, got {value!r}"]
    keys: dict[str, str] = shape["keys"]
    allowed = set(shape.get("allowed_additions", ()))
    problems = [f"{where}: missing key {k!r}" for k in keys if k not in value]
    problems += [
        f"{where}: unexpected key {k!r} (add it to allowed_additions only if an issue says so)"
        for k in value
        if k not in keys and k not in allowed
    ]
    for key, spec in keys.items():
        if key in value and not any(TYPES[t](value[key]) for t in spec.split("|")):
            problems.append(f"{where}.{key}: {value[key]!r} is not {spec}")
    for key, item_shape in shape.get("items", {}).items():
        items = value.get(key)
        if not items:
            problems.append(f"{where}.{key}: empty, so its items' shape went unchecked")
            continue
        for n, item in enumerate(items):
            problems += shape_problems(item, item_shape, f"{where}.{key}[{n}]")
    for key, inner in shape.get("objects", {}).items():
        if key in value:
            problems += shape_problems(value[key], inner, f"{where}.{key}")
    return problems


# -- the scripted morning ---------------------------------------------------------------

# One finished visit from an earlier day, in the interchange format, for `import events`.
HISTORY = """\
visit,centre,service,event,at,desk,resolved,avoidable
OLD-1,CIVIC,CTAX,issued,2026-02-27T10:00:00+00:00,,,
OLD-1,CIVIC,CTAX,called,2026-02-27T10:04:00+00:00,1,,
OLD-1,CIVIC,CTAX,started,2026-02-27T10:05:00+00:00,1,,
OLD-1,CIVIC,CTAX,completed,2026-02-27T10:12:00+00:00,1,false,
"""


@pytest.fixture(scope="module")
def outputs(new_store: Any, frozen_time: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The JSON each scripting command printed, by the golden file's command name."""
    store = new_store("json-keys")
    t = frozen_time
    out: dict[str, Any] = {}
    civic = ("--centre", "CIVIC")

    out["ticket issue"] = store.json("ticket", "issue", *civic, "--service", "CTAX")
    t.shift(60)
    store.json("ticket", "issue", *civic, "--service", "CTAX", "--needs", "step-free")
    store.json("ticket", "issue", *civic, "--service", "HBEN")
    out["estimate"] = store.json("estimate", *civic, "--service", "CTAX")
    t.shift(120)
    out["call-next"] = store.json("call-next", *civic, "--desk", "1")
    t.shift(30)
    out["start"] = store.json("start", *civic, "--desk", "1")
    t.shift(400)
    out["complete"] = store.json(
        "complete", *civic, "--desk", "1", "--resolved", "--avoidable", "chasing"
    )
    out["call"] = store.json("call", *civic, "--desk", "1", "C002")
    t.shift(30)
    store.json("start", *civic, "--desk", "1")
    t.shift(200)
    out["transfer"] = store.json(
        "transfer", *civic, "--desk", "1", "--service", "HBEN", "--note", "benefits question"
    )
    store.json("call-next", *civic, "--desk", "2")
    # One transferred visitor waits, one is at desk 2: both lists have items.
    out["queue"] = store.json("queue", *civic)
    # Desk 1 serves only Council Tax, and nobody waits for it now.
    out["call-next, nobody waiting"] = store.json("call-next", *civic, "--desk", "1")
    out["report standard"] = store.json(
        "report", "standard", *civic, "--from", "2026-03-02", "--to", "2026-03-02"
    )

    out["slots"] = store.json("slots", "--type", "HB-INTERVIEW", *civic, "--limit", "2")
    starts = out["slots"]["slots"][0]["starts_at"]
    out["book"] = store.json(
        "book", "--type", "HB-INTERVIEW", *civic, "--at", starts, "--phone", "07700 900123"
    )
    t.move_to(datetime.fromisoformat(starts) - timedelta(minutes=10))
    out["checkin"] = store.json("checkin", *civic, out["book"]["reference"])

    history = tmp_path_factory.mktemp("json-keys-events") / "events.csv"
    history.write_text(HISTORY, encoding="utf-8")
    out["import events"] = store.json("import", "events", str(history))

    # Staff management (issue 17), each change audited as done by --staff.
    out["staff add"] = store.json(
        "staff", "add", "ADM", "--name", "Ann Admin", "--role", "admin", "--pin", "1234"
    )
    store.json("staff", "add", "AD1", "--name", "Bo", "--pin", "2345", "--staff", "ADM")
    out["staff disable"] = store.json("staff", "disable", "AD1", "--staff", "ADM")
    out["staff enable"] = store.json("staff", "enable", "AD1", "--staff", "ADM")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FRONTDESK_NEW_PIN", "5678")
        out["staff reset-pin"] = store.json("staff", "reset-pin", "AD1", "--staff", "ADM")
    out["staff remove"] = store.json("staff", "remove", "AD1", "--staff", "ADM")
    out["staff list"] = store.json("staff", "list")
    out["purge contacts"] = store.json("purge", "contacts")
    out["audit"] = store.json("audit", "--from", "2026-03-01", "--to", "2026-12-31")
    copy = tmp_path_factory.mktemp("json-keys-backup") / "frontdesk.db"
    out["backup"] = store.json("backup", str(copy))
    out["restore"] = store.json("restore", str(copy), "--force")
    return out


def test_the_golden_file_covers_every_scripting_command(outputs: dict[str, Any]) -> None:
    assert set(SHAPES) >= SCRIPTING
    assert set(outputs) == set(SHAPES)


@pytest.mark.parametrize("command", sorted(SHAPES))
def test_json_keys_and_types_match_the_golden_file(outputs: dict[str, Any], command: str) -> None:
    assert shape_problems(outputs[command], SHAPES[command], command) == []


def test_the_scripted_values_are_the_ones_the_shapes_describe(outputs: dict[str, Any]) -> None:
    """The shapes were checked on real answers, not on empty or error ones."""
    assert outputs["ticket issue"]["ticket"] == "C001"
    assert outputs["ticket issue"]["issued_at"] == "2026-03-02T09:00:00+00:00"
    assert outputs["call-next"]["ticket"] == "C001"
    assert outputs["call-next"]["waited_seconds"] == 180
    assert outputs["call"]["ticket"] == "C002"
    assert outputs["complete"]["queries_completed"] == 1
    assert outputs["transfer"]["to_service"] == "HBEN"
    assert [w["ticket"] for w in outputs["queue"]["waiting"]] == ["C002"]
    assert [(s["ticket"], s["desk"]) for s in outputs["queue"]["serving"]] == [("H001", "2")]
    assert outputs["call-next, nobody waiting"] == {"ticket": None}
    assert outputs["report standard"]["seen"] == 2
    assert outputs["checkin"]["booking"]["status"] == "checked_in"
    assert outputs["checkin"]["arrival"] == "on_time"
    assert outputs["import events"]["visits"] == 1
    assert [m["status"] for m in outputs["staff list"]["staff"]] == ["removed", "active"]
    assert [e["action"] for e in outputs["audit"]["entries"]][-6:] == [
        "staff.disable",
        "staff.enable",
        "staff.reset-pin",
        "staff.remove",
        "staff.list",
        "purge.contacts",
    ]


# -- the comparison itself --------------------------------------------------------------

SHAPE = {
    "keys": {"id": "int", "when": "datetime", "note": "str|null"},
    "allowed_additions": ["later"],
}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"id": 1, "when": "2026-03-02T09:00:00+00:00"}, "missing key 'note'"),
        ({"id": 1, "when": "2026-03-02T09:00:00+00:00", "note": None, "x": 1}, "unexpected"),
        ({"id": True, "when": "2026-03-02T09:00:00+00:00", "note": None}, "is not int"),
        ({"id": 1, "when": "2026-03-02T09:00:00", "note": None}, "is not datetime"),
        ({"id": 1, "when": "2026-03-02T09:00:00+00:00", "note": 3}, "is not str|null"),
    ],
)
def test_a_departure_from_the_golden_shape_is_reported(value: Any, problem: str) -> None:
    problems = shape_problems(value, SHAPE, "x")
    assert len(problems) == 1 and problem in problems[0]


def test_listed_additions_and_either_type_of_a_union_are_accepted() -> None:
    when = "2026-03-02T09:00:00+00:00"
    assert shape_problems({"id": 1, "when": when, "note": None}, SHAPE, "x") == []
    assert shape_problems({"id": 1, "when": when, "note": "a", "later": 2}, SHAPE, "x") == []


def test_list_items_and_nested_objects_are_checked() -> None:
    shape = {
        "keys": {"rows": "list", "inner": "object"},
        "items": {"rows": {"keys": {"n": "int"}}},
        "objects": {"inner": {"keys": {"s": "str"}}},
    }
    assert shape_problems({"rows": [{"n": 1}], "inner": {"s": "a"}}, shape, "x") == []
    assert shape_problems({"rows": [{"n": "1"}], "inner": {"s": "a"}}, shape, "x") == [
        "x.rows[0].n: '1' is not int"
    ]
    assert shape_problems({"rows": [], "inner": {}}, shape, "x") == [
        "x.rows: empty, so its items' shape went unchecked",
        "x.inner: missing key 's'",
    ]
