"""Every message the kiosk shows is translated in every shipped language."""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po

from frontdesk.kiosk.translations import all_messages, config_names, source_messages
from frontdesk.ui import i18n

SHIPPED = [code for code in i18n.LANGUAGE_CODES if code != "en"]


def catalogue(language: str):  # type: ignore[no-untyped-def]
    with i18n.po_path(language).open("rb") as fh:
        return read_po(fh, locale=language, domain=i18n.DOMAIN)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_kiosk_offers_english_welsh_polish_and_romanian() -> None:
    assert {"en", "cy", "pl", "ro"} <= set(i18n.LANGUAGE_CODES)


def test_messages_are_found_in_the_source_and_the_centres_file() -> None:
    found = source_messages()
    assert "What have you come about?" in found
    assert "Council Tax" in config_names()
    assert len(found) > 100


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated(language: str) -> None:
    cat = catalogue(language)
    missing = []
    for message, where in all_messages().items():
        entry = cat.get(message)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{message!r} ({where[0]})")
    assert not missing, f"{language}: {len(missing)} untranslated: " + "; ".join(missing[:10])


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_their_placeholders(language: str) -> None:
    cat = catalogue(language)
    for entry in cat:
        if entry.id and entry.string:
            assert fields(entry.id) == fields(entry.string), (language, entry.id)


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogues_compile_and_switch(language: str) -> None:
    try:
        i18n.set_language(language)
        translated = i18n._("Take a ticket")
        assert translated and translated != "Take a ticket"
    finally:
        i18n.set_language("en")
    assert i18n._("Take a ticket") == "Take a ticket"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert i18n.set_language("xx") == "en"
    assert i18n._("Back") == "Back"


def test_no_visible_string_escapes_the_catalogue() -> None:
    """Literal text handed to widgets in the kiosk screens goes through _()."""
    from frontdesk.kiosk.translations import source_files

    literal = re.compile(r"(Static|Label|ChoiceButton)\(\s*\"[A-Za-z]")
    allowed = {"Welcome · Croeso · Witamy · Bun venit"}  # each language in its own words
    offenders = []
    for path in source_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if literal.search(line) and not any(a in line for a in allowed):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, offenders
