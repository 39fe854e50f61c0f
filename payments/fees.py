"""The fee schedule of a policy document (its `fees` block): what an application owes and when.

Pure functions over the stored document, so the fee is the one of the policy the application was
decided under (R6), never of a later version.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Fee:
    kind: str
    amount_fen: int
    currency: str
    legal_basis_en: str
    legal_basis_zh: str


def yuan(amount_fen: int) -> Decimal:
    """Fen as yuan for display only: exact (Decimal), two places."""
    return (Decimal(amount_fen) / 100).quantize(Decimal("0.01"))


def waiver_for(fees: dict, *, kind: str, channel: str, minor: bool, green_channel: bool) -> dict | None:
    for waiver in fees.get("waivers") or []:
        if kind not in waiver.get("kinds", ()):
            continue
        if waiver.get("channels") and channel not in waiver["channels"]:
            continue
        if waiver.get("minor") and not minor:
            continue
        if waiver.get("green_channel") and not green_channel:
            continue
        return waiver
    return None


def fee_due(
    document: dict, *, kind: str, due: str, channel: str, minor: bool = False, green_channel: bool = False
) -> Fee | None:
    """The fee of ``kind`` falling due at ``due``, or None (no schedule, zero, waived, due elsewhere)."""
    fees = document.get("fees")
    if not fees:
        return None
    item = (fees.get("items") or {}).get(kind)
    if not item or item.get("due") != due or not item.get("amount_fen"):
        return None
    if waiver_for(fees, kind=kind, channel=channel, minor=minor, green_channel=green_channel):
        return None
    basis = fees.get("legal_basis") or {}
    return Fee(
        kind=kind,
        amount_fen=int(item["amount_fen"]),
        currency=fees.get("currency", "CNY"),
        legal_basis_en=basis.get("en", ""),
        legal_basis_zh=basis.get("zh", ""),
    )
