"""Resolve users' codes (centre, service, desk, topic, priority, needs) to reference data,
with errors that say what is accepted."""

from __future__ import annotations

from collections.abc import Iterable

from frontdesk.config import INTERPRETER_LANGUAGES
from frontdesk.errors import InvalidInput, NotFound
from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.services.results import FEEDBACK_KINDS, NEEDS
from frontdesk.store.catalogue import Catalogue, CentreRef, DeskRef, ServiceRef


def _known(values: Iterable[str]) -> str:
    return ", ".join(sorted(values)) or "none configured"


def centre(cat: Catalogue, code: str) -> CentreRef:
    found = cat.centres.get(code.strip().upper())
    if found is None:
        raise NotFound(f"unknown centre '{code}' (known: {_known(cat.centres)})")
    return found


def service(cat: Catalogue, where: CentreRef, code: str) -> ServiceRef:
    found = cat.services.get(code.strip().upper())
    if found is None:
        raise NotFound(f"unknown service '{code}' (known: {_known(cat.services)})")
    if found.code not in where.services:
        raise NotFound(
            f"service '{found.code}' is not offered at {where.code} "
            f"(offered: {_known(where.services)})"
        )
    return found


def desk(where: CentreRef, name: str) -> DeskRef:
    found = where.desks.get(name.strip())
    if found is None:
        raise NotFound(f"unknown desk '{name}' at {where.code} (desks: {_known(where.desks)})")
    return found


def priority(cat: Catalogue, code: str | None) -> str | None:
    if code is None or code == "":
        return None
    up = code.strip().upper()
    if up not in cat.priorities:
        raise InvalidInput(f"unknown priority '{code}' (configured: {_known(cat.priorities)})")
    return up


def interpreter_languages(cat: Catalogue) -> tuple[str, ...]:
    """The languages an interpreter can be asked for (the centres file's
    `queue.interpreter_languages`)."""
    text = cat.settings.get("queue.interpreter_languages")
    if text is None:
        return INTERPRETER_LANGUAGES  # a store loaded before the setting existed
    return tuple(lang for lang in text.split(",") if lang)


def needs(values: Iterable[str], languages: Iterable[str] = ()) -> tuple[str, ...]:
    """Validate needs: private-room, interpreter[:language], bsl, hearing-loop, step-free;
    an interpreter's language must be one of `languages`."""
    known = tuple(languages)
    out: list[str] = []
    for raw in values:
        item = " ".join(raw.strip().lower().split())
        if not item:
            continue
        need, _, language = item.partition(":")
        if need == "interpreter" and language:
            if language.strip() not in known:
                raise InvalidInput(
                    f"needs: no interpreter for '{language.strip()}' (languages: {_known(known)})"
                )
            item = f"interpreter:{language.strip()}"
        elif item not in NEEDS:
            raise InvalidInput(
                f"unknown need '{raw}' (accepted: {', '.join(NEEDS)}; "
                "an interpreter's language as interpreter:polish)"
            )
        if item not in out:
            out.append(item)
    return tuple(out)


def avoidable(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value not in AVOIDABLE_CATEGORIES:
        raise InvalidInput(
            f"unknown avoidable-contact category '{value}' "
            f"(accepted: {', '.join(AVOIDABLE_CATEGORIES)})"
        )
    return value


def feedback(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value not in FEEDBACK_KINDS:
        raise InvalidInput(f"unknown feedback '{value}' (accepted: {', '.join(FEEDBACK_KINDS)})")
    return value


def topic_id(cat: Catalogue, code: str | None) -> int | None:
    if code is None or code == "":
        return None
    found = cat.topics.get(code.strip().upper())
    if found is None:
        raise NotFound(f"unknown topic '{code}' (known: {_known(cat.topics)})")
    return found.id
