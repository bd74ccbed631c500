"""Breaches foreseen: the ranked actions with their projected effect (Enter applies the
ones the dashboard can apply), and the centre's alert feed."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.services.oversight import Action, CentreView
from frontdesk.supervisor.widgets.words import clock_time, pct


class AdviceList(OptionList):
    """One option per advised action, the best first for each service."""

    class Chosen(Message):
        def __init__(self, action: Action) -> None:
            super().__init__()
            self.action = action

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.actions: list[Action] = []

    def show(self, view: CentreView) -> None:
        keep = self.highlighted
        actions = [a for advice in view.advice for a in advice.actions]
        if actions == self.actions:
            return
        self.actions = actions
        self.clear_options()
        if not actions:
            self.add_option(Option(Text("No breach foreseen: nothing to do.", style="dim")))
            return
        for n, a in enumerate(actions):
            how = "Enter: apply" if a.applicable else "advice"
            self.add_option(
                Option(
                    Text.assemble(
                        Text(f"{a.title}", style="bold"),
                        f"  [{how}]\n   {a.effect}\n   {a.detail}",
                    ),
                    id=f"action-{n}",
                )
            )
        if keep is not None and keep < len(actions):
            self.highlighted = keep

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.actions):
            self.post_message(self.Chosen(self.actions[event.option_index]))


def alert_feed(view: CentreView, timezone: str | None = None) -> Text:
    if not view.alerts:
        return Text("No breach alerts today.", style="dim")
    out = Text()
    for a in view.alerts:
        when = clock_time(a.opened_at, timezone)
        state = "OPEN" if a.open else f"closed {clock_time(a.closed_at, timezone)}"
        out.append(f"{when} ", style="bold")
        out.append(f"{a.service_name}: {a.level}, projected {pct(a.projected_share)} · {state}\n")
        if a.advice:
            out.append(f"      advised: {a.advice}\n", style="italic")
    return out


class AlertFeed(Static):
    pass
