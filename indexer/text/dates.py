"""The one date parser: document dates, ``--from``/``--to``, ``from=``/``to=`` and ``date:``/``mentioned:``.

    parse_day("28.10.2024")             -> 2024-10-28   (also 2024-10-28)
    parse_timestamp("2024-10-28T09:30Z") -> 2024-10-28   (documents: a time may follow)
    day_span("2024-10")                 -> (2024-10-01, 2024-10-31)   (also 2024 or a day)
    parse_bound("2024", last=True)      -> 2024-12-31   (the end of a range)
    iso_period("28.10.2024")            -> "2024-10-28" (how mentioned dates are indexed)

Strict: a value that is present but no date raises ``DateFormatError`` (a German message
and a hint with the formats); nothing is guessed. Digits are ASCII only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from indexer.errors import DateFormatError

ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
GERMAN_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
YEAR = re.compile(r"[0-9]{4}")
YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
TIME = re.compile(r"[T ][0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?")


def parse_day(text: str) -> dt.date:
    """``2024-10-28`` or ``28.10.2024`` -> the day; ``DateFormatError`` for anything else."""
    text = text.strip()
    iso, german = ISO_DAY.fullmatch(text), GERMAN_DAY.fullmatch(text)
    if iso:
        return make_day(iso[1], iso[2], iso[3], text)
    if german:
        return make_day(german[3], german[2], german[1], text)
    raise DateFormatError(f"unbekanntes Datumsformat: {text[:40]!r} (erwartet 2024-10-28 oder 28.10.2024)")


def parse_timestamp(value) -> dt.date | None:
    """A document's date: a day, maybe with a time (``2024-10-28T09:30:00+02:00``); empty -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DateFormatError(f"Datum ist kein Text: {value!r}")
    text = value.strip()
    iso = ISO_DAY.match(text)
    if iso and TIME.fullmatch(text, iso.end()):
        return make_day(iso[1], iso[2], iso[3], text)
    return parse_day(text)


def day_span(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``2024``, ``2024-10``, ``2024-10-28`` or ``28.10.2024``."""
    text = text.strip()
    if YEAR.fullmatch(text):
        return make_day(text, "1", "1", text), dt.date(int(text), 12, 31)
    month = YEAR_MONTH.fullmatch(text)
    if month:
        first = make_day(month[1], month[2], "1", text)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    day = parse_day(text)
    return day, day


def parse_bound(text: str, last: bool = False) -> dt.date | None:
    """One end of a range: ``2024`` is 2024-01-01, or 2024-12-31 when ``last``; empty -> None."""
    if not text.strip():
        return None
    first, final = day_span(text)
    return final if last else first


def iso_period(text: str) -> str:
    """A day, month or year in the form mentioned dates are indexed: ``28.10.2024`` -> ``2024-10-28``,
    ``2024-1`` -> ``2024-01``, ``2024`` -> ``2024``."""
    first, final = day_span(text)
    if first == final:
        return first.isoformat()
    return str(first.year) if first.month != final.month else f"{first.year:04d}-{first.month:02d}"


def make_day(year: str, month: str, day: str, text: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise DateFormatError(f"ungültiges Datum: {text[:40]!r}") from None
