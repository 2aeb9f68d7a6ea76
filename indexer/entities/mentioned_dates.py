"""Explicit dates and years mentioned in a German text, as ISO facet values.

``am 28. Oktober 2024`` -> ``2024-10-28``, ``2024-10``, ``2024``; ``28.10.2024`` and
``2024-10-28`` likewise; ``im Oktober 2024`` -> ``2024-10``, ``2024``; ``2025`` -> ``2025``.
Strict: ``31.02.2024`` is no date (and yields nothing, not even its year); years
outside 1900-2100 and counts like ``2000 Soldaten`` or ``rund 1950`` are ignored.
Nothing is inferred: ``am 28. Oktober`` without a year yields nothing.
"""

from __future__ import annotations

import re
from datetime import date

from indexer.facets import MONTH_NAMES

FIRST_YEAR, LAST_YEAR = 1900, 2100
MONTHS = {**{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}, "jänner": 1, "maerz": 3}
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mär": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dez": 12,
}
MONTH = (
    r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r"|(?:" + "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")\.)"
)
YEAR = r"(?P<year>\d{4})(?![\d,]|\.\d)"
PATTERNS = (
    ("day", re.compile(r"(?<![\d.])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")),
    ("day", re.compile(r"(?<![\d.,])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?" + YEAR)),
    ("day", re.compile(r"(?<![\d.,])(?P<day>\d{1,2})\.\s*" + MONTH + r"\s+" + YEAR, re.IGNORECASE)),
    ("month", re.compile(r"(?<!\w)" + MONTH + r"\s+" + YEAR, re.IGNORECASE)),
    ("year", re.compile(r"(?<![\w.,/-])(?P<year>\d{4})(?![\d,]|\.\d|-\d|\w)")),
)
YEAR_CUES = {"jahr", "jahre", "jahres", "jahrs", "seit", "bis", "ab", "anfang", "mitte", "ende",
             "sommer", "herbst", "winter", "frühjahr", "frühling", "im", "von", "zwischen",
             "und", "oder", "vor", "nach", "jahreswechsel", "haushaltsjahr", "wahljahr", "in"}
COUNT_CUES = {"rund", "etwa", "ca.", "circa", "fast", "knapp", "über", "mehr", "weniger",
              "insgesamt", "nur", "gut", "zirka", "mindestens", "höchstens", "bislang", "als"}
#: every pattern needs a year's four digits: a text without them names no date (three in four
#: texts of the benchmark corpus: 2.2 -> 0.6 µs per word of a build)
YEAR_DIGITS = re.compile(r"\d{4}")
PREVIOUS_WORD = re.compile(r"(\S+)\s*$")
NEXT_WORD = re.compile(r"^\s*(\S+)")


def mentioned_dates(text: str) -> tuple[str, ...]:
    """ISO strings in order of mention, each date followed by its month and year.

    ``"Am 28. Oktober 2024 und 2025"`` -> ``("2024-10-28", "2024-10", "2024", "2025")``.
    """
    if not YEAR_DIGITS.search(text):
        return ()
    found: list[tuple[int, tuple[str, ...]]] = []
    taken: list[tuple[int, int]] = []
    for granularity, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            values = iso_values(granularity, match, text)
            if values:
                found.append((match.start(), values))
    ordered = (value for _, values in sorted(found) for value in values)
    return tuple(dict.fromkeys(ordered))


def iso_values(granularity: str, match: re.Match, text: str) -> tuple[str, ...]:
    """``2024-10-28`` -> its day, month, year strings; () when the date is invalid."""
    year = int(match.group("year"))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return ()
    if granularity == "year":
        return (f"{year:04d}",) if looks_like_year(text, match.start(), match.end()) else ()
    month = month_number(match.group("month"))
    if month is None or not 1 <= month <= 12:
        return ()
    if granularity == "month":
        return (f"{year:04d}-{month:02d}", f"{year:04d}")
    try:
        day = date(year, month, int(match.group("day")))
    except ValueError:
        return ()
    return (day.isoformat(), f"{year:04d}-{month:02d}", f"{year:04d}")


def month_number(token: str) -> int | None:
    """``Oktober``/``okt.``/``10`` -> 10; ``Mai`` -> 5."""
    word = token.lower().rstrip(".")
    if word.isdigit():
        return int(word)
    return MONTHS.get(word) or MONTH_ABBREVIATIONS.get(word)


def looks_like_year(text: str, start: int, end: int) -> bool:
    """A bare four-digit number is a year unless it counts something.

    ``bis 2025 zum Frieden`` -> True; ``im Jahr 2024 Wahlen`` -> True (cue word);
    ``2000 Soldaten`` -> False (capitalised noun follows); ``rund 1950`` -> False;
    ``030 2024 1234`` -> False (next to other numbers).
    """
    before = PREVIOUS_WORD.search(text, max(0, start - 40), start)
    after = NEXT_WORD.search(text[end:end + 40])
    previous = before.group(1).lower() if before else ""
    following = after.group(1) if after else ""
    if previous[-1:].isdigit() or following[:1].isdigit():
        return False
    if previous in COUNT_CUES:
        return False
    if previous in YEAR_CUES:
        return True
    return not (following[:1].isupper() and following[:1].isalpha())
