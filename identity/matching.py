"""Is this the same person? Pure Python (no Django): normalised names, dates of birth, scores.

A passport gives a Latin name that depends on who transliterated it (Aleksandr, Alexander,
Alexandre; Müller, Mueller, Muller; Yuri, Iouri, Jurij), in either order of family and given names,
and a Chinese name if the person has one. Each name becomes a *canonical key*: ASCII letters
(anyascii), with the spellings that transliteration systems disagree on folded onto one, so two
variants of one name have the same or a near key; rapidfuzz then scores the keys. A Chinese name
is read through pinyin (pypinyin), the form Chinese authorities write in a passport (吕 as LYU), so
it meets a Latin name too. Dates of birth match exactly, with day and month swapped (03/04 against
04/03, a common slip between date orders), or nearly (one field off), which alone is never strong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from pypinyin import Style, pinyin
from rapidfuzz import fuzz

STRONG = "strong"
POSSIBLE = "possible"

DOB_EXACT = "exact"
DOB_SWAPPED = "swapped"
DOB_NEAR = "near"

# Name scores (0-100) from which a pair counts, by how the dates of birth agree.
STRONG_NAME = 90.0
POSSIBLE_NAME = 80.0
NEAR_DOB_NAME = 94.0

# Two-character Chinese surnames: the rest of the name is the given name.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "呼延",
    ]
)

# Spellings that transliteration systems disagree on, folded in this order (longest first where
# one contains another). Both sides of a comparison go through the same folds.
_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"tch", "ch"),
        (r"sch", "sh"),
        (r"(?<=[a-z])dj|^dj", "j"),
        (r"kh", "h"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"gh", "g"),
        (r"ck", "k"),
        (r"q(?!i)", "k"),  # Arabic and Russian q; pinyin qi stays apart from ji
        (r"x(?=[^i]|$)", "ks"),  # Alexander: Aleksandr; pinyin xi keeps its x
        (r"c(?![hk])(?=[eiy])", "s"),  # Marcel, Marsel
        (r"c(?!h)", "k"),  # Nicolas, Nikolas
        (r"w", "v"),  # Wladimir, Vladimir
        (r"ou", "u"),  # French transliteration: Iouri
        (r"(?<=[a-z])(ue|oe|ae)", lambda m: m.group(0)[0]),  # Mueller: Muller (after anyascii of ü)
        (r"y|j", "i"),  # Yuri, Juri, Iuri; Sergey, Sergei
        (r"(?<=[a-z])io", "e"),  # Russian yo: Fyodor, Fedor; Pyotr, Petr
        (r"ie", "i"),
        (r"ee", "i"),
        (r"(?<=[a-z])e(?=v$)", "i"),  # -ev / -iev (Sergeev, Sergeiev)
        (r"ff$", "v"),
        (r"f$", "v"),  # -off, -ov
        (r"h$", ""),  # Sarah, Sara
        (r"(.)\1+", r"\1"),  # doubled letters: Mohammed, Mohamed
    ]
]
_NOT_LETTER = re.compile(r"[^a-z]+")
_VOWELS = re.compile(r"[aeiou]")
SKELETON_SCORE = 88.0


def _fold(token: str) -> str:
    for pattern, replacement in _FOLDS:
        token = pattern.sub(replacement, token)
    return token


@lru_cache(maxsize=65536)
def latin_tokens(text: str) -> tuple[str, ...]:
    """The canonical tokens of a Latin (or any-script) name: `Jean-Pierre MÜLLER` -> ('zhan', ...)."""
    ascii_text = anyascii(text or "").lower()
    return tuple(t for t in (_fold(raw) for raw in _NOT_LETTER.split(ascii_text) if raw) if t)


def _pinyin_syllables(chars: str, *, heteronym: bool) -> list[list[str]]:
    # Passports write ü as YU (吕 LYU, 女 NYU): do the same, then fold like any Latin name.
    return [
        [s.replace("ü", "yu") for s in alternatives]
        for alternatives in pinyin(
            chars, style=Style.NORMAL, heteronym=heteronym, v_to_u=True, errors="ignore"
        )
    ]


@lru_cache(maxsize=65536)
def chinese_forms(chinese_name: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(family, given) canonical tokens of a Chinese name through pinyin; one per reading of the surname."""
    name = "".join((chinese_name or "").split())
    if not name:
        return ()
    split = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    family_chars, given_chars = name[:split], name[split:]
    # Surnames have their own readings (单 Shan, 曾 Zeng): try each reading of the surname's
    # first character; the given name reads in context.
    family_readings = _pinyin_syllables(family_chars, heteronym=True)
    given = "".join(s[0] for s in _pinyin_syllables(given_chars, heteronym=False))
    rest_of_family = "".join(s[0] for s in family_readings[1:])
    forms = []
    for first in (family_readings[0] if family_readings else [""])[:4]:
        family = latin_tokens(first + rest_of_family)
        forms.append((family, latin_tokens(given)))
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class Person:
    """What a profile says about who someone is."""

    family_name: str
    given_names: str
    birth_date: dt.date
    sex: str = ""
    nationality: str = ""
    chinese_name: str = ""

    def name_forms(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        forms = [(latin_tokens(self.family_name), latin_tokens(self.given_names))]
        forms.extend(chinese_forms(self.chinese_name))
        return tuple(f for f in forms if f[0] or f[1])


def name_key(family_name: str, given_names: str) -> str:
    """The indexed key: canonical tokens, sorted, so either order of the names gives one key."""
    return " ".join(sorted(latin_tokens(family_name) + latin_tokens(given_names)))


def _form_score(
    a: tuple[tuple[str, ...], tuple[str, ...]], b: tuple[tuple[str, ...], tuple[str, ...]]
) -> float:
    (af, ag), (bf, bg) = a, b
    a_fg, b_fg, b_gf = "".join(af + ag), "".join(bf + bg), "".join(bg + bf)
    # Family and given in either order, and given names split differently (Xiao Ming, Xiaoming).
    best = max(fuzz.ratio(a_fg, b_fg), fuzz.ratio(a_fg, b_gf))
    a_tokens, b_tokens = " ".join(af + ag), " ".join(bf + bg)
    best = max(best, fuzz.token_sort_ratio(a_tokens, b_tokens))
    # Vowels are where Arabic and Persian transliterations disagree most (Mohammed, Muhammad;
    # Osama, Usama): the consonants alone may say "possible", never "strong".
    a_skeleton, b_skeleton = _VOWELS.sub("", a_fg), _VOWELS.sub("", b_fg)
    if len(a_skeleton) >= 4 and a_skeleton == b_skeleton:
        best = max(best, SKELETON_SCORE)
    # A middle name left out of one passport: every token of the shorter name is in the longer.
    # Distinct tokens: "Li Li" is one token as a set, a part of every name with a Li in it.
    if min(len(set(af + ag)), len(set(bf + bg))) >= 2:
        best = max(best, 0.95 * fuzz.token_set_ratio(a_tokens, b_tokens))
    return float(best)


def name_score(a: Person, b: Person) -> float:
    """0-100: how alike the two names are, the best over Latin and pinyin forms and name orders."""
    if (
        a.chinese_name
        and b.chinese_name
        and "".join(a.chinese_name.split()) == "".join(b.chinese_name.split())
    ):
        chinese_same = 100.0
    else:
        chinese_same = 0.0
    best = chinese_same
    for form_a in a.name_forms():
        for form_b in b.name_forms():
            best = max(best, _form_score(form_a, form_b))
            if best >= 100.0:
                return best
    return best


def swapped(day: dt.date) -> dt.date | None:
    """The same date with day and month exchanged, when that is another valid date."""
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def dob_relation(a: dt.date, b: dt.date) -> str | None:
    if a == b:
        return DOB_EXACT
    if swapped(a) == b:
        return DOB_SWAPPED
    # One field off: a mistyped day, month or year (never two of them).
    same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    if same == 2 and abs(a.year - b.year) <= 1:
        return DOB_NEAR
    return None


def sex_compatible(a: str, b: str) -> bool:
    return not a or not b or a == b or "X" in (a, b)


@dataclass(frozen=True)
class Match:
    level: str  # STRONG or POSSIBLE
    score: float  # 0-100, for ordering
    name_score: float
    dob: str  # DOB_EXACT, DOB_SWAPPED or DOB_NEAR


def compare(a: Person, b: Person) -> Match | None:
    """How `b` matches `a`, or None when they are not worth an officer's look."""
    dob = dob_relation(a.birth_date, b.birth_date)
    if dob is None:
        return None
    names = name_score(a, b)
    same_sex = sex_compatible(a.sex, b.sex)
    same_nationality = not a.nationality or not b.nationality or a.nationality == b.nationality
    level = None
    if dob in (DOB_EXACT, DOB_SWAPPED):
        if names >= STRONG_NAME and same_sex and same_nationality:
            level = STRONG
        elif names >= POSSIBLE_NAME and (same_sex or names >= 97.0):
            # A second nationality's passport, or a sex recorded differently: an officer decides.
            level = POSSIBLE
    elif names >= NEAR_DOB_NAME and same_sex and same_nationality:
        level = POSSIBLE
    if level is None:
        return None
    weight = {DOB_EXACT: 1.0, DOB_SWAPPED: 0.97, DOB_NEAR: 0.9}[dob]
    return Match(level=level, score=round(names * weight, 1), name_score=round(names, 1), dob=dob)
