"""Does an unlinked NER mention have the shape of an organisation's name? (pure; no spaCy)

A mention that links to no catalogue entry is kept only with evidence (issue 12: "an acronym,
an institution head word, several capitalised words or repeated evidence in the corpus, and
never a common noun of the lexicon"):

* an acronym (``MCI``), a one-word ministry or commission (``Umweltministerium``);
* several words with an institution word, a firm word or a legal form (``Landgericht Augsburg``,
  ``Supreme Court of the State of New York``, ``Problembär Records``, ``Usedsoft GmbH``);
* a team: a place and capitalised words that are no German nouns, or English plurals
  (``Calgary Flames``, ``San Antonio Spurs``, ``Black Wings Linz``);
* repeated evidence: the same name of several words tagged ORG twice in one document,
  capitalised, no German noun, place or first name (``Bee Gees``, ``Golden State Warriors``).
  One word tagged twice is no evidence: in speeches that is mostly ``Westbalkan``, ``Mullahs``,
  ``Whatever``, nouns the lexicon lacks because they are names too (``Mauer``).

    >>> looks_like_organisation("Calgary Flames"), looks_like_organisation("Große Koalition")
    (True, False)
"""

from __future__ import annotations

import re

from indexer.entities.catalogue import is_acronym
from indexer.entities.countries import load_gazetteer
from indexer.entities.persons import common_nouns, is_common_noun, is_role

INSTITUTION_WORDS = (
    "kommission", "parlament", "rat", "fraktion", "gericht", "gerichtshof", "bank", "zentrale", "mission",
    "agentur", "behörde", "partei", "stiftung", "akademie", "universität", "hochschule", "university",
    "verband", "ministerium", "amt", "institut", "institute", "gesellschaft", "verein", "klub", "club",
    "ausschuss", "komitee", "kammer", "gewerkschaft", "konzern", "gruppe", "group", "holding", "zeitung",
    "rundfunk", "direktion", "polizei", "staatsanwaltschaft", "schutz", "dienst", "union", "liga", "league",
    "bund", "werk", "werke", "airlines", "foundation", "corporation", "company", "agency", "council",
    "kirche", "büro", "zentrum", "center", "centre", "organisation", "organization", "armee", "brigade",
    "miliz", "front", "bewegung", "allianz", "netzwerk", "forum", "sender", "verlag", "kanzlei",
    # English heads of names in German news: courts, societies, parties, journals, labels
    "court", "society", "association", "federation", "party", "journal", "trust", "records", "studios",
    "versammlung",   # Parlamentarische Versammlung, Generalversammlung
)
CLUB_PREFIXES = {"FC", "HC", "SC", "SV", "EC", "VfB", "VfL", "TSV", "TSG", "SK", "AC", "AS", "SSC", "KAC", "EHC", "ERC"}
OWN_NAME_HEADS = ("ministerium", "kommission")  # a one-word compound with these heads names its institution
LEGAL_FORMS = {"AG", "GmbH", "SE", "KG", "Inc", "Inc.", "Ltd", "Ltd.", "Corp", "Corp.", "e.V.", "eG", "LLC", "plc"}
SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[A-ZÄÖÜ])")
CONNECTORS = {"&", "of", "and"}   # inside English names: Bank of America (not de: Staffan de Mistura)
ENGLISH_FORMS = ("ing", "ed")   # English verb forms make a phrase of jargon, not a name
PLACE_WIDTH = 3   # a team's place has at most this many words (Oklahoma City, New York)


def looks_like_organisation(name: str, repeated: bool = False) -> bool:
    """An unlinked ORG name is kept only with the shape of a name: an acronym (``MCI``), a
    one-word ministry or commission (``Umweltministerium``), or several words with an
    institution word or legal form (``Landgericht Augsburg``, ``Kanzlei Lansky``, ``Usedsoft
    GmbH``), a team (``Calgary Flames``) or, when the document tags it ORG more than once
    (``repeated``), several capitalised words without German nouns (``Bee Gees``); never a
    common noun (``Bündnis``, ``Imbiss``), a title (``Bischof von St. Pölten``), a plural
    (``UAVs``), two letters (``PR``) or words without such a head (``House of Cards``,
    ``Hearing der Partei``: the institution word must come before a genitive)."""
    name = SENTENCE_BREAK.split(name)[0]
    words = name.split()
    if not words or words[0][:1].isdigit() or len(name) > 80 or is_role(words[0]):
        return False
    if len(words) == 1:
        word = words[0]
        lower = word.lower()
        if is_acronym(word.split("-")[0]):
            law = word.endswith("G") and any(ch.islower() for ch in word)   # BwBBG, NetzDG: laws
            plural = word.endswith("s") and word[:-1].isupper()
            return 2 < len(word) <= 10 and "." not in word and not law and not plural   # PR, TV: too short
        return lower.endswith(OWN_NAME_HEADS) and len(lower) > len("ministerium")
    if any(word in LEGAL_FORMS or word in CLUB_PREFIXES for word in words):
        return True
    if any(has_institution_word(word) for word in head_words(words)[1:]):
        return True
    if has_institution_word(words[0]) or has_institution_word(words[0].removesuffix("s")):   # Instituts für ...
        return any(word[:1].isupper() for word in words[1:])   # Kanzlei Lansky, University of California
    return is_team_name(words) or (repeated and is_plain_name(words))


def head_words(words: list[str]) -> list[str]:
    """The words before a genitive or ``von`` attribute: ``Hearing der Partei`` -> [Hearing]
    (the party is an attribute of an event, no institution word of the name)."""
    for index, word in enumerate(words[1:], 1):
        if word in ("der", "des", "von", "vom"):
            return words[:index]
    return words


def is_team_name(words: list[str]) -> bool:
    """A place and capitalised names that are no German nouns or are English plurals:
    ``Calgary Flames``, ``San Antonio Spurs``, ``Dinamo Zagreb``, ``Black Wings Linz``; not
    ``Große Koalition``, ``Hochseeregatta Sydney``."""
    rest = without_place(words)
    places = load_gazetteer().places
    if not rest or any(word in places for word in rest):   # Washington Bagdad
        return False
    nouns = common_nouns()
    return all(word[:1].isupper() and (english_plural(word) or not is_common_noun(word.lower(), nouns))
               for word in rest)


def without_place(words: list[str]) -> list[str] | None:
    """The words after a leading place or before a trailing one (``New Jersey Devils`` ->
    ``[Devils]``, ``Dinamo Zagreb`` -> ``[Dinamo]``); None without a place at either end."""
    places = load_gazetteer().places
    for width in range(min(PLACE_WIDTH, len(words) - 1), 0, -1):
        if " ".join(words[:width]) in places:
            return words[width:]
        if " ".join(words[-width:]) in places:
            return words[:-width]
    return None


def english_plural(word: str) -> bool:
    """``Flames``, ``Kings``, ``Devils`` -> True; ``Bus``, ``Pass``, ``Prozess`` -> False."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and word[1:].islower()


def team_from_place(mention: str) -> str | None:
    """A LOC mention that is a place and an English plural names a team: ``New Jersey Devils``,
    ``Los Angeles Kings`` -> the name; ``Wiener Neustadt``, ``Salt Lake City`` -> None."""
    words = mention.split()
    rest = without_place(words) if 1 < len(words) <= PLACE_WIDTH + 2 else None
    if not rest or not any(english_plural(word) for word in rest) or rest[-1] != words[-1]:
        return None
    return mention if is_team_name(words) else None


def is_plain_name(words: list[str]) -> bool:
    """Several capitalised words (connectors allowed) without digits, places, German nouns
    (English plurals after the first word may be), English verb forms or a first name in front:
    ``Bee Gees``, ``Philadelphia Flyers``; not ``Olympischen Spielen``, ``Washington Bagdad``,
    ``Michael Raffl``, ``Failed State``."""
    from indexer.entities.people import is_first_name   # people imports linking

    nouns, places = common_nouns(), load_gazetteer().places
    names = [word for word in words if word not in CONNECTORS]
    if len(names) < 2 or is_first_name(names[0]):
        return False
    if any(not word[:1].isupper() or any(ch.isdigit() for ch in word) or word in places for word in names):
        return False
    if any(word.endswith(ENGLISH_FORMS) for word in names):   # Failed State, Naming and Shaming
        return False
    return not any(is_common_noun(word.lower().split("-")[-1], nouns) and not english_plural(word)
                   for word in names)   # Philadelphia Flyers


def has_institution_word(word: str) -> bool:
    """``Landeskriminalamt``, ``Hochschule``, ``Eishockey-Club`` -> True; ``Frieden`` -> False."""
    lower = word.lower().split("-")[-1]
    return any(lower.endswith(head) and len(lower) >= len(head) for head in INSTITUTION_WORDS)
