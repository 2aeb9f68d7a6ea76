"""Normalisation of NER person mentions into facet values (organisations: organisations.py).

Pure functions on strings; no spaCy (the web process imports this module).

Persons, per document (:func:`persons_in_document`):

* titles and roles go: ``NATO-Generalsekretär Mark Rutte`` -> ``Mark Rutte``,
  ``Russlands Präsident Wladimir Putin`` -> ``Wladimir Putin``, ``Dr. Angela Merkel``;
* the German genitive goes: ``Putins`` -> ``Putin`` (not ``Strauss``, ``Klaus``);
* a bare surname joins the one full name of the document: ``Putin`` -> ``Wladimir Putin``;
* ae/oe/ue/ss spellings are one person shown with umlaut/ß: ``Schroeder`` -> ``Schröder``;
* junk goes: single letters, all-lowercase, digits, roles without a name
  (``Russlands Präsident``), and one-word common nouns the model tagged PER
  (``Krisen``, ``Unteroffizieren``, ``Folgendes``; surnames such as ``Müller`` stay).

Across the corpus (:func:`corpus_person_names`) a bare surname joins a full name only
when exactly one person in the corpus has that surname (``Wladimir Putin`` and
``Wladimir Wladimirowitsch Putin`` are one person; ``Bill``/``Hillary Clinton`` are two;
a full name from a single document does not count next to one from more than three).
"""

from __future__ import annotations

import gzip
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable
from indexer.settings import DATA_DIR
from indexer.text.folding import spelling_key

COMMON_NOUNS = DATA_DIR / "gazetteer" / "common_nouns.txt.gz"
# Words a sloppy PER span starts with: "Und Assad", "Wir Linke", "Ära Merkel", "Liebe ...".
FUNCTION_WORDS = {"und", "aber", "oder", "doch", "denn", "dass", "wenn", "als", "wie", "auch",
                  "wir", "ich", "sie", "er", "es", "ihr", "mit", "bei", "für", "nach", "auf", "an",
                  "in", "im", "am", "so", "nur", "noch", "schon", "jetzt", "heute", "dann", "da",
                  "hier", "liebe", "lieber", "sehr", "geehrte", "geehrter", "meine", "mein",
                  "ära", "kabinett", "regierung", "team", "lager", "clan", "regime"}
# Continents and regions the model tags PER (they are no countries either).
NOT_PERSONS = {"Europa", "Afrika", "Asien", "Ozeanien", "Nahost", "Arktis", "Antarktis", "Balkan",
               "Westbalkan", "Sahel", "Kaukasus", "Maghreb", "Levante", "Skandinavien", "Baltikum"}
# Weapon systems the model tags PER in defence debates.
WEAPONS = {"Taurus", "Patriot", "Leopard", "Eurofighter", "Tornado", "Marder", "Gepard", "Boxer", "Puma",
           "Heron", "Reaper", "Iris-T", "Himars", "HIMARS", "Javelin", "Stinger", "Bradley", "Abrams", "Storm Shadow"}
COMPOUND_HEAD = 8    # a one-word "person" ending in a common noun this long is a compound noun
EPITHET_LENGTH = 7
SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})[.!?]\s+")
LETTERS = re.compile(r"[^\W\d_]+")
PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
TOKEN = re.compile(r"[^\s,;:!?()\[\]\"„“”«»]+")
APOSTROPHES = "'’`´"
LEADING_PARTICLES = {"von", "van", "de", "del", "della", "di", "da", "du", "zu", "ten", "ter", "bin", "ibn", "al", "el"}
ARTICLES = {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem"}
TITLES = {"herr", "herrn", "frau", "dr", "prof", "sir", "lord", "lady", "mr", "mrs", "ms",
          "dame", "scheich", "emir", "papst", "präses", "pater", "bischof", "kardinal",
          "genosse", "genossin", "kollege", "kollegin", "med", "phil", "jur", "h.c", "mdb"}
ROLES = ("kanzler", "präsident", "minister", "sekretär", "chef", "führer", "vorsitzende",
         "sprecher", "botschafter", "general", "admiral", "abgeordnete", "senator", "gouverneur",
         "meister", "könig", "prinz", "premier", "diktator", "machthaber", "herrscher",
         "kommandeur", "befehlshaber", "kommissar", "direktor", "leiter", "beauftragte",
         "kandidat", "politiker", "regent", "monarch", "oberhaupt", "staatschef", "trainer",
         "experte", "analyst", "professor", "doktor", "autor", "journalist", "reporter", "anwalt", "kaiser")
ROMAN = re.compile(r"(?=[IVXL])X{0,3}(?:IX|IV|V?I{0,3})")
STREETS = ("straße", "strasse", "str.", "weg", "platz", "allee", "damm", "gasse", "chaussee")
TIME_WORD = re.compile(r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Heute|Gestern|Morgen)")
ROLE_ENDINGS = ("", "in", "innen", "en", "n", "s", "es", "r")
NOT_GENITIVE = ("ss", "ß", "us", "as", "os", "is", "es", "ys", "ms", "xs", "zs", "ts")
# Endings of German abstract nouns, never of a one-word name (Sicherheit, Nationalismus).
ABSTRACT_NOUNS = ("heit", "keit", "ismus", "schaft", "tion", "tät", "ungen", "heiten", "keiten", "weise",
                  "schaften", "tionen", "strukturen")


def fold_name(name: str) -> str:
    """The spelling key of a name's words (a hyphen separates words): ``Schröder``/``Schroeder`` ->
    ``schroeder``, ``Erdoğan`` -> ``erdogan``, ``Hans-Dietrich`` -> ``hans dietrich``."""
    return spelling_key(name.replace("-", " "))


def spelling_rank(name: str) -> int:
    """More umlauts/ß/diacritics rank first: ``Strauß`` before ``Strauss``."""
    return -sum(1 for ch in name if not ch.isascii())


ROLE_WORD = re.compile("(?:" + "|".join(map(re.escape, ROLES)) + ")(?:" + "|".join(ROLE_ENDINGS) + ")$")


@lru_cache(maxsize=100_000)
def is_role(token: str) -> bool:
    """``Bundeskanzler``, ``NATO-Generalsekretär``, ``Präsidenten``, ``Dr.``, ``Herrn`` -> True."""
    word = token.lower().rstrip(".").split("-")[-1]
    return word in TITLES or ROLE_WORD.search(word) is not None


def is_name_token(token: str) -> bool:
    """Capitalised letters, maybe hyphenated or with a final initial dot: ``Hans-Dietrich``, ``W.``."""
    core = token.rstrip(".")
    return bool(core) and core[0].isupper() and all(ch.isalpha() or ch in "-'’" for ch in core)


@lru_cache(maxsize=100_000)
def clean_person(mention: str) -> str | None:
    """The name in a PER mention, without roles, titles, articles and possessive apostrophe.

    ``NATO-Generalsekretär Mark Rutte`` -> ``Mark Rutte``; ``der ukrainische Präsident
    Wolodymyr Selenskyj`` -> ``Wolodymyr Selenskyj``; ``Scholz'`` -> ``Scholz``;
    ``Bundeskanzler`` -> None; ``x`` -> None; ``G7`` -> None; epithets go too:
    ``Kriegstreiber Putin`` -> ``Putin``; a span over a sentence end keeps its last
    sentence: ``Marionette Putins. Erdoğan`` -> ``Erdoğan``.
    """
    tokens = TOKEN.findall(SENTENCE_END.split(PARENTHESES.sub(" ", mention.replace("...", " ")))[-1])
    tokens = cut_at_article(tokens)
    ordinal = len(tokens) > 1 and ROMAN.fullmatch(tokens[-1].rstrip(".")) is not None
    if ordinal:
        tokens = tokens[:-1]
    roles = [index for index, token in enumerate(tokens[:-1]) if is_role(token)]
    if roles:
        tokens = tokens[roles[-1] + 1:]
    tokens = strip_possessive(tokens)
    while tokens and not is_name_token(tokens[0]) and not (tokens[0] in LEADING_PARTICLES and len(tokens) > 1):
        tokens = tokens[1:]
    while len(tokens) > 1 and (tokens[0].lower() in ARTICLES or tokens[0].lower() in FUNCTION_WORDS
                               or is_epithet(tokens[0])):
        tokens = tokens[1:]
    while tokens and (not is_name_token(tokens[-1]) or (len(tokens) > 1 and TIME_WORD.match(tokens[-1]))):
        tokens = tokens[:-1]
    if not is_plausible_name(tokens) or tokens[-1].lower().endswith(STREETS) or "&" in mention:
        return None
    return " ".join(tokens) + (f" {mention.split()[-1].rstrip('.')}." if ordinal else "")


def cut_at_article(tokens: list[str]) -> list[str]:
    """``Jacky Ickx den Großen Preis`` -> ``Jacky Ickx``; ``Tommy von The Who`` (a work of a band:
    a particle before a capitalised article) -> ``Tommy``; ``Ursula von der Leyen`` stays."""
    for index in range(1, len(tokens)):
        if tokens[index] in ("der", "den", "dem", "des", "die", "das", "einen", "einem") and \
                tokens[index - 1].lower() not in LEADING_PARTICLES:
            return tokens[:index]
        if tokens[index] in ("von", "vom") and tokens[index + 1:index + 2] in (["The"], ["Die"], ["Das"]):
            return tokens[:index]
    return tokens


def is_epithet(token: str) -> bool:
    """A long common noun before a name: ``Kriegstreiber``, ``Marionette`` -> True;
    short ones may be first names that are also noun forms (``Hans``, ``Lars``) -> False."""
    return len(token) >= EPITHET_LENGTH and is_common_noun(token.lower(), common_nouns())


def strip_possessive(tokens: list[str]) -> list[str]:
    """``Putin's`` -> ``Putin``, ``Scholz'`` -> ``Scholz``, trailing dots/dashes off."""
    if not tokens:
        return tokens
    last = tokens[-1].rstrip(".-–")
    for mark in APOSTROPHES:
        if last.endswith(mark + "s"):
            last = last[:-2]
        last = last.rstrip(mark)
    return tokens[:-1] + ([last] if last else [])


def is_plausible_name(tokens: list[str]) -> bool:
    """Junk filter: ``x``, ``nato``, ``NATO``, ``G7``, ``Bundeskanzler``, ``Nationalismus``,
    ``Bedauerlicherweise``, ``Europa``, ``Russlands Präsident`` (no name after the role) -> False."""
    if not tokens or len(tokens) > 6 or not is_name_token(tokens[-1]) or is_role(tokens[-1]):
        return False
    if any(ch.isdigit() for token in tokens for ch in token):
        return False
    if any(token.count("-") > 1 or any(part.isupper() and len(part) > 2 for part in token.split("-"))
           for token in tokens):
        return False   # "Resolute-Support-Mandats", "EUTM Mali", "Counter-IED"
    if len(tokens) == 1 and (tokens[0].rstrip("s") in NOT_PERSONS or tokens[0].lower() in FUNCTION_WORDS
                             or tokens[0] in WEAPONS):
        return False
    letters = [ch for token in tokens for ch in token if ch.isalpha()]
    if len(letters) < 2 or (len(tokens) == 1 and (is_role(tokens[0]) or tokens[0].endswith(ABSTRACT_NOUNS))):
        return False
    return not (len(tokens) == 1 and tokens[0].isupper())


def strip_genitive(name: str, surnames: set[str], first_names: frozenset[str] = frozenset()) -> str:
    """Drop a German genitive ``s`` from the last token.

    ``Putins`` -> ``Putin`` (also when ``Putin`` is never seen: consonant + s);
    ``Obamas`` -> ``Obama`` only if ``Obama`` occurs elsewhere (``surnames``, folded);
    ``Strauss``, ``Klaus``, ``Adams`` stay; so does ``Lars`` if ``Lars Klingbeil`` is
    seen (``first_names``, folded).
    """
    head, _, last = name.rpartition(" ")
    if len(last) < 4 or not last.endswith("s") or fold_name(last) in first_names:
        return name
    stem = last[:-1]
    if fold_name(stem) in surnames or not last.endswith(NOT_GENITIVE):
        return f"{head} {stem}".strip()
    return name


def drop_common_words(names: list[str], text: str) -> list[str]:
    """One-word "persons" that are German common nouns (``Krisen``, ``Frieden``, ``Terror``)
    or that the text also uses as lower-case words (``Folgendes``) go; surnames stay
    (``Müller``, ``Fischer``), and so does ``Klein`` when ``Ulrich Klein`` is also named."""
    if all(" " in name for name in names):
        return names
    nouns = common_nouns()
    lower = {word for word in LETTERS.findall(text) if word[0].islower()}
    surnames = {name.rpartition(" ")[2] for name in names if " " in name}
    return [
        name for name in names
        if " " in name or name in surnames
        or (name.lower() not in lower and not is_common_noun(name.lower(), nouns))
    ]


def is_common_noun(word: str, nouns: frozenset[str]) -> bool:
    """``krisen`` -> True; compounds with a long noun head too: ``unteroffizieren``,
    ``krisenvorsorge`` -> True; ``kiesewetter``, ``buchholz`` (short heads) -> False."""
    if word in nouns:
        return True
    return any(word[start:] in nouns for start in range(3, len(word) - COMPOUND_HEAD + 1))


@lru_cache(maxsize=1)
def common_nouns() -> frozenset[str]:
    """Lower-case common-noun forms shipped in ``data/gazetteer/common_nouns.txt.gz``."""
    with gzip.open(COMMON_NOUNS, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def strip_compound_tail(name: str, surnames: set[str]) -> str:
    """``Putin-Regime`` -> ``Putin`` when ``Putin`` is a surname in the document;
    ``Kramp-Karrenbauer``, ``Strack-Zimmermann`` stay (their first part is no surname there)."""
    head, dash, _ = name.partition("-")
    if dash and " " not in name and fold_name(head) in surnames:
        return head
    return name


def persons_in_document(mentions: Iterable[str], text: str = "", keep: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Canonical persons of one document, in order of first mention.

    ``["NATO-Generalsekretär Mark Rutte", "Putin", "Wladimir Putin", "Putins", "Rutte"]``
    -> ``("Mark Rutte", "Wladimir Putin")``. With the document ``text``, a one-word
    "person" that the text also uses as a lower-case word is dropped (``Folgendes``, ``Lasst``).
    Surnames in ``keep`` (folded; the catalogue's) keep their final s (``Bartels``).
    """
    names = [name for name in map(clean_person, mentions) if name]
    names = drop_common_words(names, text)
    surnames = {fold_name(name.rpartition(" ")[2]) for name in names}
    first_names = frozenset(fold_name(name.split()[0]) for name in names if " " in name)
    names = [strip_genitive(name, surnames, first_names | keep) for name in names]
    names = [strip_compound_tail(name, surnames) for name in names]
    display = display_spellings(names)
    canonical = surname_merges(list(display.values()), Counter(display[fold_name(name)] for name in names))
    ordered = dict.fromkeys(resolve(canonical, display[fold_name(name)]) for name in names)
    return tuple(ordered)


def resolve(merges: dict[str, str], name: str) -> str:
    """Follow merges to the end: ``Schroeder`` -> ``Gerhard Schroeder`` -> ``Gerhard Schröder``."""
    seen = {name}
    while name in merges and merges[name] not in seen:
        name = merges[name]
        seen.add(name)
    return name


def display_spellings(names: Iterable[str], counts: Counter | None = None) -> dict[str, str]:
    """fold key -> preferred spelling: umlaut/ß first, then most frequent, then first seen.

    ``["Gerhard Schroeder", "Gerhard Schröder"]`` -> ``{"gerhard schroeder": "Gerhard Schröder"}``.
    """
    variants: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if name not in variants[fold_name(name)]:
            variants[fold_name(name)].append(name)
    counts = counts or Counter()
    return {
        key: min(spellings, key=lambda s: (spelling_rank(s), -counts[s], spellings.index(s)))
        for key, spellings in variants.items()
    }


def surname_merges(names: Iterable[str], counts: Counter | None = None, noise: int = 0) -> dict[str, str]:
    """Short name -> the one person among the longer names containing it; ambiguous ones stay.

    ``["Wladimir Putin", "Putin"]`` -> ``{"Putin": "Wladimir Putin"}``;
    ``["Bill Clinton", "Hillary Clinton", "Clinton"]`` -> ``{}``;
    ``["Alexander Graf Lambsdorff", "Graf Lambsdorff", "Lambsdorff"]`` -> one person;
    ``["Wladimir Wladimirowitsch Putin", "Wladimir Putin", "Putin"]`` -> one person, shown in
    the most frequent (``counts``) of the longer forms; candidates seen at most ``noise``
    times are ignored next to one seen three times as often (``Mutlos-Maas`` once beside
    ``Heiko Maas`` 27 times); ``["Ursula von der Leyen",
    "von der Leyen"]`` -> merged; ``Schroeder`` joins ``Gerhard Schröder``.
    """
    counts = counts or Counter()
    folded = {name: fold_name(name).split() for name in dict.fromkeys(names)}
    by_surname: dict[str, list[str]] = defaultdict(list)
    for name, tokens in folded.items():
        if tokens:
            by_surname[tokens[-1]].append(name)
    merges = {}
    for short, tokens in folded.items():
        longer = [
            full for full in by_surname.get(tokens[-1] if tokens else "", ())
            if len(folded[full]) > len(tokens) and is_subsequence(tokens, folded[full])
        ]
        longer = without_noise(longer, counts, noise)
        if not one_person([folded[full] for full in longer]):
            continue
        chosen = max(longer, key=lambda full: (counts[full], len(folded[full])))
        if len(tokens) > 1 and counts[short] > counts[chosen]:
            chosen = short   # "Wladimir Putin" is the usual form of "Wladimir Wladimirowitsch Putin"
        target = respell(chosen, short)
        for name in [short, *longer]:
            if name != target:
                merges[name] = target
    return merges


def without_noise(candidates: list[str], counts: Counter, noise: int) -> list[str]:
    """Drop candidates seen at most ``noise`` times when another is seen over 3x as often."""
    if not noise or len(candidates) < 2:
        return candidates
    top = max(counts[name] for name in candidates)
    if top <= 3 * noise:
        return candidates
    return [name for name in candidates if counts[name] > noise]


def is_subsequence(short: list[str], long: list[str]) -> bool:
    """``putin`` in ``wladimir putin``; ``wladimir putin`` in ``wladimir wladimirowitsch putin``."""
    remaining = iter(long)
    return all(token in remaining for token in short) and short[-1] == long[-1]


def one_person(candidates: list[list[str]]) -> bool:
    """True when all candidate names fit into the longest one:
    [``graf lambsdorff``, ``alexander graf lambsdorff``] -> True;
    [``bill clinton``, ``hillary clinton``] -> False."""
    if not candidates:
        return False
    longest = max(candidates, key=len)
    return all(is_subsequence(candidate, longest) for candidate in candidates)


def respell(full: str, short: str) -> str:
    """Take the umlaut spelling of the shared surname: (``Gerhard Schroeder``, ``Schröder``)
    -> ``Gerhard Schröder``; (``Gerhard Schröder``, ``Schroeder``) -> ``Gerhard Schröder``."""
    tokens, tail = full.split(), short.split()
    if spelling_rank(short) < spelling_rank(" ".join(tokens[-len(tail):])):
        return " ".join(tokens[: -len(tail)] + tail)
    return full


def corpus_person_names(documents: list[tuple[str, ...]]) -> dict[str, str]:
    """Corpus-wide canonical name for every person name that changes.

    A surname joins a full name only when the surname maps to exactly one full name in the
    corpus: ``[("Wladimir Putin",), ("Putin",)]`` -> ``{"Putin": "Wladimir Putin"}``;
    with ``("Bill Clinton",)`` and ``("Hillary Clinton",)`` elsewhere, ``Clinton`` stays.
    Spelling variants get one display form: ``Strauss`` -> ``Strauß``.
    """
    counts = Counter(name for persons in documents for name in set(persons))
    display = display_spellings(counts, counts)
    shown = Counter()
    for name, count in counts.items():
        shown[display[fold_name(name)]] += count
    merges = surname_merges(display.values(), shown, noise=1)
    mapping = {}
    for name in counts:
        canonical = resolve(merges, display[fold_name(name)])
        if canonical != name:
            mapping[name] = canonical
    return mapping
