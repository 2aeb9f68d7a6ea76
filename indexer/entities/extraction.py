"""Entity facets of documents: spaCy NER output -> persons, countries, organisations, dates.

spaCy is imported only when an :class:`EntityExtractor` is created, never at import
time, so the web process can import this module's types without loading spaCy.

Example (seed article ``Berlin. NATO-Generalsekretär Mark Rutte berichtet ...``)::

    DocumentEntities(
        persons=("Mark Rutte", "Wladimir Putin", "Wolodymyr Selenskyj"),
        countries=(("Deutschland", "DE"), ("Russland", "RU"), ("Ukraine", "UA"), ...),
        organisations=("NATO",),
        mentioned_dates=(),
    )
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from indexer.errors import SearchError
from indexer.entities.countries import WORD, Gazetteer, link_countries, load_gazetteer
from indexer.entities.catalogue import is_acronym, load_catalogue
from indexer.entities.acronyms import acronym_definitions, corpus_expansions
from indexer.entities.appositions import introduced_organisations
from indexer.entities.linking import (Tokens, home_country, link, nominative,
                                      organisation_names, scan_catalogue)
from indexer.entities.mentioned_dates import mentioned_dates
from indexer.entities.people import (is_known_surname, known_surnames, persons_by_context, resolve_persons,
                                    split_persons)
from indexer.entities.persons import clean_person, corpus_person_names, fold_name, persons_in_document
from indexer.entities.organisations import (clean_organisation, corpus_organisation_names, organisations_in_document,
                                           without_short_forms)
from indexer.entities.shapes import team_from_place
from indexer.settings import DATA_DIR

DEFAULT_MODEL = DATA_DIR / "ner_model"
PERSON_LABELS = {"PER", "PERSON"}
PLACE_LABELS = {"LOC", "GPE"}
ORGANISATION_LABELS = {"ORG"}
LONE_EVIDENCE = 3   # documents that must name a lone, unknown word as a person
SOFT_HYPHEN = "\u00ad"
SPACES = re.compile(r"[ \t]{2,}")
UNUSED_PIPES = ["parser", "tagger", "morphologizer", "lemmatizer", "attribute_ruler", "senter"]


class ModelNotFound(SearchError):
    """The NER model directory is missing or not a spaCy pipeline."""

    hint = "Das NER-Modell nach indexer/data/ner_model/ legen (ein mit spacy.load ladbares Verzeichnis)."


@dataclass(frozen=True)
class DocumentEntities:
    """Facet values of one document."""

    persons: tuple[str, ...] = ()                    # ("Wladimir Putin",)
    countries: tuple[tuple[str, str], ...] = ()      # (("Nordkorea", "KP"),)
    organisations: tuple[str, ...] = ()              # ("NATO",)
    mentioned_dates: tuple[str, ...] = ()            # ("2024-10-28", "2024-10", "2024")
    acronyms: tuple[tuple[str, str], ...] = ()       # (("BfAA", "Bundesamt für ..."),) defined in the text


@dataclass(frozen=True)
class Mention:
    """One NER span: ``Mention("LOC", "Brüssel", 412)``."""

    label: str
    text: str
    start: int


def document_entities(text: str, mentions: Iterable[Mention]) -> DocumentEntities:
    """Normalised facets of one text from its NER mentions (pure; no spaCy).

    ``document_entities("Berlin. Rutte sagte in Brüssel", [Mention("PER", "Rutte", 8),
    Mention("LOC", "Brüssel", 23)])`` -> persons ``("Rutte",)``, countries
    ``(("Deutschland", "DE"), ("Belgien", "BE"))``.
    """
    mentions = list(mentions)
    gazetteer = load_gazetteer()
    introduced = introduced_organisations(text, [(m.start, m.start + len(m.text)) for m in mentions])
    mentions = without_introduced(mentions, introduced)
    mentions = with_context_persons(text, mentions)
    persons = person_mentions([m.text for m in mentions if m.label in PERSON_LABELS], gazetteer)
    places = [(m.start, m.text) for m in mentions if m.label in PLACE_LABELS]
    organisations = [
        (m.start, m.text) for m in mentions
        if (m.label in ORGANISATION_LABELS and not names_country(m.text, gazetteer))
        or (m.label in PLACE_LABELS and team_from_place(m.text))   # New Jersey Devils tagged LOC
    ] + introduced
    people = persons_in_document(persons, text, known_surnames())
    organisations = [(start, mention) for start, mention in organisations if not names_a_person(mention, people)]
    countries = link_countries(text, places, gazetteer)
    home = home_country(code for _, code in countries)
    catalogue = load_catalogue()
    tokens = Tokens(text)
    matches = scan_catalogue(text, catalogue, None, home, tokens)   # one scan for organisations and persons
    if home is None:   # no German-speaking country named: the catalogue's institutions tell (Bundestag -> DE)
        home = home_by_institutions(matches)
        matches = scan_catalogue(text, catalogue, None, home, tokens) if home else matches
    linked, unlinked = organisation_names(text, organisations, home, catalogue, matches,
                                          frozenset(name for _, name in introduced))
    moved, unlinked = split_persons(unlinked)
    moved += lone_persons(organisations, linked)   # "vom Kollegen Otte", "Lawrow" tagged ORG
    definitions = defined_names(text, home, catalogue)
    unlinked = [definitions.get(name, name) for name in unlinked]   # BfAA -> Bundesamt für ...
    organisations = tuple(dict.fromkeys(linked + without_short_forms(linked, organisations_in_document(unlinked, people))))
    taken = organisation_words(organisations)
    persons = resolve_persons(list(people) + moved, text, home, organisations, catalogue, matches, tokens)
    return DocumentEntities(
        persons=tuple(name for name in persons if not {fold_name(name), fold_name(name + "s")} & taken),
        countries=countries,
        organisations=organisations,
        mentioned_dates=mentioned_dates(text),
        acronyms=tuple(definitions.items()),
    )


def without_introduced(mentions: list[Mention], introduced: list[tuple[int, str]]) -> list[Mention]:
    """The NER mentions that neither are nor contain an organisation the text introduces with
    a kind noun: ``Daily Mail`` tagged PER and ``Sportblatts Marca`` tagged ORG go, as the
    introduced ``Daily Mail`` and ``Marca`` stand for them."""
    if not introduced:
        return mentions
    starts = [start for start, _ in introduced]
    return [m for m in mentions if not any(m.start <= start < m.start + len(m.text) for start in starts)]


def with_context_persons(text: str, mentions: list[Mention]) -> list[Mention]:
    """LOC and ORG mentions that their context makes persons (a list of persons, a role noun
    before them) relabelled PER."""
    found = persons_by_context(text, [(m.label, m.text, m.start) for m in mentions])
    return [replace(m, label="PER") if index in found else m for index, m in enumerate(mentions)]


def organisation_words(organisations: tuple[str, ...]) -> set[str]:
    """Folded names that are no person of the text: the words after the first of an
    organisation's name (``Lansky`` of ``Kanzlei Lansky``) and each organisation itself
    (``Reuters`` tagged PER, also as ``Reuter``)."""
    words = {word for name in organisations if " " in name for word in name.split()[1:]}
    return {fold_name(name) for name in words | set(organisations)}


def lone_persons(organisations: list[tuple[int, str]], linked: list[str]) -> list[str]:
    """One-word ORG mentions that are catalogue persons (``Otte``, ``Lawrow``, ``Wadephul``); the
    shape filter of unlinked organisations never lets one word through to :func:`split_persons`.
    ``Wiener`` (of Wien) is no surname here."""
    places = load_gazetteer().places
    names = {clean_organisation(mention) for _, mention in organisations}
    words = [name for name in names if name and " " not in name and not is_acronym(name) and name not in linked
             and name.removesuffix("er") not in places]   # Wiener: the city's people or club
    return split_persons(sorted(words))[0]


def home_by_institutions(matches) -> str | None:
    """The country most of the text's catalogue institutions belong to (``Bundestag``,
    ``Bundeswehr`` -> DE; ``ÖVP`` -> AT)."""
    countries = Counter(m.entry.country for m in matches if m.entry.country)
    if not countries:
        return None
    country, _ = countries.most_common(1)[0]
    return country


def defined_names(text: str, home: str | None, catalogue) -> dict[str, str]:
    """Acronym -> organisation name for the acronyms the text defines (the catalogue's name when
    the full form is known: ``Vereinten Nationen (VN)`` -> Vereinte Nationen). Used only for
    acronyms the NER tagged as organisations."""
    names = {}
    for acronym, full in acronym_definitions(text).items():
        entry = link(catalogue, "organisation", full, home)
        names[acronym] = entry.name if entry is not None else nominative(full)
    return names


def person_mentions(mentions: list[str], gazetteer: Gazetteer) -> list[str]:
    """PER mentions without country names (``Nordkoreas``, ``Russlands Krieg``; but
    ``Russlands Präsident Wladimir Putin`` stays) and without one-word place names
    (``Warschau``, ``Washington``) unless that word is the surname of a longer PER mention."""
    surnames = {mention.split()[-1] for mention in mentions if len(mention.split()) > 1}
    return [
        mention for mention in mentions
        if not starts_with_country(clean_person(mention) or "", gazetteer)
        and (" " in mention.strip() or mention in surnames or mention.rstrip("s") not in gazetteer.places)
    ]


def starts_with_country(name: str, gazetteer: Gazetteer) -> bool:
    """``Nordkoreas``, ``Russlands Krieg``, ``Nordkorea Russland`` -> True; ``Wladimir Putin`` -> False."""
    words = WORD.findall(name)
    return bool(words) and (words[0],) in gazetteer.names


def names_a_person(mention: str, persons: tuple[str, ...]) -> bool:
    """An ORG mention that stands for a person of the document: ``Putins Krieg`` (possessive)
    with ``Wladimir Putin``; ``Hofer`` with ``Norbert Hofer`` (not the Austrian Aldi)."""
    first = mention.split()[0] if mention.split() else ""
    surnames = {fold_name(person.split()[-1]) for person in persons if " " in person}
    if " " not in mention.strip():
        return not is_acronym(first) and fold_name(first) in surnames
    return first.endswith("s") and fold_name(first[:-1]) in {fold_name(p.split()[-1]) for p in persons}


def names_country(mention: str, gazetteer: Gazetteer) -> bool:
    """An ORG mention that is or starts with a country name: ``Russland``,
    ``Russlands Krieg``, ``Nordkorea Russland`` (tagging slips, not organisations)."""
    words = WORD.findall(mention)
    return bool(words) and (tuple(words) in gazetteer.names or (words[0],) in gazetteer.names)


class EntityExtractor:
    """Runs the shipped spaCy NER model over texts and normalises the entities.

    ``EntityExtractor().extract(["Berlin. NATO-Generalsekretär Mark Rutte ..."])``
    yields one :class:`DocumentEntities` per text, in order.
    """

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 64):
        self.model_path = Path(model_path) if model_path is not None else DEFAULT_MODEL
        self.batch_size = batch_size
        self.nlp = load_model(self.model_path)

    def extract(self, texts: Iterable[str]) -> Iterator[DocumentEntities]:
        """One result per text, same order (spaCy ``nlp.pipe`` batches)."""
        limit = self.nlp.max_length - 1
        texts = (SPACES.sub(" ", text.replace(SOFT_HYPHEN, "")) for text in texts)   # "\xadAssads", "Beppe  Grillo"
        pairs = ((text[:limit], text) for text in texts)   # NER sees at most spaCy's max_length
        for doc, text in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            mentions = (Mention(ent.label_, ent.text, ent.start_char) for ent in doc.ents)
            yield document_entities(text, mentions)


def load_model(path: Path):
    """``spacy.load`` with a domain error when the directory is not a spaCy pipeline."""
    if not (path / "config.cfg").is_file():
        raise ModelNotFound(f"NER-Modell nicht gefunden: {path}")
    import spacy  # lazy: the web process never imports spaCy

    from indexer.entities.ner import lexicon  # noqa: F401  (registers the model's lexicon component)
    from indexer.entities.ner.fasttokens import cache_chunks
    from indexer.entities.ner.fastvectors import cache_floret_vectors

    try:
        nlp = spacy.load(path)
    except (OSError, ValueError) as error:
        raise ModelNotFound(f"NER-Modell nicht ladbar: {path}: {error}") from error
    cache_floret_vectors(nlp)  # same vectors, computed once per word
    cache_chunks(nlp)  # same tokens, each chunk split once
    unused = [name for name in UNUSED_PIPES if name in nlp.pipe_names]
    if unused:
        nlp.select_pipes(disable=unused)
    return nlp


def merge_corpus_persons(entities: list[DocumentEntities]) -> list[DocumentEntities]:
    """Corpus pass over all documents' facets.

    * a surname-only person joins the one full name with that surname in the corpus
      (``Putin`` -> ``Wladimir Putin``); ``Clinton`` stays when both ``Bill Clinton`` and
      ``Hillary Clinton`` occur; spelling variants get one form (``Strauß``);
    * a multi-word name tagged both PER and ORG takes the label of most documents
      (``Wolodymyr Selenskyj``: PER in 40, ORG in 1 -> person; ``Vereinten Nationen``
      the other way round -> organisation);
    * organisation spellings are unified (``Europäischen Union`` -> ``Europäische Union``);
    * an acronym that some document defines (one way only) is shown under its full name
      everywhere (``BfAA`` -> ``Bundesamt für Auswärtige Angelegenheiten``);
    * a lone word stays a person only with evidence: a known surname (the NER lexicon's or the
      catalogue's) or a person in at least ``LONE_EVIDENCE`` documents (``Glotaic``, ``Hutus``,
      ``Obertöne`` in one document go).
    """
    to_person, to_organisation = label_votes(entities)
    entities = [relabel(document, to_person, to_organisation) for document in entities]
    persons = corpus_person_names([document.persons for document in entities])
    expansions = corpus_expansions(dict(document.acronyms) for document in entities)
    entities = [replace(document, organisations=tuple(dict.fromkeys(
        expansions.get(name, name) for name in document.organisations))) for document in entities]
    organisations = corpus_organisation_names([document.organisations for document in entities])
    renamed = [tuple(dict.fromkeys(persons.get(name, name) for name in document.persons)) for document in entities]
    lone = Counter(name for names in renamed for name in names if " " not in name)
    return [
        replace(
            document,
            persons=tuple(name for name in names if " " in name or is_known_surname(name) or lone[name] >= LONE_EVIDENCE),
            organisations=tuple(dict.fromkeys(organisations.get(name, name) for name in document.organisations)),
        )
        for document, names in zip(entities, renamed)
    ]


def label_votes(entities: list[DocumentEntities]) -> tuple[set[str], set[str]]:
    """Folded multi-word names that should move to persons, and those that should move to
    organisations, by the number of documents tagging them each way."""
    as_person = Counter(fold_name(n) for d in entities for n in set(d.persons) if " " in n)
    as_organisation = Counter(fold_name(n) for d in entities for n in set(d.organisations) if " " in n)
    both = as_person.keys() & as_organisation.keys()
    to_person = {name for name in both if as_person[name] > as_organisation[name]}
    to_organisation = {name for name in both if as_organisation[name] > as_person[name]}
    return to_person, to_organisation


def relabel(document: DocumentEntities, to_person: set[str], to_organisation: set[str]) -> DocumentEntities:
    """Move values between ``persons`` and ``organisations`` as :func:`label_votes` decided."""
    persons = [name for name in document.persons if fold_name(name) not in to_organisation]
    organisations = [name for name in document.organisations if fold_name(name) not in to_person]
    if len(persons) == len(document.persons) and len(organisations) == len(document.organisations):
        return document
    moved_in = [name for name in document.organisations if fold_name(name) in to_person]
    moved_out = [name for name in document.persons if fold_name(name) in to_organisation]
    return replace(
        document,
        persons=tuple(dict.fromkeys(persons + moved_in)),
        organisations=tuple(dict.fromkeys(organisations + moved_out)),
    )
