"""Whether a store may take a simulated day: the mark `simulate --db` leaves on a store
it fills, and the visits on it that nobody simulated or imported (a live centre's)."""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select
from sqlmodel import Session

from frontdesk.store.dialect import upsert
from frontdesk.store.tables import Centre, Setting, Ticket, core_table

T = core_table(Ticket)
SE = core_table(Setting)
MARK = "store.simulation"
IMPORTED = "import"  # the channel of visits loaded by `frontdesk import events`


def is_new(engine: Engine) -> bool:
    """No schema yet: a new file (or an empty database) the simulation may set up."""
    return not inspect(engine).has_table(T.name)


def is_simulation(session: Session) -> bool:
    return session.execute(select(SE.c.value).where(SE.c.key == MARK)).first() is not None


def real_visits(session: Session) -> int:
    """Tickets issued at a kiosk, desk, phone or by a script: not simulated, not imported.

    Only meaningful on a store without the simulation mark (a simulation's own visits
    are kiosk tickets too)."""
    return int(
        session.execute(
            select(func.count()).select_from(T).where(T.c.channel != IMPORTED)
        ).scalar_one()
    )


def has_centres(session: Session) -> bool:
    return session.execute(select(core_table(Centre).c.id).limit(1)).first() is not None


def mark(session: Session) -> None:
    """Say that this store holds simulated days, so later simulations may add to it."""
    upsert(session, SE, ["key"], {"key": MARK, "value": "yes"})
