from __future__ import annotations

from tests.cards.conftest import _private_storage, arthur, card, holder, mona  # noqa: F401
