"""Random numbers for simulated runs, tied to what they describe (common random numbers).

Each quantity a run needs — the time this desk's current customer still takes, the
patience of the k-th person ahead, the n-th turn of desk 3 — has its own generator,
seeded by (seed, kind, key). The same desk or place in the queue gets the same numbers
whatever else is in the state, so two states that differ by one person or one desk are
compared run by run, not through noise.

Numbers are kept in a small cache: a kiosk asks again, with the same seed, for every
visitor, and drawing is most of the cost of a prediction.
"""

from __future__ import annotations

import math
import random
import zlib
from array import array
from statistics import NormalDist
from threading import Lock
from typing import Any

_UNIT = NormalDist()
_EDGE = 1e-12


class Draws:
    """`runs` numbers per key: `uniform(kind, key, width)` is `width` numbers per run,
    laid out run by run (run r's numbers at r * width … r * width + width - 1)."""

    _cache: dict[tuple[int, int, str, str, int], array[Any]] = {}
    _CACHE_SIZE = 1024
    _lock = Lock()

    def __init__(self, seed: int, runs: int) -> None:
        if runs < 1:
            raise ValueError("runs must be 1 or more")
        self.seed = seed
        self.runs = runs

    def uniform(self, kind: str, key: object, width: int = 1) -> array[float]:
        """Uniforms in [0, 1)."""
        return self._get(kind, str(key), width, "uniform")

    def exponential(self, kind: str, key: object, width: int = 1) -> array[float]:
        """Unit exponentials (mean 1), from the same uniforms."""
        return self._get(kind, str(key), width, "exponential")

    def normal(self, kind: str, key: object, width: int = 1) -> array[float]:
        """Standard normals, from the same uniforms."""
        return self._get(kind, str(key), width, "normal")

    def indices(self, kind: str, key: object, width: int, size: int) -> array[int]:
        """Uniform indices in range(size), from the same uniforms (for quantile tables)."""
        return self._get(kind, str(key), width, f"index{size}")  # type: ignore[return-value]

    def _get(self, kind: str, name: str, width: int, shape: str) -> array[float]:
        slot = (self.seed, self.runs, f"{shape}:{kind}", name, width)
        cached = self._cache.get(slot)
        if cached is not None:
            return cached
        found: array[float]
        if shape == "uniform":
            text = f"{self.seed}:{kind}:{name}".encode()
            gen = random.Random(zlib.crc32(text) | (self.seed << 32))
            found = array("d", [gen.random() for _ in range(self.runs * width)])
        else:
            base = self._get(kind, name, width, "uniform")
            if shape.startswith("index"):
                size = int(shape[5:])
                found = array("H", [int(u * size) for u in base])  # type: ignore[assignment]
            elif shape == "exponential":
                found = array("d", [-math.log(1.0 - u) for u in base])
            else:
                inv = _UNIT.inv_cdf
                found = array("d", [inv(min(max(u, _EDGE), 1 - _EDGE)) for u in base])
        with self._lock:
            if len(self._cache) >= self._CACHE_SIZE:
                self._cache.clear()
            self._cache[slot] = found
        return found
