"""A result set as CSV or JSON Lines, written as it goes: one place for the columns.

    for chunk in export_chunks(service.export(request), "csv", "semicolon"):
        stream.write(chunk)

The CLI (``search … --format csv``) and the web app (``/api/export``) both write through
here. CSV is for spreadsheets: UTF-8 with a byte order mark (Excel then reads the umlauts
right), ``;`` (German Excel, with a decimal comma) or ``,`` (with a decimal point), and a
cell that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab or
carriage return first) gets a ``'`` in front. JSON Lines keeps the values as they are
(lists as arrays, the score as a number, no date as null).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from indexer.facets import ENTITY_FACETS
from indexer.search.results import Hit

FORMATS = {"csv": "text/csv", "jsonl": "application/x-ndjson"}  # format -> media type
SEPARATORS = {"semicolon": ";", "comma": ","}  # sep= / --sep -> delimiter; the first is the default
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_JOIN = "; "  # between the values of a list cell in CSV
CHUNK_ROWS = 100  # rows per written chunk


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header and the JSON key
    value: Callable[[Hit], object]


COLUMNS = (
    Column("id", lambda hit: hit.id),
    Column("date", lambda hit: hit.date.isoformat() if hit.date else None),
    Column("source", lambda hit: hit.source),
    Column("title", lambda hit: hit.title),
    Column("speaker", lambda hit: hit.speaker),  # who spoke or wrote (the record's speaker or author)
    Column("party", lambda hit: hit.party),
    Column("url", lambda hit: hit.url),
    *(Column(facet.attribute, lambda hit, name=facet.attribute: list(getattr(hit, name))) for facet in ENTITY_FACETS),
    Column("score", lambda hit: hit.score),
    Column("snippet", lambda hit: hit.snippets[0].text if hit.snippets else ""),
)
HEADER = tuple(column.name for column in COLUMNS)


def record(hit: Hit) -> dict:
    """One hit as the export's row: ``{"id": …, "date": "2024-10-28", "persons": [...], …}``."""
    return {column.name: column.value(hit) for column in COLUMNS}


def export_chunks(hits: Iterable[Hit], fmt: str, sep: str = "semicolon") -> Iterator[str]:
    """The text of the export, a few rows at a time (``fmt`` in ``FORMATS``, ``sep`` in ``SEPARATORS``)."""
    return csv_chunks(hits, SEPARATORS[sep]) if fmt == "csv" else jsonl_chunks(hits)


def jsonl_chunks(hits: Iterable[Hit]) -> Iterator[str]:
    lines = []
    for hit in hits:
        lines.append(json.dumps(record(hit), ensure_ascii=False) + "\n")
        if len(lines) >= CHUNK_ROWS:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def csv_chunks(hits: Iterable[Hit], delimiter: str) -> Iterator[str]:
    """The BOM and the header first, then ``CHUNK_ROWS`` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(HEADER)
    for count, hit in enumerate(hits, start=1):
        writer.writerow([csv_cell(value, delimiter) for value in record(hit).values()])
        if count % CHUNK_ROWS == 0:
            yield take(buffer)
    yield take(buffer)


def take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_cell(value, delimiter: str = ";") -> str:
    """A value as a spreadsheet cell: lists joined, a score with the decimal comma that goes
    with ``;``, text that looks like a formula defused.

    >>> csv_cell(["Olaf Scholz", "Wladimir Putin"]), csv_cell(1.25), csv_cell(1.25, ","), csv_cell(None)
    ('Olaf Scholz; Wladimir Putin', '1,25', '1.25', '')
    >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-Selenskyj")
    ('\\'=HYPERLINK("http://x")', "'-Selenskyj")
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",") if delimiter == ";" else str(value)
    if isinstance(value, list):
        value = LIST_JOIN.join(value)
    return safe_text(str(value))


def safe_text(text: str) -> str:
    """``'`` before text a spreadsheet would evaluate (``=1+2``, ``+49 30``, ``@SUM``, ``-x``)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
