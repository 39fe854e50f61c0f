"""Benchmark of card checks at counters: python bench/offline.py [--seconds 5] [--rounds 200] [--small]

1. Offline verification (no database, no network): a counter's Python verifier
   (`cards.offline.card_from_token` and `offline_status`) checking signed QR codes of 1,000 distinct
   cards, each against the published key set (two keys: the current one and a retired one, half the
   cards signed by each) and a signed revocation list of 10,000 numbers, for --seconds on one
   thread (one core: run it under `taskset -c 1` to pin it). Floor: Ed25519 verification of the
   same signed bytes alone (`cryptography`), so `over_floor` is what CBOR and the checks add.
2. The institution API's bulk endpoint (`POST /api/cards/verify/bulk/`, 100 checks a request: valid,
   revoked and unknown cards) through Django's test client in this process (URL routing, key
   authentication, throttling, serializers, the service, every check logged as a VerificationQuery
   row) against a database of its own (`bench_offline` on the server of DATABASE_URL) holding
   10,000 cards. Floor: the single-check endpoint, one request per check.

--small (or BENCH_SMALL=1): a fraction of a second and 3 rounds, only to check that it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds a queue.py that would shadow the standard library: put the repository first instead.
sys.path[0] = str(ROOT)

from bench import _kit  # noqa: E402
from cards import offline  # noqa: E402

BATCH = 100


@dataclass
class PrintedCard:
    number: str
    latin_name: str
    chinese_name: str
    birth_date: dt.date
    issued_on: dt.date
    expires_on: dt.date


def card_number(i: int) -> str:
    from cards import numbers

    birth = dt.date(1950, 1, 1) + dt.timedelta(days=i * 7 % 20000)
    return numbers.compose(province="CN-GD", nationality="FRA", birth_date=birth, sequence=1 + 2 * (i % 400))


def offline_figures(seconds: float) -> None:
    old, new = offline.new_key(), offline.new_key()
    retired = offline.CardKeys.parse(f"2025a:{old}")
    keys = offline.CardKeys.parse(f"2026a:{new}", f"2025a:{offline.public_key_of(old)}")
    photo = b"\xff\xd8" + os.urandom(30_000)
    tokens = []
    for i in range(1000):
        card = PrintedCard(
            number=f"{944250195001011000 + i}",
            latin_name=f"MARTIN Alice Claire {i}",
            chinese_name="马丽丝",
            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=i * 7),
            issued_on=dt.date(2026, 3, 1),
            expires_on=dt.date(2036, 3, 1),
        )
        tokens.append(offline.card_token(card, photo=photo, keys=retired if i % 2 else keys))
    revoked = [f"{944250195001011000 + i}" for i in range(0, 20_000, 2)]
    message = offline.revocation_list(
        revoked=revoked,
        replaced=[],
        issued_at=dt.datetime.now(dt.UTC),
        valid_for=dt.timedelta(hours=24),
        keys=keys,
    )
    start = time.perf_counter()
    revocations = offline.revocation_list_open(message, keys=keys)
    list_ms = (time.perf_counter() - start) * 1000
    today = dt.date(2026, 12, 3)
    # The floor: the signature check alone, on the same bytes.
    import cbor2

    signed = []
    for token in tokens:
        protected, _unprotected, body, signature = cbor2.loads(offline.from_b64url(token)).value
        kid = cbor2.loads(protected)[4].decode()
        signed.append((keys.public[kid], signature, cbor2.dumps(["Signature1", protected, b"", body])))

    def timed(fn) -> tuple[int, float]:
        started = time.perf_counter()
        count = sum(fn())
        return count, time.perf_counter() - started

    statuses: dict[str, int] = {}

    def verify_all():
        for token in tokens:
            status = offline.offline_status(
                offline.card_from_token(token, keys=keys), revocations=revocations, today=today
            )
            statuses[status] = statuses.get(status, 0) + 1
            yield 1

    def floor_all():
        for key, signature, data in signed:
            key.verify(signature, data)
            yield 1

    # Interleaved passes over the 1,000 codes, so drift in the machine's speed hits both alike.
    done = elapsed = floor_done = floor_elapsed = 0
    started = time.perf_counter()
    while time.perf_counter() - started < 2 * seconds:
        count, spent = timed(verify_all)
        done, elapsed = done + count, elapsed + spent
        count, spent = timed(floor_all)
        floor_done, floor_elapsed = floor_done + count, floor_elapsed + spent
    rate, floor_rate = done / elapsed, floor_done / floor_elapsed
    print(f"offline cards=1000 keys=2 revocation_list_numbers={len(revoked)} list_bytes={len(message)}")
    print(f"offline_token_chars_median={statistics.median(len(t) for t in tokens):.0f}")
    print(f"offline_revocation_list_open_ms={list_ms:.1f}")
    print(f"offline_statuses={','.join(f'{k}:{v}' for k, v in sorted(statuses.items()))}")
    print(f"offline_verifications_per_second={rate:.0f}")
    print(f"ed25519_floor_per_second={floor_rate:.0f}")
    print(f"offline_over_floor={floor_rate / rate:.2f}")


def fill(cards: int) -> None:
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from cards.models import Card
    from eligibility.selectors import policy_version_in_force
    from residence.accounts.models import User
    from tests.cards.factories import photo_bytes, profile_for

    call_command("migrate", verbosity=0)
    owner, _ = User.objects.get_or_create(email="holder@bench.example")
    profile = profile_for(owner)
    policy = policy_version_in_force()
    first = Card(
        number=card_number(0),
        profile=profile,
        family_name="Martin",
        given_names="Alice",
        sex="F",
        birth_date=dt.date(1950, 1, 1),
        nationality="FRA",
        passport_number="B000000000",
        province="CN-GD",
        issued_on=dt.date(2026, 3, 1),
        expires_on=dt.date(2036, 3, 1),
        authority_en="Bench",
        authority_zh="Bench",
        policy_version=policy,
    )
    first.photo.save("photo", ContentFile(photo_bytes()), save=False)
    rows, seen = [], set()
    for i in range(cards):
        number = card_number(i)
        if number in seen:
            continue
        seen.add(number)
        rows.append(
            Card(
                number=number,
                status=Card.Status.REVOKED if i % 10 == 0 else Card.Status.ISSUED,
                profile=profile,
                family_name="Martin",
                given_names=f"Alice {i}",
                sex="F",
                birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=i * 7 % 20000),
                nationality="FRA",
                passport_number=f"B{i:09d}",
                province="CN-GD",
                photo=first.photo.name,
                issued_on=dt.date(2026, 3, 1),
                expires_on=dt.date(2036, 3, 1),
                authority_en="Bench",
                authority_zh="Bench",
                policy_version=policy,
            )
        )
    Card.objects.bulk_create(rows, batch_size=2000)


def api_figures(rounds: int, cards: int) -> None:
    from django.db.models import Count
    from django.test import Client

    from cards.models import Card, Institution, VerificationQuery
    from cards.services import institution_api_key_issue

    bank, _ = Institution.objects.get_or_create(name_en="Bench Bank", name_zh="Bench 银行", kind="bank")
    key, raw = institution_api_key_issue(actor=None, institution=bank)
    known = list(Card.objects.values_list("number", "birth_date")[:cards])
    client = Client(HTTP_X_API_KEY=raw)
    before = VerificationQuery.objects.count()

    def batch(r: int) -> list[dict]:
        checks = []
        for j in range(BATCH):
            number, birth = known[(r * BATCH + j) % len(known)]
            if j % 20 == 19:  # one in twenty unknown, or with a wrong date of birth
                birth = birth + dt.timedelta(days=1)
            checks.append({"card_number": number, "birth_date": birth.isoformat()})
        return checks

    batches = [batch(r) for r in range(rounds)]
    response = client.post("/api/cards/verify/bulk/", {"checks": batches[0]}, content_type="application/json")
    assert response.status_code == 200, response.content
    bulk, single = [], []
    for r, checks in enumerate(batches):  # interleaved, so the machine's drift hits both series alike
        start = time.perf_counter()
        response = client.post("/api/cards/verify/bulk/", {"checks": checks}, content_type="application/json")
        bulk.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
        if r % 10 == 0:
            for check in checks[:10]:
                start = time.perf_counter()
                response = client.post("/api/cards/verify/", check, content_type="application/json")
                single.append(time.perf_counter() - start)
                assert response.status_code == 200, response.content
    logged = VerificationQuery.objects.count() - before
    expected = (rounds + 1) * BATCH + len(single)
    assert logged == expected, (logged, expected)
    answers = dict(
        VerificationQuery.objects.filter(api_key=key).values_list("answer").annotate(n=Count("id"))
    )
    med = statistics.median
    print(f"api cards={Card.objects.count()} rounds={rounds} batch={BATCH} logged={logged}")
    print(f"api_answers={','.join(f'{k}:{v}' for k, v in sorted(answers.items()))}")
    print(
        f"bulk_request_median_ms={med(bulk) * 1000:.1f} p95_ms={sorted(bulk)[int(len(bulk) * 0.95) - 1] * 1000:.1f}"
    )
    print(f"bulk_verifications_per_second={BATCH * len(bulk) / sum(bulk):.0f}")
    print(f"single_request_median_ms={med(single) * 1000:.1f}")
    print(f"single_verifications_per_second={len(single) / sum(single):.0f}")
    print(f"bulk_over_single={(BATCH * len(bulk) / sum(bulk)) / (len(single) / sum(single)):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a tiny run that only checks the bench works")
    parser.add_argument("--seconds", type=float, default=0.2 if _kit.small() else 5.0)
    parser.add_argument("--rounds", type=int, default=3 if _kit.small() else 200)
    parser.add_argument("--cards", type=int, default=200 if _kit.small() else 10_000)
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()
    offline_figures(args.seconds)

    server = _kit.postgres_server()
    database = _kit.database_name("offline")
    var_dir = ROOT / "var" / "bench-offline"
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DATABASE_URL": f"{server}/{database}",
            "VAR_DIR": str(var_dir),
            "DEBUG": "1",
            **_kit.process_secrets(),
        }
    )
    # The bench measures the endpoint, not the per-key rate limits.
    os.environ["THROTTLE_CARD_VERIFY"] = os.environ["THROTTLE_CARD_VERIFY_BULK"] = "1000000/minute"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residence.settings")
    must_fill = _kit.ensure_database(server, database, refill=args.refill)
    import django

    django.setup()
    if must_fill:
        started = time.perf_counter()
        fill(args.cards)
        print(f"fill_seconds={time.perf_counter() - started:.1f}")
    api_figures(args.rounds, args.cards)


if __name__ == "__main__":
    main()
