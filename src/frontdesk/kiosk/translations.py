"""The kiosk's messages (and the visitor's web pages'): extracted from the source with
Babel, plus the centres file's names.

Used by the test that checks every shipped language translates every message, and to add
new messages to the .po files:
`python -c "from frontdesk.kiosk.translations import update_catalogues; update_catalogues()"`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from frontdesk import sample
from frontdesk.ui.i18n import DOMAIN, LANGUAGE_CODES, po_path

PACKAGE = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None}


def source_files() -> list[Path]:
    files = sorted((PACKAGE / "kiosk").rglob("*.py"))
    files += sorted((PACKAGE / "web").glob("*.py"))  # the visitor's phone and the website
    files += sorted((PACKAGE / "board").rglob("*.py"))  # the board speaks the centre's languages
    return files


def source_messages() -> dict[str, list[str]]:
    """msgid → where it is used (file:line)."""
    found: dict[str, list[str]] = {}
    for path in source_files():
        for line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
                found.setdefault(message, []).append(f"{path.relative_to(PACKAGE)}:{line}")
    return found


def config_names(path: Path | None = None) -> dict[str, list[str]]:
    """Names from a centres file (the sample council unless given) that visitors see:
    centres, services, topics, priorities, appointment types."""
    text = path.read_text(encoding="utf-8") if path is not None else sample.council_text()
    raw = tomllib.loads(text)
    found: dict[str, list[str]] = {}

    def add(name: str, where: str) -> None:
        found.setdefault(name, []).append(where)

    for service in raw.get("service", []):
        add(service["name"], f"[[service]] {service['code']}")
        for topic in service.get("topic", []):
            add(topic["name"], f"[[service.topic]] {topic['code']}")
    for centre in raw.get("centre", []):
        add(centre["name"], f"[[centre]] {centre['code']}")
    for priority in raw.get("priority", []):
        add(priority["name"], f"[[priority]] {priority['code']}")
    for kind in raw.get("appointment_type", []):
        add(kind["name"], f"[[appointment_type]] {kind['code']}")
    return found


def all_messages() -> dict[str, list[str]]:
    merged = source_messages()
    for message, where in config_names().items():
        merged.setdefault(message, []).extend(where)
    return merged


def update_catalogues() -> None:
    """Add new messages to every shipped .po file (untranslated), keeping translations."""
    messages = all_messages()
    for language in LANGUAGE_CODES:
        if language == "en":
            continue
        path = po_path(language)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=language, domain=DOMAIN)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain=DOMAIN, project="frontdesk")
        for message, where in messages.items():
            if message not in catalog:
                catalog.add(message, "", locations=[(w, 0) for w in where[:1]])
        with path.open("wb") as fh:
            write_po(fh, catalog, omit_header=False, sort_output=False, width=100)
