"""Drawing a stratified random sample from a frame, reproducibly: the same frame, size and seed always give the
same sample (the seed is recorded with the round). Pure functions (no Django).

Allocation is proportional to the strata's sizes by the largest-remainder method, with at least one workplace in
every stratum when the sample is large enough for that (a stratum without respondents has no weight, and its
population would drop out of the estimate), and never more than the stratum has. Within a stratum the workplaces
are drawn by simple random sampling without replacement, in frame order, with Python's Mersenne Twister seeded
with the recorded seed."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence


class SampleError(ValueError):
    pass


def allocate(population: Mapping[str, int], size: int) -> dict[str, int]:
    total = sum(population.values())
    if size < 1:
        raise SampleError("The sample needs at least one workplace.")
    if size >= total:
        return dict(population)
    strata = sorted(h for h, n in population.items() if n > 0)
    floor_one = size >= len(strata)
    quotas = {h: size * population[h] / total for h in strata}
    sizes = {h: min(population[h], max(1 if floor_one else 0, math.floor(quotas[h]))) for h in strata}
    # Largest remainders first; ties by stratum key, so the allocation never depends on dictionary order.
    order = sorted(strata, key=lambda h: (-(quotas[h] - math.floor(quotas[h])), h))
    while sum(sizes.values()) < size:
        for h in order:
            if sum(sizes.values()) >= size:
                break
            if sizes[h] < population[h]:
                sizes[h] += 1
    while sum(sizes.values()) > size:  # the floor of one took more than the size allows: trim the largest
        largest = max(strata, key=lambda h: (sizes[h], h))
        sizes[largest] -= 1
    return sizes


def draw(members: Mapping[str, Sequence[int]], size: int | None, seed: int) -> set[int]:
    """The ids drawn: every member for a census (``size`` None), else a stratified sample of ``size``."""
    if size is None:
        return {m for ids in members.values() for m in ids}
    sizes = allocate({h: len(ids) for h, ids in members.items()}, size)
    rng = random.Random(seed)  # noqa: S311 - reproducible on purpose: the seed is published with the round
    chosen: set[int] = set()
    for stratum in sorted(members):
        chosen.update(rng.sample(list(members[stratum]), sizes.get(stratum, 0)))
    return chosen
