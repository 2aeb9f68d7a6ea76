"""User corrections of facet values, read at build time (``search-index build --corrections FILE``).

A tab-separated file; ``#`` starts a comment line::

    # facet         action  value               target
    organisation    drop    Große Koalition
    person          rename  Merkel              Angela Merkel
    organisation    rename  Hohes Haus          Deutscher Bundestag

``drop`` removes a value from every document, ``rename`` shows it as ``target`` (merged with
``target`` where a document has both). Facets: person, country, organisation; values are
compared after folding case, umlauts and hyphens (``Große koalition`` drops ``Große Koalition``).
A bad line is a :class:`CorrectionsError` naming file and line, before any document is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.entities.persons import fold_name
from indexer.errors import SearchError

FACETS = {"person": "persons", "organisation": "organisations", "country": "countries"}
ACTIONS = ("drop", "rename")


class CorrectionsError(SearchError):
    hint = "Eine Korrektur pro Zeile: Facette<TAB>drop|rename<TAB>Wert[<TAB>Ziel], Facetten: person, country, organisation."


@dataclass(frozen=True)
class Corrections:
    drop: dict[str, frozenset[str]] = field(default_factory=dict)  # facet attribute -> folded values
    rename: dict[str, dict[str, str]] = field(default_factory=dict)  # facet attribute -> folded value -> target

    def apply(self, document):
        """``document`` (DocumentEntities) with values dropped and renamed."""
        changes = {}
        for attribute in FACETS.values():
            values = getattr(document, attribute)
            fixed = tuple(dict.fromkeys(v for v in (self.fix(attribute, value) for value in values) if v is not None))
            if fixed != values:
                changes[attribute] = fixed
        return replace(document, **changes) if changes else document

    def fix(self, attribute: str, value):
        name = value[0] if isinstance(value, tuple) else value   # countries are (name, code)
        key = fold_name(name)
        if key in self.drop.get(attribute, ()):
            return None
        target = self.rename.get(attribute, {}).get(key)
        if target is None:
            return value
        return (target, value[1]) if isinstance(value, tuple) else target


def read_corrections(path: Path) -> Corrections:
    """Parse a corrections file; :class:`CorrectionsError` with file and line on a bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CorrectionsError(f"Korrekturdatei nicht lesbar: {path}: {error}") from error
    drop: dict[str, set[str]] = {}
    rename: dict[str, dict[str, str]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        facet, action, value, target = (cells + ["", "", "", ""])[:4]
        if facet not in FACETS or action not in ACTIONS or not value or (action == "rename") != bool(target):
            raise CorrectionsError(f"{path}:{number}: unverständliche Korrektur: {line.strip()[:80]!r}")
        if action == "drop":
            drop.setdefault(FACETS[facet], set()).add(fold_name(value))
        else:
            rename.setdefault(FACETS[facet], {})[fold_name(value)] = target
    return Corrections({k: frozenset(v) for k, v in drop.items()}, rename)
