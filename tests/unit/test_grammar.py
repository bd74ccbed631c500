"""Names in translated sentences take the form the grammar needs (issue 18, item 15):
Welsh soft mutation after "i" and "ar", a Polish locative after "w"; the forms come from
the centres file and the catalogues choose them."""

from __future__ import annotations

import json

import pytest

from frontdesk import sample
from frontdesk.ui.grammar import Named, centre_languages, centre_named, day_named, soft_mutation
from frontdesk.ui.i18n import in_language, side_by_side


@pytest.mark.parametrize(
    ("word", "mutated"),
    [
        ("dydd", "ddydd"),
        ("Canolfan", "Ganolfan"),
        ("Gwener", "Wener"),
        ("Llun", "Lun"),
        ("Mawrth", "Fawrth"),
        ("Pontypridd", "Bontypridd"),
        ("Trefynwy", "Drefynwy"),
        ("Bangor", "Fangor"),
        ("Rhyl", "Ryl"),
        ("Abertawe", "Abertawe"),  # vowels do not mutate
    ],
)
def test_welsh_soft_mutation(word: str, mutated: str) -> None:
    assert soft_mutation(word) == mutated


def test_a_name_formats_as_the_form_asked_for_else_itself() -> None:
    name = Named("Canolfan Ddinesig", {"soft": "Ganolfan Ddinesig"})
    assert f"{name}" == "Canolfan Ddinesig"
    assert f"{name:soft}" == "Ganolfan Ddinesig"
    assert f"{name:locative}" == "Canolfan Ddinesig"  # no such form: the name
    assert f"{name:>20}" == "   Canolfan Ddinesig"  # ordinary format specs still work


def settings_of_the_sample() -> dict[str, str]:
    civic = next(c for c in sample.council().centre if c.code == "CIVIC")
    names = {k: v.model_dump(exclude_none=True) for k, v in civic.names.items()}
    return {"centre.CIVIC.names": json.dumps(names), "centre.CIVIC.languages": "cy,en"}


def welcome(language: str) -> str:
    settings = settings_of_the_sample()
    name = centre_named(
        settings, "CIVIC", "Civic Centre", language, lambda m: in_language(language, m)
    )
    return in_language(language, "Welcome to {centre}").format(centre=name)


def test_welcome_to_the_civic_centre_in_each_language() -> None:
    assert welcome("en") == "Welcome to Civic Centre"
    assert welcome("cy") == "Croeso i Ganolfan Ddinesig"  # soft mutation after "i"
    assert welcome("pl") == "Witamy w budynku Civic Centre"  # a locative after "w"
    assert welcome("ro") == "Bun venit la Centrul Civic"


def test_without_configured_forms_the_translated_name_is_used() -> None:
    name = centre_named({}, "CIVIC", "Civic Centre", "cy", lambda m: in_language("cy", m))
    assert name == "Canolfan Ddinesig" and f"{name:soft}" == "Canolfan Ddinesig"


def test_we_open_again_on_wednesday_in_welsh() -> None:
    day = day_named("Dydd Mercher 4 Mawrth", "cy")
    said = in_language("cy", "We open again at {time} on {day}.").format(time="08:30", day=day)
    assert said == "Rydym yn agor eto am 08:30 ar ddydd Mercher 4 Mawrth."
    english = in_language("en", "We open again at {time} on {day}.")
    assert english.format(time="08:30", day=day_named("Wednesday 4 March", "en")) == (
        "We open again at 08:30 on Wednesday 4 March."
    )


def test_the_centres_languages_and_labels_side_by_side() -> None:
    assert centre_languages(settings_of_the_sample(), "CIVIC") == ("cy", "en")
    assert centre_languages({}, "CIVIC") == ("en",)
    assert side_by_side("Now serving", ("cy", "en")) == "Nawr yn gwasanaethu · Now serving"
    assert side_by_side("Now serving", ("en",)) == "Now serving"
