"""Today by hour, drawn with plotext: arrivals and seen; share within standard with the
target line; the 90th percentile wait with the threshold line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual_plotext import PlotextPlot

from frontdesk.services.oversight import CentreView


class HourCharts(Horizontal):
    DEFAULT_CSS = """
    HourCharts { height: 14; }
    HourCharts PlotextPlot { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="chart-volume")
        yield PlotextPlot(id="chart-share")
        yield PlotextPlot(id="chart-wait")

    def show(self, view: CentreView) -> None:
        hours = [h.hour for h in view.hours] or [0]
        labels = [f"{h:02d}" for h in hours]
        x = [float(n) for n in range(len(hours))]
        volume = self.query_one("#chart-volume", PlotextPlot).plt
        volume.clear_data()
        volume.clear_figure()
        volume.title("Arrivals and seen per hour")
        volume.multiple_bar(
            x,
            [[h.arrivals for h in view.hours] or [0], [h.seen for h in view.hours] or [0]],
            labels=["arrived", "seen"],  # type: ignore[call-arg]  # plotext names it so
        )
        volume.xticks(x, labels)
        share = self.query_one("#chart-share", PlotextPlot).plt
        share.clear_data()
        share.clear_figure()
        share.title(f"Within standard % (target {view.target_share:.0%})")
        values = [
            (h.share_within or 0) * 100 if h.share_within is not None else 0 for h in view.hours
        ]
        share.bar(x, values or [0], label="share")
        share.hline(view.target_share * 100, "red")
        share.ylim(0, 100)
        share.xticks(x, labels)
        wait = self.query_one("#chart-wait", PlotextPlot).plt
        wait.clear_data()
        wait.clear_figure()
        wait.title(f"90% waited at most (min; limit {view.threshold_minutes:g})")
        p90 = [(h.p90_wait_seconds or 0) / 60 for h in view.hours]
        wait.bar(x, p90 or [0], label="p90")
        wait.hline(view.threshold_minutes, "red")
        top = max([*p90, view.threshold_minutes]) * 1.2
        wait.ylim(0, top)
        wait.xticks(x, labels)
        for plot in self.query(PlotextPlot):
            plot.refresh()
