"""The heat index of a topic (docs/nlp.md, “热度指数”).

    heat = (people + REPEAT_WEIGHT * (size - people) + min(people, log2(1 + support)))
           * (1 - RECENCY_SHARE + RECENCY_SHARE * 0.5 ** (age_days / window_days))
           * (1 + recent / size)

- ``people``: distinct people (a message without a known person counts as one person);
- ``size - people``: repeat messages by the same people (repeat callers) count half;
- ``support``: likes minus objections over the messages (not below 0), on a log scale, so a
  few thousand likes weigh like a dozen people, not like a thousand, and never more than the
  people who wrote (one viral post is not a topic many people raise);
- recency: ``age_days`` from the topic's last message to the end of the period; the half of the
  index that decays halves every ``window_days``;
- growth: ``recent`` is the number of messages in the last ``window_days`` of the period; a
  topic whose messages all came in that window counts double;
- ``window_days`` = a quarter of the period, at least ``MIN_WINDOW_DAYS`` (a week's report and a
  year's review both weigh "recent" in proportion).
"""

import math
from dataclasses import dataclass

REPEAT_WEIGHT = 0.5
RECENCY_SHARE = 0.5
MIN_WINDOW_DAYS = 7.0


def window_days(period_days: float) -> float:
    return max(MIN_WINDOW_DAYS, period_days / 4)


@dataclass(frozen=True)
class HeatInputs:
    size: int
    people: int
    support: int  # likes - objections, may be negative
    age_days: float  # period end - last message
    recent: int  # messages in the last window_days of the period
    window_days: float


def heat(h: HeatInputs) -> float:
    if h.size <= 0:
        return 0.0
    base = h.people + REPEAT_WEIGHT * (h.size - h.people) + min(h.people, math.log2(1 + max(0, h.support)))
    recency = 1 - RECENCY_SHARE + RECENCY_SHARE * 0.5 ** (max(0.0, h.age_days) / h.window_days)
    growth = 1 + min(h.recent, h.size) / h.size
    return base * recency * growth
