"""How long a desk is taken up by one call, learned from history (for the wait predictor).

A desk's time per call runs from the call to the moment the desk is free again: the
customer served (call to finish), or the wait for a customer who never came (call to
no-show). Both are in the samples the store hands over, so no-shows need no separate
rate.

The learned distribution is robust and recent:

* outliers are trimmed in log space (a median ± 3.5 robust standard deviations), so a
  desk left "serving" over lunch does not stretch every estimate;
* each sample weighs ``0.5 ** (age / half-life)``: this morning counts more than last week;
* the configured typical time is a prior worth ``PRIOR_WEIGHT`` samples, spread as a
  lognormal around it, so a new service starts from the configuration and moves to what
  desks really take as completions come in.

The result is a table of quantiles, sampled by index: drawing a handling time is one
list lookup, which keeps a few hundred simulated runs within the kiosk's budget.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist, median

# Quantiles kept per service: the table is sampled as table[int(u * QUANTILES)].
QUANTILES = 100
# The configured time counts as this many fresh samples.
PRIOR_WEIGHT = 4.0
# Spread (log-sd) assumed around the configured time when nothing is known.
PRIOR_SIGMA = 0.6
HALF_LIFE_HOURS = 24.0
# Samples beyond this many robust standard deviations (log space) are dropped.
TRIM_SIGMAS = 3.5
_PRIOR_POINTS = 24
_UNIT = NormalDist()


@dataclass(frozen=True, slots=True)
class DeskTime:
    """One observed call: seconds the desk was taken up, and how long ago it ended."""

    seconds: float
    age_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class HandlingModel:
    """A service's time per call as quantiles (seconds), with what it was learned from."""

    service: str
    quantiles: tuple[float, ...]
    mean: float
    configured: float
    samples: int  # samples used after trimming (0: the configured time alone)

    @property
    def median(self) -> float:
        return self.quantiles[len(self.quantiles) // 2]

    def draw(self, u: float) -> float:
        """The handling time at uniform `u` in [0, 1)."""
        q = self.quantiles
        return q[min(int(u * len(q)), len(q) - 1)]

    def remaining(self, elapsed: float, u: float) -> float:
        """Time still to go for a call already `elapsed` seconds long, at uniform `u`.

        Drawn from the calls that lasted longer than `elapsed`; past every call seen, a
        short exponential tail (a fifth of the mean) instead of a guess of zero."""
        return self.remaining_many(elapsed, (u,))[0]

    def remaining_many(self, elapsed: float, us: Iterable[float]) -> list[float]:
        """`remaining` for each of `us` (one call per desk, not per run)."""
        q = self.quantiles
        n = len(q)
        start = bisect_right(q, elapsed)
        if start >= n:
            tail = 0.2 * self.mean
            return [-math.log(1.0 - u) * tail for u in us]
        span = n - start
        return [q[start + int(u * span)] - elapsed for u in us]


def prior_model(service: str, configured_seconds: float) -> HandlingModel:
    """The configured typical time alone (no history yet)."""
    return learn_handling(service, (), configured_seconds)


def learn_handling(
    service: str,
    history: Iterable[DeskTime],
    configured_seconds: float,
    *,
    half_life_hours: float = HALF_LIFE_HOURS,
    prior_weight: float = PRIOR_WEIGHT,
) -> HandlingModel:
    """Learn a service's time per call from history, the configured time as a prior."""
    if configured_seconds <= 0:
        raise ValueError("the configured handling time must be more than 0")
    usable = [h for h in history if h.seconds > 0 and math.isfinite(h.seconds)]
    kept = _trimmed(usable)
    points: list[tuple[float, float]] = [
        (h.seconds, 0.5 ** (max(h.age_hours, 0.0) / half_life_hours)) for h in kept
    ]
    sigma = PRIOR_SIGMA
    if len(kept) >= 8:
        logs = [math.log(h.seconds) for h in kept]
        centre = median(logs)
        # The observed spread, so the prior neither narrows nor widens what is seen.
        sigma = min(1.2, max(0.2, 1.4826 * median(abs(x - centre) for x in logs)))
    mu = math.log(configured_seconds) - sigma * sigma / 2  # a lognormal with that mean
    each = prior_weight / _PRIOR_POINTS
    for i in range(_PRIOR_POINTS):
        z = _UNIT.inv_cdf((i + 0.5) / _PRIOR_POINTS)
        points.append((math.exp(mu + sigma * z), each))
    points.sort()
    total = sum(w for _, w in points)
    mean = sum(x * w for x, w in points) / total
    return HandlingModel(
        service=service,
        quantiles=_quantile_table(points, total),
        mean=mean,
        configured=configured_seconds,
        samples=len(kept),
    )


def _trimmed(samples: list[DeskTime]) -> list[DeskTime]:
    if len(samples) < 8:
        return samples
    logs = [math.log(h.seconds) for h in samples]
    centre = median(logs)
    spread = 1.4826 * median(abs(x - centre) for x in logs)
    if spread <= 0:
        return samples
    limit = TRIM_SIGMAS * spread
    return [h for h, x in zip(samples, logs, strict=True) if abs(x - centre) <= limit]


def _quantile_table(points: list[tuple[float, float]], total: float) -> tuple[float, ...]:
    """Weighted quantiles at the middle of each of QUANTILES equal bands."""
    out: list[float] = []
    i = 0
    seen = points[0][1]
    for k in range(QUANTILES):
        target = (k + 0.5) / QUANTILES * total
        while seen < target and i < len(points) - 1:
            i += 1
            seen += points[i][1]
        out.append(points[i][0])
    return tuple(out)


def walkout_rate(waits: Iterable[tuple[float, bool]], prior_hours: float = 1.0) -> float:
    """Hazard of leaving unseen, per second of waiting.

    `waits`: (seconds waited, left unseen?) for recent tickets, still waiting included (their
    wait so far is exposure too). Leaves ÷ exposure is the exponential's maximum-likelihood
    rate; an hour of exposure with nobody leaving is added so that a quiet morning does not
    read as "everybody leaves"."""
    left = 0
    exposure = prior_hours * 3600.0
    for seconds, gone in waits:
        exposure += max(seconds, 0.0)
        left += 1 if gone else 0
    return left / exposure
