"""Lag-tolerant reads on a PostgreSQL read replica (DATABASE_REPLICA_URL); everything else on the primary.

A read goes to the replica only where the code said it may be a little old: inside
``lag_tolerant()`` or a view decorated with ``@lag_tolerant_view`` (the public benefits catalogue,
its item pages and export), only for the apps in ``LAG_TOLERANT_APPS``, and never inside a transaction on the primary (what a transaction
reads may decide what it writes). Every other read, and every write, stays on the primary, so
whoever just saved something reads it back from there. Without DATABASE_REPLICA_URL there is no
``replica`` alias and this router changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Only these apps' rows are read from the replica even in a lag-tolerant block: sessions and users
# (read by every page, and written just before at login) must never be seen old.
LAG_TOLERANT_APPS = frozenset({"benefits"})
_lag_tolerant: ContextVar[bool] = ContextVar("lag_tolerant", default=False)


@contextmanager
def lag_tolerant() -> Iterator[None]:
    """Reads in this block may come from the replica (seconds behind the primary at worst)."""
    token = _lag_tolerant.set(True)
    try:
        yield
    finally:
        _lag_tolerant.reset(token)


def lag_tolerant_view(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with lag_tolerant():
            return view(*args, **kwargs)

    return wrapped


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _lag_tolerant.get()
            and model._meta.app_label in LAG_TOLERANT_APPS
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
