"""Every write of the payments app: open an order when a fee falls due, register it with the
provider, take the provider's signed notifications, poll what we have not heard about, refund,
and reconcile a day's statement.

Calls to the provider happen outside any transaction (a slow provider must not hold row locks);
each change they bring is then one atomic, audited write. The order moves forward only
(due -> paid -> refunded), so a duplicate or late notification, or a poll racing a notification,
changes nothing: "paid" twice queues the card once, "refunded" then "paid" leaves it refunded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eligibility.engine.dates import whole_years
from residence.audit.services import audit_record
from residence.core.tasks import publish_after_commit

from . import client, signing
from .fees import Fee, fee_due
from .models import PaymentNotification, PaymentOrder, ReconciliationFinding, ReconciliationRun
from .selectors import REFUND_ROLES

logger = logging.getLogger(__name__)
security_log = logging.getLogger("payments.security")
BEIJING = ZoneInfo("Asia/Shanghai")
RANK = {PaymentOrder.Status.DUE: 0, PaymentOrder.Status.PAID: 1, PaymentOrder.Status.REFUNDED: 2}


class NotificationRefused(Exception):
    """A notification that is not the provider's, or not new: answered 400, logged and audited."""


def _state(order: PaymentOrder) -> dict:
    return {
        "status": order.status,
        "amount_fen": order.amount_fen,
        "provider_order_id": order.provider_order_id,
    }


# --- when the fee falls due ---------------------------------------------------------------------
def issuance_fee_for(application) -> Fee | None:
    """The issuance fee due after approval under the application's own policy version, or None."""
    if not settings.PAYMENTS_FEES_CHARGED or application.policy_version is None:
        return None
    profile = application.applicant
    return fee_due(
        application.policy_version.document,
        kind=PaymentOrder.Kind.ISSUANCE,
        due="after_approval",
        channel=application.channel,
        minor=whole_years(profile.birth_date, timezone.localdate()) < 18,
        green_channel=application.green_channel,
    )


def order_open_for_approval(*, application, actor=None) -> PaymentOrder | None:
    """Inside the approval's transaction: the issuance fee becomes an order, or None when none is due."""
    fee = issuance_fee_for(application)
    if fee is None:
        return None
    existing = PaymentOrder.objects.filter(application=application, kind=fee.kind).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        order = PaymentOrder.objects.create(
            number=f"PR{timezone.now():%Y%m%d}{secrets.token_hex(5).upper()}",
            application=application,
            kind=fee.kind,
            amount_fen=fee.amount_fen,
            currency=fee.currency,
            policy_label=application.policy_version.label,
            legal_basis_en=fee.legal_basis_en[:300],
            legal_basis_zh=fee.legal_basis_zh[:300],
        )
        audit_record(actor=actor, action="payments.order_opened", obj=order, after=_state(order))
    return order


def request_fee_for(card_request) -> tuple[Fee | None, object]:
    """The renewal or replacement fee due on request under the policy in force now, or None."""
    from eligibility.models import PolicyVersion
    from eligibility.selectors import policy_version_in_force

    if not settings.PAYMENTS_FEES_CHARGED:
        return None, None
    try:
        policy = policy_version_in_force()
    except PolicyVersion.DoesNotExist:  # no version in force today: nothing says a fee is due
        logger.warning("no policy in force: no fee charged for card request %s", card_request.pk)
        return None, None
    card = card_request.card
    # Waivers by category read the case the card came from; a renewed card keeps no channel.
    application = card.application
    return fee_due(
        policy.document,
        kind=card_request.kind,
        due="on_request",
        channel=application.channel if application else "",
        minor=whole_years(card.profile.birth_date, timezone.localdate()) < 18,
        green_channel=bool(application and application.green_channel),
    ), policy


def order_open_for_request(*, request, actor=None) -> PaymentOrder | None:
    """Inside card_request_create's transaction: the fee due on request becomes an order (once)."""
    fee, policy = request_fee_for(request)
    if fee is None:
        return None
    existing = PaymentOrder.objects.filter(card_request=request).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        order = PaymentOrder.objects.create(
            number=f"PR{timezone.now():%Y%m%d}{secrets.token_hex(5).upper()}",
            application=request.card.application,
            card_request=request,
            kind=fee.kind,
            amount_fen=fee.amount_fen,
            currency=fee.currency,
            policy_label=policy.label,
            legal_basis_en=fee.legal_basis_en[:300],
            legal_basis_zh=fee.legal_basis_zh[:300],
        )
        audit_record(actor=actor, action="payments.order_opened", obj=order, after=_state(order))
    return order


# --- paying --------------------------------------------------------------------------------------
def order_checkout(
    *, actor, order: PaymentOrder, notify_url: str, return_url: str, language: str = "en"
) -> str:
    """Register the order with the provider (once) and give the address of its pay page."""
    if order.status != PaymentOrder.Status.DUE:
        raise ValidationError(_("This fee is not due: it has been paid or refunded."))
    if not order.provider_order_id:
        try:
            answer = client.order_create(
                number=order.number,
                amount_fen=order.amount_fen,
                currency=order.currency,
                description=f"{order.get_kind_display()} / {order.number}",
                notify_url=settings.PAYMENTS_NOTIFY_URL or notify_url,
                return_url=return_url,
            )
        except client.ProviderUnavailable as error:
            logger.warning("payment provider unavailable creating %s: %s", order.number, error)
            raise ValidationError(
                _(
                    "The payment service is not answering. Nothing has been charged; please try again in a few minutes."
                )
            ) from error
        except client.ProviderRefused as error:
            logger.error("payment provider refused order %s: %s", order.number, error)
            raise ValidationError(
                _("The payment service refused this order. Please contact the office.")
            ) from error
        with transaction.atomic():
            locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
            if not locked.provider_order_id:
                before = _state(locked)
                locked.provider_order_id = str(answer.get("order_id", ""))[:64]
                locked.pay_url = str(answer.get("pay_url", ""))[:300]
                locked.next_poll_at = timezone.now() + dt.timedelta(
                    seconds=settings.PAYMENTS_POLL_FIRST_SECONDS
                )
                locked.save(update_fields=["provider_order_id", "pay_url", "next_poll_at"])
                audit_record(
                    actor=actor,
                    action="payments.order_registered",
                    obj=locked,
                    before=before,
                    after=_state(locked),
                )
            order = locked
    lang = "zh" if language.startswith("zh") else "en"
    return f"{settings.PAYMENTS_PROVIDER_PUBLIC_URL.rstrip('/')}{order.pay_url}?{urlencode({'lang': lang})}"


def _apply(
    order: PaymentOrder, *, status: str, amount_fen: int, at: dt.datetime | None, source: str, actor=None
) -> str:
    """Move the locked order forward to what the provider says; 'applied' or 'no_change'."""
    if amount_fen != order.amount_fen:
        logger.error(
            "payment %s: provider says %s fen, order is %s fen", order.number, amount_fen, order.amount_fen
        )
        return "amount_mismatch"
    if status not in RANK or RANK[status] <= RANK[order.status]:
        return "no_change"
    before = _state(order)
    now = at or timezone.now()
    if status == PaymentOrder.Status.PAID:
        order.paid_at = now
    else:
        order.refunded_at = now
    order.status = status
    order.next_poll_at = None
    order.save(update_fields=["status", "paid_at", "refunded_at", "next_poll_at"])
    audit_record(
        actor=actor,
        action=f"payments.order_{status}",
        obj=order,
        before=before,
        after=_state(order),
        reason=source,
    )
    if status == PaymentOrder.Status.PAID and order.card_request_id is None:
        # The case moves on once this commits: the card is made by the worker (cards app). A
        # request's fee only lets the management officer issue the new card, so nothing is queued.
        from cards.tasks import card_issue_for_application_task

        publish_after_commit(
            card_issue_for_application_task, application_id=order.application_id, actor_id=None
        )
    return "applied"


def _parse_time(value) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _refuse(reason: str, *, body: bytes) -> None:
    security_log.warning("payment notification refused: %s", reason)
    with transaction.atomic():
        audit_record(
            actor=None,
            action="security.payment_notification_refused",
            after={"body_sha256": hashlib.sha256(body).hexdigest()},
            reason=reason,
        )
    raise NotificationRefused(reason)


def notification_receive(*, path: str, headers, body: bytes) -> str:
    """Verify and apply one notification; NotificationRefused when forged, stale, replayed or malformed."""
    timestamp = headers.get("X-Pay-Timestamp", "")
    nonce = headers.get("X-Pay-Nonce", "")
    given = headers.get("X-Pay-Signature", "")
    if not (timestamp and nonce and given) or len(nonce) > 64:
        _refuse("missing or malformed signature headers", body=body)
    if not signing.valid(settings.PAYMENTS_SECRET, "POST", path, timestamp, nonce, body, given):
        _refuse("bad signature", body=body)
    try:
        skew = abs(time.time() - float(timestamp))
    except ValueError:
        skew = float("inf")
    if skew > settings.PAYMENTS_NOTIFY_MAX_AGE_SECONDS:
        _refuse("timestamp outside the accepted window (replay?)", body=body)
    try:
        data = json.loads(body)
        event, number, amount = str(data["event"]), str(data["merchant_order_no"]), data["amount_fen"]
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        _refuse("signed but malformed body", body=body)
    status = {"paid": PaymentOrder.Status.PAID, "refunded": PaymentOrder.Status.REFUNDED}.get(event)
    try:
        with transaction.atomic():
            order = PaymentOrder.objects.select_for_update().filter(number=number).first()
            outcome = "unknown_order" if order is None else "no_change"
            if order is not None and status is not None:
                outcome = _apply(
                    order,
                    status=status,
                    amount_fen=amount,
                    at=_parse_time(data.get("at")),
                    source=f"notification {event}",
                )
            PaymentNotification.objects.create(
                nonce=nonce,
                order=order,
                event=event[:20],
                body_sha256=hashlib.sha256(body).hexdigest(),
                outcome=outcome,
            )
    except IntegrityError:
        # The nonce was seen before: the whole transaction (any change) is rolled back.
        _refuse("replayed notification (nonce seen before)", body=body)
    if outcome == "unknown_order":
        logger.warning("payment notification for an unknown order %s", number)
    return outcome


# --- polling what we have not heard about -------------------------------------------------------
def _backoff(order_id: int, error: str) -> None:
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=order_id)
        order.poll_attempts += 1
        delay = min(
            settings.PAYMENTS_POLL_FIRST_SECONDS * 2**order.poll_attempts, settings.PAYMENTS_POLL_MAX_SECONDS
        )
        order.next_poll_at = timezone.now() + dt.timedelta(seconds=delay)
        order.last_error = error[:300]
        order.save(update_fields=["poll_attempts", "next_poll_at", "last_error"])


def order_poll(*, order_id: int) -> str:
    """Ask the provider about one order and apply its answer; a provider that is down means later."""
    order = PaymentOrder.objects.get(pk=order_id)
    if order.status == PaymentOrder.Status.REFUNDED:
        return "no_change"
    try:
        if order.status == PaymentOrder.Status.PAID and order.refund_no:
            # A refund we asked for and have not seen confirmed: ask again (idempotent on refund_no).
            answer = client.order_refund(
                number=order.number, refund_no=order.refund_no, reason=order.refund_reason
            )
        else:
            answer = client.order_query(number=order.number)
    except client.ProviderUnavailable as error:
        _backoff(order.pk, str(error))
        return "unavailable"
    except client.ProviderRefused as error:
        _backoff(order.pk, str(error))
        return "refused"
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order_id)
        status = answer.get("status")
        if status in ("paid", "refunded"):
            at = _parse_time(answer.get("paid_at")) if status == "paid" else timezone.now()
            outcome = _apply(
                locked, status=status, amount_fen=answer.get("amount_fen"), at=at, source="query"
            )
            if outcome == "applied" or locked.status != PaymentOrder.Status.DUE:
                return outcome
            # An amount that disagrees stays due (logged) and is asked about less and less often.
        # Still waiting for the payer: ask again later, less often the longer it waits.
        locked.poll_attempts += 1
        delay = min(
            settings.PAYMENTS_POLL_FIRST_SECONDS * 2**locked.poll_attempts, settings.PAYMENTS_POLL_MAX_SECONDS
        )
        locked.next_poll_at = timezone.now() + dt.timedelta(seconds=delay)
        locked.last_error = ""
        locked.save(update_fields=["poll_attempts", "next_poll_at", "last_error"])
    return "pending"


def orders_poll_due(*, now: dt.datetime | None = None) -> int:
    """Beat: poll every registered order whose next poll is due (pending payments, pending refunds)."""
    now = now or timezone.now()
    ids = list(
        PaymentOrder.objects.filter(next_poll_at__lte=now)
        .exclude(status=PaymentOrder.Status.REFUNDED)
        .exclude(provider_order_id="")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        order_poll(order_id=pk)
    return len(ids)


# --- refunds ------------------------------------------------------------------------------------
def refund_allowed(order: PaymentOrder) -> bool:
    """Paid, and no card was made for it: the card could not be made, or the approval was withdrawn
    (a request's fee: its new card was not made, the request is open or was refused)."""
    from applications.models import Status
    from cards.models import Card

    if order.status != PaymentOrder.Status.PAID:
        return False
    if order.card_request_id is not None:
        return order.card_request.new_card_id is None
    if not Card.objects.filter(application_id=order.application_id).exists():
        return True
    return order.application.status not in (Status.APPROVED, Status.CARD_ISSUED)


def order_refund(*, actor, order: PaymentOrder, reason: str) -> PaymentOrder:
    """An officer refunds a paid fee the policy allows refunding, through the provider's refund API."""
    if not actor.has_role(*REFUND_ROLES):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the fee is refunded.")]})
    with transaction.atomic():
        # Only the order is locked: its application is empty for a renewed card's request fee.
        locked = (
            PaymentOrder.objects.select_for_update(of=("self",))
            .select_related("application")
            .get(pk=order.pk)
        )
        if not refund_allowed(locked):
            raise ValidationError(
                _("This fee cannot be refunded: it is not paid, or its card has been made.")
            )
        if not locked.refund_no:
            locked.refund_no = f"RF{locked.number}"
            locked.refund_reason = reason
            locked.next_poll_at = timezone.now() + dt.timedelta(seconds=settings.PAYMENTS_POLL_FIRST_SECONDS)
            locked.save(update_fields=["refund_no", "refund_reason", "next_poll_at"])
            audit_record(
                actor=actor,
                action="payments.refund_requested",
                obj=locked,
                after=_state(locked),
                reason=reason,
            )
    try:
        answer = client.order_refund(number=locked.number, refund_no=locked.refund_no, reason=reason)
    except client.ProviderUnavailable:
        # The request is recorded; the beat task asks again with the same refund number.
        return locked
    except client.ProviderRefused as error:
        raise ValidationError(
            _("The payment service refused the refund: %(error)s") % {"error": error}
        ) from error
    with transaction.atomic():
        locked = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if answer.get("status") == "refunded":
            _apply(
                locked,
                status=PaymentOrder.Status.REFUNDED,
                amount_fen=answer.get("amount_fen"),
                at=None,
                source="refund",
                actor=actor,
            )
    return locked


# --- reconciliation -----------------------------------------------------------------------------
def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=BEIJING)
    return start, start + dt.timedelta(days=1)


def reconcile_day(*, day: dt.date) -> list[ReconciliationFinding]:
    """Compare the provider's statement of ``day`` (Beijing time) with our orders; a finding per difference."""
    entries = client.statement(day=day.isoformat())  # ProviderUnavailable: the task retries
    start, end = _day_bounds(day)
    ours: dict[tuple[str, str], int] = {}
    for number, amount in PaymentOrder.objects.filter(paid_at__gte=start, paid_at__lt=end).values_list(
        "number", "amount_fen"
    ):
        ours[(number, "payment")] = amount
    for number, amount in PaymentOrder.objects.filter(
        refunded_at__gte=start, refunded_at__lt=end
    ).values_list("number", "amount_fen"):
        ours[(number, "refund")] = amount
    theirs: dict[tuple[str, str], int] = {}
    for entry in entries:
        try:
            theirs[(str(entry["merchant_order_no"]), str(entry["kind"]))] = int(entry["amount_fen"])
        except (KeyError, TypeError, ValueError):
            theirs[(str(entry.get("merchant_order_no", "?")), "malformed")] = 0
    differences = []
    for key in sorted(ours.keys() | theirs.keys()):
        mine, provider = ours.get(key), theirs.get(key)
        if mine is None:
            issue = ReconciliationFinding.Issue.MISSING_AT_PORTAL
        elif provider is None:
            issue = ReconciliationFinding.Issue.MISSING_AT_PROVIDER
        elif mine != provider:
            issue = ReconciliationFinding.Issue.AMOUNT_DIFFERS
        else:
            continue
        differences.append((key, issue, mine, provider))
    opened = []
    with transaction.atomic():
        for (number, kind), issue, mine, provider in differences:
            finding, created = ReconciliationFinding.objects.get_or_create(
                day=day,
                order_number=number[:64],
                entry_kind=kind[:10],
                issue=issue,
                defaults={"portal_amount_fen": mine, "provider_amount_fen": provider},
            )
            if created:
                opened.append(finding)
                audit_record(
                    actor=None,
                    action="payments.reconciliation_finding",
                    obj=finding,
                    after={"issue": issue, "portal": mine, "provider": provider},
                )
        ReconciliationRun.objects.update_or_create(
            day=day,
            defaults={
                "provider_entries": len(theirs),
                "portal_entries": len(ours),
                "findings": len(differences),
            },
        )
    if opened:
        logger.warning("reconciliation of %s opened %d findings", day, len(opened))
    return opened
