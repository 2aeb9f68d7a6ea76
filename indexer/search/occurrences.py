"""Where a query's terms may occur in a text: the few words a snippet must analyse.

Finding a hit's matches used to tokenise its whole body (700 words of a speech) and look
every distinct word up in the analyser's cache. Most of that time went into the
tokenising regular expression. Here one regular expression scans a cheaply folded copy of
the text for the query's terms and returns only the words that contain one; the caller
analyses those as before. The result is the same because every index term of a word
occurs in the word's folded form:

- a Snowball stem is a prefix of the normalised word, a compound part a piece of it;
- the German normalisation (``Schroeder`` -> ``schroder``, ``Straße`` -> ``strasse``) and
  the accent folding only drop an ``e`` after a vowel, fold umlauts and accents, and
  write ``ß`` as ``ss``; the term's pattern allows exactly these (``a`` -> ``ae?``,
  ``ss`` -> ``ss?``), and the folded copy writes ``ß`` as ``s`` and ``é`` as ``e``, one
  character for one, so its offsets are the text's.

A text whose folding would change its length (a ligature such as ``ﬁ``, a dotted capital
``İ``) returns ``None``: the caller then tokenises it whole. Tests compare both ways on
real texts.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from indexer.text.analyser import TOKEN_PATTERN

_WORD = re.compile(TOKEN_PATTERN)
_JOINERS = "-.,'’"  # the characters TOKEN_PATTERN allows between the parts of one word
#: a character that may fold to another: not ASCII, no umlaut, none of the punctuation of a
#: German text (non-breaking space, „“–…€ and the like); a test checks every Unicode letter
_FOLDABLE = re.compile("[^\x00-\x7f\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bbäöüß"
                       "\u2000-\u206f\u20a0-\u20cf]")
_UMLAUTS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "s"))
#: folded before lowering: umlauts, and the typographic marks that keep most German texts
#: from being ASCII (a dash and quotes, as spaces: no term holds them); lowering an ASCII
#: string costs a fraction of lowering any other (measured: 10 against 49 us for a speech)
_BEFORE_LOWER = _UMLAUTS + (("Ä", "a"), ("Ö", "o"), ("Ü", "u"), ("–", " "), ("„", " "), ("“", " "))


def candidate_words(text: str, terms: frozenset[str]) -> dict[str, list[tuple[int, int]]] | None:
    """The words of ``text`` (as ``TOKEN_PATTERN`` cuts them) in which one of the normalised
    ``terms`` may occur, each with the spans of its occurrences; ``None`` when the text
    cannot be folded in place. Every occurrence of such a word holds the term, so the scan
    visits them all."""
    pattern = terms_pattern(terms)
    if pattern is None:
        return {}
    folded = fold_text(text)
    if folded is None:
        return None
    found: dict[str, list[tuple[int, int]]] = {}
    end = -1
    for match in pattern.finditer(folded):
        start = match.start()
        if start < end or not is_word_char(text[start]):
            continue
        before = text[start - 1] if start else " "
        if before.isalnum() or before == "_" or before in _JOINERS:  # inside a word: look for its start
            word = word_at(text, start)
        else:
            word = _WORD.match(text, start)
        if word is not None:
            found.setdefault(word.group(), []).append(word.span())
            end = word.end()
    return found


def fold_text(text: str) -> str | None:
    """Lowercase, umlauts and accents off, ``ß`` as ``s``, ``„“–`` as spaces: one character for one.

    >>> fold_text("Größe von „Erdoğan“")
    'grose von  erdogan '
    """
    folded = text
    for char, base in _BEFORE_LOWER:
        if char in folded:
            folded = folded.replace(char, base)
    if folded.isascii():
        return folded.lower()
    folded = folded.lower()
    if len(folded) != len(text):
        return None
    for char, base in _UMLAUTS:
        if char in folded:
            folded = folded.replace(char, base)
    if folded.isascii():
        return folded
    for char in set(_FOLDABLE.findall(folded)):
        base = base_char(char)
        if not base:
            return None
        if base != char:
            folded = folded.replace(char, base)
    return folded


@functools.lru_cache(maxsize=4096)
def base_char(char: str) -> str:
    """``é`` -> ``e``, ``ğ`` -> ``g``, ``₂`` -> ``2``, ``д`` -> ``д``; ``""`` where the base is
    not one character (``ﬁ``)."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
    return base if len(base) == 1 else ""


@functools.lru_cache(maxsize=512)
def terms_pattern(terms: frozenset[str]) -> re.Pattern | None:
    """One pattern for all terms (``None`` for none); a term that contains another is left
    to the shorter one."""
    kept = shortest(terms)
    return re.compile("|".join(map(term_pattern, kept))) if kept else None


def term_pattern(term: str) -> str:
    """``gross`` -> ``groe?ss?``: what the folded text may hold where the term occurs.

    >>> term_pattern("schrod")
    'schroe?d'
    """
    out, i = [], 0
    while i < len(term):
        if term.startswith("ss", i):
            out.append("ss?")
            i += 2
            continue
        out.append(re.escape(term[i]) + ("e?" if term[i] in "aou" else ""))
        i += 1
    return "".join(out)


def shortest(terms: frozenset[str]) -> list[str]:
    """The terms that contain no other term: ``{sanktion, sanktionen}`` -> ``[sanktion]``."""
    kept: list[str] = []
    for term in sorted(terms, key=len):
        if term and not any(other in term for other in kept):
            kept.append(term)
    return kept


def word_at(text: str, pos: int) -> re.Match | None:
    """The word that ``TOKEN_PATTERN`` cuts around ``pos``: back over letters and over a
    joiner between two letters (``NATO-Staaten``), then forward as the tokenizer goes."""
    start = pos
    while start > 0:
        char = text[start - 1]
        if is_word_char(char) or (char in _JOINERS and start >= 2 and is_word_char(text[start - 2])):
            start -= 1
        else:
            break
    word = _WORD.match(text, start)
    return word if word and word.end() > pos else None


def is_word_char(char: str) -> bool:
    """What ``\\w`` matches in a str pattern."""
    return char.isalnum() or char == "_"
