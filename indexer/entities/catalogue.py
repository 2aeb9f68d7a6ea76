"""The shipped entity catalogue: canonical names, types and aliases of known entities.

Data files in ``data/catalogue/`` (tab-separated, one entity per line, ``#`` lines are the
file's source note)::

    name                kind     country  aliases                             description
    Vereinte Nationen   international     UN|UNO|VN
    Auswärtiges Amt     ministry  DE      AA|~Außenministerium|Bundesaußenministerium

``organisations.tsv`` holds organisations, ``persons.tsv`` and ``bundestag.tsv`` persons.
An alias with ``~`` is *weak*: it links an NER mention (``Außenministerium`` in a German
text -> ``Auswärtiges Amt``) but is not searched for in the text, because it is also a
common word or names other things. An alias with ``^`` is a *home* alias: searched only in
texts whose first German-speaking country (the *home*, Germany when none is named) is the
entry's ``country`` (``Grünen`` is the German party in a German text, the Austrian one in
an Austrian text). A weak alias of an entry with a ``country`` links only in that country's
texts. A name is searched in the text unless it is itself listed as weak or home alias.

Aliases are compared by :func:`alias_key` (case, umlauts and German inflection endings
folded: ``Vereinten Nationen`` = ``Vereinte Nationen``); acronyms (``IS``, ``WHO``,
``AfD``) match only in their own case. :func:`check_catalogue` finds duplicate names,
aliases claimed by two entries of one type and empty names (run by the tests and by
``python -m tools.build_catalogue --check``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.entities.organisations import uninflect
from indexer.errors import SearchError
from indexer.settings import DATA_DIR

CATALOGUE_DIR = DATA_DIR / "catalogue"
FILES = {"organisations.tsv": "organisation", "persons.tsv": "person", "bundestag.tsv": "person"}
COLUMNS = ("name", "kind", "country", "aliases", "description")
PART = re.compile(r"[^\W_]+(?:[.&'’][^\W_]+)*\.?|&")


class CatalogueError(SearchError):
    """A catalogue file breaks the format: duplicate or empty names, contested aliases."""

    hint = "Die Katalogdatei in indexer/data/catalogue/ korrigieren (eine Zeile pro Eintrag, Tab-getrennt)."


@dataclass(frozen=True)
class Entry:
    """One known entity: ``Entry("Vereinte Nationen", "organisation", "international", "", ...)``."""

    name: str
    type: str  # "organisation" or "person"
    kind: str  # party, ministry, international, media, head, mdb, ...
    country: str  # DE, AT, CH or "" (weak aliases of a DE entry link only in German texts)
    aliases: tuple[str, ...]  # strong aliases: searched in the text
    weak: tuple[str, ...]  # weak aliases (~): link NER mentions only
    home: tuple[str, ...] = ()  # home aliases (^): searched only in texts of the entry's country
    description: str = ""
    source: str = ""  # file:line

    @property
    def scanned(self) -> tuple[str, ...]:
        """The forms searched in any text: the name (unless weak or home) and the strong aliases."""
        quiet = self.name in self.weak or self.name in self.home
        return tuple(dict.fromkeys(([] if quiet else [self.name]) + list(self.aliases)))

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.name, *self.aliases, *self.weak, *self.home)))


@dataclass(frozen=True, eq=False)
class Catalogue:
    entries: tuple[Entry, ...]
    by_key: dict[tuple[str, tuple[str, ...]], tuple[Entry, ...]]  # (type, alias key) -> entries
    scan: dict[tuple[str, ...], tuple[tuple[str, Entry, bool], ...]]  # alias key -> (form, entry, home only)
    first_keys: frozenset[str]
    widths: dict[str, tuple[int, ...]]  # first key -> alias lengths in words, longest first

    def lookup(self, type_: str, mention: str) -> tuple[Entry, ...]:
        """Entries of ``type_`` with ``mention`` as name or alias: ``("organisation", "UNO")``."""
        return self.by_key.get((type_, alias_key(mention)), ())


def is_acronym(token: str) -> bool:
    """``NATO``, ``AfD``, ``BaFin``, ``G7``, ``IS`` -> True; ``Nato``, ``EU-Kommission`` -> False."""
    core = token[:-1] if token.endswith("s") and token[:-1].isupper() else token
    uppers = sum(ch.isupper() for ch in core)
    return len(core) >= 2 and uppers >= 2 and (uppers / len(core) > 0.4 or core.isupper())


def parts(name: str) -> list[str]:
    """Words of a name, split at spaces, hyphens and slashes:
    ``Bündnis 90/Die Grünen`` -> [Bündnis, 90, Die, Grünen]; ``E.ON`` -> [E.ON]."""
    return PART.findall(name)


@lru_cache(maxsize=200_000)
def part_key(part: str) -> str:
    """One word's comparison key: acronyms as written, other words folded and uninflected."""
    if is_acronym(part):
        return part[:-1] if part.endswith("s") and part[:-1].isupper() else part
    return uninflect(part.rstrip("."))


def alias_key(name: str) -> tuple[str, ...]:
    """``Vereinten Nationen`` and ``Vereinte Nationen`` -> ``("vereint", "nation")``;
    ``NATOs`` -> ``("NATO",)``; ``Nato`` -> ``("nato",)``."""
    return tuple(part_key(p) for p in parts(name))


def read_entries(path: Path, type_: str, only: str | None = None) -> list[Entry]:
    """The entries of one file; ``only``: just those with that name (the other lines not parsed)."""
    entries = []
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if only is not None and header_seen and line.split("\t", 1)[0].strip() != only:
            continue
        cells = (line.split("\t") + [""] * len(COLUMNS))[: len(COLUMNS)]
        if not header_seen:
            header_seen = True
            if tuple(cells) == COLUMNS:
                continue
        name, kind, country, aliases, description = (cell.strip() for cell in cells)
        forms = [a.strip() for a in aliases.split("|")] if aliases else []
        strong = tuple(dict.fromkeys(a for a in forms if a and a[0] not in "~^"))
        weak = tuple(dict.fromkeys(a[1:].strip() for a in forms if a.startswith("~")))
        home = tuple(dict.fromkeys(a[1:].strip() for a in forms if a.startswith("^")))
        if any(not a.lstrip("~^").strip() for a in forms):
            raise CatalogueError(f"{path.name}:{number}: leerer Alias in {name!r}")
        if home and not country:
            raise CatalogueError(f"{path.name}:{number}: ^-Alias ohne Land in {name!r}")
        entries.append(Entry(name, type_, kind, country, strong, weak, home, description, f"{path.name}:{number}"))
    return entries


def check_catalogue(entries: list[Entry]) -> list[str]:
    """Problems of a catalogue: empty or duplicate names, one alias claimed by two entries of
    one type (weak aliases may be shared: ``Grüne`` in Germany and in Austria)."""
    problems = []
    names: dict[tuple[str, tuple[str, ...]], Entry] = {}
    claimed: dict[tuple[str, tuple[str, ...]], Entry] = {}
    for entry in entries:
        if not entry.name or not alias_key(entry.name):
            problems.append(f"{entry.source}: leerer Name")
            continue
        key = (entry.type, alias_key(entry.name))
        if key in names and entry.name not in entry.weak:
            problems.append(f"{entry.source}: Name {entry.name!r} doppelt (auch {names[key].source})")
        names.setdefault(key, entry)
        for alias in entry.scanned:
            akey = (entry.type, alias_key(alias))
            other = claimed.setdefault(akey, entry)
            if other is not entry and other.name != entry.name:
                problems.append(f"{entry.source}: Alias {alias!r} auch bei {other.name!r} ({other.source})")
    return problems


def build_catalogue(entries: list[Entry]) -> Catalogue:
    by_key: dict[tuple[str, tuple[str, ...]], list[Entry]] = {}
    scan: dict[tuple[str, ...], list[tuple[str, Entry, bool]]] = {}
    for entry in entries:
        for form in entry.forms:
            bucket = by_key.setdefault((entry.type, alias_key(form)), [])
            if entry not in bucket:
                bucket.append(entry)
        searched = [(form, False) for form in entry.scanned] + [(form, True) for form in entry.home]
        for form, home_only in searched:
            key = alias_key(form)
            if key:
                scan.setdefault(key, []).append((form, entry, home_only))
    widths: dict[str, set[int]] = {}
    for key in scan:
        widths.setdefault(key[0], set()).add(len(key))
    return Catalogue(
        tuple(entries), {k: tuple(v) for k, v in by_key.items()}, {k: tuple(v) for k, v in scan.items()},
        frozenset(k[0] for k in scan), {k: tuple(sorted(v, reverse=True)) for k, v in widths.items()},
    )


def catalogue_entries(directory: Path = CATALOGUE_DIR) -> list[Entry]:
    entries = []
    for filename, type_ in FILES.items():
        path = directory / filename
        if path.is_file():
            entries.extend(read_entries(path, type_))
    return entries


@lru_cache(maxsize=1024)
def entries_named(type_: str, name: str, directory: Path = CATALOGUE_DIR) -> tuple[Entry, ...]:
    """The entries of ``type_`` named exactly ``name`` (``load_catalogue().lookup`` filtered by
    name gives the same), read from the files without building or checking the whole catalogue:
    a search that marks one entity's aliases reads a few ms of text, not the 0.2 s catalogue."""
    found = []
    for filename, kind in FILES.items():
        path = directory / filename
        if kind == type_ and path.is_file():
            found.extend(entry for entry in read_entries(path, type_, only=name) if entry.name == name)
    return tuple(found)


@lru_cache(maxsize=4)
def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """The catalogue of ``directory`` (checked; a problem is a :class:`CatalogueError`)."""
    entries = catalogue_entries(directory)
    problems = check_catalogue(entries)
    if problems:
        raise CatalogueError(f"Katalog fehlerhaft: {problems[0]} ({len(problems)} Probleme)")
    return build_catalogue(entries)
