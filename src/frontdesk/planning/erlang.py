"""Erlang C and Erlang A: the textbook arithmetic of one hour on its own.

Erlang C (M/M/n) assumes a steady state, Poisson arrivals, exponential handling times and
visitors who never give up. Erlang A (M/M/n+M) adds exponential patience: visitors who
have waited longer than their patience leave. Both look at one hour as if it went on for
ever; the planner uses them as a starting point and the day simulator to check.

Rates are per second, handling and patience in seconds. The share within standard is
measured as the reports measure it (DESIGN §3): walk-outs within the threshold are not
counted, visitors who left after waiting longer than the threshold are breaches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from frontdesk.queue.measures import Standard


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of `servers` with offered load `load` erlangs (stable recursion)."""
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival has to wait (all `servers` busy); 1 when overloaded."""
    if load <= 0:
        return 0.0
    if servers <= load:
        return 1.0
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1 - b))


def share_within(servers: int, rate: float, handling: float, threshold: float) -> float:
    """Erlang C: the share of arrivals who wait at most `threshold` seconds."""
    load = rate * handling
    if load <= 0:
        return 1.0
    if servers <= load:
        return 0.0
    waits = erlang_c(servers, load)
    return 1 - waits * math.exp(-(servers - load) * threshold / handling)


def average_wait(servers: int, rate: float, handling: float) -> float:
    """Erlang C: the average wait of all arrivals, in seconds (inf when overloaded)."""
    load = rate * handling
    if load <= 0:
        return 0.0
    if servers <= load:
        return math.inf
    return erlang_c(servers, load) * handling / (servers - load)


def erlang_c_desks(rate: float, handling: float, standard: Standard, most: int = 500) -> int:
    """The fewest desks (at least 1) Erlang C says meet the standard for one hour."""
    if rate <= 0:
        return 1
    threshold = standard.threshold_seconds
    n = max(1, math.floor(rate * handling) + 1)
    while n < most:
        ok = share_within(n, rate, handling, threshold) >= standard.target_share
        if ok and standard.average_wait_minutes is not None:
            ok = average_wait(n, rate, handling) <= standard.average_wait_minutes * 60
        if ok:
            return n
        n += 1
    return most


@dataclass(frozen=True, slots=True)
class ErlangA:
    """Erlang A's figures for one hour (fractions of all arrivals)."""

    share_within: float  # as the report counts it: walk-outs within the threshold left out
    served_within: float  # seen within the threshold
    walked_out: float  # left unseen within the threshold
    abandoned: float  # left unseen at any time


def erlang_a(
    servers: int, rate: float, handling: float, patience: float, threshold: float
) -> ErlangA:
    """Erlang A (M/M/n+M) at the threshold, exactly up to a 1e-10 truncation.

    An arrival finding k ≥ n in the building is j = k − n + 1 in the queue. Ahead of it,
    a desk frees at rate nμ and each of the j − 1 others leaves at rate θ; it leaves
    itself at rate θ. That chain is solved at time `threshold` by uniformisation.
    """
    if rate <= 0:
        return ErlangA(1.0, 1.0, 0.0, 0.0)
    mu, theta = 1 / handling, 1 / patience
    # The stationary distribution seen by arrivals (PASTA), truncated where negligible.
    probs = [1.0]
    k = 0
    while True:
        k += 1
        death = min(k, servers) * mu + max(k - servers, 0) * theta
        probs.append(probs[-1] * rate / death)
        if k > servers and probs[-1] < 1e-12 * max(probs) and probs[-1] <= probs[-2]:
            break
        if k > servers + 20_000:
            break
    total = sum(probs)
    free = sum(probs[:servers]) / total
    queued = [p / total for p in probs[servers:]]  # queued[j-1]: arrival is j-th in queue
    served, left = _tagged(queued, servers * mu, theta, threshold)
    abandoned = sum(queued) - _tagged(queued, servers * mu, theta, 1e9)[0]
    within = free + served
    counted = 1 - left
    return ErlangA(
        share_within=within / counted if counted > 0 else 0.0,
        served_within=within,
        walked_out=left,
        abandoned=max(abandoned, 0.0),
    )


def _tagged(start: list[float], capacity: float, theta: float, t: float) -> tuple[float, float]:
    """P(reached a desk by t), P(left by t) for a tagged visitor starting in queue place
    j (weights `start[j-1]`), by uniformisation of the place chain."""
    size = len(start)
    if size == 0 or t <= 0:
        return 0.0, 0.0
    if t >= 1e8:  # the eventual split: reach a desk before leaving, place by place
        reach = 0.0
        through = 1.0
        for j in range(1, size + 1):
            move = capacity + (j - 1) * theta
            through *= move / (move + theta)
            reach += start[j - 1] * through
        return reach, sum(start) - reach
    top = capacity + size * theta
    lam_t = top * t
    u = list(start)  # u[j-1]: mass in place j
    served = left = 0.0
    # Poisson(m; lam_t) weights, summed until the tail is negligible.
    weight = math.exp(-lam_t) if lam_t < 700 else 0.0
    log_weight = -lam_t
    acc_served = acc_left = 0.0
    m = 0
    limit = int(lam_t + 12 * math.sqrt(lam_t + 1) + 20)
    while m <= limit:
        if weight == 0.0:
            weight = math.exp(log_weight) if log_weight > -700 else 0.0
        acc_served += weight * served
        acc_left += weight * left
        # One uniformised step.
        new = [0.0] * size
        for j in range(1, size + 1):
            mass = u[j - 1]
            if mass == 0.0:
                continue
            move = capacity + (j - 1) * theta
            out = move + theta
            if j == 1:
                served += mass * move / top
            else:
                new[j - 2] += mass * move / top
            left += mass * theta / top
            new[j - 1] += mass * (1 - out / top)
        u = new
        m += 1
        log_weight += math.log(lam_t) - math.log(m)
        weight = math.exp(log_weight) if log_weight > -700 else 0.0
    return acc_served, acc_left


def erlang_a_desks(
    rate: float, handling: float, patience: float, standard: Standard, most: int = 500
) -> int:
    """The fewest desks (at least 1) Erlang A says meet the standard's share for one hour."""
    if rate <= 0:
        return 1
    threshold = standard.threshold_seconds
    # Erlang C never asks for fewer desks than Erlang A; start a little below it.
    n = max(1, erlang_c_desks(rate, handling, standard, most) - 3)
    while n > 1 and erlang_a(n - 1, rate, handling, patience, threshold).share_within >= (
        standard.target_share
    ):
        n -= 1
    while n < most:
        if erlang_a(n, rate, handling, patience, threshold).share_within >= standard.target_share:
            return n
        n += 1
    return most
