"""Staffing plans: how many desks each hour keeps the waiting standard (pure: no SQL, no
Textual; `services/staffing.py` reads history and calls in here).

- `forecast`: visitors per slot and service from history or the centres file; back-test
- `erlang`: Erlang C and Erlang A, one hour on its own
- `simulate` (with `events`): a whole day, simulated fast, on common random numbers
- `search`: the fewest desk-hours that keep the standard in every hour; exhaustive check
- `rota`: which desks open, and rotas written by hand (`09-11=4,11-13=6`)
- `week`: a week's plan (or a proposed rota's projection) — what apps show
- `plan_file`: plan files for replaying a day through the real services
"""

from frontdesk.planning.erlang import erlang_a, erlang_c, erlang_c_desks, share_within
from frontdesk.planning.forecast import Backtest, DemandHistory, backtest, forecast_day
from frontdesk.planning.model import (
    DayDemand,
    DayPlan,
    DeskSkills,
    HandlingTime,
    HourPlan,
    PlanningCentre,
    Slot,
    WeekPlan,
)
from frontdesk.planning.rota import opening_order, parse_rota
from frontdesk.planning.search import keeps, minimum_plan, plan_day
from frontdesk.planning.simulate import DaySimulator, SlotResult, Visit
from frontdesk.planning.week import plan_week

__all__ = [
    "Backtest",
    "DayDemand",
    "DayPlan",
    "DaySimulator",
    "DemandHistory",
    "DeskSkills",
    "HandlingTime",
    "HourPlan",
    "PlanningCentre",
    "Slot",
    "SlotResult",
    "Visit",
    "WeekPlan",
    "backtest",
    "erlang_a",
    "erlang_c",
    "erlang_c_desks",
    "forecast_day",
    "keeps",
    "minimum_plan",
    "opening_order",
    "parse_rota",
    "plan_day",
    "plan_week",
    "share_within",
]
