"""Benchmark of identity resolution (R22): python bench/identity.py [--rows 1000000] [--small] [--refill]

Fills a dedicated PostgreSQL database (default `bench_identity`, on the server of DATABASE_URL) with
a million applicant profiles and their identity index rows by COPY (seeded: names from Chinese,
Russian/Ukrainian, Arabic, German/Nordic, Spanish/French, English and Vietnamese pools, with Chinese
names for the Chinese pool; dates of birth 1950-2005), bans on 2 % of them, then measures through
the portal's own code (`identity.selectors`, what `identity_check_at_submission` runs):

- latency: one new profile matched against all of them (candidates from the index, scored, the
  ban of strong candidates looked up): median and p95 (`identity_match_p95_ms`, goal under 50 ms);
- recall on known duplicates: existing people under another passport, with transliteration
  variants (Aleksandr/Alexander, Müller/Mueller, Mohammed/Muhammad), names in the other order,
  given names split differently, day and month of birth swapped, a Cantonese or Wade-Giles Latin
  name beside the same Chinese name; found = the original profile is a strong or possible match
  (`identity_recall`, goal at least 0.98), and how many are strong;
- false blocks: 10,000 distinct new people with common names (never identical in name, date of
  birth and nationality to an existing profile; some share the name of a banned person, some their
  birthday), and how many would be refused (`identity_false_blocks`, goal 0) or flagged.

--small (or BENCH_SMALL=1): 5,000 rows and 200 people in `bench_identity_small`, only to check
that it runs. A script, never a timed test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds a queue.py that would shadow the standard library: put the repository first instead.
sys.path[0] = str(ROOT)

from bench import _kit  # noqa: E402

SEED = 2016
CHINESE_SURNAMES = [
    ("王", "Wang", "Wong"), ("李", "Li", "Lee"), ("张", "Zhang", "Cheung"), ("刘", "Liu", "Lau"),
    ("陈", "Chen", "Chan"), ("杨", "Yang", "Yeung"), ("黄", "Huang", "Wong"), ("赵", "Zhao", "Chiu"),
    ("吴", "Wu", "Ng"), ("周", "Zhou", "Chow"), ("徐", "Xu", "Tsui"), ("孙", "Sun", "Suen"),
    ("马", "Ma", "Ma"), ("朱", "Zhu", "Chu"), ("胡", "Hu", "Wu"), ("郭", "Guo", "Kwok"),
    ("何", "He", "Ho"), ("林", "Lin", "Lam"), ("罗", "Luo", "Lo"), ("郑", "Zheng", "Cheng"),
    ("梁", "Liang", "Leung"), ("谢", "Xie", "Tse"), ("宋", "Song", "Sung"), ("唐", "Tang", "Tong"),
    ("许", "Xu", "Hui"), ("邓", "Deng", "Tang"), ("冯", "Feng", "Fung"), ("曾", "Zeng", "Tsang"),
    ("吕", "Lyu", "Lui"), ("欧阳", "Ouyang", "Au Yeung"),
]  # fmt: skip
# Given-name characters with their pinyin and a Cantonese romanisation.
CHINESE_GIVEN = [
    ("伟", "wei", "wai"), ("芳", "fang", "fong"), ("敏", "min", "man"), ("静", "jing", "ching"),
    ("丽", "li", "lai"), ("强", "qiang", "keung"), ("磊", "lei", "lui"), ("军", "jun", "kwan"),
    ("洋", "yang", "yeung"), ("勇", "yong", "yung"), ("艳", "yan", "yim"), ("杰", "jie", "kit"),
    ("涛", "tao", "to"), ("明", "ming", "ming"), ("超", "chao", "chiu"), ("秀", "xiu", "sau"),
    ("霞", "xia", "ha"), ("平", "ping", "ping"), ("刚", "gang", "kong"), ("桂", "gui", "kwai"),
    ("华", "hua", "wah"), ("建", "jian", "kin"), ("国", "guo", "kwok"), ("文", "wen", "man"),
    ("海", "hai", "hoi"), ("晓", "xiao", "hiu"), ("志", "zhi", "chi"), ("美", "mei", "mei"),
    ("玉", "yu", "yuk"), ("兰", "lan", "lan"),
]  # fmt: skip
# name: spellings other passports use for it (the first is the one profiles are filled with)
VARIANTS = {
    "Aleksandr": ["Alexander", "Alexandr", "Aleksander", "Alexandre"],
    "Sergei": ["Sergey", "Serguei", "Sergej"],
    "Dmitri": ["Dmitry", "Dmitrii", "Dmitrij"],
    "Yuri": ["Yury", "Iouri", "Jurij", "Yuriy"],
    "Mikhail": ["Michail", "Mihail"],
    "Nikolai": ["Nikolay", "Nicolai", "Nikolaj"],
    "Andrei": ["Andrey", "Andrej"],
    "Alexei": ["Aleksei", "Alexey", "Aleksey"],
    "Tatiana": ["Tatyana", "Tatjana"],
    "Natalia": ["Natalya", "Nataliya"],
    "Yekaterina": ["Ekaterina", "Jekaterina"],
    "Yelena": ["Elena", "Jelena"],
    "Olga": ["Olha"],
    "Ivanov": ["Ivanoff", "Iwanow"],
    "Smirnov": ["Smirnoff", "Smirnow"],
    "Kuznetsov": ["Kuznetzov", "Kusnezow"],
    "Popov": ["Popoff", "Popow"],
    "Sokolov": ["Sokoloff", "Sokolow"],
    "Lebedev": ["Lebedeff", "Lebedew"],
    "Kozlov": ["Kozloff", "Koslow"],
    "Novikov": ["Novikoff", "Nowikow"],
    "Morozov": ["Morozoff", "Morosow"],
    "Volkov": ["Volkoff", "Wolkow"],
    "Sergeyev": ["Sergeev", "Sergejew"],
    "Shevchenko": ["Chevtchenko", "Schewtschenko", "Sevcenko"],
    "Kovalenko": ["Kowalenko"],
    "Tkachenko": ["Tkatchenko", "Tkaczenko"],
    "Mohammed": ["Muhammad", "Mohamed", "Mohammad", "Muhammed"],
    "Ahmed": ["Ahmad", "Ahmet"],
    "Hussein": ["Hussain", "Husain", "Hosein"],
    "Abdullah": ["Abdallah", "Abdulla"],
    "Youssef": ["Yusuf", "Yousef", "Youssouf"],
    "Khalid": ["Khaled", "Chalid"],
    "Omar": ["Umar", "Omer"],
    "Mustafa": ["Mostafa", "Moustafa"],
    "Ibrahim": ["Ebrahim", "Ibraheem"],
    "Hassan": ["Hasan"],
    "Saeed": ["Said", "Sayed"],
    "Karim": ["Kareem"],
    "Rashid": ["Rasheed", "Rachid"],
    "Nasser": ["Nasir", "Naser"],
    "Haddad": ["Hadad"],
    "Mansour": ["Mansur", "Mansoor"],
    "Müller": ["Mueller", "Muller"],
    "Schröder": ["Schroeder", "Schroder"],
    "Jürgen": ["Juergen", "Jurgen"],
    "Weiß": ["Weiss"],
    "Köhler": ["Koehler", "Kohler"],
    "Bäcker": ["Baecker", "Backer"],
    "Søren": ["Soren", "Soeren"],
    "Ødegård": ["Odegaard", "Odegard"],
    "Håkon": ["Hakon", "Haakon"],
    "Łukasz": ["Lukasz"],
    "Wójcik": ["Wojcik"],
    "José": ["Jose"],
    "Hélène": ["Helene"],
    "François": ["Francois"],
    "Núñez": ["Nunez"],
    "Peña": ["Pena"],
    "Nguyễn": ["Nguyen"],
    "Trần": ["Tran"],
    "Lê": ["Le"],
    "Phạm": ["Pham"],
}
POOLS = {
    # family names, male given, female given, nationalities
    "ru": (
        ["Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov", "Morozov",
         "Volkov", "Sergeyev", "Shevchenko", "Kovalenko", "Tkachenko", "Petrov", "Pavlov", "Orlov", "Belov",
         "Egorov", "Fedorov"],
        ["Aleksandr", "Sergei", "Dmitri", "Yuri", "Mikhail", "Nikolai", "Andrei", "Alexei", "Ivan", "Pavel",
         "Oleg", "Igor", "Maksim", "Roman", "Vladimir"],
        ["Tatiana", "Natalia", "Yekaterina", "Yelena", "Olga", "Anna", "Maria", "Irina", "Svetlana", "Daria"],
        ["RUS", "UKR", "KAZ", "BLR"],
    ),
    "ar": (
        ["Haddad", "Mansour", "Nasser", "Hussein", "Khalil", "Saleh", "Hamdan", "Qasim", "Darwish", "Aziz",
         "Othman", "Jaber", "Sabbagh", "Bakr", "Najjar"],
        ["Mohammed", "Ahmed", "Hussein", "Abdullah", "Youssef", "Khalid", "Omar", "Mustafa", "Ibrahim",
         "Hassan", "Saeed", "Karim", "Rashid", "Nasser", "Ali", "Tariq"],
        ["Fatima", "Aisha", "Mariam", "Layla", "Noor", "Huda", "Salma", "Rania", "Amira", "Zainab"],
        ["EGY", "JOR", "SAU", "ARE", "MAR", "SYR"],
    ),
    "de": (
        ["Müller", "Schröder", "Weiß", "Köhler", "Bäcker", "Schmidt", "Fischer", "Wagner", "Becker", "Hoffmann",
         "Ødegård", "Wójcik", "Hansen", "Larsen", "Nowak"],
        ["Jürgen", "Søren", "Håkon", "Łukasz", "Thomas", "Michael", "Stefan", "Andreas", "Lars", "Piotr",
         "Klaus", "Erik"],
        ["Anna", "Katrin", "Sabine", "Ingrid", "Agnieszka", "Julia", "Monika", "Kirsten", "Sofie", "Birgit"],
        ["DEU", "AUT", "CHE", "NOR", "DNK", "POL"],
    ),
    "es": (
        ["García", "Núñez", "Peña", "Martínez", "López", "González", "Rodríguez", "Fernández", "Pérez",
         "Sánchez", "Dubois", "Lefèvre", "Moreau", "Laurent", "Bernard"],
        ["José", "François", "Carlos", "Juan", "Luis", "Miguel", "Pierre", "Antoine", "Javier", "Diego",
         "Nicolas", "Julien"],
        ["Hélène", "María", "Carmen", "Lucía", "Sofía", "Camille", "Chloé", "Isabel", "Elena", "Marie"],
        ["ESP", "MEX", "ARG", "COL", "FRA", "BEL"],
    ),
    "en": (
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
         "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis"],
        ["James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Daniel", "Matthew",
         "Andrew", "Christopher"],
        ["Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Susan", "Jessica", "Sarah", "Karen", "Emily"],
        ["USA", "GBR", "CAN", "AUS", "NZL", "IRL"],
    ),
    "vn": (
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"],
        ["Van An", "Minh Duc", "Quoc Bao", "Thanh Tung", "Huu Phuoc", "Duc Anh"],
        ["Thi Lan", "Thi Hoa", "Ngoc Anh", "Thu Trang", "Thi Mai", "Bich Ngoc"],
        ["VNM"],
    ),
}  # fmt: skip
POOL_WEIGHTS = {"zh": 30, "ru": 15, "ar": 12, "de": 12, "es": 12, "en": 14, "vn": 5}
CHINESE_NATIONALITIES = ["SGP", "MYS", "USA", "CAN", "AUS", "THA", "IDN"]
FIRST_DAY, LAST_DAY = dt.date(1950, 1, 1), dt.date(2005, 12, 31)


def parse_args() -> argparse.Namespace:
    small = _kit.small()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tiny run that only checks the bench works")
    parser.add_argument("--rows", type=int, default=5_000 if small else 1_000_000)
    parser.add_argument("--duplicates", type=int, default=200 if small else 3_000)
    parser.add_argument("--distinct", type=int, default=200 if small else 10_000)
    parser.add_argument("--timed", type=int, default=100 if small else 1_000, help="matches timed")
    parser.add_argument("--server", default=None, help="default: the server of DATABASE_URL (or BENCH_PG)")
    parser.add_argument("--database", default=_kit.database_name("identity"))
    parser.add_argument("--refill", action="store_true", help="drop and fill the database again")
    args = parser.parse_args()
    args.server = args.server or _kit.postgres_server()
    return args


def _pick(rng: random.Random, names: list[str]) -> str:
    # Common names are common: the first few of each list take most of the draws.
    return names[min(int(rng.expovariate(0.25)), len(names) - 1)] if rng.random() < 0.6 else rng.choice(names)


def _birth(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))


def make_person(rng: random.Random) -> dict:
    pool = rng.choices(list(POOL_WEIGHTS), list(POOL_WEIGHTS.values()))[0]
    sex = rng.choice("MF")
    if pool == "zh":
        surname = CHINESE_SURNAMES[min(int(rng.expovariate(0.15)), len(CHINESE_SURNAMES) - 1)]
        given = [rng.choice(CHINESE_GIVEN) for _ in range(rng.choice((1, 2, 2)))]
        return {
            "pool": pool,
            "family_name": surname[1].upper(),
            "given_names": "".join(g[1] for g in given).capitalize(),
            "chinese_name": surname[0] + "".join(g[0] for g in given),
            "cantonese": (surname[2], " ".join(g[2].capitalize() for g in given)),
            "sex": sex,
            "birth_date": _birth(rng),
            "nationality": rng.choice(CHINESE_NATIONALITIES),
        }
    families, male, female, nationalities = POOLS[pool]
    return {
        "pool": pool,
        "family_name": _pick(rng, families),
        "given_names": _pick(rng, male if sex == "M" else female),
        "chinese_name": "",
        "sex": sex,
        "birth_date": _birth(rng),
        "nationality": rng.choice(nationalities),
    }


def population(rows: int) -> list[dict]:
    rng = random.Random(SEED)
    return [make_person(rng) for _ in range(rows)]


def fill(people: list[dict], ban_share: float) -> None:
    """Profiles, their identity keys and bans, by COPY; then the indexes are analysed."""
    from django.core.management import call_command
    from django.db import connection

    from identity.matching import name_key
    from residence.accounts.models import User

    call_command("migrate", verbosity=0)
    owner, _ = User.objects.get_or_create(email="applicant@bench.example")
    rng = random.Random(SEED + 1)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    profile_columns = (
        "owner_id, family_name, given_names, chinese_name, sex, birth_date, nationality, passport_number, "
        "passport_expiry, email, phone, address, province, city_code, residence_permit_type, "
        "residence_permit_number, is_active, created_at, updated_at"
    )
    with connection.cursor() as cur:
        raw = cur.cursor
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM applications_applicantprofile")
        first_id = cur.fetchone()[0] + 1
        batch = 100_000
        for start in range(0, len(people), batch):
            profiles, keys, bans = io.StringIO(), io.StringIO(), io.StringIO()
            for i in range(start, min(start + batch, len(people))):
                p = people[i]
                passport = f"B{i:09d}"
                born = p["birth_date"].isoformat()
                profiles.write(
                    f"{owner.pk}\t{p['family_name']}\t{p['given_names']}\t{p['chinese_name']}\t{p['sex']}\t"
                    f"{born}\t{p['nationality']}\t{passport}\t2035-01-01\tbench@example.org\t\t1 Bench Road\t"
                    f"CN-GD\t440100\tnone\t\tt\t{now}\t{now}\n"
                )
                pid = first_id + i
                keys.write(
                    f"{pid}\t{pid}\t{name_key(p['family_name'], p['given_names'])}\t{born}\t{p['sex']}\t"
                    f"{p['nationality']}\t{now}\n"
                )
                if rng.random() < ban_share:
                    bans.write(
                        f"{passport}\t{p['nationality']}\t{born}\tfraud\t2031-01-01\tBench ban\t{now}\n"
                    )
            for buf, sql in (
                (profiles, f"COPY applications_applicantprofile ({profile_columns}) FROM STDIN"),
                (
                    keys,
                    "COPY identity_identitykey (profile_id, person, name_key, birth_date, sex, nationality, "
                    "updated_at) FROM STDIN",
                ),
                (
                    bans,
                    "COPY eligibility_ban (passport_number, nationality, birth_date, ground, until, reason, "
                    "created_at) FROM STDIN",
                ),
            ):
                buf.seek(0)
                raw.copy_expert(sql, buf)
            print(f"filled {min(start + batch, len(people))} rows", file=sys.stderr)
        cur.execute("ANALYZE applications_applicantprofile")
        cur.execute("ANALYZE identity_identitykey")
        cur.execute("ANALYZE eligibility_ban")


def _variant_name(name: str, rng: random.Random) -> str | None:
    spellings = VARIANTS.get(name)
    return rng.choice(spellings) if spellings else None


def duplicate_of(p: dict, kind: str, rng: random.Random) -> dict | None:
    """The same person under another passport, written another way; None when the kind does not apply."""
    q = dict(p)
    if kind == "transliteration":
        family, given = _variant_name(p["family_name"], rng), _variant_name(p["given_names"], rng)
        if family is None and given is None:
            return None
        q["family_name"], q["given_names"] = family or p["family_name"], given or p["given_names"]
    elif kind == "order":
        q["family_name"], q["given_names"] = p["given_names"], p["family_name"]
    elif kind == "swap":
        from identity.matching import swapped

        other = swapped(p["birth_date"])
        if other is None:
            return None
        q["birth_date"] = other
    elif kind == "transliteration_and_swap":
        from identity.matching import swapped

        q = duplicate_of(p, "transliteration", rng)
        other = swapped(p["birth_date"])
        if q is None or other is None:
            return None
        q["birth_date"] = other
    elif kind == "cantonese":  # another romanisation, the same Chinese name
        if not p["chinese_name"]:
            return None
        q["family_name"], q["given_names"] = p["cantonese"]
    elif kind == "pinyin_split":  # given names split into syllables, Chinese name left out
        if not p["chinese_name"]:
            return None
        q["given_names"] = " ".join(s.capitalize() for s in _syllables(p["chinese_name"]))
        q["chinese_name"] = ""
    elif kind == "chinese_only_latin_western":  # a Western given name, the Chinese name as before
        if not p["chinese_name"]:
            return None
        q["given_names"] = rng.choice(["Michael", "Jennifer", "David", "Grace"])
    return q


def _syllables(chinese_name: str) -> list[str]:
    from pypinyin import lazy_pinyin

    split = 2 if chinese_name[:2] == "欧阳" else 1
    return [s.replace("ü", "yu").replace("v", "yu") for s in lazy_pinyin(chinese_name[split:])]


KINDS = [
    "transliteration",
    "order",
    "swap",
    "transliteration_and_swap",
    "cantonese",
    "pinyin_split",
    "chinese_only_latin_western",
]


def as_person(p: dict):
    from identity.matching import Person

    return Person(
        p["family_name"], p["given_names"], p["birth_date"], p["sex"], p["nationality"], p["chinese_name"]
    )


def resolve(person):
    """What submission runs for one profile: candidates, decisions taken, the ban of strong ones."""
    from django.utils import timezone

    from identity import matching, selectors

    found = selectors.candidates_for(person=person)
    selectors.decisions_for(profile_id=0, candidate_ids=[c.key.profile_id for c in found])
    strong = {c.key.person for c in found if c.match.level == matching.STRONG}
    ban = None
    if strong:
        ban = selectors.active_ban_of_profiles(
            profile_ids=selectors.profile_ids_of_people(strong), on=timezone.localdate()
        )
    return found, ban


def distinct_people(people: list[dict], count: int, rng: random.Random) -> list[dict]:
    """New people with common names, never identical (name, date of birth either way, nationality) to anyone."""
    from identity.matching import swapped

    taken = {(p["family_name"], p["given_names"], p["birth_date"], p["nationality"]) for p in people}
    out = []
    while len(out) < count:
        p = make_person(rng)
        if p["pool"] != "zh":
            # Common names only: the first three of each list.
            families, male, female, _ = POOLS[p["pool"]]
            p["family_name"] = rng.choice(families[:3])
            p["given_names"] = rng.choice((male if p["sex"] == "M" else female)[:3])
        dates = {p["birth_date"], swapped(p["birth_date"])}
        if any((p["family_name"], p["given_names"], d, p["nationality"]) in taken for d in dates if d):
            continue
        out.append(p)
    return out


def main() -> None:
    args = parse_args()
    url = f"{args.server}/{args.database}"
    env = {"DATABASE_URL": url, "VAR_DIR": str(ROOT / "var" / "bench-identity"), **_kit.process_secrets()}
    Path(env["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.update(env | {"DEBUG": "1"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residence.settings")
    import django

    must_fill = _kit.ensure_database(args.server, args.database, refill=args.refill)
    django.setup()
    started = time.perf_counter()
    people = population(args.rows)
    if must_fill:
        fill(people, ban_share=0.02)
        print(f"fill_seconds={time.perf_counter() - started:.1f}")
    from django.db import connection

    from applications.models import ApplicantProfile
    from identity import matching

    with connection.cursor() as cur:
        cur.execute("SELECT MIN(id) FROM applications_applicantprofile WHERE passport_number LIKE 'B%%'")
        first_id = cur.fetchone()[0]
        cur.execute("SELECT COUNT(*) FROM identity_identitykey")
        indexed = cur.fetchone()[0]
        cur.execute("SELECT COUNT(*) FROM eligibility_ban")
        banned = cur.fetchone()[0]
    print(f"profiles={ApplicantProfile.objects.count()} indexed={indexed} bans={banned} seed={SEED}")

    rng = random.Random(SEED + 2)
    # Known duplicates: existing people again, under another passport and another spelling.
    cases: list[tuple[str, int, dict]] = []
    attempts = 0
    while len(cases) < args.duplicates and attempts < args.duplicates * 50:
        attempts += 1
        i = rng.randrange(len(people))
        kind = KINDS[len(cases) % len(KINDS)]
        q = duplicate_of(people[i], kind, rng)
        if q is not None:
            cases.append((kind, first_id + i, q))
    found_by_kind: dict[str, list[int]] = {k: [0, 0, 0] for k in KINDS}  # found, strong, total
    flagged_pairs = true_pairs = 0
    timings = []
    for kind, original, q in cases:
        t0 = time.perf_counter()
        found, _ = resolve(as_person(q))
        timings.append(time.perf_counter() - t0)
        ids = {c.key.profile_id: c for c in found}
        stats = found_by_kind[kind]
        stats[2] += 1
        if original in ids:
            stats[0] += 1
            stats[1] += ids[original].match.level == matching.STRONG
        flagged_pairs += len(found)
        true_pairs += original in ids

    distinct = distinct_people(people, args.distinct, random.Random(SEED + 3))
    false_blocks = flagged = 0
    for j, p in enumerate(distinct):
        t0 = time.perf_counter()
        found, ban = resolve(as_person(p))
        if j < args.timed:
            timings.append(time.perf_counter() - t0)
        false_blocks += ban is not None
        flagged += bool(found)

    found_total = sum(s[0] for s in found_by_kind.values())
    total = sum(s[2] for s in found_by_kind.values())
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(f"matches_timed={len(timings)} duplicates={total} distinct_people={len(distinct)}")
    for kind, (hit, strong, n) in found_by_kind.items():
        if n:
            print(f"recall_{kind}={hit / n:.3f} strong={strong / n:.3f} n={n}")
    print(f"identity_match_median_ms={statistics.median(timings) * 1000:.2f}")
    print(f"identity_match_p95_ms={p95 * 1000:.2f}")
    print(f"identity_recall={found_total / total:.4f}")
    print(f"identity_precision_of_flags={true_pairs / max(flagged_pairs, 1):.4f}")
    print(f"identity_distinct_flagged={flagged}")
    print(f"identity_false_blocks={false_blocks}")


if __name__ == "__main__":
    main()
