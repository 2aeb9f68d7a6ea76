"""Persons linked to the catalogue (pure; no spaCy; the name cleaning is in persons.py).

* a name the catalogue knows takes its catalogue form: ``Johann David Wadephul`` ->
  ``Johann Wadephul``, ``Erdogan`` spellings -> ``Recep Tayyip Erdoğan``;
* a lone surname takes the full name only when one catalogue person has it and the
  document makes them likely: a head of state or government, a minister, or a member of
  the Bundestag in a German text that names their party (``Lindner``, with Christian and
  Tobias in the catalogue, stays ``Lindner``);
* catalogue names the NER missed are found in the text: full names anywhere, surnames after
  a title (``Frau Baerbock``, ``Kollege Nouripour``, ``Außenministerin Baerbock``);
* a lone first name (``Robert``, ``Uli``) is no person value.

    >>> resolve_persons(["Baerbock", "Wladimir Putin"], "Frau Baerbock traf Wladimir Putin.", "DE", ())
    ('Annalena Baerbock', 'Wladimir Putin')
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable

from indexer.entities.catalogue import PART, Catalogue, Entry, load_catalogue
from indexer.entities.countries import load_gazetteer
from indexer.entities.linking import DEBATE, CatalogueMatch, Tokens, scan_catalogue
from indexer.entities.persons import ROLES, TITLES, common_nouns, fold_name, is_common_noun, is_role
from indexer.settings import DATA_DIR

LEXICON = DATA_DIR / "ner_model" / "news_ner_lexicon" / "lexicon.json.gz"
PROMINENT = {"head", "minister"}
NOUN_PHRASE_HEAD = 6   # a compound head this long makes a word of a several-word "person" a noun
FIRM_WORDS = {"AG", "GmbH", "SE", "KG", "Inc", "Ltd", "Corp", "LLC", "Company", "Group", "Records", "Studios"}
PARTICLES = {"von", "van", "de", "der", "den", "zu", "di", "da", "del", "la", "le"}
PARTICLE_KEYS = PARTICLES | {"al", "el", "bin"}
ADDRESS_WORDS = {"frau", "herr", "herrn", "kollege", "kollegin", "kollegen", "abgeordnete", "abgeordneten"}
TITLE_WORDS = sorted(ADDRESS_WORDS | {t for t in TITLES if "." not in t}, key=len, reverse=True)
TITLED = re.compile(
    r"(?<![\w-])(?:(?:(?i:" + "|".join(map(re.escape, TITLE_WORDS)) + r")\.?|(?=[A-ZÄÖÜ])[\w-]*(?:" + "|".join(f"[{r[0]}{r[0].upper()}]{r[1:]}" for r in ROLES) +
    r")(?:in|innen|en|n|s|es|r)?)\s+)+(?:(?:" + "|".join(sorted(PARTICLES)) + r")\s+)*(?P<name>[A-ZÄÖÜ][\w'’-]+)")
TITLED_AT_END = re.compile(f"(?:{TITLED.pattern})\\Z")
ADJECTIVE_ENDINGS = ("em", "er", "es")   # strong endings after a genitive: not "mit George Soros verbundene"
PARLIAMENT_DEBATE = "(Bundestagsdebatte)"   # stands for "any party" in a Bundestag speech


def resolve_persons(names: Iterable[str], text: str, home: str | None, organisations: Iterable[str],
                    catalogue: Catalogue | None = None, matches: list[CatalogueMatch] | None = None,
                    tokens: Tokens | None = None) -> tuple[str, ...]:
    """The document's persons under their catalogue names, plus catalogue persons the NER missed
    (``matches``: the document's catalogue scan, if done already)."""
    catalogue = catalogue or load_catalogue()
    index = surname_index(catalogue)
    parties = set(organisations) | ({PARLIAMENT_DEBATE} if DEBATE.search(text) else set())
    resolved = []
    for name in names:
        entry = catalogue_person(name, catalogue, index, home, parties)
        if entry is not None:
            resolved.append(entry.name)
        elif not (is_first_name_only(name, text) or is_noun_phrase(name) or name in load_gazetteer().places
                  or names_a_firm(name)):
            resolved.append(genitive_before_noun(name, text))
    if matches is None:
        matches = scan_catalogue(text, catalogue, "person", tokens=tokens)
    scanned = [m.entry for m in matches if m.entry.type == "person"]
    resolved += [entry.name for entry in scanned + titled_surnames(text, index, tokens) if likely(entry, home, parties)]
    return tuple(without_fragments(without_initials(list(dict.fromkeys(resolved)))))


def without_fragments(names: list[str]) -> list[str]:
    """A name cut short by the NER goes next to the whole one: ``Zeid Raad`` next to ``Zeid Raad
    al-Hussein``, ``Abu Bakr`` next to ``Abu Bakr al-Baghdadi``; a first name alone next to a
    full name with it (``Sebastian`` next to ``Sebastian Kurz``)."""
    tokens = {name: name.split() for name in names}
    return [name for name in names if not any(
        other != name and len(tokens[other]) > len(tokens[name]) and tokens[other][:len(tokens[name])] == tokens[name]
        and (len(tokens[name]) > 1 or is_first_name(name)) for other in names)]


def genitive_before_noun(name: str, text: str) -> str:
    """``Keith Jarretts Köln Concert``, ``Lew Wallaces gleichnamigem Roman``: a first name and a
    surname in s that the text only uses before a noun (maybe after an adjective) is a genitive
    -> ``Keith Jarrett``, ``Lew Wallace``."""
    words = name.split()
    if len(words) != 2 or not words[1].endswith("s") or len(words[1]) < 5 or not is_first_name(words[0]):
        return name
    uses = re.findall(re.escape(name) + r"(?:\s+(\S+)(?:\s+(\S))?)?", text)
    if uses and all(before_noun(following, after) for following, after in uses):
        return f"{words[0]} {words[1][:-1]}"
    return name


def before_noun(following: str, after: str) -> bool:
    """The words after a name: a noun (``Roman``) or an inflected adjective and a noun
    with a strong ending (``gleichnamigem Roman``); not ``verbundene Politikerin`` (a participle
    after a name in the nominative) or a verb (``sagte Neues``)."""
    if following[:1].isupper():
        return True
    return following.isalpha() and following.endswith(ADJECTIVE_ENDINGS) and after[:1].isupper()


def catalogue_person(name: str, catalogue: Catalogue, index: dict, home: str | None, parties: set) -> Entry | None:
    """The catalogue person ``name`` stands for: by name or alias, else by surname
    (``Graf Lambsdorff``, ``Strack-Zimmermann``) when exactly one catalogue person fits and is
    likely here (head of state or government, minister, or an MP whose party the text names)."""
    entries = catalogue.lookup("person", name)
    if len(entries) == 1:
        return entries[0]
    tokens = [fold_name(token) for token in name.split()]
    if len(entries) > 1 or not tokens:
        return None
    candidates = [entry for entry in index.get(tokens[-1], ())
                  if is_part_of(tokens, [fold_name(token) for token in entry.name.split()])]
    if len(candidates) != 1 or (len(tokens) > 1 and tokens[0] not in PARTICLE_KEYS | {"graf", "grafin"}):
        return None
    if len(tokens) == 1 and name_classes().get(name, "").startswith("FIRST"):
        return None   # "Paul", "Karl": first names before they are surnames
    return candidates[0] if likely(candidates[0], home, parties) else None


def likely(entry: Entry, home: str | None, parties: set) -> bool:
    """A head of state or government or a minister anywhere; an MP in a German text naming their
    party, or in a Bundestag debate."""
    return entry.kind in PROMINENT or (home in (None, "DE") and entry.kind == "mdb" and
                                       (entry.description in parties or PARLIAMENT_DEBATE in parties))


def is_part_of(short: list[str], full: list[str]) -> bool:
    """``[graf, lambsdorff]`` in ``[alexander, graf, lambsdorff]``; ``[assad]`` in ``[baschar, al, assad]``."""
    return full[-len(short):] == short or (len(short) == 1 and short[0] == full[-1])


def without_initials(names: list[str]) -> list[str]:
    """``M. Raffl`` goes next to ``Michael Raffl``."""
    full = {(fold_name(n).split()[0][:1], fold_name(n).split()[-1]) for n in names
            if len(n.split()) > 1 and not n.split()[0].endswith(".")}
    return [n for n in names if not (len(n.split()) == 2 and n.split()[0].endswith(".") and len(n.split()[0]) <= 3
                                     and (fold_name(n).split()[0][:1], fold_name(n).split()[-1]) in full)]


def titled_surnames(text: str, index: dict, tokens: Tokens | None = None) -> list[Entry]:
    """Catalogue persons named by a unique surname after an address or office title:
    ``Frau Baerbock``, ``Kollege von Holtz``, ``Außenministerin Baerbock``. Only words that are
    catalogue surnames are looked at (the title pattern runs on the few words before them)."""
    tokens = tokens or Tokens(text)
    surfaces = surname_surfaces(load_catalogue())
    found = []
    for position, word in enumerate(tokens.words):
        if word not in surfaces:
            continue
        if compound_modifier(tokens, position):   # Berlusconi-Partei, Merkel-Regierung
            candidates = index.get(fold_name(word), ())
            if len(candidates) == 1 and candidates[0].kind in PROMINENT:
                found.append(candidates[0])
            continue
        if position == 0:
            continue
        start, end = tokens.spans[max(0, position - 5)][0], tokens.spans[position][1]
        match = TITLED_AT_END.search(text, start, end)
        surname = match.group("name") if match else ""
        candidates = index.get(fold_name(surname), ()) if match else ()
        if len(candidates) == 1 and not name_classes().get(surname, "").startswith("FIRST"):
            found.append(candidates[0])
    return found


def compound_modifier(tokens: Tokens, position: int) -> bool:
    """The word is the first part of a hyphenated compound that goes on in lower case
    (``Berlusconi-Partei``, ``Putin-Regime``), not of a double name (``Strack-Zimmermann``)."""
    if position + 1 >= len(tokens.words) or (position and tokens.text[tokens.spans[position][0] - 1] == "-"):
        return False
    end, next_start = tokens.spans[position][1], tokens.spans[position + 1][0]
    following = tokens.words[position + 1]
    return tokens.text[end:next_start] == "-" and following[:1].isupper() and following.lower() in common_nouns()


@lru_cache(maxsize=4)
def surname_surfaces(catalogue: Catalogue) -> frozenset[str]:
    """The last word of every catalogue surname as written: ``Baerbock``, ``Zimmermann``."""
    return frozenset(PART.findall(entry.name)[-1] for entry in catalogue.entries
                     if entry.type == "person" and " " in entry.name)


def split_persons(names: Iterable[str], catalogue: Catalogue | None = None) -> tuple[list[str], list[str]]:
    """(catalogue persons, the rest) among ORG names: ``Otte``, ``Lawrow`` tagged ORG are persons
    when the catalogue knows one person of that name or surname."""
    catalogue = catalogue or load_catalogue()
    index = surname_index(catalogue)
    persons, rest = [], []
    for name in names:
        entries = catalogue.lookup("person", name) or ((index.get(fold_name(name), ())) if " " not in name else ())
        if entries and not catalogue.lookup("organisation", name):
            persons.append(name)
        else:
            rest.append(name)
    return persons, rest


@lru_cache(maxsize=4)
def surname_index(catalogue: Catalogue) -> dict[str, tuple[Entry, ...]]:
    """Folded surname -> catalogue persons with it: ``lindner`` -> (Christian, Tobias)."""
    index: dict[str, list[Entry]] = defaultdict(list)
    for entry in catalogue.entries:
        if entry.type == "person" and " " in entry.name and not entry.name.startswith("Papst"):
            last = entry.name.split()[-1]
            for surname in dict.fromkeys((last, last.split("-", 1)[-1] if last[:3] in ("al-", "as-", "el-") else last)):
                index[fold_name(surname)].append(entry)
    return {key: tuple(entries) for key, entries in index.items()}


def is_noun_phrase(name: str) -> bool:
    """Several words, the first no known first name, one of the capitalised ones a German noun
    or a compound with a noun head of ``NOUN_PHRASE_HEAD`` letters: ``Kalten Krieges``,
    ``Hochseeregatta Sydney`` -> True; ``Manfred Weber``, ``Kim Jong-un``, ``von Moltke`` (the
    particle is no noun) -> False. ``Junior Team`` stays a name: ``Junior`` is a first name, and
    so is ``Brett`` of ``Brett Sterling``."""
    words = name.split()
    if len(words) < 2 or is_first_name(words[0]):
        return False
    nouns = common_nouns()
    lowered = [word.lower().split("-")[-1] for word in words if word[:1].isupper()]
    return any(is_common_noun(word, nouns) or compound_of_noun(word, nouns) for word in lowered)


def compound_of_noun(word: str, nouns: frozenset[str]) -> bool:
    """``hochseeregatta`` (head ``regatta``) -> True; ``hanneforth`` -> False."""
    return any(word[start:] in nouns for start in range(3, len(word) - NOUN_PHRASE_HEAD + 1))


def names_a_firm(name: str) -> bool:
    """``Sean Daniel Company``, ``Meier GmbH``: a company's name, no person."""
    last = name.split()[-1].rstrip(".")
    return last in FIRM_WORDS or last.split("-")[-1].lower() in ("company", "group", "holding", "gesellschaft")


def is_first_name(word: str) -> bool:
    """A first name of the NER lexicon or of a catalogue person: ``Heiko``, ``Annalena``."""
    return "FIRST" in name_classes().get(word, "") or word in catalogue_first_names(load_catalogue())


@lru_cache(maxsize=4)
def catalogue_first_names(catalogue: Catalogue) -> frozenset[str]:
    return frozenset(e.name.split()[0] for e in catalogue.entries if e.type == "person" and " " in e.name)


def is_first_name_only(name: str, text: str = "") -> bool:
    """``Robert``, ``Uli``, ``Ottmar`` -> True; a word that is a surname too (``Sebastian``,
    ``Ali``) only when the ``text`` puts no title before it (``Herr Ali``) and it is not the
    surname of exactly one catalogue person (``Gabriel``); a first name that is a catalogue
    surname (``Karl``) and ``Merkel`` -> False."""
    if " " in name or not is_first_name(name):
        return False
    namesakes = surname_index(load_catalogue()).get(fold_name(name), ())
    if "LAST" in name_classes().get(name, ""):
        return len(namesakes) != 1 and not titled(name, text)
    return not namesakes


def titled(word: str, text: str) -> bool:
    """The text puts an address or office title before ``word``: ``Herr Ali``, ``Trainer Sebastian``."""
    for match in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text):
        title = TITLED_AT_END.search(text, max(0, match.start() - 60), match.end())
        if title and title.group("name") == word:
            return True
    return False


def is_known_surname(word: str) -> bool:
    """``Wenger``, ``Hitler`` (surnames of the NER lexicon), ``Lindner`` (of the catalogue) -> True."""
    return fold_name(word) in known_surnames()


@lru_cache(maxsize=1)
def known_surnames() -> frozenset[str]:
    """Folded surnames of the NER lexicon and of catalogue persons, once per process; they keep
    a final s (``Bartels``)."""
    lexicon = (fold_name(word) for word, kind in name_classes().items() if "LAST" in kind)
    return frozenset(lexicon) | frozenset(surname_index(load_catalogue()))


@lru_cache(maxsize=1)
def name_classes() -> dict[str, str]:
    """Word -> FIRST/LAST/PLACE classes of the NER model's lexicon (names seen in training)."""
    try:
        with gzip.open(LEXICON, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except OSError:
        return {}


PERSON_LABELS = ("PER", "PERSON")
NAME_WORD = re.compile(r"(?:Mc|Mac|O')?[A-ZÄÖÜ][a-zäöüßàáâãçèéêëìíîïñòóôõùúûýćčđğıłńřśšşžż']+(?:-[A-ZÄÖÜ][a-zäöüßàáâãçèéêëìíîïñòóôõùúûýćčđğıłńřśšşžż']+)?")
LIST_AFTER = re.compile(r"\s*(?:,|und|sowie|oder)\s+[A-ZÄÖÜ]")
LIST_BEFORE = re.compile(r"[A-ZÄÖÜ][\w-]*\s*,\s*$")
LIST_GAP = re.compile(r"\s*(?:,|und|sowie|oder|,\s*und)\s*")
CONTEXT_ROLES = ("schriftsteller", "spieler", "stürmer", "verteidiger", "torhüter", "sänger", "sängerin", "künstler",
                 "künstlerin", "regisseur", "regisseurin", "schauspieler", "schauspielerin", "komponist", "maler",
                 "oppositionelle", "oppositionellen", "aktivist", "aktivistin", "aktivisten", "dichter", "musiker")


def persons_by_context(text: str, mentions: list[tuple[str, str, int]]) -> set[int]:
    """Indices of LOC and ORG mentions (label, text, start) that are persons by their context:
    a name of two or three words in a list of persons (``Mikola Rubzew, Mikola Dedok, Igor
    Olinewitsch``: the middle one tagged LOC) or after a role noun (``den Schriftsteller Teofilo
    Braga`` tagged ORG). Names with a German noun, a place, a country or a catalogue
    organisation stay as tagged, and so does a name the model tags so more than once
    (``Bee Gees`` in a list of singers)."""
    order = sorted(range(len(mentions)), key=lambda i: mentions[i][2])
    tagged = Counter(name for label, name, _ in mentions if label not in PERSON_LABELS)
    person = [label in PERSON_LABELS for label, _, _ in mentions]
    candidates = {i for i in order if not person[i] and tagged[mentions[i][1]] < 2 and could_be_person(mentions[i][1])}
    for sweep in (order, order[::-1]):   # a list is read both ways: A, B, C with only C tagged PER
        for before, index in zip(sweep, sweep[1:]):
            if index in candidates and person[before] and in_list(text, mentions[before], mentions[index]):
                person[index] = True
    for index in candidates:
        if after_role(text, mentions[index][2]):
            person[index] = True
    return {index for index in candidates if person[index]}


def could_be_person(name: str) -> bool:
    """Two or three capitalised words, none a German noun, the whole no place, country or
    catalogue organisation: ``Mikola Dedok`` -> True; ``Bad Ischl``, ``Hugo Boss AG`` -> False."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(NAME_WORD.fullmatch(word) for word in words):
        return False
    gazetteer, nouns = load_gazetteer(), common_nouns()
    if words[0].lower() in gazetteer.demonyms:   # Österreicher Grabner
        return False
    if name in gazetteer.places or tuple(words) in gazetteer.names or load_catalogue().lookup("organisation", name):
        return False
    return not any(is_common_noun(word.lower().split("-")[-1], nouns) for word in words)


def in_list(text: str, first: tuple[str, str, int], second: tuple[str, str, int]) -> bool:
    """Two mentions are items of one list: ``und``, ``sowie`` or ``oder`` between them, or a
    comma and a third item on either side (``A, B, C``); a comma alone may open an apposition
    (``des Zulieferers AVL List, Uwe Dieter Grebe``)."""
    (_, left, left_start), (_, right, right_start) = sorted((first, second), key=lambda mention: mention[2])
    gap = text[left_start + len(left):right_start]
    if not LIST_GAP.fullmatch(gap):
        return False
    if gap.strip(" ,"):
        return True
    return bool(LIST_AFTER.match(text, right_start + len(right)) or LIST_BEFORE.search(text[max(0, left_start - 40):left_start]))


def after_role(text: str, start: int) -> bool:
    """A role noun right before ``start``: ``den Schriftsteller |Teofilo Braga``, ``Präsident |...``."""
    before = text[max(0, start - 40):start].split()
    if not before:
        return False
    return before[-1].lower().endswith(CONTEXT_ROLES) or is_role(before[-1])
