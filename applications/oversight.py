"""The other apps' queues in the workload page (R24), registered by each app at start-up.

Card requests, revocations, management cases and reconsiderations are counted beside the
application stages, but applications imports none of those apps: each registers its queue here
(in its AppConfig.ready), saying where its cases of an officer's area are and which fields hold
the start, the decision and the deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class WorkloadQueue:
    key: str
    label: Any  # a lazy translation
    in_area: Callable[[Any], QuerySet]  # officer -> the queue's cases in their area, open or decided
    open: Q
    started: str  # field: when the case came in
    decided_at: str
    decided_by: str  # field holding the deciding officer's id
    deadline: str | None = None  # field, for queues whose cases have one
    order: int = 0


QUEUES: dict[str, WorkloadQueue] = {}


def register(queue: WorkloadQueue) -> None:
    QUEUES[queue.key] = queue


def registered() -> list[WorkloadQueue]:
    return sorted(QUEUES.values(), key=lambda q: (q.order, q.key))
