"""The centres file (DESIGN §4 "Configuration (TOML)"): errors name file, table and key."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from frontdesk import sample
from frontdesk.config import (
    CentresFile,
    ConfigError,
    load_centres,
    parse_centres,
    parse_hours,
)
from frontdesk.errors import InvalidInput

# The copy in the checkout that the README passes to `frontdesk init --config`.
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "council.toml"
RAW: dict[str, Any] = tomllib.loads(sample.council_text())
SERVICES = ["CTAX", "HBEN", "HOPT", "TENR", "PLAN", "WAST", "PARK", "GENQ"]


def problems(change: Callable[[dict[str, Any]], object], source: str = "centres.toml") -> str:
    raw = copy.deepcopy(RAW)
    change(raw)
    with pytest.raises(ConfigError) as info:
        parse_centres(raw, source=source)
    return str(info.value)


# --- the sample loads ---------------------------------------------------------------


def test_sample_council_loads() -> None:
    cfg = sample.council()
    assert isinstance(cfg, CentresFile)
    assert len(cfg.centre) >= 4
    assert [s.code for s in cfg.service] == SERVICES
    assert len({s.prefix for s in cfg.service}) == 8


def test_sample_centres_are_consistent() -> None:
    cfg = sample.council()
    for centre in cfg.centre:
        assert set(centre.services) <= set(SERVICES)
        assert {s for d in centre.desk for s in d.services} == set(centre.services)
        assert centre.timezone == "Europe/London"
        assert centre.standard.threshold_minutes == 10
        assert centre.standard.target_share == 0.95
    civic = next(c for c in cfg.centre if c.code == "CIVIC")
    assert civic.standard.average_wait_minutes == 10
    assert civic.service_standards["HOPT"].threshold_minutes == 5
    assert cfg.queue.priority_run_limit == 2


def test_the_examples_copy_is_the_sample_the_package_ships() -> None:
    """examples/council.toml (for `frontdesk init --config`) and the package data the demo
    reads must not drift apart: edit both, or neither."""
    assert EXAMPLE.read_bytes() == sample.COUNCIL.read_bytes()
    assert load_centres(EXAMPLE) == sample.council()


def test_opening_hours_parse_with_lunch_breaks() -> None:
    cfg = sample.council()
    library = next(c for c in cfg.centre if c.code == "EASTMOOR-LIB")
    mon = library.opening()["mon"]
    assert [(r.opens.isoformat("minutes"), r.closes.isoformat("minutes")) for r in mon] == [
        ("10:00", "13:00"),
        ("14:00", "16:00"),
    ]


@pytest.mark.parametrize("text", ["17:00-08:30", "9-5", "24:00-25:00", "09:00-09:00", "09:00"])
def test_parse_hours_refuses_bad_ranges(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(text)


# --- errors name the file, the table and the key ---------------------------------------


def test_unknown_key_in_a_desk() -> None:
    msg = problems(lambda r: r["centre"][0]["desk"][2].update(colour="red"))
    assert msg == (
        'centres.toml: [[centre]] "CIVIC" > [[centre.desk]] "3": key \'colour\': not a known key'
    )


def test_unknown_top_level_key() -> None:
    assert "centres.toml: top level: key 'colour': not a known key" in problems(
        lambda r: r.update(colour="red")
    )


def test_missing_key() -> None:
    msg = problems(lambda r: r["service"][1].pop("prefix"))
    assert msg == "centres.toml: [[service]] \"HBEN\": key 'prefix': is required"


def test_missing_key_in_an_unnamed_desk_names_its_position() -> None:
    msg = problems(lambda r: r["centre"][0]["desk"][0].pop("name"))
    assert "[[centre]] \"CIVIC\" > [[centre.desk]] #1: key 'name': is required" in msg


@pytest.mark.parametrize(
    ("hours", "why"),
    [
        ("17:00-08:30", "closes before it opens"),
        ("9-5", "is not HH:MM-HH:MM"),
        ("25:00-26:00", "not a time of day"),
    ],
)
def test_bad_hours(hours: str, why: str) -> None:
    msg = problems(lambda r: r["centre"][0]["hours"].update(mon=hours))
    assert msg.startswith("centres.toml: [[centre]] \"CIVIC\": key 'hours': mon:")
    assert why in msg


def test_bad_day_name() -> None:
    assert "key 'hours': 'mun' is not a day" in problems(
        lambda r: r["centre"][0]["hours"].update(mun="09:00-17:00")
    )


def test_bad_timezone() -> None:
    msg = problems(lambda r: r["centre"][2].update(timezone="Europe/Narnia"))
    assert "centres.toml: [[centre]] \"EASTMOOR-LIB\": key 'timezone'" in msg
    assert "'Europe/Narnia' is not an IANA time zone" in msg


def test_unknown_service_in_a_centre() -> None:
    msg = problems(lambda r: r["centre"][2]["services"].append("ZZZ"))
    assert "[[centre]] \"EASTMOOR-LIB\": key 'services': unknown service 'ZZZ'" in msg


def test_unknown_service_in_a_desk() -> None:
    msg = problems(lambda r: r["centre"][2]["desk"][0]["services"].append("ZZZ"))
    assert '[[centre]] "EASTMOOR-LIB" > [[centre.desk]] "1": key \'services\'' in msg
    assert "'ZZZ'" in msg


def test_desk_serving_a_service_the_centre_does_not_offer() -> None:
    msg = problems(lambda r: r["centre"][2]["desk"][0]["services"].append("HOPT"))
    assert "[[centre.desk]] \"1\": key 'services': 'HOPT' is not offered here" in msg


def test_duplicate_service_code() -> None:
    msg = problems(lambda r: r["service"][1].update(code="CTAX"))
    assert "centres.toml: [[service]] \"CTAX\": key 'code': used twice" in msg


def test_duplicate_prefix() -> None:
    msg = problems(lambda r: r["service"][1].update(prefix="C"))
    assert "centres.toml: [[service]]: key 'prefix': 'C' used by two services" in msg


def test_duplicate_centre_code_and_desk_name() -> None:
    msg = problems(lambda r: r["centre"][1].update(code="CIVIC"))
    assert "[[centre]] \"CIVIC\": key 'code': used twice" in msg
    msg = problems(lambda r: r["centre"][0]["desk"][1].update(name="1"))
    assert '[[centre]] "CIVIC" > [[centre.desk]] "1": key \'name\'' in msg


def test_service_offered_that_no_desk_serves() -> None:
    msg = problems(lambda r: r["centre"][3]["services"].append("TENR"))
    assert (
        "[[centre]] \"HALLBRIDGE\": key 'services': 'TENR' is offered but no desk serves it" in msg
    )


def test_service_standard_for_a_service_not_offered() -> None:
    msg = problems(lambda r: r["centre"][2].update(service_standards={"HOPT": {}}))
    assert "key 'service_standards.HOPT': not offered here" in msg


def test_bad_standard_share() -> None:
    msg = problems(lambda r: r["centre"][0]["standard"].update(target_share=1.5))
    assert "[[centre]] \"CIVIC\": key 'standard.target_share'" in msg


# --- aggregation, and nothing returned -----------------------------------------------


def test_schema_errors_are_aggregated() -> None:
    def two(r: dict[str, Any]) -> None:
        r["service"][1].pop("prefix")
        r["centre"][0].update(colour=1)
        r["centre"][2].update(timezone="Mars/Olympus")

    parts = problems(two).split("; ")
    assert len(parts) == 3
    assert all(p.startswith("centres.toml: ") for p in parts)


def test_cross_check_errors_are_aggregated() -> None:
    def two(r: dict[str, Any]) -> None:
        r["service"][1].update(prefix="C")
        r["centre"][3]["services"].append("TENR")

    parts = problems(two).split("; ")
    assert len(parts) == 2


def test_config_error_is_invalid_input() -> None:
    assert issubclass(ConfigError, InvalidInput)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[[service]]\ncode = "CTAX\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML"):
        load_centres(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: cannot read"):
        load_centres(tmp_path / "nope.toml")


def test_errors_from_a_file_name_the_path_and_load_nothing(tmp_path: Path) -> None:
    path = tmp_path / "centres.toml"
    text = sample.council_text().replace('prefix = "B"', 'prefix = "C"', 1)
    path.write_text(text, encoding="utf-8")
    result: CentresFile | None = None
    with pytest.raises(ConfigError, match=re.escape(str(path))):
        result = load_centres(path)
    assert result is None


def test_minimal_file_from_the_design_loads(tmp_path: Path) -> None:
    path = tmp_path / "min.toml"
    path.write_text(
        """
[[service]]
code = "CTAX"
name = "Council Tax"
prefix = "C"

[[centre]]
code = "CIVIC"
name = "Civic Centre"
timezone = "Europe/London"
services = ["CTAX"]
standard = { threshold_minutes = 10, target_share = 0.95 }
hours = { mon = "08:30-17:00", tue = "08:30-17:00", sat = "09:00-12:00" }

[[centre.desk]]
name = "1"
services = ["CTAX"]
""",
        encoding="utf-8",
    )
    cfg = load_centres(path)
    assert cfg.centre[0].desk[0].services == ["CTAX"]
    assert set(cfg.centre[0].opening()) == {"mon", "tue", "sat"}


def test_board_period_is_today_week_or_month() -> None:
    msg = problems(lambda r: r["centre"][0].update(board_period="year"))
    assert msg.startswith("centres.toml: [[centre]] \"CIVIC\": key 'board_period':")


def test_a_centres_languages_and_name_forms_load() -> None:
    def bilingual(raw: dict[str, Any]) -> None:
        raw["centre"][0]["languages"] = ["cy", "en"]

    raw = copy.deepcopy(RAW)
    bilingual(raw)
    civic = parse_centres(raw).centre[0]
    assert civic.languages == ["cy", "en"]
    assert civic.names["cy"].soft == "Ganolfan Ddinesig"
    assert sample.council().centre[1].languages == ["en"]  # English unless said


def test_an_unknown_language_is_refused_naming_the_key() -> None:
    said = problems(lambda raw: raw["centre"][0].__setitem__("languages", ["en", "klingon"]))
    assert "[[centre]] \"CIVIC\": key 'languages': 'klingon' is not a language" in said
    assert "(en, cy, pl, ro)" in said
    twice = problems(lambda raw: raw["centre"][0].__setitem__("languages", ["cy", "cy"]))
    assert "key 'languages': a language is listed twice" in twice


def test_name_forms_are_checked() -> None:
    said = problems(lambda raw: raw["centre"][0]["names"].__setitem__("xx", {"name": "X"}))
    assert "key 'names': 'xx' is not a language" in said
    bad = problems(lambda raw: raw["centre"][0]["names"]["cy"].__setitem__("mutated", "X"))
    assert "key 'names.cy.mutated': not a known key" in bad


def test_interpreter_languages_default_and_are_checked() -> None:
    cfg = parse_centres(copy.deepcopy(RAW))
    assert "polish" in cfg.queue.interpreter_languages
    raw = copy.deepcopy(RAW)
    raw.setdefault("queue", {})["interpreter_languages"] = ["polish", "tigrinya"]
    assert parse_centres(raw).queue.interpreter_languages == ["polish", "tigrinya"]
    msg = problems(lambda r: r.setdefault("queue", {}).update(interpreter_languages=["Pol1sh"]))
    assert "interpreter_languages" in msg


def test_an_interpreter_need_names_a_configured_language() -> None:
    from frontdesk.services import lookup

    assert lookup.needs(["interpreter:Polish", "bsl", "interpreter"], ["polish"]) == (
        "interpreter:polish",
        "bsl",
        "interpreter",
    )
    with pytest.raises(InvalidInput, match=r"needs: no interpreter for 'klingon'"):
        lookup.needs(["interpreter:klingon"], ["polish", "welsh"])
    with pytest.raises(InvalidInput, match="unknown need 'telepathy'"):
        lookup.needs(["telepathy"], ["polish"])
