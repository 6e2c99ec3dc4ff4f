"""Statistics the tests measure the scorer with; the product itself never needs them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's r between two equally long series; 0.0 when either is constant."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("pearson needs two series of the same length, each of two values or more")
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:  # a constant series has no linear relation to measure
        return 0.0
