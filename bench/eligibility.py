"""Benchmark of the eligibility engine with the default policy: python bench/eligibility.py

Generates varied, deterministic profiles across all channels, evaluates each once, and compares the
time with a floor loop that only reads the same facts from their dicts. No Django is involved.
--small (or BENCH_SMALL=1): 2,000 profiles, only to check it runs.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _kit  # noqa: E402
from eligibility.engine import evaluate, load_policy, read_policy_document, validate_policy  # noqa: E402

WORK_PERMIT_TABLE = (
    Path(__file__).resolve().parent.parent / "eligibility/policy/examples/work_permit_2017.yaml"
)

AS_OF = date(2025, 3, 1)
PROVINCES = ("CN-BJ", "CN-SH", "CN-GD", "CN-SC", "CN-HB", "CN-CQ", "CN-HA", "CN-ZJ", "CN-YN")
EDUCATION = ("none", "secondary", "bachelor", "master", "doctorate")


def _day(rng: random.Random, *, years_ago_min: float, years_ago_max: float) -> date:
    return AS_OF - timedelta(days=rng.randint(int(years_ago_min * 365), int(years_ago_max * 365)))


def _days_by_year(rng: random.Random) -> list[int]:
    return [rng.choice((120, 183, 200, 269, 270, 300, 350)) for _ in range(rng.randint(0, 7))]


def _common(rng: random.Random, *, age_min: int = 20, age_max: int = 70) -> dict[str, Any]:
    return {
        "birth_date": _day(rng, years_ago_min=age_min, years_ago_max=age_max),
        "nationality": rng.choice(("US", "DE", "JP", "KR", "FR", "BR")),
        "province": rng.choice(PROVINCES),
    }


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high, 1000))


def talent(rng: random.Random) -> dict[str, Any]:
    salary = _money(rng, 100_000, 2_500_000)
    return {
        **_common(rng),
        "talent_program_registered": rng.random() < 0.1,
        "talent_program_code": "TP-" + str(rng.randint(1, 50)),
        "annual_salary_cny": salary,
        "annual_income_tax_cny": (salary * Decimal(rng.randint(5, 30)) / 100).quantize(Decimal(1)),
        "work_province": rng.choice(PROVINCES),
        "education": rng.choice(EDUCATION),
        "experience_years": rng.randint(0, 30),
        "hsk_level": rng.randint(0, 6),
        "priority_industry": rng.random() < 0.3,
        "days_in_china_by_year": _days_by_year(rng),
        "work_in_china_since": _day(rng, years_ago_min=0, years_ago_max=10),
    }


def work(rng: random.Random) -> dict[str, Any]:
    salary = _money(rng, 100_000, 1_500_000)
    graduate = rng.random() < 0.15
    return {
        **_common(rng, age_min=22, age_max=60),
        "employer_type": rng.choice(("private", "state_owned", "foreign_invested", "university")),
        "work_province": rng.choice(PROVINCES),
        "start_date": _day(rng, years_ago_min=0, years_ago_max=10),
        "annual_salary_cny": salary,
        "annual_income_tax_cny": (salary * Decimal(rng.randint(5, 30)) / 100).quantize(Decimal(1)),
        "days_in_china_by_year": _days_by_year(rng),
        "priority_industry": rng.random() < 0.3,
        "education": rng.choice(EDUCATION),
        "hsk_level": rng.randint(0, 6),
        "outstanding_graduate": graduate,
        "chinese_degree": graduate and rng.random() < 0.8,
        "graduation_date": _day(rng, years_ago_min=0, years_ago_max=6) if graduate else None,
    }


def investment(rng: random.Random) -> dict[str, Any]:
    return {
        **_common(rng, age_min=25, age_max=75),
        "amount_usd": _money(rng, 100_000, 3_000_000),
        "method": rng.choice(("direct", "equity", "reinvestment")),
        "first_investment_date": _day(rng, years_ago_min=0, years_ago_max=8),
        "region_class": rng.choice(("eastern", "central", "western", "poverty_county")),
        "encouraged_industry": rng.random() < 0.4,
        "tax_record_good": rng.random() < 0.9,
    }


def contribution(rng: random.Random) -> dict[str, Any]:
    return {
        **_common(rng),
        "nominating_body": rng.choice(("Chinese Academy of Sciences", "Ministry of Education", "")),
        "nomination_method": rng.choice(("central_agency", "provincial_government", "expert_panel")),
        "field": rng.choice(("science", "culture", "public_welfare", "other")),
    }


def family(rng: random.Random) -> dict[str, Any]:
    relationship = rng.choice(("spouse", "minor_child", "parent", "former_national"))
    age = {"spouse": (22, 60), "minor_child": (1, 20), "parent": (55, 85), "former_national": (20, 80)}[
        relationship
    ]
    return {
        **_common(rng, age_min=age[0], age_max=age[1]),
        "relationship": relationship,
        "sponsor_kind": rng.choice(("citizen", "pr_holder")),
        "marriage_date": _day(rng, years_ago_min=0, years_ago_max=15) if relationship == "spouse" else None,
        "relatives_abroad": rng.random() < 0.3,
        "days_in_china_by_year": _days_by_year(rng),
        "stable_income": rng.random() < 0.85,
        "housing": rng.random() < 0.85,
        "marital_status": rng.choice(("single", "married", "divorced", "widowed")),
    }


GENERATORS = {
    "talent": talent,
    "work": work,
    "investment": investment,
    "contribution": contribution,
    "family": family,
}


def profiles(count: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(seed)
    channels = tuple(GENERATORS)
    generated = []
    for index in range(count):
        channel = channels[index % len(channels)]
        facts = GENERATORS[channel](rng)
        if rng.random() < 0.03:
            # A few incomplete files, as intake really produces them.
            facts.pop(rng.choice(sorted(facts)))
        generated.append((channel, facts))
    return generated


def work_permit_policy_document() -> dict[str, Any]:
    """The default policy with the 2017 work-permit table (tiers, a scale, a derived fact, a cap) as its work channel."""
    import yaml

    doc = read_policy_document()
    table = yaml.safe_load(WORK_PERMIT_TABLE.read_text(encoding="utf-8"))
    doc["facts"]["work"].update(table["facts"]["work"])
    doc["reference"]["tables"].update(table["reference"]["tables"])
    doc["channels"]["work"]["points"] = table["points"]
    doc["channels"]["work"]["requirements"] = table["requirements"]
    return doc


def work_permit_profiles(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    generated = []
    for _ in range(count):
        facts = work(rng)
        for name in ("outstanding_graduate", "chinese_degree", "graduation_date"):
            facts.pop(name)
        facts["experience_years"] = rng.randint(0, 25)
        facts["work_region"] = rng.choice(("CN-SC", "CN-LN", "CN-BJ", "CN-SH", "POVERTY-COUNTY"))
        facts["renowned_background"] = rng.random() < 0.2
        generated.append(facts)
    return generated


def _best_of(runs: int, action) -> float:
    best = math.inf
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="a tiny run that only checks the bench works")
    parser.add_argument("--count", type=int, default=2_000 if _kit.small() else 100_000)
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()

    policy = load_policy(read_policy_document())
    cases = profiles(args.count, args.seed)

    started = time.perf_counter()
    for _channel, facts in cases:
        for name in facts:
            facts[name]  # noqa: B018 - the floor: only reading every fact once
    floor_seconds = time.perf_counter() - started

    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    for channel, facts in cases:
        outcomes[evaluate(policy, channel=channel, facts=facts, as_of=AS_OF).outcome] += 1
    engine_seconds = time.perf_counter() - started

    # Full explanations and what-if are built on demand; measured on a sample for reference.
    sample = cases[:: max(1, len(cases) // 2000)]
    started = time.perf_counter()
    for channel, facts in sample:
        evaluate(policy, channel=channel, facts=facts, as_of=AS_OF).to_dict()
    snapshot_seconds = time.perf_counter() - started

    print(f"profiles={len(cases)} seed={args.seed} as_of={AS_OF.isoformat()}")
    print("outcomes=" + ",".join(f"{name}:{count}" for name, count in sorted(outcomes.items())))
    print(f"evaluations_per_second={len(cases) / engine_seconds:.0f}")
    print(f"floor_seconds={floor_seconds:.4f}")
    print(f"engine_seconds={engine_seconds:.4f}")
    print(f"engine_over_floor={engine_seconds / floor_seconds:.1f}")
    print(
        f"full_snapshots_per_second={len(sample) / snapshot_seconds:.0f} (sample of {len(sample)}, with to_dict())"
    )

    # Validation (schema + cross-references) of the default document, best of 20 runs.
    document = read_policy_document()
    print(f"validate_default_policy_ms={_best_of(20, lambda: validate_policy(document)) * 1000:.1f}")

    # Tiers, a linear scale, a derived yearly fact and a line cap in use: the 2017 work-permit table.
    permit = load_policy(work_permit_policy_document())
    permit_cases = work_permit_profiles(max(1, args.count // 2), args.seed)
    tiers: Counter[str] = Counter()
    started = time.perf_counter()
    for facts in permit_cases:
        tiers[evaluate(permit, channel="work", facts=facts, as_of=AS_OF).tier] += 1
    permit_seconds = time.perf_counter() - started
    print("work_permit_tiers=" + ",".join(f"{name}:{count}" for name, count in sorted(tiers.items())))
    print(f"work_permit_evaluations_per_second={len(permit_cases) / permit_seconds:.0f}")


if __name__ == "__main__":
    main()
