"""Readers for German news files: plain text, JSONL / JSON arrays, CSV, and ``.gz`` of each.

``read_paths`` walks files and directories and yields an ``Article`` for every good record
and a ``Problem`` (file, line, reason) for every bad one; nothing is dropped silently.

Plain ``.txt`` articles: the first line is the lead (often with a dateline, ``Berlin.``),
then paragraphs, then optionally a block of ``- `` lines, which are links to related
articles and are kept out of the body. Optional YAML-style front matter sets metadata::

    ---
    date: 2024-10-28
    title: NATO: Putin auf Hilfe angewiesen
    source: Berliner Morgenpost
    url: https://example.org/artikel
    ---
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from indexer.errors import DateFormatError
from indexer.ingest.documents import FIELD_ALIASES, METADATA_FIELDS, Article
from indexer.text.dates import parse_timestamp
from indexer.text.numbers import german_number

FORMATS = (".txt", ".jsonl", ".ndjson", ".json", ".csv", ".tsv")
MAX_RECORD_CHARS = 5_000_000  # a single document larger than this is reported, not indexed
MAX_LINE_BYTES = MAX_RECORD_CHARS * 4  # a longer line (JSONL, CSV) is reported without being held in memory
MISSING = "Datei oder Verzeichnis nicht gefunden"  # a path that does not exist
MAX_ARRAY_BYTES = 256_000_000  # a JSON array is parsed whole: larger ones must come as JSONL
csv.field_size_limit(MAX_RECORD_CHARS * 4)
_SURROGATE = re.compile("[\ud800-\udfff]")
_WEB_URL = re.compile(r"https?://[^\s]+\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """A bad record or file: where it is and why it was not indexed."""

    path: str
    line: int
    reason: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def read_paths(paths: Iterable[str | Path]) -> Iterator[Article | Problem]:
    """Every record of every file below ``paths``, in a stable order."""
    for path, found in input_files(paths):
        yield from read_file(path) if found else [Problem(str(path), 0, MISSING)]


def input_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """(file, exists) below ``paths`` in reading order: a directory's files sorted, no hidden ones."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child, True
        else:
            yield path, path.exists()


def read_file(path: Path) -> Iterator[Article | Problem]:
    kind = file_kind(path)
    if kind is None:
        yield Problem(str(path), 0, f"kein unterstütztes Format (erwartet: {', '.join(FORMATS)}, auch .gz)")
        return
    try:
        if kind == ".txt":
            yield from read_txt(path)
        elif kind in (".jsonl", ".ndjson", ".json"):
            yield from read_json(path)
        else:
            yield from read_csv(path)
    except (OSError, EOFError, zlib.error, csv.Error) as exc:
        yield Problem(str(path), 0, f"Datei nicht lesbar: {exc}")


def file_kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes and suffixes[-1] in FORMATS else None


def open_binary(path: Path):
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def decoded_lines(path: Path, lines=None) -> Iterator[tuple[int, str | Problem]]:
    """(line number, text) per line, or a Problem for a line that is not UTF-8 or too long;
    ``lines(f)``: the raw lines to read (default ``bounded_lines``; a part: ``partitions.owned_lines``)."""
    with open_binary(path) as f:
        for number, raw in enumerate((lines or bounded_lines)(f), start=1):
            if raw is None:
                yield number, Problem(str(path), number, f"Zeile zu lang (mehr als {german_number(MAX_LINE_BYTES)} Bytes)")
                continue
            try:  # a BOM may start any line: files concatenated with cat
                yield number, raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                yield number, Problem(str(path), number, "kein gültiges UTF-8")


def bounded_lines(f) -> Iterator[bytes | None]:
    """The lines of ``f``; None for one longer than ``MAX_LINE_BYTES``, whose rest is skipped
    in chunks, so one endless line (a gzip bomb) never sits in memory."""
    while True:
        raw = f.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) <= MAX_LINE_BYTES:
            yield raw
            continue
        while raw and not raw.endswith(b"\n"):
            raw = f.readline(1 << 20)
        yield None


# --- plain text -------------------------------------------------------------------------


def read_txt(path: Path) -> Iterator[Article | Problem]:
    with open_binary(path) as f:
        raw = f.read(MAX_RECORD_CHARS * 4 + 1)
    if len(raw) > MAX_RECORD_CHARS * 4:
        yield Problem(str(path), 0, "Dokument zu groß")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        yield Problem(str(path), line, "kein gültiges UTF-8")
        return
    yield from txt_article(path, text)


def txt_article(path: Path, text: str) -> Iterator[Article | Problem]:
    meta, lines, first_line = split_front_matter(text.replace("\r\n", "\n").split("\n"))
    body_lines = strip_related_links(lines)
    record = {"id": meta.pop("id", "") or path.name.split(".")[0], "text": "\n".join(body_lines), **meta}
    yield build_article(record, str(path), first_line)


def split_front_matter(lines: list[str]) -> tuple[dict, list[str], int]:
    """(metadata, remaining lines, line number of the first body line)."""
    if not lines or lines[0].strip() != "---":
        return {}, lines, 1
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() == "---":
            meta = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep and key.strip():
                    meta[key.strip().lower()] = value.strip().strip("'\"")
            return meta, lines[end + 1 :], end + 2
    return {}, lines, 1


def strip_related_links(lines: list[str]) -> list[str]:
    """Drops the trailing block of ``- `` lines (links to related articles)."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].lstrip().startswith("- "):
        start -= 1
    if start < end and start > 0:
        end = start
    return lines[:end]


# --- JSON -------------------------------------------------------------------------------


def read_json(path: Path, lines=None) -> Iterator[Article | Problem]:
    if lines is None and is_json_array(path):
        yield from read_json_array(path)
        return
    for number, line in decoded_lines(path, lines):
        if isinstance(line, Problem):
            yield line
        elif line.strip():
            yield json_record(line, str(path), number)


def is_json_array(path: Path) -> bool:
    with open_binary(path) as f:
        return f.read(64).lstrip().startswith(b"[")


def json_record(line: str, path: str, number: int) -> Article | Problem:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return Problem(path, number, json_problem(exc))
    return build_article(record, path, number)


def json_problem(exc: Exception) -> str:
    """Why JSON did not load: bad syntax, too deeply nested, or a number too long for Python."""
    if isinstance(exc, json.JSONDecodeError):
        return f"kein gültiges JSON ({exc.msg})"
    if isinstance(exc, RecursionError):
        return "kein gültiges JSON (zu tief verschachtelt)"
    return f"kein gültiges JSON ({str(exc)[:60]})"


def read_json_array(path: Path) -> Iterator[Article | Problem]:
    with open_binary(path) as f:
        raw = f.read(MAX_ARRAY_BYTES + 1)
    if len(raw) > MAX_ARRAY_BYTES:
        yield Problem(str(path), 0, f"JSON-Array zu groß (mehr als {german_number(MAX_ARRAY_BYTES)} Bytes); als JSONL "
                                    "(ein Dokument pro Zeile) liefern")
        return
    try:
        records = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        yield Problem(str(path), 0, "kein gültiges UTF-8")
        return
    except (ValueError, RecursionError) as exc:
        yield Problem(str(path), getattr(exc, "lineno", 0), json_problem(exc))
        return
    for number, record in enumerate(records, start=1):
        yield build_article(record, str(path), number)


# --- CSV --------------------------------------------------------------------------------


def read_csv(path: Path) -> Iterator[Article | Problem]:
    lines = dict(decoded_lines(path))
    yield from (text for text in lines.values() if isinstance(text, Problem))
    good = [t for t in lines.values() if isinstance(t, str)]  # parsed as lines, never joined: big files stay cheap
    del lines
    if not any(t.strip() for t in good):
        yield Problem(str(path), 0, "leere Datei")
        return
    dialect = sniff_dialect("".join(good[:50])[:4000], path)
    rows = checked_rows(csv.reader(good, dialect), path)
    header = next(rows)
    if isinstance(header, Problem):
        yield header
    elif has_header(header):
        yield from csv_rows_with_header(rows, [h.strip().lower() for h in header], path)
    else:
        yield from csv_label_rows(checked_rows(csv.reader(good, dialect), path), path)


def checked_rows(reader, path: Path) -> Iterator[list[str] | Problem]:
    """The reader's rows; a row it rejects (a field over the size limit, ...) becomes a Problem."""
    failed_at = -1
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num == failed_at:  # no progress: stop rather than loop
                return
            failed_at = reader.line_num
            yield Problem(str(path), reader.line_num, f"CSV-Fehler: {exc}")


class GnadDialect(csv.Dialect):
    """The 10kGNAD form: ``label;'text'`` with single-quote quoting."""

    delimiter = ";"
    quotechar = "'"
    doublequote = True
    skipinitialspace = False
    lineterminator = "\n"
    quoting = csv.QUOTE_MINIMAL


def sniff_dialect(text: str, path: Path):
    if path.name.lower().removesuffix(".gz").endswith(".tsv"):
        return csv.excel_tab
    first = text.split("\n", 1)[0]
    if has_header(next(csv.reader([first], delimiter=";"))):
        return GnadDialect if "'" in text[:2000] and '"' not in first else csv.excel
    for delimiter in (",", "\t"):
        if has_header(next(csv.reader([first], delimiter=delimiter))):
            return csv.excel_tab if delimiter == "\t" else csv.excel
    return GnadDialect


def has_header(row: list[str]) -> bool:
    names = {name for aliases in (FIELD_ALIASES["text"], FIELD_ALIASES["title"]) for name in aliases}
    return any(cell.strip().lower() in names for cell in row)


def csv_rows_with_header(rows, header: list[str], path: Path) -> Iterator[Article | Problem]:
    for number, row in enumerate(rows, start=2):
        if isinstance(row, Problem):
            yield row
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Problem(str(path), number, f"{len(row)} Spalten statt {len(header)}")
            continue
        yield build_article(dict(zip(header, row)), str(path), number)


def csv_label_rows(rows, path: Path) -> Iterator[Article | Problem]:
    for number, row in enumerate(rows, start=1):
        if isinstance(row, Problem):
            yield row
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            yield Problem(str(path), number, f"erwartet label;text, gefunden {len(row)} Spalten")
            continue
        yield build_article({"label": row[0], "text": row[1]}, str(path), number)


# --- records -> Article -----------------------------------------------------------------


def build_article(record, path: str, line: int) -> Article | Problem:
    """Maps a record's fields onto an Article, or says why it cannot be one."""
    if not isinstance(record, dict):
        return Problem(path, line, f"Datensatz ist kein Objekt, sondern {type(record).__name__}")
    fields, meta = pick_fields(without_surrogates(record))
    fields.update({name: joined(fields[name]) for name in METADATA_FIELDS if name in fields})
    bad = [name for name, value in fields.items() if value is not None and not isinstance(value, (str, int))]
    if bad:
        return Problem(path, line, f"Feld {bad[0]!r} hat den falschen Typ ({type(fields[bad[0]]).__name__})")
    text = "\n\n".join(str(fields[k]) for k in ("teaser", "text") if fields.get(k))
    if len(text) > MAX_RECORD_CHARS:
        return Problem(path, line, f"Text zu groß ({german_number(len(text))} Zeichen, höchstens {german_number(MAX_RECORD_CHARS)})")
    try:
        date = parse_timestamp(fields.get("date"))
    except DateFormatError as exc:
        return Problem(path, line, str(exc))
    article = Article(
        title=str(fields.get("title") or ""), body=text, id=str(fields.get("id") or ""), date=date,
        url=web_url(fields.get("url")), **{name: str(fields.get(name) or "") for name in METADATA_FIELDS},
        meta=meta, path=path, line=line,
    )
    if not article.body:
        return Problem(path, line, "leerer Text")
    return article


def joined(value):
    """Several authors (or sources) as one value: ``["Anna Muster", "Max Beispiel"]`` -> ``"Anna Muster, Max Beispiel"``."""
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    return value


def web_url(value) -> str:
    """The link to the original, if it is one: ``http(s)://`` only, never ``javascript:``."""
    url = str(value or "").strip()
    return url if _WEB_URL.match(url) else ""


def pick_fields(record: dict) -> tuple[dict, dict]:
    """(known fields by canonical name, the rest as metadata)."""
    fields: dict = {}
    used: set[str] = set()
    lowered = {str(k).lower(): k for k in record}
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in lowered and record[lowered[alias]] not in (None, ""):
                fields[name] = record[lowered[alias]]
                used.add(lowered[alias])
                break
    meta = {str(k): v for k, v in record.items() if k not in used and is_plain(v)}
    return fields, meta


def without_surrogates(record: dict) -> dict:
    """Lone surrogates (JSON ``"\\ud800"``) replaced by U+FFFD: they cannot be written as UTF-8."""
    return {_scrub(k): _scrub(v) for k, v in record.items()}


def _scrub(value):
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    return [_scrub(v) for v in value] if isinstance(value, list) else value


def is_plain(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, (str, int, float, bool)) for v in value)
    return isinstance(value, (str, int, float, bool)) or value is None
