"""Cross-checks of a centres file's appointments: every appointment type, surgery and
specialist must name services, centres, desks, types and skills the file defines.

Without them a typo loads silently and `slots` later offers "desk No Such Desk".
Kept apart from `frontdesk.config` (the schema) so each stays a readable size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdesk.config import CentresFile


def _problem(source: str, table: str, key: str, message: str) -> str:
    return f"{source}: {table}: {key}: {message}"


def _known(values: set[str]) -> str:
    return ", ".join(sorted(values)) or "none defined"


def appointment_links(cfg: CentresFile, source: str) -> list[str]:
    """Every dangling reference in the appointment tables, as one message each."""
    problems: list[str] = []
    services = {s.code for s in cfg.service}
    centres = {c.code: {d.name for d in c.desk} for c in cfg.centre}
    types = {t.code for t in cfg.appointment_type}
    skills = {t.skill for t in cfg.appointment_type}

    def centre_and_desk(where: str, centre: str, desk: str) -> None:
        if centre not in centres:
            problems.append(
                _problem(
                    source, where, "centre", f"unknown centre '{centre}' ({_known(set(centres))})"
                )
            )
        elif desk not in centres[centre]:
            problems.append(
                _problem(
                    source,
                    where,
                    "desk",
                    f"no desk '{desk}' at {centre} ({_known(centres[centre])})",
                )
            )

    for t in cfg.appointment_type:
        where = f'[[appointment_type]] "{t.code}"'
        if t.service not in services:
            problems.append(
                _problem(
                    source, where, "service", f"unknown service '{t.service}' ({_known(services)})"
                )
            )
        for centre in t.centres:
            if centre not in centres:
                problems.append(
                    _problem(
                        source,
                        where,
                        "centres",
                        f"unknown centre '{centre}' ({_known(set(centres))})",
                    )
                )
    for sp in cfg.specialist:
        where = f'[[specialist]] "{sp.code}"'
        for skill in sp.skills:
            if skill not in skills:
                problems.append(
                    _problem(
                        source,
                        where,
                        "skills",
                        f"'{skill}' is not the skill of any appointment type ({_known(skills)})",
                    )
                )
        for pattern in sp.pattern:
            centre_and_desk(f"{where} > [[specialist.pattern]]", pattern.centre, pattern.desk)
    for sg in cfg.surgery:
        where = f'[[surgery]] "{sg.code}"'
        if sg.appointment_type not in types:
            problems.append(
                _problem(
                    source,
                    where,
                    "appointment_type",
                    f"unknown appointment type '{sg.appointment_type}' ({_known(types)})",
                )
            )
        centre_and_desk(where, sg.centre, sg.desk)
    return problems
